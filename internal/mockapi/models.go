package mockapi

import (
	"encoding/json"
	"time"
)

// The JSON types below mirror the models of the Agilicus billing API as
// documented by the agilicus Python SDK 1.125.2, with the later changes up to
// SDK 1.405.8. Field names are the API's snake_case names.
// Optional fields whose zero value is meaningful (false, 0) are pointers so that
// "absent" survives a round trip; optional strings use omitempty, so an empty
// string and an absent field are the same thing to the mock.

// BillingAccount is the billing account resource.
type BillingAccount struct {
	Metadata MetadataWithID       `json:"metadata"`
	Spec     BillingAccountSpec   `json:"spec"`
	Status   BillingAccountStatus `json:"status"`
}

// MetadataWithID holds the server-assigned identity and timestamps of an object.
type MetadataWithID struct {
	ID      string    `json:"id,omitempty"`
	Created time.Time `json:"created,omitzero"`
	Updated time.Time `json:"updated,omitzero"`
}

// BillingAccountSpec holds the client-controlled settings of a billing
// account. The API lets every object carry undeclared properties, so the
// mock keeps every key a client sends: customer_id and dev_mode, which every
// generation declares, are typed fields; all other keys are in Extra.
type BillingAccountSpec struct {
	CustomerID *string `json:"customer_id,omitempty"`
	DevMode    *bool   `json:"dev_mode,omitempty"`
	// Extra maps every other key of spec to its value exactly as the client
	// sent it, byte for byte: undeclared keys, and also product_id,
	// license_constraints and constraint_variables, which generation 1.405.8
	// declares (and type-checks) but generation 1.125.2 does not know. Keys
	// named customer_id or dev_mode are ignored here: the typed fields win.
	// Values must be valid JSON.
	Extra map[string]json.RawMessage `json:"-"`
}

// BillingAccountStatus is what the server reports about a billing account.
// Orgs and Products are always present (possibly empty); Subscriptions and
// Customer are present only when the request asked for them.
type BillingAccountStatus struct {
	Orgs          []Organisation   `json:"orgs"`
	Subscriptions []map[string]any `json:"subscriptions,omitzero"`
	Customer      *BillingCustomer `json:"customer,omitempty"`
	Products      []BillingProduct `json:"products"`
}

// BillingCustomer is the payment-backend view of a customer. Generation
// 1.125.2 declares name and email only; the other fields, a mirror of
// Stripe's customer object, come with 1.405.8 and are absent in 1.125.2.
type BillingCustomer struct {
	ID            string            `json:"id,omitempty"`
	Name          string            `json:"name,omitempty"`
	Email         string            `json:"email,omitempty"`
	Balance       *int64            `json:"balance,omitempty"`
	Created       *int64            `json:"created,omitempty"`
	Currency      string            `json:"currency,omitempty"`
	Description   string            `json:"description,omitempty"`
	InvoicePrefix string            `json:"invoice_prefix,omitempty"`
	Livemode      *bool             `json:"livemode,omitempty"`
	Metadata      map[string]string `json:"metadata,omitempty"`
	Phone         string            `json:"phone,omitempty"`
}

// BillingProduct is a product a billing account is associated with.
type BillingProduct struct {
	Name string `json:"name,omitempty"`
}

// BillingOrg is the request body that attaches an org to a billing account.
// Cascade, declared from generation 1.405.8, also attaches every org below
// OrgID.
type BillingOrg struct {
	OrgID   string `json:"org_id,omitempty"`
	Cascade bool   `json:"cascade,omitempty"`
}

// BillingUsageRecord is the body and the result of creating a usage record.
// Quantity and Timestamp are chosen by the server.
type BillingUsageRecord struct {
	DryRun    bool  `json:"dry_run"`
	Quantity  int64 `json:"quantity"`
	Timestamp int64 `json:"timestamp"`
}

// CreateBillingUsageRecords is the result of creating usage records in
// generation 1.405.8: one record per subscription of the customer. (The
// request has the same shape, but the records a client sends are ignored:
// their fields are read-only.)
type CreateBillingUsageRecords struct {
	DryRun       bool          `json:"dry_run"`
	UsageRecords []UsageRecord `json:"usage_records"`
}

