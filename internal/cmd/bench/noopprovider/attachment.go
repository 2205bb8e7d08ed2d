package main

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// attachmentResource is noop_attachment, shaped like
// agilicus_billing_org_attachment without its timeouts block.
type attachmentResource struct{}

var _ resource.Resource = attachmentResource{}

func newAttachmentResource() resource.Resource { return attachmentResource{} }

type attachmentModel struct {
	ID               types.String `tfsdk:"id"`
	BillingAccountID types.String `tfsdk:"billing_account_id"`
	OrgID            types.String `tfsdk:"org_id"`
	Organisation     types.String `tfsdk:"organisation"`
	Subdomain        types.String `tfsdk:"subdomain"`
}

func (attachmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_attachment"
}

func (attachmentResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		Description: "Does nothing; shaped like agilicus_billing_org_attachment.",
		Attributes: map[string]schema.Attribute{
			"id":                 schema.StringAttribute{Computed: true, PlanModifiers: keep},
			"billing_account_id": schema.StringAttribute{Required: true, PlanModifiers: replace},
			"org_id":             schema.StringAttribute{Required: true, PlanModifiers: replace},
			"organisation":       schema.StringAttribute{Computed: true, PlanModifiers: keep},
			"subdomain":          schema.StringAttribute{Computed: true, PlanModifiers: keep},
		},
	}
}

// Create fills in the computed attributes as the Agilicus provider would:
// an id made of the two ids, and the org's name and subdomain (here made
// up from its id).
func (attachmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m attachmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.ID = types.StringValue(m.BillingAccountID.ValueString() + "/" + m.OrgID.ValueString())
	m.Organisation = types.StringValue("org " + m.OrgID.ValueString())
	m.Subdomain = types.StringValue("org-" + m.OrgID.ValueString())
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Read leaves the state as it is.
func (attachmentResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update is never planned (every argument forces a replacement), but the
// framework requires it: the planned values are the new state.
func (attachmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m attachmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Delete does nothing.
func (attachmentResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
