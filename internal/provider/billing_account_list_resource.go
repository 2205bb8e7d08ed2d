package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

var (
	_ list.ListResource              = &BillingAccountListResource{}
	_ list.ListResourceWithConfigure = &BillingAccountListResource{}
)

// NewBillingAccountListResource returns the list resource of
// agilicus_billing_account, for `terraform query` (Terraform 1.14 and later).
func NewBillingAccountListResource() list.ListResource {
	return &BillingAccountListResource{}
}

// BillingAccountListResource finds existing billing accounts.
type BillingAccountListResource struct {
	data *providerData
}

// BillingAccountListModel maps the list block's config.
type BillingAccountListModel struct {
	CustomerID          types.String `tfsdk:"customer_id"`
	OrgID               types.String `tfsdk:"org_id"`
	IncludeCustomerData types.Bool   `tfsdk:"include_customer_data"`
}

// Metadata names the managed resource the list finds.
func (r *BillingAccountListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_account"
}

// ListResourceConfigSchema describes the list block's config.
func (r *BillingAccountListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds existing billing accounts, to import them with `terraform query " +
			"-generate-config-out`. Without filters it finds every account the token can see. The API's pages " +
			"are followed as results are needed and stop at the list block's `limit`.",
		Attributes: map[string]schema.Attribute{
			"customer_id": schema.StringAttribute{
				MarkdownDescription: "Only the account of this payment-backend customer.",
				Optional:            true,
				Validators:          []validator.String{idValidator{}},
			},
			"org_id": schema.StringAttribute{
				MarkdownDescription: "Only the account this organisation is attached to.",
				Optional:            true,
				Validators:          []validator.String{idValidator{}},
			},
			"include_customer_data": schema.BoolAttribute{
				MarkdownDescription: "Ask the API for each account's customer record from the payment backend, so " +
					"that results are named after the customer's name or email. Each account then costs the API a " +
					"lookup in the payment backend. When `false` or unset, results are named after the customer id, " +
					"or the account id for an account without one.",
				Optional: true,
			},
		},
	}
}

// Configure receives the API client.
func (r *BillingAccountListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// List streams the matching accounts page by page: each page's accounts
// are handed to Terraform before the next page is requested, so memory
// stays flat however many accounts there are, and no page is asked for
// once Terraform has as many results as its limit.
func (r *BillingAccountListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg BillingAccountListModel
	if !listConfig(ctx, req, r.data, &cfg, stream) {
		return
	}
	params := client.ListBillingAccountsParams{
		Limit:      int(req.Limit),
		CustomerID: cfg.CustomerID.ValueString(),
		OrgID:      cfg.OrgID.ValueString(),
		Include:    client.IncludeData{Customer: cfg.IncludeCustomerData.ValueBool()},
	}
	stream.Results = func(push func(list.ListResult) bool) {
		budget := resultBudget{limit: req.Limit}
		err := r.data.client.EachBillingAccount(ctx, params, func(page *client.ListBillingAccountsResponse) bool {
			for i := range page.BillingAccounts {
				if !budget.take() || !push(accountListResult(ctx, req, &page.BillingAccounts[i])) {
					return false
				}
			}
			return !budget.spent()
		})
		if err != nil {
			push(listError("Error listing billing accounts", err.Error()))
		}
	}
}

// accountListResult is one found account: its identity, a name a person
// recognises and, when asked for, the resource as a refresh after an
// import would hold it.
func accountListResult(ctx context.Context, req list.ListRequest, a *client.BillingAccount) list.ListResult {
	result := req.NewListResult(ctx)
	id := a.ID()
	if id == "" {
		result.Diagnostics.AddError("Unexpected answer listing billing accounts",
			"The API listed a billing account without an id, so it cannot be imported.")
		return result
	}
	result.DisplayName = accountDisplayName(a)
	result.Diagnostics.Append(result.Identity.Set(ctx, billingAccountIdentity{ID: types.StringValue(id)})...)
	if req.IncludeResource {
		var m BillingAccountResourceModel
		m.setFromAPI(a)
		// As after an import: protection is off until the configuration
		// turns it on.
		m.DeletionProtection = types.BoolValue(false)
		result.Diagnostics.Append(setResourceModel(ctx, result.Resource, &m, &m.Timeouts)...)
	}
	return result
}

// accountDisplayName names an account the way a person knows it: after its
// customer's name or email when the API sent the customer record, else
// after the customer id, else after the account id.
func accountDisplayName(a *client.BillingAccount) string {
	if a.Status != nil && a.Status.Customer != nil {
		switch c := a.Status.Customer; {
		case c.Name != "":
			return c.Name
		case c.Email != "":
			return c.Email
		}
	}
	if a.Spec != nil && a.Spec.CustomerID != "" {
		return a.Spec.CustomerID
	}
	return fmt.Sprintf("billing account %s", a.ID())
}
