package provider

import (
	"context"
	"fmt"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

var (
	_ datasource.DataSource              = &BillingAccountDataSource{}
	_ datasource.DataSourceWithConfigure = &BillingAccountDataSource{}
)

// NewBillingAccountDataSource returns the agilicus_billing_account data source.
func NewBillingAccountDataSource() datasource.DataSource {
	return &BillingAccountDataSource{}
}

// BillingAccountDataSource reads one billing account by id.
type BillingAccountDataSource struct {
	data *providerData
}

// BillingAccountDataSourceModel maps the data source's schema.
type BillingAccountDataSourceModel struct {
	ID                      types.String `tfsdk:"id"`
	OrgID                   types.String `tfsdk:"org_id"`
	IncludeCustomerData     types.Bool   `tfsdk:"include_customer_data"`
	IncludeSubscriptionData types.Bool   `tfsdk:"include_subscription_data"`
	billingAccountDataModel
}

// Metadata sets the type name.
func (d *BillingAccountDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_account"
}

// Schema describes the data source.
func (d *BillingAccountDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "Id of the billing account to read.",
			Required:            true,
			Validators:          []validator.String{idValidator{}},
		},
		"org_id": schema.StringAttribute{
			MarkdownDescription: "Read the account through this organisation: the read fails unless the organisation is attached to the account.",
			Optional:            true,
			Validators:          []validator.String{idValidator{}},
		},
		"include_customer_data": schema.BoolAttribute{
			MarkdownDescription: "Ask the payment backend for the customer's details (`customer`). When unset (null in the state) or `false`, nothing is asked for and `customer` is null.",
			Optional:            true,
		},
		"include_subscription_data": schema.BoolAttribute{
			MarkdownDescription: "Ask the payment backend for the customer's subscriptions (`subscriptions`). When unset (null in the state) or `false`, nothing is asked for and `subscriptions` is null.",
			Optional:            true,
		},
	}
	maps.Copy(attrs, billingAccountDataAttributes())
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one billing account, optionally with the customer and subscription data the payment backend holds for it.",
		Attributes:          attrs,
	}
}

// Configure receives the API client.
func (d *BillingAccountDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Read reads the account.
func (d *BillingAccountDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg BillingAccountDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	include := client.IncludeData{
		Customer:      cfg.IncludeCustomerData.ValueBool(),
		Subscriptions: cfg.IncludeSubscriptionData.ValueBool(),
	}
	account, err := d.data.client.GetBillingAccount(ctx, cfg.ID.ValueString(), client.GetBillingAccountParams{
		OrgID: cfg.OrgID.ValueString(), Include: include,
	})
	if client.IsNotFound(err) {
		msg := fmt.Sprintf("No billing account with id %q exists.", cfg.ID.ValueString())
		if !cfg.OrgID.IsNull() {
			msg = fmt.Sprintf("No billing account with id %q exists with organisation %q attached.", cfg.ID.ValueString(), cfg.OrgID.ValueString())
		}
		resp.Diagnostics.AddError("Billing account not found", msg)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error reading billing account", err.Error())
		return
	}
	cfg.setFromAPI(account, include.Subscriptions)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
