package client

import (
	"context"
	"net/http"
	"net/url"
)

// ListBillingAccountOrgs lists the organisations attached to an account, up
// to limit (1..500; 0 uses the server default of 500). The API has no
// cursor: an account with more organisations than the limit is truncated.
func (c *Client) ListBillingAccountOrgs(ctx context.Context, accountID string, limit int) (*ListOrgsResponse, error) {
	path, err := accountPath(idSeg("billing account id", accountID), lit("orgs"))
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	if err := setLimit(q, limit); err != nil {
		return nil, err
	}
	var out ListOrgsResponse
	if err := c.do(ctx, request{method: http.MethodGet, path: path, query: q, idempotent: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AddOrgToBillingAccount attaches an organisation to an account and returns
// the organisation. An organisation belongs to at most one account, so this
// moves it from any other. Attaching twice has the same effect as once, so
// the request is retried like an idempotent one.
func (c *Client) AddOrgToBillingAccount(ctx context.Context, accountID, orgID string) (*Organisation, error) {
	path, err := accountPath(idSeg("billing account id", accountID), lit("orgs"))
	if err != nil {
		return nil, err
	}
	if err := ValidateID(orgID); err != nil {
		return nil, &InvalidIDError{Name: "org id", ID: orgID, Reason: err.Error()}
	}
	var out Organisation
	req := request{method: http.MethodPost, path: path, body: BillingOrg{OrgID: orgID}, idempotent: true}
	if err := c.do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RemoveOrgFromBillingAccount detaches an organisation from an account. The
// API answers 404 when the organisation is not attached to this account, so
// a stale detach never touches an attachment to another account.
func (c *Client) RemoveOrgFromBillingAccount(ctx context.Context, accountID, orgID string) error {
	path, err := accountPath(idSeg("billing account id", accountID), lit("orgs"), idSeg("org id", orgID))
	if err != nil {
		return err
	}
	return c.do(ctx, request{method: http.MethodDelete, path: path, idempotent: true}, nil)
}
