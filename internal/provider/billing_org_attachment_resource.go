package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

var (
	_ resource.Resource                = &BillingOrgAttachmentResource{}
	_ resource.ResourceWithConfigure   = &BillingOrgAttachmentResource{}
	_ resource.ResourceWithImportState = &BillingOrgAttachmentResource{}
	_ resource.ResourceWithIdentity    = &BillingOrgAttachmentResource{}
)

// Default operation timeouts of agilicus_billing_org_attachment.
const (
	billingOrgAttachmentCreateTimeout = 5 * time.Minute
	billingOrgAttachmentDeleteTimeout = 5 * time.Minute
)

// attachmentIDFormat is the form of the resource's id and import id.
const attachmentIDFormat = "<billing_account_id>/<org_id>"

// NewBillingOrgAttachmentResource returns the agilicus_billing_org_attachment resource.
func NewBillingOrgAttachmentResource() resource.Resource {
	return &BillingOrgAttachmentResource{}
}

// BillingOrgAttachmentResource manages the attachment of one organisation to
// one billing account.
type BillingOrgAttachmentResource struct {
	data *providerData
}

// BillingOrgAttachmentResourceModel maps the resource's schema.
type BillingOrgAttachmentResourceModel struct {
	ID               types.String   `tfsdk:"id"`
	BillingAccountID types.String   `tfsdk:"billing_account_id"`
	OrgID            types.String   `tfsdk:"org_id"`
	Organisation     types.String   `tfsdk:"organisation"`
	Subdomain        types.String   `tfsdk:"subdomain"`
	Timeouts         timeouts.Value `tfsdk:"timeouts"`
}

// billingOrgAttachmentIdentity maps the resource's identity schema.
type billingOrgAttachmentIdentity struct {
	BillingAccountID types.String `tfsdk:"billing_account_id"`
	OrgID            types.String `tfsdk:"org_id"`
}

// Metadata sets the type name.
func (r *BillingOrgAttachmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_org_attachment"
}

// Schema describes the resource.
func (r *BillingOrgAttachmentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Attaches an existing Agilicus organisation to a billing account. " +
			"The organisation itself is not managed by this provider.\n\n" +
			"An organisation belongs to at most one billing account: attaching it to an account moves it " +
			"off any account it was on, so manage each organisation with a single attachment resource.\n\n" +
			"Destroying an attachment detaches the organisation only while it is still attached to *this* " +
			"billing account: the provider reads the account's organisations first and sends the detach only when " +
			"the organisation is there. If it has since moved to another account, destroying the old attachment " +
			"sends nothing and leaves it where it is. Moving an organisation between accounts (changing `billing_account_id`) " +
			"therefore works with and without `create_before_destroy`: with it, the organisation is first " +
			"attached to the new account and the removal of the old attachment then changes nothing.\n\n" +
			"If the billing account is deleted, or the organisation is detached or moved to another account outside Terraform, the " +
			"attachment leaves the state on the next refresh and the next apply attaches it again.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Id of the attachment: `" + attachmentIDFormat + "`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"billing_account_id": schema.StringAttribute{
				MarkdownDescription: "Id of the billing account to attach the organisation to. Changing it moves the organisation to the new account.",
				Required:            true,
				Validators:          []validator.String{idValidator{}},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"org_id": schema.StringAttribute{
				MarkdownDescription: "Id of the organisation to attach. The organisation must already exist.",
				Required:            true,
				Validators:          []validator.String{idValidator{}},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			// Attaching does not change an organisation's name or subdomain,
			// and a replacement plans them as unknown anyway, so the prior
			// value is the right plan when only the timeouts change.
			"organisation": schema.StringAttribute{
				MarkdownDescription: "Display name of the organisation, as of the last refresh.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"subdomain": schema.StringAttribute{
				MarkdownDescription: "DNS subdomain of the organisation, as of the last refresh.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Delete: true}),
		},
	}
}

