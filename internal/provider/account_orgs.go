package provider

import (
	"context"
	"errors"
	"strconv"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// accountOrgs answers "is this organisation attached to that account?" for
// attachment reads. Terraform refreshes many attachments of one account at
// the same time; concurrent questions about one account share a single
// org-list request instead of sending one each.
//
// A shared answer is never stale with respect to this provider's own
// changes: every attach or detach through the provider bumps the account's
// generation, and a question only joins a request started at the current
// generation, i.e. after the last change. Nothing is cached once a request
// completes, so the next question always asks the API again.
type accountOrgs struct {
	client *client.Client
	group  singleflight.Group

	mu          sync.Mutex
	generations map[string]uint64
}

func newAccountOrgs(c *client.Client) *accountOrgs {
	return &accountOrgs{client: c, generations: map[string]uint64{}}
}

// changed records that the account's organisations were changed.
func (a *accountOrgs) changed(accountID string) {
	a.mu.Lock()
	a.generations[accountID]++
	a.mu.Unlock()
}

func (a *accountOrgs) key(accountID string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return accountID + "\x00" + strconv.FormatUint(a.generations[accountID], 10)
}

// find returns the organisation when it is attached to the account, nil
// when it is not, and an error for which client.IsNotFound is true when the
// account does not exist.
func (a *accountOrgs) find(ctx context.Context, accountID, orgID string) (*client.Organisation, error) {
	list, err := a.list(ctx, accountID)
	if err != nil {
		return nil, err
	}
	for i := range list.Orgs {
		if list.Orgs[i].ID == orgID {
			org := list.Orgs[i]
			return &org, nil
		}
	}
	limit := list.Limit
	if limit <= 0 || limit > client.MaxLimit {
		limit = client.MaxLimit
	}
	if len(list.Orgs) < limit {
		return nil, nil
	}
	// The list was cut at the API's limit, so the organisation may be
	// attached beyond it. Ask the other way round: which accounts is this
	// organisation attached to?
	return a.findByOrg(ctx, accountID, orgID)
}

// list fetches the account's organisations, sharing one request among
// concurrent callers. Each caller still honours its own context.
func (a *accountOrgs) list(ctx context.Context, accountID string) (*client.ListOrgsResponse, error) {
	ch := a.group.DoChan(a.key(accountID), func() (any, error) {
		// The request outlives any single caller that gives up waiting.
		return a.client.ListBillingAccountOrgs(context.WithoutCancel(ctx), accountID, client.MaxLimit)
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return nil, res.Err
		}
		return res.Val.(*client.ListOrgsResponse), nil //nolint:forcetypeassert // the only value the function returns
	}
}

func (a *accountOrgs) findByOrg(ctx context.Context, accountID, orgID string) (*client.Organisation, error) {
	accounts, err := a.client.ListBillingAccounts(ctx, client.ListBillingAccountsParams{OrgID: orgID})
	if err != nil {
		return nil, err
	}
	for _, acc := range accounts.BillingAccounts {
		if acc.ID() != accountID || acc.Status == nil {
			continue
		}
		for i := range acc.Status.Orgs {
			if acc.Status.Orgs[i].ID == orgID {
				org := acc.Status.Orgs[i]
				return &org, nil
			}
		}
	}
	return nil, nil
}

// isNoAnswer reports whether a request failed without any HTTP answer, so
// the server may have acted on it.
func isNoAnswer(err error) bool {
	var te *client.TransportError
	return errors.As(err, &te) && te.Sent && !errors.Is(err, context.Canceled)
}
