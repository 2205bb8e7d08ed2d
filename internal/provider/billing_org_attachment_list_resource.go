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
	_ list.ListResource              = &BillingOrgAttachmentListResource{}
	_ list.ListResourceWithConfigure = &BillingOrgAttachmentListResource{}
)

// NewBillingOrgAttachmentListResource returns the list resource of
// agilicus_billing_org_attachment, for `terraform query` (Terraform 1.14
// and later).
func NewBillingOrgAttachmentListResource() list.ListResource {
	return &BillingOrgAttachmentListResource{}
}

// BillingOrgAttachmentListResource finds existing attachments of
// organisations to billing accounts.
type BillingOrgAttachmentListResource struct {
	data *providerData
}

// BillingOrgAttachmentListModel maps the list block's config.
type BillingOrgAttachmentListModel struct {
	BillingAccountID types.String `tfsdk:"billing_account_id"`
	OrgID            types.String `tfsdk:"org_id"`
}

// Metadata names the managed resource the list finds.
func (r *BillingOrgAttachmentListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_org_attachment"
}

// ListResourceConfigSchema describes the list block's config.
func (r *BillingOrgAttachmentListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds existing attachments of organisations to billing accounts, to import them " +
			"with `terraform query -generate-config-out`. Without filters it finds every attachment of every " +
			"account the token can see: the accounts are listed page by page, and each account's organisations " +
			"come with it (an account with more organisations than the API lists at once costs one more request).",
		Attributes: map[string]schema.Attribute{
			"billing_account_id": schema.StringAttribute{
				MarkdownDescription: "Only the attachments of this billing account.",
				Optional:            true,
				Validators:          []validator.String{idValidator{}},
			},
			"org_id": schema.StringAttribute{
				MarkdownDescription: "Only the attachment of this organisation (an organisation is on at most one account).",
				Optional:            true,
				Validators:          []validator.String{idValidator{}},
			},
		},
	}
}

// Configure receives the API client.
func (r *BillingOrgAttachmentListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// List streams the matching attachments. With billing_account_id, the
// account's organisation list is read; otherwise the accounts are listed
// page by page (only the one holding org_id, when it is set), and each
// page's attachments are handed to Terraform before the next page is
// requested.
func (r *BillingOrgAttachmentListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg BillingOrgAttachmentListModel
	if !listConfig(ctx, req, r.data, &cfg, stream) {
		return
	}
	l := attachmentLister{ctx: ctx, req: req, client: r.data.client, orgID: cfg.OrgID.ValueString(),
		budget: resultBudget{limit: req.Limit}}
	stream.Results = func(push func(list.ListResult) bool) {
		l.push = push
		var err error
		if accountID := cfg.BillingAccountID.ValueString(); accountID != "" {
			err = l.account(accountID)
		} else {
			err = l.accounts()
		}
		if err != nil {
			push(listError("Error listing organisation attachments", err.Error()))
		}
	}
}

// attachmentLister pushes the attachments of one listing.
type attachmentLister struct {
	ctx    context.Context
	req    list.ListRequest
	client *client.Client
	orgID  string
	budget resultBudget
	push   func(list.ListResult) bool
	// stopped is set once Terraform wants no more results.
	stopped bool
}

// account pushes the attachments of one account, named by id.
func (l *attachmentLister) account(accountID string) error {
	orgs, err := l.client.ListBillingAccountOrgs(l.ctx, accountID, 0)
	if client.IsNotFound(err) {
		return fmt.Errorf("billing account %q does not exist", accountID)
	}
	if err != nil {
		return err
	}
	acc := &client.BillingAccount{Metadata: &client.MetadataWithID{ID: accountID}}
	l.orgs(acc, orgs.Orgs)
	return nil
}

// accounts pushes the attachments of every listed account, page by page.
func (l *attachmentLister) accounts() error {
	return l.client.EachBillingAccount(l.ctx, client.ListBillingAccountsParams{OrgID: l.orgID},
		func(page *client.ListBillingAccountsResponse) bool {
			for i := range page.BillingAccounts {
				if l.stopped {
					return false
				}
				acc := &page.BillingAccounts[i]
				orgs, whole := embeddedOrgs(acc)
				if !whole {
					all, err := l.client.ListBillingAccountOrgs(l.ctx, acc.ID(), 0)
					switch {
					case client.IsNotFound(err):
						// Deleted since the page was listed: it has no
						// attachments any more.
						continue
					case err != nil:
						l.push(listError("Error listing organisation attachments",
							fmt.Sprintf("Listing the organisations of billing account %q failed: %s", acc.ID(), err)))
						return false
					}
					orgs = all.Orgs
				}
				if !l.orgs(acc, orgs) {
					return false
				}
			}
			return !l.stopped
		})
}

// orgs pushes the attachments of acc's organisations that match the
// filter, and reports whether Terraform wants more.
func (l *attachmentLister) orgs(acc *client.BillingAccount, orgs []client.Organisation) bool {
	for i := range orgs {
		if l.stopped {
			return false
		}
		org := &orgs[i]
		if org.ID == "" || (l.orgID != "" && org.ID != l.orgID) {
			continue
		}
		if !l.budget.take() || !l.push(attachmentListResult(l.ctx, l.req, acc, org)) || l.budget.spent() {
			l.stopped = true
		}
	}
	return !l.stopped
}

// attachmentListResult is one found attachment: its identity, a name
// naming the organisation and the account, and, when asked for, the
// resource as a refresh after an import would hold it.
func attachmentListResult(ctx context.Context, req list.ListRequest, acc *client.BillingAccount, org *client.Organisation) list.ListResult {
	result := req.NewListResult(ctx)
	accountID := acc.ID()
	result.DisplayName = fmt.Sprintf("%s on %s", orgDisplayName(org), accountLabel(acc))
	m := BillingOrgAttachmentResourceModel{
		BillingAccountID: types.StringValue(accountID),
		OrgID:            types.StringValue(org.ID),
	}
	m.setFromAPI(org)
	result.Diagnostics.Append(result.Identity.Set(ctx, m.identity())...)
	if req.IncludeResource {
		result.Diagnostics.Append(setResourceModel(ctx, result.Resource, &m, &m.Timeouts)...)
	}
	return result
}

// orgDisplayName names an organisation after its name and id.
func orgDisplayName(org *client.Organisation) string {
	if org.Organisation != "" {
		return fmt.Sprintf("%s (%s)", org.Organisation, org.ID)
	}
	return "organisation " + org.ID
}

// accountLabel names a billing account by id, with its customer when known.
func accountLabel(acc *client.BillingAccount) string {
	label := "billing account " + acc.ID()
	if acc.Spec != nil && acc.Spec.CustomerID != "" {
		label += " (" + accountDisplayName(acc) + ")"
	}
	return label
}
