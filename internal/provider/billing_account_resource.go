package provider

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

var (
	_ resource.Resource                = &BillingAccountResource{}
	_ resource.ResourceWithConfigure   = &BillingAccountResource{}
	_ resource.ResourceWithImportState = &BillingAccountResource{}
	_ resource.ResourceWithModifyPlan  = &BillingAccountResource{}
	_ resource.ResourceWithIdentity    = &BillingAccountResource{}
)

// Default operation timeouts of agilicus_billing_account.
const (
	billingAccountCreateTimeout = 5 * time.Minute
	billingAccountUpdateTimeout = 5 * time.Minute
	billingAccountDeleteTimeout = 5 * time.Minute
)

// NewBillingAccountResource returns the agilicus_billing_account resource.
func NewBillingAccountResource() resource.Resource {
	return &BillingAccountResource{}
}

// BillingAccountResource manages one Agilicus billing account.
type BillingAccountResource struct {
	data *providerData
}

// BillingAccountResourceModel maps the resource's schema.
type BillingAccountResourceModel struct {
	ID                 types.String   `tfsdk:"id"`
	CustomerID         types.String   `tfsdk:"customer_id"`
	DevMode            types.Bool     `tfsdk:"dev_mode"`
	DeletionProtection types.Bool     `tfsdk:"deletion_protection"`
	Created            types.String   `tfsdk:"created"`
	Updated            types.String   `tfsdk:"updated"`
	OrgIDs             types.Set      `tfsdk:"org_ids"`
	Products           types.List     `tfsdk:"products"`
	Timeouts           timeouts.Value `tfsdk:"timeouts"`
}

// billingAccountIdentity maps the resource's identity schema.
type billingAccountIdentity struct {
	ID types.String `tfsdk:"id"`
}

// Metadata sets the type name.
func (r *BillingAccountResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_account"
}

// Schema describes the resource.
func (r *BillingAccountResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A billing account ties Agilicus organisations to a customer in the payment backend. " +
			"Attach organisations with `agilicus_billing_org_attachment`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Id of the billing account, assigned by the API.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"customer_id": schema.StringAttribute{
				MarkdownDescription: "Id of the customer in the payment backend. At most one billing account may " +
					"have a given customer id. Leave it out for an account without a customer; it must not be empty.",
				Optional: true,
				Validators: []validator.String{
					nonBlankString{},
					stringvalidator.LengthAtMost(client.MaxIDLength),
				},
			},
			"dev_mode": schema.BoolAttribute{
				MarkdownDescription: "Whether the account uses the payment backend's test environment instead of the live one. Defaults to `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"deletion_protection": schema.BoolAttribute{
				MarkdownDescription: "While `true`, any plan that would delete this account (`terraform destroy`, removing the resource " +
					"from the configuration) fails at plan time, before anything is changed, so the organisations attached " +
					"to it stay attached too. Held by the provider only; the API does not know it. Defaults to `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"created": schema.StringAttribute{
				MarkdownDescription: "When the account was created (RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			// updated is unknown in a plan only when the update sends a
			// spec (ModifyPlan); org_ids and products are what the last
			// refresh read, which an update of the spec does not change.
			"updated": schema.StringAttribute{
				MarkdownDescription: "When the account was last changed (RFC 3339).",
				Computed:            true,
			},
			"org_ids": schema.SetAttribute{
				MarkdownDescription: "Ids of the organisations currently attached to the account, as of the last refresh.",
				Computed:            true,
				ElementType:         types.StringType,
				PlanModifiers:       []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
			},
			"products": schema.ListAttribute{
				MarkdownDescription: "Names of the products the account is associated with, sorted, as of the last refresh.",
				Computed:            true,
				ElementType:         types.StringType,
				PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

// IdentitySchema describes the account's identity: its API id.
func (r *BillingAccountResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       "Id of the billing account, assigned by the API.",
				RequiredForImport: true,
			},
		},
	}
}

