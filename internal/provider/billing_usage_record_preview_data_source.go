package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

var (
	_ datasource.DataSource              = &BillingUsageRecordPreviewDataSource{}
	_ datasource.DataSourceWithConfigure = &BillingUsageRecordPreviewDataSource{}
)

// NewBillingUsageRecordPreviewDataSource returns the
// agilicus_billing_usage_record_preview data source.
func NewBillingUsageRecordPreviewDataSource() datasource.DataSource {
	return &BillingUsageRecordPreviewDataSource{}
}

// BillingUsageRecordPreviewDataSource asks the API what a usage record
// would contain, without recording it.
type BillingUsageRecordPreviewDataSource struct {
	data *providerData
}

// BillingUsageRecordPreviewDataSourceModel maps the data source's schema.
type BillingUsageRecordPreviewDataSourceModel struct {
	BillingAccountID types.String `tfsdk:"billing_account_id"`
	WouldRecord      types.Bool   `tfsdk:"would_record"`
	Quantity         types.Int64  `tfsdk:"quantity"`
	Timestamp        types.Int64  `tfsdk:"timestamp"`
	Records          types.List   `tfsdk:"records"`
}

// Metadata sets the type name.
func (d *BillingUsageRecordPreviewDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_usage_record_preview"
}

// Schema describes the data source.
func (d *BillingUsageRecordPreviewDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Shows the usage record the API would make for a billing account right now, without " +
			"making it: the provider asks the API for a dry run (a request body of `{\"dry_run\": true}`), which the API computes but does not store. " +
			"Nothing is billed, so the data source is safe in every plan and may be read any number of times.\n\n" +
			"The values are computed at read time and change as the account changes: two reads may differ, and a " +
			"later `agilicus_billing_usage_record` may record a different quantity.",
		Attributes: map[string]schema.Attribute{
			"billing_account_id": schema.StringAttribute{
				MarkdownDescription: "Id of the billing account to preview a usage record for.",
				Required:            true,
				Validators:          []validator.String{idValidator{}},
			},
			"would_record": schema.BoolAttribute{
				MarkdownDescription: "Whether a usage record made now would record anything. `false` when the API answers that " +
					"there is nothing to record (newer API versions: the customer has no subscriptions or no active resources); " +
					"an `agilicus_billing_usage_record` created now would then have `recorded = false`.",
				Computed: true,
			},
			"quantity": schema.Int64Attribute{
				MarkdownDescription: "The usage the API computed for the account: the sum of the `quantity` of `records`, `0` when " +
					"there is nothing to record. Null when the API sent a record without its quantity.",
				Computed: true,
			},
			"timestamp": schema.Int64Attribute{
				MarkdownDescription: "When the API counted the usage, in seconds since the Unix epoch: the latest `timestamp` of " +
					"`records`. Null when there is nothing to record or the API sent no timestamp.",
				Computed: true,
			},
			"records": schema.ListNestedAttribute{
				MarkdownDescription: "Each usage record the API would make, in the order it returned them: one in older API " +
					"versions, one per subscription of the customer or none in newer ones.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"quantity":  schema.Int64Attribute{MarkdownDescription: "The usage that would be recorded.", Computed: true},
					"timestamp": schema.Int64Attribute{MarkdownDescription: "When the usage was counted, in seconds since the Unix epoch.", Computed: true},
				}},
			},
		},
	}
}

// Configure receives the API client.
func (d *BillingUsageRecordPreviewDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Read sends the dry run.
func (d *BillingUsageRecordPreviewDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg BillingUsageRecordPreviewDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	accountID := cfg.BillingAccountID.ValueString()
	// A dry run stores nothing, so the client may retry it freely.
	res, err := d.data.client.AddUsageRecord(ctx, accountID, true)
	if client.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("billing_account_id"), "Billing account not found",
			fmt.Sprintf("No billing account with id %q exists.", accountID))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error previewing usage record", err.Error())
		return
	}
	values := newUsageRecordValues(res)
	cfg.WouldRecord, cfg.Quantity, cfg.Timestamp, cfg.Records = types.BoolValue(values.any), values.quantity, values.timestamp, values.records
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
