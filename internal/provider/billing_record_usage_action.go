package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

var (
	_ action.Action              = &BillingRecordUsageAction{}
	_ action.ActionWithConfigure = &BillingRecordUsageAction{}
)

// NewBillingRecordUsageAction returns the agilicus_billing_record_usage
// action (Terraform 1.14 and later).
func NewBillingRecordUsageAction() action.Action {
	return &BillingRecordUsageAction{}
}

// BillingRecordUsageAction records a billing account's usage on demand.
type BillingRecordUsageAction struct {
	data *providerData
}

// BillingRecordUsageActionModel maps the action's config.
type BillingRecordUsageActionModel struct {
	BillingAccountID types.String `tfsdk:"billing_account_id"`
	DryRun           types.Bool   `tfsdk:"dry_run"`
}

// Metadata sets the type name.
func (a *BillingRecordUsageAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_record_usage"
}

// Schema describes the action's config.
func (a *BillingRecordUsageAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Records a billing account's usage: the API counts the account's current usage and " +
			"stores it as usage records, which the payment backend bills. Run it on demand with " +
			"`terraform apply -invoke=action.agilicus_billing_record_usage.<name>`, or from a resource's " +
			"`lifecycle { action_trigger { ... } }`, for example `before_destroy` of an " +
			"`agilicus_billing_account` (Terraform 1.16) to record an account's final usage before it is deleted.\n\n" +
			"Each invocation records once: usage records are append-only and cannot be deleted. If the request " +
			"was sent but no answer came back, the usage may or may not have been recorded; the action then fails " +
			"and is not repeated, since a second request could record the usage twice. The progress messages say " +
			"what was recorded (how many records and their quantities), or that there was nothing to record.",
		Attributes: map[string]schema.Attribute{
			"billing_account_id": schema.StringAttribute{
				MarkdownDescription: "Id of the billing account to record usage for.",
				Required:            true,
				Validators:          []validator.String{idValidator{}},
			},
			"dry_run": schema.BoolAttribute{
				MarkdownDescription: "When `true`, ask the API what it would record and report it, recording " +
					"nothing. Defaults to `false`.",
				Optional: true,
			},
		},
	}
}

// Configure receives the API client.
func (a *BillingRecordUsageAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Invoke records the usage, with the same client call and the same rule
// for lost answers as the agilicus_billing_usage_record resource.
func (a *BillingRecordUsageAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg BillingRecordUsageActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if a.data == nil {
		resp.Diagnostics.AddError("Provider not configured", "The Agilicus provider was not configured before recording usage.")
	}
	if resp.Diagnostics.HasError() {
		return
	}
	accountID, dryRun := cfg.BillingAccountID.ValueString(), cfg.DryRun.ValueBool()
	progress := func(format string, args ...any) {
		if resp.SendProgress != nil {
			resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(format, args...)})
		}
	}
	if dryRun {
		progress("Asking what usage billing account %s would record (dry run: nothing is recorded).", accountID)
	} else {
		progress("Recording the usage of billing account %s.", accountID)
	}

	res, err := a.data.client.AddUsageRecord(ctx, accountID, dryRun)
	switch {
	case err == nil:
	case client.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("billing_account_id"), "Billing account not found",
			fmt.Sprintf("No billing account with id %q exists, so no usage was recorded.", accountID))
		return
	case client.MayHaveActed(err):
		resp.Diagnostics.AddError("Usage may or may not have been recorded",
			fmt.Sprintf("The request to record usage for billing account %q failed after it was sent, so the usage "+
				"may or may not have been recorded. It was not sent again, because a second request could record "+
				"the usage twice. Check the account's usage with the agilicus_billing_usage_records data source "+
				"before invoking the action again.\n\nCause: %s", accountID, err))
		return
	default:
		resp.Diagnostics.AddError("Error recording usage", err.Error())
		return
	}
	progress("%s", usageOutcomeMessage(accountID, res, dryRun))
}

// usageOutcomeMessage says in plain words what a usage-record answer holds.
func usageOutcomeMessage(accountID string, res *client.UsageRecordResult, dryRun bool) string {
	if len(res.Records) == 0 {
		if dryRun {
			return fmt.Sprintf("Billing account %s has no usage to record now (the customer has no subscriptions "+
				"or no active resources); nothing was recorded.", accountID)
		}
		return fmt.Sprintf("Nothing was recorded for billing account %s: the API answered that there is no "+
			"usage to record (the customer has no subscriptions or no active resources).", accountID)
	}
	quantities := make([]string, 0, len(res.Records))
	total, totalKnown := int64(0), true
	for _, rec := range res.Records {
		if rec.Quantity == nil {
			quantities = append(quantities, "unknown")
			totalKnown = false
			continue
		}
		quantities = append(quantities, fmt.Sprint(*rec.Quantity))
		total += *rec.Quantity
	}
	records := "1 usage record"
	if n := len(res.Records); n != 1 {
		records = fmt.Sprintf("%d usage records", n)
	}
	detail := "quantity " + quantities[0]
	if len(quantities) > 1 {
		detail = "quantities " + strings.Join(quantities, ", ")
		if totalKnown {
			detail += fmt.Sprintf(", %d in all", total)
		}
	}
	if dryRun {
		return fmt.Sprintf("Billing account %s would record %s now (%s); this was a dry run, nothing was recorded.",
			accountID, records, detail)
	}
	return fmt.Sprintf("Recorded %s for billing account %s (%s).", records, accountID, detail)
}
