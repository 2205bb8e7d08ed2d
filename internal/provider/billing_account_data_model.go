package provider

import (
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// billingAccountDataModel is what the account data sources report about one
// account: the resource's attributes plus payment-backend data.
type billingAccountDataModel struct {
	CustomerID      types.String `tfsdk:"customer_id"`
	DevMode         types.Bool   `tfsdk:"dev_mode"`
	Created         types.String `tfsdk:"created"`
	Updated         types.String `tfsdk:"updated"`
	OrgIDs          types.Set    `tfsdk:"org_ids"`
	Products        types.List   `tfsdk:"products"`
	Customer        types.Object `tfsdk:"customer"`
	Subscriptions   types.List   `tfsdk:"subscriptions"`
	SubscriptionIDs types.List   `tfsdk:"subscription_ids"`
}

var customerAttrTypes = map[string]attr.Type{
	"name":           types.StringType,
	"email":          types.StringType,
	"id":             types.StringType,
	"balance":        types.Int64Type,
	"created":        types.Int64Type,
	"currency":       types.StringType,
	"description":    types.StringType,
	"invoice_prefix": types.StringType,
	"livemode":       types.BoolType,
	"metadata":       types.MapType{ElemType: types.StringType},
	"phone":          types.StringType,
}

// newerAPIOnly ends the description of a field only newer API versions send.
const newerAPIOnly = " Sent by newer versions of the API only (SDK 1.405.8 and later); null otherwise."

// billingAccountDataAttributes are the computed attributes of
// billingAccountDataModel.
func billingAccountDataAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"customer_id": schema.StringAttribute{
			MarkdownDescription: "Id of the customer in the payment backend, if any.",
			Computed:            true,
		},
		"dev_mode": schema.BoolAttribute{
			MarkdownDescription: "Whether the account uses the payment backend's test environment.",
			Computed:            true,
		},
		"created": schema.StringAttribute{
			MarkdownDescription: "When the account was created (RFC 3339).",
			Computed:            true,
		},
		"updated": schema.StringAttribute{
			MarkdownDescription: "When the account was last changed (RFC 3339).",
			Computed:            true,
		},
		"org_ids": schema.SetAttribute{
			MarkdownDescription: "Ids of the organisations attached to the account.",
			Computed:            true,
			ElementType:         types.StringType,
		},
		"products": schema.ListAttribute{
			MarkdownDescription: "Names of the products the account is associated with, sorted.",
			Computed:            true,
			ElementType:         types.StringType,
		},
		"customer": schema.SingleNestedAttribute{
			MarkdownDescription: "The customer as the payment backend knows it. Null unless `include_customer_data` is `true` and the account has a customer.",
			Computed:            true,
			Attributes: map[string]schema.Attribute{
				"name":  schema.StringAttribute{MarkdownDescription: "The customer's name.", Computed: true},
				"email": schema.StringAttribute{MarkdownDescription: "The customer's email address.", Computed: true},
				"id": schema.StringAttribute{
					MarkdownDescription: "The customer's id in the payment backend." + newerAPIOnly, Computed: true,
				},
				"balance": schema.Int64Attribute{
					MarkdownDescription: "The customer's balance in the smallest unit of `currency`; negative is a credit." + newerAPIOnly, Computed: true,
				},
				"created": schema.Int64Attribute{
					MarkdownDescription: "When the payment backend created the customer, in seconds since the Unix epoch." + newerAPIOnly, Computed: true,
				},
				"currency": schema.StringAttribute{
					MarkdownDescription: "The customer's currency, an ISO 4217 code such as `usd`." + newerAPIOnly, Computed: true,
				},
				"description": schema.StringAttribute{
					MarkdownDescription: "The payment backend's description of the customer." + newerAPIOnly, Computed: true,
				},
				"invoice_prefix": schema.StringAttribute{
					MarkdownDescription: "The prefix of the customer's invoice numbers." + newerAPIOnly, Computed: true,
				},
				"livemode": schema.BoolAttribute{
					MarkdownDescription: "Whether the customer lives in the payment backend's live environment (`false` in test mode)." + newerAPIOnly, Computed: true,
				},
				"metadata": schema.MapAttribute{
					MarkdownDescription: "Key-value metadata the payment backend holds for the customer." + newerAPIOnly,
					Computed:            true, ElementType: types.StringType,
				},
				"phone": schema.StringAttribute{
					MarkdownDescription: "The customer's phone number." + newerAPIOnly, Computed: true,
				},
			},
		},
		"subscriptions": schema.ListAttribute{
			MarkdownDescription: "The customer's payment-backend subscriptions, each a JSON document: decode one with " +
				"`jsondecode()`. Their shape is the payment backend's. Null unless `include_subscription_data` is `true`.",
			Computed:    true,
			ElementType: types.StringType,
		},
		"subscription_ids": schema.ListAttribute{
			MarkdownDescription: "The `id` of each subscription that has one, in the order of `subscriptions`. Null unless `include_subscription_data` is `true`.",
			Computed:            true,
			ElementType:         types.StringType,
		},
	}
}

// setFromAPI fills the model from an account. includeSubscriptions tells
// an empty subscription list (known, none) from one not asked for (null).
func (m *billingAccountDataModel) setFromAPI(a *client.BillingAccount, includeSubscriptions bool) {
	m.CustomerID = accountCustomerID(a)
	m.DevMode = accountDevMode(a)
	m.Created = accountCreated(a)
	m.Updated = accountUpdated(a)
	m.OrgIDs = accountOrgIDs(a)
	m.Products = accountProducts(a)

	m.Customer = types.ObjectNull(customerAttrTypes)
	if a.Status != nil && a.Status.Customer != nil {
		m.Customer = customerValue(a.Status.Customer)
	}

	m.Subscriptions = types.ListNull(types.StringType)
	m.SubscriptionIDs = types.ListNull(types.StringType)
	if !includeSubscriptions {
		return
	}
	docs := []attr.Value{}
	ids := []attr.Value{}
	if a.Status != nil {
		for _, raw := range a.Status.Subscriptions {
			docs = append(docs, types.StringValue(string(raw)))
			var withID struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(raw, &withID) == nil && withID.ID != "" {
				ids = append(ids, types.StringValue(withID.ID))
			}
		}
	}
	m.Subscriptions = types.ListValueMust(types.StringType, docs)
	m.SubscriptionIDs = types.ListValueMust(types.StringType, ids)
}

// customerValue converts the payment backend's customer record.
func customerValue(c *client.BillingCustomer) types.Object {
	metadata := types.MapNull(types.StringType)
	if c.Metadata != nil {
		elems := make(map[string]attr.Value, len(c.Metadata))
		for k, v := range c.Metadata {
			elems[k] = types.StringValue(v)
		}
		metadata = types.MapValueMust(types.StringType, elems)
	}
	return types.ObjectValueMust(customerAttrTypes, map[string]attr.Value{
		"name":           stringOrNull(c.Name),
		"email":          stringOrNull(c.Email),
		"id":             stringOrNull(c.ID),
		"balance":        types.Int64PointerValue(c.Balance),
		"created":        types.Int64PointerValue(c.Created),
		"currency":       stringOrNull(c.Currency),
		"description":    stringOrNull(c.Description),
		"invoice_prefix": stringOrNull(c.InvoicePrefix),
		"livemode":       types.BoolPointerValue(c.Livemode),
		"metadata":       metadata,
		"phone":          stringOrNull(c.Phone),
	})
}
