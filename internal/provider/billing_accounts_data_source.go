package provider

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

var (
	_ datasource.DataSource              = &BillingAccountsDataSource{}
	_ datasource.DataSourceWithConfigure = &BillingAccountsDataSource{}
)

// NewBillingAccountsDataSource returns the agilicus_billing_accounts data source.
func NewBillingAccountsDataSource() datasource.DataSource {
	return &BillingAccountsDataSource{}
}

// BillingAccountsDataSource lists billing accounts.
type BillingAccountsDataSource struct {
	data *providerData
}

// BillingAccountsDataSourceModel maps the data source's schema.
type BillingAccountsDataSourceModel struct {
	OrgID                   types.String              `tfsdk:"org_id"`
	CustomerID              types.String              `tfsdk:"customer_id"`
	Limit                   types.Int64               `tfsdk:"limit"`
	IncludeCustomerData     types.Bool                `tfsdk:"include_customer_data"`
	IncludeSubscriptionData types.Bool                `tfsdk:"include_subscription_data"`
	BillingAccounts         []billingAccountListEntry `tfsdk:"billing_accounts"`
}

// billingAccountListEntry is one account of the list.
type billingAccountListEntry struct {
	ID types.String `tfsdk:"id"`
	billingAccountDataModel
}

// Metadata sets the type name.
func (d *BillingAccountsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_accounts"
}

// Schema describes the data source.
func (d *BillingAccountsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	entry := map[string]schema.Attribute{
		"id": schema.StringAttribute{MarkdownDescription: "Id of the billing account.", Computed: true},
	}
	maps.Copy(entry, billingAccountDataAttributes())
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists billing accounts, optionally only those of one organisation or one customer. " +
			"Newer versions of the API answer in pages, which the provider follows until it has every matching " +
			"account (or `limit` of them); older versions answer at most 500 accounts in all.",
		Attributes: map[string]schema.Attribute{
			"org_id": schema.StringAttribute{
				MarkdownDescription: "Only the accounts this organisation is attached to.",
				Optional:            true,
				Validators:          []validator.String{idValidator{}},
			},
			"customer_id": schema.StringAttribute{
				MarkdownDescription: "Only the account with this payment-backend customer id.",
				Optional:            true,
				Validators:          []validator.String{nonBlankString{}},
			},
			"limit": schema.Int64Attribute{
				MarkdownDescription: "Maximum number of accounts to return, at least 1. Defaults to every matching account.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"include_customer_data": schema.BoolAttribute{
				MarkdownDescription: "Ask the payment backend for each customer's details (`customer`). When unset (null in the state) or `false`, nothing is asked for and `customer` is null.",
				Optional:            true,
			},
			"include_subscription_data": schema.BoolAttribute{
				MarkdownDescription: "Ask the payment backend for each customer's subscriptions (`subscriptions`). When unset (null in the state) or `false`, nothing is asked for and `subscriptions` is null.",
				Optional:            true,
			},
			"billing_accounts": schema.ListNestedAttribute{
				MarkdownDescription: "The matching accounts, in the order the API returns them.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: entry},
			},
		},
	}
}

// Configure receives the API client.
func (d *BillingAccountsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Read lists the accounts.
func (d *BillingAccountsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg BillingAccountsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	include := client.IncludeData{
		Customer:      cfg.IncludeCustomerData.ValueBool(),
		Subscriptions: cfg.IncludeSubscriptionData.ValueBool(),
	}
	list, err := d.data.client.ListBillingAccounts(ctx, client.ListBillingAccountsParams{
		Limit:      int(cfg.Limit.ValueInt64()),
		OrgID:      cfg.OrgID.ValueString(),
		CustomerID: cfg.CustomerID.ValueString(),
		Include:    include,
	})
	if err != nil {
		resp.Diagnostics.AddError("Error listing billing accounts", err.Error())
		return
	}
	cfg.BillingAccounts = make([]billingAccountListEntry, 0, len(list.BillingAccounts))
	for i := range list.BillingAccounts {
		a := &list.BillingAccounts[i]
		// The filter is the server's; an account it should have left out
		// is not reported as matching.
		if cfg.CustomerID.ValueString() != "" && (a.Spec == nil || a.Spec.CustomerID != cfg.CustomerID.ValueString()) {
			continue
		}
		e := billingAccountListEntry{ID: types.StringValue(a.ID())}
		e.setFromAPI(a, include.Subscriptions)
		cfg.BillingAccounts = append(cfg.BillingAccounts, e)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
