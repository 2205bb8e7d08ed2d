package client

import (
	"context"
	"fmt"
	"net/http"
)

// ListBillingAccountOrgs lists the organisations attached to an account, up
// to limit (0: all of them). The API documents no cursor for this list and
// answers at most MaxLimit organisations; should it page the list as newer
// versions page the account list, the pages are followed.
func (c *Client) ListBillingAccountOrgs(ctx context.Context, accountID string, limit int) (*ListOrgsResponse, error) {
	path, err := accountPath(idSeg("billing account id", accountID), lit("orgs"))
	if err != nil {
		return nil, err
	}
	orgs, echoed, err := collectPages(ctx, c, path, limit, func(p *ListOrgsResponse) ([]Organisation, int, string) {
		return p.Orgs, p.Limit, p.PageAtID
	})
	if err != nil {
		return nil, err
	}
	return &ListOrgsResponse{Limit: echoed, Orgs: orgs}, nil
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
	req := request{method: http.MethodPost, path: path, url: c.urlOf(path), body: BillingOrg{OrgID: orgID}, idempotent: true}
	status, err := c.do(ctx, req, &out)
	if err != nil {
		return nil, err
	}
	if out.ID != orgID {
		return nil, &UnexpectedAnswerError{Method: req.method, URL: req.url, StatusCode: status,
			Reason: fmt.Sprintf("attached organisation %q, the answer is about organisation %q", orgID, out.ID)}
	}
	return &out, nil
}

// RemoveOrgFromBillingAccount detaches an organisation from an account. The
// API does not document what it does when the organisation is attached to
// another account: callers that must not touch another account's
// attachment check where the organisation is first.
func (c *Client) RemoveOrgFromBillingAccount(ctx context.Context, accountID, orgID string) error {
	path, err := accountPath(idSeg("billing account id", accountID), lit("orgs"), idSeg("org id", orgID))
	if err != nil {
		return err
	}
	_, err = c.do(ctx, request{method: http.MethodDelete, path: path, idempotent: true}, nil)
	return err
}
