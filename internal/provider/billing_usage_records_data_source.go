package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

var (
	_ datasource.DataSource              = &BillingUsageRecordsDataSource{}
	_ datasource.DataSourceWithConfigure = &BillingUsageRecordsDataSource{}
)

// NewBillingUsageRecordsDataSource returns the agilicus_billing_usage_records
// data source.
func NewBillingUsageRecordsDataSource() datasource.DataSource {
	return &BillingUsageRecordsDataSource{}
}

// BillingUsageRecordsDataSource lists the usage summaries of one billing
// account.
type BillingUsageRecordsDataSource struct {
	data *providerData
}

// BillingUsageRecordsDataSourceModel maps the data source's schema.
type BillingUsageRecordsDataSourceModel struct {
	BillingAccountID types.String               `tfsdk:"billing_account_id"`
	Limit            types.Int64                `tfsdk:"limit"`
	UsageRecords     []billingUsageSummaryModel `tfsdk:"usage_records"`
}

// billingUsageSummaryModel is one item of usage_records.
type billingUsageSummaryModel struct {
	ID         types.String `tfsdk:"id"`
	Period     types.String `tfsdk:"period"`
	TotalUsage types.Int64  `tfsdk:"total_usage"`
}

// Metadata sets the type name.
func (d *BillingUsageRecordsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_usage_records"
}

// Schema describes the data source.
func (d *BillingUsageRecordsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the usage recorded for a billing account, as the API summarises it: one entry per " +
			"billing period with the usage accumulated in it. Individual records are not listed; the API does not " +
			"return them. Reading this data source changes nothing.\n\n" +
			"Use it to check what has been recorded, for example after `agilicus_billing_usage_record` reported " +
			"that the outcome of recording usage is unknown.",
		Attributes: map[string]schema.Attribute{
			"billing_account_id": schema.StringAttribute{
				MarkdownDescription: "Id of the billing account whose usage to list.",
				Required:            true,
				Validators:          []validator.String{idValidator{}},
			},
			"limit": schema.Int64Attribute{
				MarkdownDescription: "Maximum number of summaries to return, from 1 to 500. Defaults to 500.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(1, client.MaxLimit)},
			},
			"usage_records": schema.ListNestedAttribute{
				MarkdownDescription: "The usage summaries, in the order the API returns them.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.StringAttribute{
							MarkdownDescription: "Id of the summary. The API schema does not declare it, so it is null when the API does not send it.",
							Computed:            true,
						},
						"period": schema.StringAttribute{
							MarkdownDescription: "The billing period the summary covers, as the API names it (for example `2026-11`). " +
								"The API schema does not declare it, so it is null when the API does not send it.",
							Computed: true,
						},
						"total_usage": schema.Int64Attribute{
							MarkdownDescription: "Usage accumulated in the period. Null when the API does not send it.",
							Computed:            true,
						},
					},
				},
			},
		},
	}
}

// Configure receives the API client.
func (d *BillingUsageRecordsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Read lists the summaries.
func (d *BillingUsageRecordsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg BillingUsageRecordsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	accountID := cfg.BillingAccountID.ValueString()
	// A null limit is 0, which leaves the choice to the server (500).
	list, err := d.data.client.ListUsageRecords(ctx, accountID, int(cfg.Limit.ValueInt64()))
	if client.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("billing_account_id"), "Billing account not found",
			fmt.Sprintf("No billing account with id %q exists.", accountID))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error listing usage records", err.Error())
		return
	}
	cfg.UsageRecords = make([]billingUsageSummaryModel, 0, len(list.UsageRecords))
	for _, s := range list.UsageRecords {
		cfg.UsageRecords = append(cfg.UsageRecords, billingUsageSummaryModel{
			ID:         stringOrNull(string(s.ID)),
			Period:     stringOrNull(string(s.Period)),
			TotalUsage: types.Int64PointerValue(s.TotalUsage),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
