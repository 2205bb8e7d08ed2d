package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// BillingAccount ties one or more organisations to a customer in the payment
// backend. Metadata and Status are set by the server.
type BillingAccount struct {
	Metadata *MetadataWithID       `json:"metadata,omitempty"`
	Spec     *BillingAccountSpec   `json:"spec,omitempty"`
	Status   *BillingAccountStatus `json:"status,omitempty"`
}

// ID returns the server-assigned id of the account, or "" when absent.
func (a *BillingAccount) ID() string {
	if a == nil || a.Metadata == nil {
		return ""
	}
	return a.Metadata.ID
}

// MetadataWithID holds the server-assigned identity and timestamps.
type MetadataWithID struct {
	ID      string `json:"id,omitempty"`
	Created string `json:"created,omitempty"`
	Updated string `json:"updated,omitempty"`
}

// BillingAccountSpec holds the client-controlled settings of an account.
//
// The API's spec has grown fields this client does not model (product_id,
// license_constraints, constraint_variables, and more to come), and the API
// accepts undeclared keys. Extra keeps every such key exactly as the server
// sent it, so a read-modify-write (GetBillingAccount, change CustomerID or
// DevMode, ReplaceBillingAccount) hands them back untouched: a PUT replaces
// the whole spec, and a key left out of it would be erased.
type BillingAccountSpec struct {
	// CustomerID is the customer's id in the payment backend; empty means absent.
	CustomerID string
	// DevMode selects the payment backend's test environment. Nil means absent.
	DevMode *bool
	// Extra holds every other key of the spec, with its JSON value as sent.
	Extra map[string]json.RawMessage
}

// Keys of BillingAccountSpec that have fields of their own.
const (
	specCustomerID = "customer_id"
	specDevMode    = "dev_mode"
)

// MarshalJSON writes the modelled fields next to the extra keys.
func (s BillingAccountSpec) MarshalJSON() ([]byte, error) {
	out := make(map[string]json.RawMessage, len(s.Extra)+2)
	for k, v := range s.Extra {
		if k == specCustomerID || k == specDevMode {
			continue
		}
		out[k] = v
	}
	if s.CustomerID != "" {
		v, err := json.Marshal(s.CustomerID)
		if err != nil {
			return nil, err
		}
		out[specCustomerID] = v
	}
	if s.DevMode != nil {
		out[specDevMode] = json.RawMessage(strconv.FormatBool(*s.DevMode))
	}
	return marshalVerbatim(out)
}

// marshalVerbatim encodes v like json.Marshal, but leaves <, > and & as they
// are, so values kept from an answer go back to the server unchanged.
func marshalVerbatim(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads the modelled fields and keeps every other key.
func (s *BillingAccountSpec) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	var spec BillingAccountSpec
	for k, v := range raw {
		var err error
		switch k {
		case specCustomerID:
			var id *string
			err = json.Unmarshal(v, &id)
			if id != nil {
				spec.CustomerID = *id
			}
		case specDevMode:
			err = json.Unmarshal(v, &spec.DevMode)
		default:
			if spec.Extra == nil {
				spec.Extra = map[string]json.RawMessage{}
			}
			spec.Extra[k] = append(json.RawMessage(nil), v...)
		}
		if err != nil {
			return fmt.Errorf("spec.%s: %w", k, err)
		}
	}
	*s = spec
	return nil
}

// BillingAccountStatus is what the server reports about an account.
type BillingAccountStatus struct {
	Orgs []Organisation `json:"orgs,omitempty"`
	// Subscriptions are free-form payment-backend objects; filled only when
	// subscription data is requested.
	Subscriptions []json.RawMessage `json:"subscriptions,omitempty"`
	// Customer is filled only when customer data is requested.
	Customer *BillingCustomer `json:"customer,omitempty"`
	Products []BillingProduct `json:"products,omitempty"`
}

// BillingCustomer is the payment backend's view of the customer. Name and
// Email are in every API version; the other fields mirror the payment
// backend's customer object and are sent only by newer versions of the API.
type BillingCustomer struct {
	Name          string            `json:"name,omitempty"`
	Email         string            `json:"email,omitempty"`
	ID            string            `json:"id,omitempty"`
	Balance       *int64            `json:"balance,omitempty"`
	Created       *int64            `json:"created,omitempty"`
	Currency      string            `json:"currency,omitempty"`
	Description   string            `json:"description,omitempty"`
	InvoicePrefix string            `json:"invoice_prefix,omitempty"`
	Livemode      *bool             `json:"livemode,omitempty"`
	Metadata      map[string]string `json:"metadata,omitempty"`
	Phone         string            `json:"phone,omitempty"`
}

