package provider

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

var (
	_ resource.Resource                = &BillingUsageRecordResource{}
	_ resource.ResourceWithConfigure   = &BillingUsageRecordResource{}
	_ resource.ResourceWithImportState = &BillingUsageRecordResource{}
)

// Default operation timeout of agilicus_billing_usage_record.
const billingUsageRecordCreateTimeout = 5 * time.Minute

// NewBillingUsageRecordResource returns the agilicus_billing_usage_record
// resource.
func NewBillingUsageRecordResource() resource.Resource {
	return &BillingUsageRecordResource{}
}

// BillingUsageRecordResource records usage for a billing account once, when
// it is created. Usage records are append-only in the API: they cannot be
// read back one by one, changed or deleted.
type BillingUsageRecordResource struct {
	data *providerData
}

// BillingUsageRecordResourceModel maps the resource's schema.
type BillingUsageRecordResourceModel struct {
	ID               types.String   `tfsdk:"id"`
	BillingAccountID types.String   `tfsdk:"billing_account_id"`
	Triggers         types.Map      `tfsdk:"triggers"`
	Recorded         types.Bool     `tfsdk:"recorded"`
	Quantity         types.Int64    `tfsdk:"quantity"`
	Timestamp        types.Int64    `tfsdk:"timestamp"`
	Records          types.List     `tfsdk:"records"`
	Timeouts         timeouts.Value `tfsdk:"timeouts"`
}

// Metadata sets the type name.
func (r *BillingUsageRecordResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_usage_record"
}

// Schema describes the resource.
func (r *BillingUsageRecordResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Records usage for a billing account: creating this resource asks the API to count the " +
			"account's current usage and store it as a usage record, which the payment backend bills. The API " +
			"decides the numbers (`quantity` and `timestamp`); the provider only reports them. To see what would be " +
			"recorded without recording it, use the `agilicus_billing_usage_record_preview` data source; to see what " +
			"has been recorded, use `agilicus_billing_usage_records`.\n\n" +
			"Usage records are append-only, which shapes how this resource behaves:\n\n" +
			"- **One record per create.** Applying the same configuration again records nothing. Changing " +
			"`billing_account_id` or `triggers` replaces the resource, which records usage again: set `triggers` to " +
			"values that change when a new record is wanted (a billing period, a release version), as with the " +
			"`triggers_replace` argument of `terraform_data`. Changing only `timeouts` records nothing.\n" +
			"- **Destroy does not delete.** The API cannot delete usage records. Destroying this resource (or " +
			"replacing it) only removes it from the Terraform state, and Terraform shows a warning saying that the " +
			"record remains in the billing backend.\n" +
			"- **Refresh.** The API cannot read back a single record, so a refresh only checks that the billing " +
			"account still exists. When the account has been deleted, the resource is removed from the state and the " +
			"next plan proposes to record usage again (which fails while the account does not exist).\n" +
			"- **Nothing to record.** Newer versions of the API record nothing when the customer has no " +
			"subscriptions or no active resources, and say so. The resource is then created with `recorded = false`, " +
			"`quantity = 0`, no `records` and a null `timestamp`, and Terraform shows the warning " +
			"`No usage was recorded`; applying again does not ask again, and changing `triggers` does.\n" +
			"- **No import.** There is nothing to import: records have no id in the API and cannot be read back.\n" +
			"- **Lost answers are not retried.** If the request to record usage was sent but no answer came back " +
			"(a dropped connection, a timeout, or a server error other than 501 and 503, which say the request was turned away), the usage may or may not have been recorded. " +
			"The provider does not send the request again, since that could record the usage twice; it fails with " +
			"an error that says so. Check the account's usage with `agilicus_billing_usage_records` before applying " +
			"again: another apply records usage again.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Id of this resource, made up by the provider because the API gives usage records no " +
					"id: `<billing_account_id>/<random suffix>`. The random part keeps ids unique even for records of one " +
					"account made in the same second. The id names nothing in the API.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"billing_account_id": schema.StringAttribute{
				MarkdownDescription: "Id of the billing account to record usage for. Changing it records usage for the new account; " +
					"the record made for the old account remains.",
				Required:      true,
				Validators:    []validator.String{idValidator{}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary values that, when any of them changes, replace this resource and so record usage again. " +
					"The provider stores them and sends nothing of them to the API.",
				Optional:      true,
				ElementType:   types.StringType,
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"recorded": schema.BoolAttribute{
				MarkdownDescription: "Whether the API recorded any usage when the resource was created. `false` when the API " +
					"answered that there was nothing to record (newer API versions: the customer has no subscriptions or no active resources).",
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"quantity": schema.Int64Attribute{
				MarkdownDescription: "The usage the API recorded when the resource was created: the sum of the `quantity` of " +
					"`records`, `0` when nothing was recorded. Null when the API sent a record without its quantity.",
				Computed:      true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"timestamp": schema.Int64Attribute{
				MarkdownDescription: "When the API counted the usage, in seconds since the Unix epoch: the latest `timestamp` of " +
					"`records`. Null when nothing was recorded or the API sent no timestamp.",
				Computed:      true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"records": schema.ListNestedAttribute{
				MarkdownDescription: "Each usage record the API made, in the order it returned them. Older API versions make " +
					"one; newer ones one per subscription of the customer, or none.",
				Computed:      true,
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"quantity":  schema.Int64Attribute{MarkdownDescription: "The usage recorded.", Computed: true},
					"timestamp": schema.Int64Attribute{MarkdownDescription: "When the usage was counted, in seconds since the Unix epoch.", Computed: true},
				}},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true}),
		},
	}
}

