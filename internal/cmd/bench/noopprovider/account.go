package main

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// accountResource is noop_account, shaped like agilicus_billing_account
// without its timeouts block.
type accountResource struct{}

var _ resource.Resource = accountResource{}

func newAccountResource() resource.Resource { return accountResource{} }

type accountModel struct {
	ID                 types.String `tfsdk:"id"`
	CustomerID         types.String `tfsdk:"customer_id"`
	DevMode            types.Bool   `tfsdk:"dev_mode"`
	DeletionProtection types.Bool   `tfsdk:"deletion_protection"`
	Created            types.String `tfsdk:"created"`
	Updated            types.String `tfsdk:"updated"`
	OrgIDs             types.Set    `tfsdk:"org_ids"`
	Products           types.List   `tfsdk:"products"`
}

func (accountResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account"
}

func (accountResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Does nothing; shaped like agilicus_billing_account.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"customer_id": schema.StringAttribute{Optional: true},
			"dev_mode": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"deletion_protection": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"created": schema.StringAttribute{
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"updated":  schema.StringAttribute{Computed: true},
			"org_ids":  schema.SetAttribute{Computed: true, ElementType: types.StringType},
			"products": schema.ListAttribute{Computed: true, ElementType: types.StringType},
		},
	}
}

// Create fills in the computed attributes as the API would for a new
// account: a fresh id, the time, no orgs and no products.
func (accountResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m accountModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	now := types.StringValue(time.Now().UTC().Format(time.RFC3339))
	m.ID = types.StringValue(rand.Text())
	m.Created, m.Updated = now, now
	m.OrgIDs = types.SetValueMust(types.StringType, nil)
	m.Products = types.ListValueMust(types.StringType, nil)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Read leaves the state as it is: the framework has already copied the
// prior state into the response.
func (accountResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update takes the planned values; only updated is unknown in the plan.
func (accountResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m accountModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.Updated = types.StringValue(time.Now().UTC().Format(time.RFC3339))
	if m.OrgIDs.IsUnknown() {
		m.OrgIDs = types.SetValueMust(types.StringType, nil)
	}
	if m.Products.IsUnknown() {
		m.Products = types.ListValueMust(types.StringType, nil)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Delete does nothing; the framework removes the resource from the state.
func (accountResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