// BillingProduct is a product an account is associated with.
type BillingProduct struct {
	Name string `json:"name,omitempty"`
}

// BillingOrg is the body that attaches an organisation to an account. The
// schema marks org_id read-only, but the server needs it in the body.
type BillingOrg struct {
	OrgID string `json:"org_id"`
}

// BillingUsageRecord is one usage record the server computed. Quantity and
// Timestamp are set by the server and never sent.
type BillingUsageRecord struct {
	Quantity  *int64 `json:"quantity,omitempty"`
	Timestamp *int64 `json:"timestamp,omitempty"`
}

// usageRecordRequest is what a client may send: only dry_run is writable.
// Both API generations accept it: older ones take a BillingUsageRecord,
// newer ones a CreateBillingUsageRecords whose usage_records may be absent.
type usageRecordRequest struct {
	DryRun bool `json:"dry_run"`
}

// UsageRecordResult is what a request to record usage produced.
type UsageRecordResult struct {
	// Records are the records the server computed, and stored unless the
	// request was a dry run. Empty when there was nothing to record.
	Records []BillingUsageRecord
	// NothingToRecord is true when the server said so explicitly: newer API
	// versions answer 204 No Content when the customer has no subscriptions
	// or no active resources.
	NothingToRecord bool
}

// BillingUsageSummary is one item of the usage-record list. Real responses
// carry id and period beyond the published schema; their JSON type is not
// documented, so they are kept as lenient strings.
type BillingUsageSummary struct {
	ID         FlexString `json:"id,omitempty"`
	Period     FlexString `json:"period,omitempty"`
	TotalUsage *int64     `json:"total_usage,omitempty"`
}

// ListBillingAccountsResponse is the result of listing accounts.
type ListBillingAccountsResponse struct {
	Limit           int              `json:"limit"`
	BillingAccounts []BillingAccount `json:"billing_accounts"`
	// PageAtID, in newer API versions, is the cursor of the next page;
	// empty on the last page and in versions that do not page.
	PageAtID string `json:"page_at_id,omitempty"`
	// PreviousID is the cursor of the previous page; empty on the first.
	PreviousID string `json:"previous_id,omitempty"`
}

// ListOrgsResponse is the result of listing an account's organisations.
type ListOrgsResponse struct {
	Limit int            `json:"limit"`
	Orgs  []Organisation `json:"orgs"`
	// PageAtID is the cursor of the next page, should the API page this
	// list as it pages the account list.
	PageAtID string `json:"page_at_id,omitempty"`
}

// ListBillingUsageRecordsResponse is the result of listing usage records.
type ListBillingUsageRecordsResponse struct {
	Limit        int                   `json:"limit"`
	UsageRecords []BillingUsageSummary `json:"usage_records"`
	// PageAtID is the cursor of the next page, should the API page this
	// list as it pages the account list.
	PageAtID string `json:"page_at_id,omitempty"`
}

// ErrorMessage is the API's error body.
type ErrorMessage struct {
	ErrorCode    string `json:"error_code,omitempty"`
	ErrorMessage string `json:"error_message,omitempty"`
}

// Organisation is an Agilicus organisation as returned by the billing API.
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
	Created                      string              `json:"created,omitempty"`
	Updated                      string              `json:"updated,omitempty"`
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

// OrganisationStatus is the observed health and state of an organisation.
// The three flags are nullable in the API.
type OrganisationStatus struct {
	AllUp        *bool  `json:"all_up,omitempty"`
	AdminUp      *bool  `json:"admin_up,omitempty"`
	IssuerUp     *bool  `json:"issuer_up,omitempty"`
	CurrentState string `json:"current_state,omitempty"`
}

// FeatureFlag is a per-organisation feature switch.
type FeatureFlag struct {
	Feature string `json:"feature"`
	Enabled bool   `json:"enabled"`
	Setting string `json:"setting,omitempty"`
}

// FlexString decodes any JSON value: strings as themselves, null as empty,
// and anything else as its compact JSON text. It exists for response keys
// whose type the API does not document.
type FlexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *FlexString) UnmarshalJSON(data []byte) error {
	trimmed := bytes.TrimSpace(data)
	switch {
	case bytes.Equal(trimmed, []byte("null")):
		*f = ""
	case len(trimmed) > 0 && trimmed[0] == '"':
		var s string
		if err := json.Unmarshal(trimmed, &s); err != nil {
			return err
		}
		*f = FlexString(s)
	default:
		var buf bytes.Buffer
		if err := json.Compact(&buf, trimmed); err != nil {
			return err
		}
		*f = FlexString(buf.String())
	}
	return nil
}