// BillingUsageSummary is one item of the usage-record list: the usage
// accumulated in one billing period (a calendar month, UTC).
type BillingUsageSummary struct {
	ID         string `json:"id"`
	Period     string `json:"period"`
	TotalUsage int64  `json:"total_usage"`
}

// UsageRecord is a usage record the mock has stored (dry runs are never stored).
type UsageRecord struct {
	Quantity  int64 `json:"quantity"`
	Timestamp int64 `json:"timestamp"`
}

// ListBillingAccountsResponse is the body of GET /v1/billing_accounts.
// PageAtID and PreviousID are the paging cursors of generation 1.405.8,
// always present there (empty at either end) and absent in 1.125.2.
type ListBillingAccountsResponse struct {
	Limit           int              `json:"limit"`
	BillingAccounts []BillingAccount `json:"billing_accounts"`
	PageAtID        *string          `json:"page_at_id,omitempty"`
	PreviousID      *string          `json:"previous_id,omitempty"`
}

// ListOrgsResponse is the body of the org list endpoints.
type ListOrgsResponse struct {
	Limit int            `json:"limit"`
	Orgs  []Organisation `json:"orgs"`
}

// ListBillingUsageRecordsResponse is the body of GET .../usage_records.
type ListBillingUsageRecordsResponse struct {
	Limit        int                   `json:"limit"`
	UsageRecords []BillingUsageSummary `json:"usage_records"`
}

// ErrorMessage is the body of every error response.
type ErrorMessage struct {
	Code    string `json:"error_code,omitempty"`
	Message string `json:"error_message,omitempty"`
}

// Organisation is an Agilicus org as the billing API returns it.
type Organisation struct {
	ID                           string              `json:"id,omitempty"`
	AllUsersGroupID              string              `json:"all_users_group_id,omitempty"`
	AllUsersAllSuborgsGroupID    string              `json:"all_users_all_suborgs_group_id,omitempty"`
	AllUsersDirectSuborgsGroupID string              `json:"all_users_direct_suborgs_group_id,omitempty"`
	AutoCreatedUsersGroupID      string              `json:"auto_created_users_group_id,omitempty"`
	ExternalID                   string              `json:"external_id,omitempty"`
	Organisation                 string              `json:"organisation,omitempty"`
	Issuer                       string              `json:"issuer,omitempty"`
	IssuerID                     string              `json:"issuer_id,omitempty"`
	Subdomain                    string              `json:"subdomain,omitempty"`
	NameSlug                     string              `json:"name_slug,omitempty"`
	Created                      time.Time           `json:"created,omitzero"`
	Updated                      time.Time           `json:"updated,omitzero"`
	ContactID                    string              `json:"contact_id,omitempty"`
	ContactEmail                 string              `json:"contact_email,omitempty"`
	ParentID                     string              `json:"parent_id,omitempty"`
	RootOrgID                    string              `json:"root_org_id,omitempty"`
	AutoCreate                   *bool               `json:"auto_create,omitempty"`
	TrustOnFirstUseDuration      *int64              `json:"trust_on_first_use_duration,omitempty"`
	FeatureFlags                 []FeatureFlag       `json:"feature_flags,omitempty"`
	AdminState                   string              `json:"admin_state,omitempty"`
	Status                       *OrganisationStatus `json:"status,omitempty"`
	BillingAccountID             string              `json:"billing_account_id,omitempty"`
}

// OrganisationStatus is the observed health and state of an org. The three
// flags are nullable: nil is encoded as JSON null.
type OrganisationStatus struct {
	AllUp        *bool  `json:"all_up"`
	AdminUp      *bool  `json:"admin_up"`
	IssuerUp     *bool  `json:"issuer_up"`
	CurrentState string `json:"current_state,omitempty"`
}

// FeatureFlag is a per-org feature switch.
type FeatureFlag struct {
	Feature string `json:"feature"`
	Enabled bool   `json:"enabled"`
	Setting string `json:"setting,omitempty"`
}

// Org admin states (OrganisationStateSelector and OrganisationStateStatus).
const (
	StateActive    = "active"
	StateSuspended = "suspended"
	StateDisabled  = "disabled"
	StateDeleted   = "deleted"
)