// IdentitySchema describes the attachment's identity: the account and the
// organisation it links.
func (r *BillingOrgAttachmentResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"billing_account_id": identityschema.StringAttribute{
				Description:       "Id of the billing account the organisation is attached to.",
				RequiredForImport: true,
			},
			"org_id": identityschema.StringAttribute{
				Description:       "Id of the attached organisation.",
				RequiredForImport: true,
			},
		},
	}
}

// Configure receives the API client.
func (r *BillingOrgAttachmentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Create attaches the organisation, moving it off any other account.
func (r *BillingOrgAttachmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan BillingOrgAttachmentResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, billingOrgAttachmentCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	accountID, orgID := plan.BillingAccountID.ValueString(), plan.OrgID.ValueString()
	org, err := r.data.client.AddOrgToBillingAccount(ctx, accountID, orgID)
	switch {
	case err == nil:
		r.data.accountOrgs.attached(accountID, orgID)
	case client.IsNotFound(err):
		r.addNotFoundError(ctx, accountID, orgID, err, &resp.Diagnostics)
		return
	case client.MayHaveActed(err), client.IsConflict(err):
		// No clear answer came back, but the last attempt may have attached
		// the organisation; or the API refused to attach an organisation
		// that is already attached, perhaps to this very account (an attach
		// whose answer was lost in an earlier run). The account's org list
		// tells: on this account, the attachment exists and is this one.
		r.data.accountOrgs.attachUncertain(accountID, orgID)
		if found := r.findAfterAttach(ctx, accountID, orgID); found != nil {
			r.data.accountOrgs.attached(accountID, orgID)
			org, err = found, nil
		}
	default:
		// A failed request that the server turned away changed nothing, but
		// no org list fetched before it may answer a later read either way.
		r.data.accountOrgs.changed(accountID)
	}
	if err != nil {
		resp.Diagnostics.AddError("Error attaching organisation to billing account",
			fmt.Sprintf("Attaching organisation %q to billing account %q failed: %s", orgID, accountID, err))
		return
	}
	plan.setFromAPI(org)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan.identity())...)
}

// findAfterAttach looks for the organisation on the account after an
// attach whose outcome is not known. It runs even when Terraform has
// stopped the provider meanwhile, since the attach was already sent.
func (r *BillingOrgAttachmentResource) findAfterAttach(ctx context.Context, accountID, orgID string) *client.Organisation {
	ctx, cancel := r.data.client.RecoveryContext(ctx)
	defer cancel()
	found, err := r.data.accountOrgs.find(ctx, accountID, orgID)
	if err != nil {
		return nil
	}
	return found
}

// addNotFoundError explains a 404 from attaching. The API answers 404 both
// for a missing account and for a missing organisation, so the account is
// looked up to tell the user which of the two to fix.
func (r *BillingOrgAttachmentResource) addNotFoundError(ctx context.Context, accountID, orgID string, attachErr error, diags *diag.Diagnostics) {
	_, err := r.data.client.GetBillingAccount(ctx, accountID, client.GetBillingAccountParams{})
	switch {
	case client.IsNotFound(err):
		diags.AddAttributeError(path.Root("billing_account_id"), "Billing account not found",
			fmt.Sprintf("Billing account %q does not exist, so organisation %q cannot be attached to it.", accountID, orgID))
	case err == nil:
		diags.AddAttributeError(path.Root("org_id"), "Organisation not found",
			fmt.Sprintf("Organisation %q does not exist, so it cannot be attached to billing account %q.", orgID, accountID))
	default:
		diags.AddError("Error attaching organisation to billing account",
			fmt.Sprintf("Attaching organisation %q to billing account %q failed: %s\n\n"+
				"The billing account or the organisation does not exist; checking which one failed too: %s",
				orgID, accountID, attachErr, err))
	}
}

