package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

const accountsPath = "/v1/billing_accounts"

// ListBillingAccountsParams filters a list of accounts. Zero values are not
// sent.
type ListBillingAccountsParams struct {
	// Limit is the most accounts to return; 0 returns every matching account.
	// Newer API versions answer in pages, which the client follows; older
	// ones answer at most MaxLimit accounts in all.
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

// ListBillingAccounts lists the accounts matching p, following the API's
// pages until p.Limit accounts (or all of them) are collected. The answer's
// Limit is the limit the API applied to the first page, and its cursors are
// empty.
func (c *Client) ListBillingAccounts(ctx context.Context, p ListBillingAccountsParams) (*ListBillingAccountsResponse, error) {
	out := &ListBillingAccountsResponse{BillingAccounts: []BillingAccount{}}
	first := true
	err := c.EachBillingAccount(ctx, p, func(page *ListBillingAccountsResponse) bool {
		if first {
			out.Limit, first = page.Limit, false
		}
		for i := range page.BillingAccounts {
			if p.Limit > 0 && len(out.BillingAccounts) == p.Limit {
				return false
			}
			out.BillingAccounts = append(out.BillingAccounts, page.BillingAccounts[i])
		}
		return p.Limit == 0 || len(out.BillingAccounts) < p.Limit
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EachBillingAccount hands each page of the accounts matching p to visit,
// following the API's page_at_id cursors, until the pages end, p.Limit
// accounts were handed over, or visit returns false.
func (c *Client) EachBillingAccount(ctx context.Context, p ListBillingAccountsParams, visit func(*ListBillingAccountsResponse) bool) error {
	q := url.Values{}
	if p.OrgID != "" {
		q.Set("org_id", p.OrgID)
	}
	if p.CustomerID != "" {
		q.Set("customer_id", p.CustomerID)
	}
	p.Include.apply(q)
	return eachPage(ctx, c, accountsPath, q, p.Limit,
		func(page *ListBillingAccountsResponse) (int, string) { return len(page.BillingAccounts), page.PageAtID },
		visit)
}

// CreateBillingAccount creates an account with spec. Only the spec is sent:
// everything else is set by the server. The request is not idempotent; see
// the package documentation for what that means on failure.
func (c *Client) CreateBillingAccount(ctx context.Context, spec BillingAccountSpec) (*BillingAccount, error) {
	var out BillingAccount
	body := BillingAccount{Spec: &spec}
	req := request{method: http.MethodPost, path: accountsPath, url: c.urlOf(accountsPath), body: body}
	status, err := c.do(ctx, req, &out)
	if err != nil {
		return nil, err
	}
	if out.ID() == "" {
		return nil, &UnexpectedAnswerError{Method: req.method, URL: req.url, StatusCode: status,
			Reason: "the answer names no billing account id, so the account that was created cannot be told"}
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
	req := request{method: http.MethodGet, path: path, url: c.urlOf(path), query: q, idempotent: true}
	status, err := c.do(ctx, req, &out)
	if err != nil {
		return nil, err
	}
	if err := checkAccountID(req, status, id, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ReplaceBillingAccount replaces the account's whole spec with spec.
// Read-only metadata and the server-computed status are never sent. A key
// of the current spec that spec lacks is erased by the API: to change some
// fields and keep the rest, use UpdateBillingAccountSpec.
func (c *Client) ReplaceBillingAccount(ctx context.Context, id string, spec BillingAccountSpec) (*BillingAccount, error) {
	path, err := accountPath(idSeg("billing account id", id))
	if err != nil {
		return nil, err
	}
	var out BillingAccount
	body := BillingAccount{Spec: &spec}
	req := request{method: http.MethodPut, path: path, url: c.urlOf(path), body: body, idempotent: true}
	status, err := c.do(ctx, req, &out)
	if err != nil {
		return nil, err
	}
	if err := checkAccountID(req, status, id, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateBillingAccountSpec changes an account's spec the way the official
// CLI does: it reads the account, lets change edit the spec as the server
// holds it, and replaces the spec with the result. Every key that change
// leaves alone, including keys this client does not model, goes back to the
// server as it came. The API offers no conditional update, so a change made
// by someone else between the read and the write is overwritten.
func (c *Client) UpdateBillingAccountSpec(ctx context.Context, id string, change func(*BillingAccountSpec)) (*BillingAccount, error) {
	current, err := c.GetBillingAccount(ctx, id, GetBillingAccountParams{})
	if err != nil {
		return nil, err
	}
	var spec BillingAccountSpec
	if current.Spec != nil {
		spec = *current.Spec
	}
	change(&spec)
	return c.ReplaceBillingAccount(ctx, id, spec)
}

// checkAccountID fails when an answer about one account names another: a
// misrouted or misbehaving server must not put another account in a state.
func checkAccountID(req request, status int, want string, got *BillingAccount) error {
	if got.ID() == want {
		return nil
	}
	reason := fmt.Sprintf("asked for billing account %q, the answer is about billing account %q", want, got.ID())
	if got.ID() == "" {
		reason = fmt.Sprintf("asked for billing account %q, the answer names no billing account", want)
	}
	return &UnexpectedAnswerError{Method: req.method, URL: req.url, StatusCode: status, Reason: reason}
}

// DeleteBillingAccount deletes an account.
func (c *Client) DeleteBillingAccount(ctx context.Context, id string) error {
	path, err := accountPath(idSeg("billing account id", id))
	if err != nil {
		return err
	}
	_, err = c.do(ctx, request{method: http.MethodDelete, path: path, idempotent: true}, nil)
	return err
}

// MaxLimit is the largest page the list endpoints accept.
const MaxLimit = 500

// InvalidLimitError reports a negative limit, before any request.
type InvalidLimitError struct{ Limit int }

func (e *InvalidLimitError) Error() string {
	return "invalid limit " + strconv.Itoa(e.Limit) + ": must not be negative"
}
