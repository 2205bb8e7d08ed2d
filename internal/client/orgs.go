package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
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
	if limit < 0 {
		return nil, &InvalidLimitError{Limit: limit}
	}
	q := url.Values{}
	out := &ListOrgsResponse{Orgs: []Organisation{}}
	pages := newCursors(http.MethodGet, path)
	for first := true; ; first = false {
		q.Set("limit", strconv.Itoa(pageLimit(limit, len(out.Orgs))))
		var page ListOrgsResponse
		if _, err := c.do(ctx, request{method: http.MethodGet, path: path, query: q, idempotent: true}, &page); err != nil {
			return nil, err
		}
		if first {
			out.Limit = page.Limit
		}
		out.Orgs = append(out.Orgs, page.Orgs...)
		if limit > 0 && len(out.Orgs) >= limit {
			out.Orgs = out.Orgs[:limit]
			return out, nil
		}
		more, err := pages.next(q, page.PageAtID)
		if err != nil {
			return nil, err
		}
		if !more {
			return out, nil
		}
	}
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
	status, err := c.do(ctx, req, &out)
	if err != nil {
		return nil, err
	}
	if out.ID != orgID {
		return nil, &UnexpectedAnswerError{Method: req.method, Path: req.path, StatusCode: status,
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