// Configure receives the API client.
func (r *BillingAccountResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses, at plan time, to delete a protected account. Failing
// the plan rather than the delete matters: by the time the delete of the
// account runs, Terraform has already detached the organisations that depend
// on it.
//
// For an update that sends nothing (only deletion_protection or timeouts
// changed), it plans updated as it is, so the plan shows no value that is
// "known after apply".
func (r *BillingAccountResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return
	}
	var state BillingAccountResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.Plan.Raw.IsNull() {
		if state.DeletionProtection.ValueBool() {
			resp.Diagnostics.AddError("Billing account is protected from deletion", deletionProtectedDetail(state.ID.ValueString()))
		}
		return
	}
	var plan BillingAccountResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.CustomerID.IsUnknown() || plan.DevMode.IsUnknown() {
		return
	}
	if !plan.specDiffers(state) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("updated"), state.Updated)...)
	}
}

// Create creates the account.
func (r *BillingAccountResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan BillingAccountResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, billingAccountCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	account, err := createAccount(ctx, r.data.client, plan.spec())
	if err != nil {
		var exists *errAccountExists
		if errors.As(err, &exists) && exists.existingID != "" {
			resp.Diagnostics.AddAttributeError(path.Root("customer_id"), "Billing account already exists",
				fmt.Sprintf("Billing account %q already has customer_id %q, and a customer can have only one billing account.\n\n"+
					"To manage that account with Terraform, import it:\n\n"+
					"  terraform import <resource address> %s\n\n"+
					"or add an import block:\n\n"+
					"  import {\n    to = <resource address>\n    id = %q\n  }",
					exists.existingID, exists.customerID, exists.existingID, exists.existingID))
			return
		}
		resp.Diagnostics.AddError("Error creating billing account", err.Error())
		return
	}
	plan.setFromAPI(account)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, billingAccountIdentity{ID: plan.ID})...)
}

// Read refreshes the account; an account deleted outside Terraform leaves
// the state so that the next plan creates it again.
func (r *BillingAccountResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state BillingAccountResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	account, err := r.read(ctx, state.ID.ValueString())
	if client.IsNotFound(err) {
		resp.Diagnostics.Append(removeWithIdentity(ctx, resp, billingAccountIdentity{ID: state.ID})...)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error reading billing account", err.Error())
		return
	}
	state.setFromAPI(account)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, billingAccountIdentity{ID: state.ID})...)
}

// read reads the account from a shared listing when one may answer for it,
// otherwise from the API. Only the API's own 404 says it is gone.
func (r *BillingAccountResource) read(ctx context.Context, id string) (*client.BillingAccount, error) {
	if account, ok := r.data.accounts.account(ctx, id); ok {
		return account, nil
	}
	return r.data.client.GetBillingAccount(ctx, id, client.GetBillingAccountParams{})
}

