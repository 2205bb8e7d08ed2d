package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

const accountsPath = "/v1/billing_accounts"

// ListBillingAccountsParams filters a list of accounts. Zero values are not
// sent.
type ListBillingAccountsParams struct {
	// Limit is the maximum number of accounts (1..500); 0 uses the server default.
	Limit int
	// OrgID keeps only the accounts that organisation is attached to.
	OrgID string
	// CustomerID keeps only accounts with this payment-backend customer id.
	CustomerID string
	// Include asks for payment-backend data in each account's status.
	Include IncludeData
}

// IncludeData asks the server to fill payment-backend data into status.
type IncludeData struct {
	Customer      bool
	Subscriptions bool
}

func (i IncludeData) apply(q url.Values) {
	if i.Customer {
		q.Set("get_customer_data", "true")
	}
	if i.Subscriptions {
		q.Set("get_subscription_data", "true")
	}
}

// GetBillingAccountParams scopes a single-account read.
type GetBillingAccountParams struct {
	// OrgID scopes the request to that organisation.
	OrgID   string
	Include IncludeData
}

// ListBillingAccounts lists accounts matching p.
func (c *Client) ListBillingAccounts(ctx context.Context, p ListBillingAccountsParams) (*ListBillingAccountsResponse, error) {
	q := url.Values{}
	if err := setLimit(q, p.Limit); err != nil {
		return nil, err
	}
	if p.OrgID != "" {
		q.Set("org_id", p.OrgID)
	}
	if p.CustomerID != "" {
		q.Set("customer_id", p.CustomerID)
	}
	p.Include.apply(q)
	var out ListBillingAccountsResponse
	err := c.do(ctx, request{method: http.MethodGet, path: accountsPath, query: q, idempotent: true}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateBillingAccount creates an account with spec. Only the spec is sent:
// everything else is set by the server. The request is not idempotent; see
// the package documentation for what that means on failure.
func (c *Client) CreateBillingAccount(ctx context.Context, spec BillingAccountSpec) (*BillingAccount, error) {
	var out BillingAccount
	body := BillingAccount{Spec: &spec}
	if err := c.do(ctx, request{method: http.MethodPost, path: accountsPath, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetBillingAccount reads one account.
func (c *Client) GetBillingAccount(ctx context.Context, id string, p GetBillingAccountParams) (*BillingAccount, error) {
	path, err := accountPath(idSeg("billing account id", id))
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	if p.OrgID != "" {
		q.Set("org_id", p.OrgID)
	}
	p.Include.apply(q)
	var out BillingAccount
	if err := c.do(ctx, request{method: http.MethodGet, path: path, query: q, idempotent: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ReplaceBillingAccount replaces the account's spec with spec. Read-only
// metadata and the server-computed status are never sent.
func (c *Client) ReplaceBillingAccount(ctx context.Context, id string, spec BillingAccountSpec) (*BillingAccount, error) {
	path, err := accountPath(idSeg("billing account id", id))
	if err != nil {
		return nil, err
	}
	var out BillingAccount
	body := BillingAccount{Spec: &spec}
	if err := c.do(ctx, request{method: http.MethodPut, path: path, body: body, idempotent: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteBillingAccount deletes an account.
func (c *Client) DeleteBillingAccount(ctx context.Context, id string) error {
	path, err := accountPath(idSeg("billing account id", id))
	if err != nil {
		return err
	}
	return c.do(ctx, request{method: http.MethodDelete, path: path, idempotent: true}, nil)
}

// MaxLimit is the largest page the list endpoints accept.
const MaxLimit = 500

// setLimit adds limit to q, rejecting values the server would refuse.
func setLimit(q url.Values, limit int) error {
	if limit == 0 {
		return nil
	}
	if limit < 1 || limit > MaxLimit {
		return &InvalidLimitError{Limit: limit}
	}
	q.Set("limit", strconv.Itoa(limit))
	return nil
}

// InvalidLimitError reports a limit outside 1..MaxLimit, before any request.
type InvalidLimitError struct{ Limit int }

func (e *InvalidLimitError) Error() string {
	return "invalid limit " + strconv.Itoa(e.Limit) + ": must be between 1 and " + strconv.Itoa(MaxLimit)
}