// Read refreshes the attachment. An attachment that no longer exists, because
// the organisation was detached or moved, or the account was deleted, leaves
// the state so that the next plan attaches it again.
func (r *BillingOrgAttachmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state BillingOrgAttachmentResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	accountID, orgID := state.BillingAccountID.ValueString(), state.OrgID.ValueString()
	// find shares one org-list request among concurrent reads of the same
	// account and, for an account whose list is cut at the API's limit,
	// asks which account the organisation is on instead.
	org, err := r.data.accountOrgs.find(ctx, accountID, orgID)
	if client.IsNotFound(err) {
		tflog.Info(ctx, "billing account no longer exists; removing the attachment from state",
			map[string]any{"billing_account_id": accountID, "org_id": orgID})
		resp.Diagnostics.Append(removeWithIdentity(ctx, resp, state.identity())...)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error reading organisation attachment",
			fmt.Sprintf("Reading the organisations of billing account %q failed: %s", accountID, err))
		return
	}
	if org == nil {
		tflog.Info(ctx, "organisation is no longer attached to the billing account; removing the attachment from state",
			map[string]any{"billing_account_id": accountID, "org_id": orgID})
		resp.Diagnostics.Append(removeWithIdentity(ctx, resp, state.identity())...)
		return
	}
	state.setFromAPI(org)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.identity())...)
}

// Update only stores new timeouts: every other input forces a replacement,
// and the computed values are planned from the prior state.
func (r *BillingOrgAttachmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state BillingOrgAttachmentResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID, plan.Organisation, plan.Subdomain = state.ID, state.Organisation, state.Subdomain
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.identity())...)
}

// Delete detaches the organisation from this account, and only from it.
// The API does not document what DELETE .../orgs/{org_id} does when the
// organisation is on another account: it may answer 404, or detach it from
// whichever account holds it. So the organisation is detached only when a
// read shows it on this very account; otherwise the attachment this
// resource stands for is already gone and nothing is sent. In particular,
// after the organisation moved to another account (for example by
// create_before_destroy replacing this attachment with one to the new
// account), deleting this attachment leaves it on the new account.
func (r *BillingOrgAttachmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state BillingOrgAttachmentResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, billingOrgAttachmentDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	accountID, orgID := state.BillingAccountID.ValueString(), state.OrgID.ValueString()
	// The read is shared with the other deletes of this account and knows of
	// every attach and detach this provider made since it was requested.
	org, err := r.data.accountOrgs.find(ctx, accountID, orgID)
	switch {
	case client.IsNotFound(err):
		tflog.Info(ctx, "billing account no longer exists; nothing to detach",
			map[string]any{"billing_account_id": accountID, "org_id": orgID})
		return
	case err != nil:
		resp.Diagnostics.AddError("Error detaching organisation from billing account",
			fmt.Sprintf("Checking whether organisation %q is still attached to billing account %q failed, so it was not "+
				"detached: %s", orgID, accountID, err))
		return
	case org == nil:
		tflog.Info(ctx, "organisation is not attached to the billing account; nothing to detach",
			map[string]any{"billing_account_id": accountID, "org_id": orgID})
		return
	}

	err = r.data.client.RemoveOrgFromBillingAccount(ctx, accountID, orgID)
	switch {
	case err == nil, client.IsNotFound(err):
		// Gone either way: detached now, or by someone else since the read.
		r.data.accountOrgs.detached(orgID)
	default:
		r.data.accountOrgs.changed(accountID)
		resp.Diagnostics.AddError("Error detaching organisation from billing account",
			fmt.Sprintf("Detaching organisation %q from billing account %q failed: %s", orgID, accountID, err))
	}
}