// Configure receives the API client.
func (r *BillingUsageRecordResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Create records the usage. The request is not idempotent, so an answer
// that never arrived is reported rather than retried.
func (r *BillingUsageRecordResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan BillingUsageRecordResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, billingUsageRecordCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	accountID := plan.BillingAccountID.ValueString()
	res, err := r.data.client.AddUsageRecord(ctx, accountID, false)
	switch {
	case err == nil:
	case client.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("billing_account_id"), "Billing account not found",
			fmt.Sprintf("No billing account with id %q exists, so no usage was recorded.", accountID))
		return
	case client.MayHaveActed(err):
		resp.Diagnostics.AddError("Usage may or may not have been recorded", usageOutcomeUnknownDetail(accountID, err))
		return
	default:
		resp.Diagnostics.AddError("Error recording usage", err.Error())
		return
	}
	plan.ID = types.StringValue(accountID + "/" + rand.Text())
	values := newUsageRecordValues(res)
	plan.Recorded, plan.Quantity, plan.Timestamp, plan.Records = types.BoolValue(values.any), values.quantity, values.timestamp, values.records
	if !values.any {
		resp.Diagnostics.AddWarning("No usage was recorded",
			fmt.Sprintf("The API answered that billing account %q has no usage to record (in newer API versions this "+
				"means the customer has no subscriptions or no active resources), so nothing was billed. The resource "+
				"is created with recorded = false and applying again does not ask again; change triggers to try again.", accountID))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Read keeps the recorded values as they are: the API has no GET of a
// single usage record, and the per-period summaries cannot tell one record
// from another. The one thing that can be checked cheaply is that the
// account still exists; the records of a deleted account are gone with it.
func (r *BillingUsageRecordResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state BillingUsageRecordResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	accountID := state.BillingAccountID.ValueString()
	if _, ok := r.data.accounts.account(ctx, accountID); ok {
		return
	}
	_, err := r.data.client.GetBillingAccount(ctx, accountID, client.GetBillingAccountParams{})
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error reading billing account of usage record", err.Error())
	}
}

// Update is reached only when timeouts alone changed, because every other
// input requires replacement. It records nothing and calls no API.
func (r *BillingUsageRecordResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state BillingUsageRecordResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID, plan.Recorded, plan.Quantity, plan.Timestamp, plan.Records = state.ID, state.Recorded, state.Quantity, state.Timestamp, state.Records
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete only forgets the record: the API cannot delete usage records. The
// warning makes sure nobody takes a destroy for a refund.
func (r *BillingUsageRecordResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state BillingUsageRecordResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.AddWarning("Usage record remains in the billing backend",
		fmt.Sprintf("Usage record %s was removed from the Terraform state only. The Agilicus API cannot delete usage "+
			"records, so the usage recorded for billing account %q (quantity %s, timestamp %s) remains in the billing "+
			"backend and is billed as before.",
			state.ID.ValueString(), state.BillingAccountID.ValueString(), int64Text(state.Quantity), int64Text(state.Timestamp)))
}

// ImportState refuses: there is nothing in the API to import.
func (r *BillingUsageRecordResource) ImportState(_ context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.AddError("Usage records cannot be imported",
		fmt.Sprintf("Cannot import %q: the Agilicus API gives usage records no id and cannot read one back, so there is "+
			"nothing to import. To record usage, add an agilicus_billing_usage_record resource and apply it; to see the "+
			"usage already recorded, use the agilicus_billing_usage_records data source.", req.ID))
}

func usageOutcomeUnknownDetail(accountID string, err error) string {
	return fmt.Sprintf("The request to record usage for billing account %q failed after it was sent, so the usage may "+
		"or may not have been recorded. The provider did not send it again, because if the first request was "+
		"stored, a second one would record the usage twice.\n\n"+
		"Before running terraform apply again, check the account's usage, for example with the "+
		"agilicus_billing_usage_records data source (total_usage of the current period, compared with its value "+
		"before this apply). If the usage was not recorded, apply again. If it was, applying again records it a "+
		"second time; to avoid that, remove this resource from the configuration.\n\n"+
		"Cause: %s", accountID, err)
}

func int64Text(v types.Int64) string {
	if v.IsNull() || v.IsUnknown() {
		return "unknown"
	}
	return fmt.Sprint(v.ValueInt64())
}