// Update changes the account's spec in place when the spec the plan asks
// for differs from the state's, keeping every other key of the spec; a
// change of the provider's own settings alone (deletion_protection,
// timeouts) needs no API call.
func (r *BillingAccountResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state BillingAccountResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, billingAccountIdentity{ID: state.ID})...)
	if !plan.specDiffers(state) {
		plan.copyServerFields(state)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, billingAccountUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	// Read, change, write back: the PUT replaces the whole spec, and keys
	// this provider does not manage (product_id, license_constraints, ...)
	// must go back as the server holds them.
	account, err := r.data.client.UpdateBillingAccountSpec(ctx, state.ID.ValueString(), plan.applyTo)
	r.data.accounts.changed(state.ID.ValueString())
	switch {
	case client.IsNotFound(err):
		resp.Diagnostics.AddError("Billing account no longer exists",
			fmt.Sprintf("Billing account %q was deleted outside Terraform during this run. Run terraform apply again to create it anew.", state.ID.ValueString()))
		return
	case client.IsConflict(err):
		msg := fmt.Sprintf("Another billing account already has customer_id %q.", plan.CustomerID.ValueString())
		if other, lookupErr := findAccountByCustomerID(ctx, r.data.client, plan.CustomerID.ValueString()); lookupErr == nil && other != nil {
			msg = fmt.Sprintf("Billing account %q already has customer_id %q, and a customer can have only one billing account.",
				other.ID(), plan.CustomerID.ValueString())
		}
		resp.Diagnostics.AddAttributeError(path.Root("customer_id"), "Customer id already in use", msg)
		return
	case err != nil:
		resp.Diagnostics.AddError("Error updating billing account", err.Error())
		return
	}
	plan.ID = state.ID
	plan.setFromAPI(account)
	// As planned: the organisations and products of the last refresh. The
	// next refresh reads them again.
	plan.OrgIDs, plan.Products = state.OrgIDs, state.Products
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete deletes the account unless deletion protection is on. An account
// that is already gone counts as deleted.
func (r *BillingAccountResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state BillingAccountResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.DeletionProtection.ValueBool() {
		// The plan already refuses this; a delete can still arrive from a plan
		// made by another provider version.
		resp.Diagnostics.AddError("Billing account is protected from deletion", deletionProtectedDetail(state.ID.ValueString()))
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, billingAccountDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	err := r.data.client.DeleteBillingAccount(ctx, state.ID.ValueString())
	r.data.accounts.changed(state.ID.ValueString())
	if err != nil && !client.IsNotFound(err) {
		resp.Diagnostics.AddError("Error deleting billing account", err.Error())
	}
}

// ImportState imports an account by its id, given as the import id or as
// the identity's id. Deletion protection is off after import, as it is by
// default after create.
func (r *BillingAccountResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	var identity billingAccountIdentity
	if identityFrom(ctx, req.Identity, &identity, &resp.Diagnostics) {
		id = identity.ID.ValueString()
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if err := client.ValidateID(id); err != nil {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Expected the id of a billing account, got %q: it %s.", id, err))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("deletion_protection"), false)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, billingAccountIdentity{ID: types.StringValue(id)})...)
}

func deletionProtectedDetail(id string) string {
	return fmt.Sprintf("Billing account %q has deletion_protection = true, so nothing was changed. Either:\n\n"+
		"- delete it: put its resource block back if you removed it, set deletion_protection = false and run "+
		"terraform apply, then remove the block (or run terraform destroy); or\n"+
		"- stop managing it without deleting it (it stays on the API): in place of its resource block, add\n\n"+
		"    removed {\n"+
		"      from = <resource address>\n"+
		"      lifecycle {\n"+
		"        destroy = false\n"+
		"      }\n"+
		"    }\n\n"+
		"  and run terraform apply (Terraform 1.7 or later, OpenTofu 1.10 or later).", id)
}

// spec is the API spec the model asks for.
func (m *BillingAccountResourceModel) spec() client.BillingAccountSpec {
	devMode := m.DevMode.ValueBool()
	return client.BillingAccountSpec{CustomerID: m.CustomerID.ValueString(), DevMode: &devMode}
}

// specDiffers reports whether the API spec m asks for differs from the one
// prior asks for. The whole spec is compared, so an attribute added to
// spec() is sent on update without anything else to change.
func (m *BillingAccountResourceModel) specDiffers(prior BillingAccountResourceModel) bool {
	return !reflect.DeepEqual(m.spec(), prior.spec())
}

// applyTo sets the fields this resource manages in a spec read from the
// API, leaving every other key of it as it is.
func (m *BillingAccountResourceModel) applyTo(spec *client.BillingAccountSpec) {
	managed := m.spec()
	spec.CustomerID, spec.DevMode = managed.CustomerID, managed.DevMode
}

// setFromAPI stores what the API reports.
func (m *BillingAccountResourceModel) setFromAPI(a *client.BillingAccount) {
	m.ID = types.StringValue(a.ID())
	m.CustomerID = accountCustomerID(a)
	m.DevMode = accountDevMode(a)
	m.Created = accountCreated(a)
	m.Updated = accountUpdated(a)
	m.OrgIDs = accountOrgIDs(a)
	m.Products = accountProducts(a)
}

// copyServerFields keeps the server-reported values of prior state.
func (m *BillingAccountResourceModel) copyServerFields(prior BillingAccountResourceModel) {
	m.ID, m.Created, m.Updated, m.OrgIDs, m.Products = prior.ID, prior.Created, prior.Updated, prior.OrgIDs, prior.Products
}