// ImportState imports an attachment by "<billing_account_id>/<org_id>", or
// by an identity naming both. The read that follows fails the import when
// the organisation is not attached to that account.
func (r *BillingOrgAttachmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	var identity billingOrgAttachmentIdentity
	if identityFrom(ctx, req.Identity, &identity, &resp.Diagnostics) {
		id = attachmentID(identity.BillingAccountID.ValueString(), identity.OrgID.ValueString())
	}
	if resp.Diagnostics.HasError() {
		return
	}
	accountID, orgID, err := parseAttachmentID(id)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Expected an id of the form %q, got %q: %s.", attachmentIDFormat, id, err))
		return
	}
	if r.data != nil && !r.checkImported(ctx, accountID, orgID, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), attachmentID(accountID, orgID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("billing_account_id"), accountID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("org_id"), orgID)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, billingOrgAttachmentIdentity{
		BillingAccountID: types.StringValue(accountID), OrgID: types.StringValue(orgID),
	})...)
}

// checkImported reports whether the organisation is attached to the
// account to import. When it is not, the error says where it is instead
// and which import id to use, rather than leaving Terraform to report a
// "non-existent remote object". Errors of the lookup itself are left to
// the read that follows the import.
func (r *BillingOrgAttachmentResource) checkImported(ctx context.Context, accountID, orgID string, diags *diag.Diagnostics) bool {
	org, err := r.data.accountOrgs.find(ctx, accountID, orgID)
	switch {
	case client.IsNotFound(err):
		diags.AddError("Cannot import organisation attachment",
			fmt.Sprintf("Billing account %q does not exist, so organisation %q cannot be attached to it.", accountID, orgID))
		return false
	case err != nil || org != nil:
		return true
	}
	holders, err := r.data.client.ListBillingAccounts(ctx, client.ListBillingAccountsParams{OrgID: orgID, Limit: 1})
	if err == nil && len(holders.BillingAccounts) == 1 && holders.BillingAccounts[0].ID() != "" {
		holder := holders.BillingAccounts[0].ID()
		diags.AddError("Cannot import organisation attachment",
			fmt.Sprintf("Organisation %q is attached to billing account %q, not to %q. To manage that attachment, "+
				"import it as %q (and set billing_account_id = %q).", orgID, holder, accountID, attachmentID(holder, orgID), holder))
		return false
	}
	diags.AddError("Cannot import organisation attachment",
		fmt.Sprintf("Organisation %q is not attached to billing account %q, nor to any other billing account this token "+
			"can see. To attach it, create the resource instead of importing it.", orgID, accountID))
	return false
}

// attachmentID is the id of the attachment of orgID to accountID.
func attachmentID(accountID, orgID string) string {
	return accountID + "/" + orgID
}

// parseAttachmentID splits an id made by attachmentID. Both parts must be
// valid API ids; as those never contain a slash, the split is unambiguous
// and attachmentID(parseAttachmentID(id)) == id for every accepted id.
func parseAttachmentID(id string) (accountID, orgID string, err error) {
	parts := strings.Split(id, "/")
	switch {
	case len(parts) < 2:
		return "", "", fmt.Errorf(`it has no "/"`)
	case len(parts) > 2:
		return "", "", fmt.Errorf(`it has %d "/" characters, want exactly one`, len(parts)-1)
	}
	for i, name := range []string{"billing_account_id", "org_id"} {
		if err := client.ValidateID(parts[i]); err != nil {
			return "", "", fmt.Errorf("%s %q %s", name, parts[i], err)
		}
	}
	return parts[0], parts[1], nil
}

// identity is the attachment's resource identity.
func (m *BillingOrgAttachmentResourceModel) identity() billingOrgAttachmentIdentity {
	return billingOrgAttachmentIdentity{BillingAccountID: m.BillingAccountID, OrgID: m.OrgID}
}

// setFromAPI stores what the API reports about the attached organisation.
// The id is built from the configured inputs, which identify the attachment
// whatever the organisation object holds.
func (m *BillingOrgAttachmentResourceModel) setFromAPI(org *client.Organisation) {
	m.ID = types.StringValue(attachmentID(m.BillingAccountID.ValueString(), m.OrgID.ValueString()))
	m.Organisation = stringOrNull(org.Organisation)
	m.Subdomain = stringOrNull(org.Subdomain)
}
