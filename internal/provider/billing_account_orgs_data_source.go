package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

var (
	_ datasource.DataSource              = &BillingAccountOrgsDataSource{}
	_ datasource.DataSourceWithConfigure = &BillingAccountOrgsDataSource{}
)

// NewBillingAccountOrgsDataSource returns the agilicus_billing_account_orgs data source.
func NewBillingAccountOrgsDataSource() datasource.DataSource {
	return &BillingAccountOrgsDataSource{}
}

// BillingAccountOrgsDataSource lists the organisations attached to one
// billing account.
type BillingAccountOrgsDataSource struct {
	data *providerData
}

// BillingAccountOrgsDataSourceModel maps the data source's schema.
type BillingAccountOrgsDataSourceModel struct {
	BillingAccountID types.String      `tfsdk:"billing_account_id"`
	Limit            types.Int64       `tfsdk:"limit"`
	Orgs             []accountOrgEntry `tfsdk:"orgs"`
}

// accountOrgEntry is one organisation of the list.
type accountOrgEntry struct {
	ID               types.String `tfsdk:"id"`
	Organisation     types.String `tfsdk:"organisation"`
	Subdomain        types.String `tfsdk:"subdomain"`
	NameSlug         types.String `tfsdk:"name_slug"`
	AdminState       types.String `tfsdk:"admin_state"`
	CurrentState     types.String `tfsdk:"current_state"`
	ParentID         types.String `tfsdk:"parent_id"`
	RootOrgID        types.String `tfsdk:"root_org_id"`
	BillingAccountID types.String `tfsdk:"billing_account_id"`
	Created          types.String `tfsdk:"created"`
	Updated          types.String `tfsdk:"updated"`
}

// Metadata sets the type name.
func (d *BillingAccountOrgsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_account_orgs"
}

// Schema describes the data source.
func (d *BillingAccountOrgsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the organisations attached to a billing account, in the order the API returns them. The API documents no paging for this list and returns at most 500 organisations, " +
			"so the list of an account with more organisations is cut short (should the API page it, the provider follows the pages).",
		Attributes: map[string]schema.Attribute{
			"billing_account_id": schema.StringAttribute{
				MarkdownDescription: "Id of the billing account whose organisations to list.",
				Required:            true,
				Validators:          []validator.String{idValidator{}},
			},
			"limit": schema.Int64Attribute{
				MarkdownDescription: "Maximum number of organisations to return, from 1 to 500. Defaults to all of them.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(1, client.MaxLimit)},
			},
			"orgs": schema.ListNestedAttribute{
				MarkdownDescription: "The attached organisations. Attributes the API leaves out are null.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":                 computed("Id of the organisation."),
					"organisation":       computed("Display name of the organisation."),
					"subdomain":          computed("DNS subdomain of the organisation."),
					"name_slug":          computed("Short DNS-safe name the API derives from the organisation's name."),
					"admin_state":        computed("State an administrator asked for: `active`, `suspended`, `disabled` or `deleted`."),
					"current_state":      computed("State the organisation is actually in (`status.current_state`): `active`, `suspended`, `disabled` or `deleted`."),
					"parent_id":          computed("Id of the parent organisation."),
					"root_org_id":        computed("Id of the top organisation of the hierarchy this one belongs to."),
					"billing_account_id": computed("Id of the billing account the organisation is attached to, as the API reports it."),
					"created":            computed("When the organisation was created (RFC 3339)."),
					"updated":            computed("When the organisation was last changed (RFC 3339)."),
				}},
			},
		},
	}
}

// Configure receives the API client.
func (d *BillingAccountOrgsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Read lists the organisations.
func (d *BillingAccountOrgsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg BillingAccountOrgsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	accountID := cfg.BillingAccountID.ValueString()
	orgs, err := d.orgs(ctx, accountID, int(cfg.Limit.ValueInt64()))
	if client.IsNotFound(err) {
		resp.Diagnostics.AddError("Billing account not found",
			fmt.Sprintf("No billing account with id %q exists.", accountID))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error listing organisations of billing account",
			fmt.Sprintf("Listing the organisations of billing account %q failed: %s", accountID, err))
		return
	}
	cfg.Orgs = make([]accountOrgEntry, 0, len(orgs))
	for i := range orgs {
		cfg.Orgs = append(cfg.Orgs, newAccountOrgEntry(&orgs[i]))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// orgs lists the account's organisations. The whole list is shared with
// the attachments' reads of the same run; a limited one is asked for alone.
func (d *BillingAccountOrgsDataSource) orgs(ctx context.Context, accountID string, limit int) ([]client.Organisation, error) {
	if limit == 0 {
		return d.data.accountOrgs.orgsOf(ctx, accountID)
	}
	list, err := d.data.client.ListBillingAccountOrgs(ctx, accountID, limit)
	if err != nil {
		return nil, err
	}
	return list.Orgs, nil
}

func newAccountOrgEntry(o *client.Organisation) accountOrgEntry {
	currentState := ""
	if o.Status != nil {
		currentState = o.Status.CurrentState
	}
	return accountOrgEntry{
		ID:               stringOrNull(o.ID),
		Organisation:     stringOrNull(o.Organisation),
		Subdomain:        stringOrNull(o.Subdomain),
		NameSlug:         stringOrNull(o.NameSlug),
		AdminState:       stringOrNull(o.AdminState),
		CurrentState:     stringOrNull(currentState),
		ParentID:         stringOrNull(o.ParentID),
		RootOrgID:        stringOrNull(o.RootOrgID),
		BillingAccountID: stringOrNull(o.BillingAccountID),
		Created:          stringOrNull(o.Created),
		Updated:          stringOrNull(o.Updated),
	}
}
