package provider

import (
	"context"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// accountOrgs answers "is this organisation attached to that account?" for
// attachment reads, with as few org-list requests as correctness allows.
//
// Concurrent questions about one account share a single request
// (singleflight). A completed answer is also reused by later questions, but
// only while it is fresh:
//
//   - no attach or detach has gone through this provider for that account
//     since the request was sent (every change bumps the account's
//     generation, which drops the stored answer and keys new requests), and
//   - the request was sent at most orgListReuseWindow ago.
//
// Terraform starts a new provider process for every plan and apply, so
// nothing is reused from one run to the next; within a run, a refresh reads
// its resources over a span of time anyway, and the window keeps an
// account's attachments consistent with one another inside that span. A
// change made outside Terraform during the window is seen by the next run.
type accountOrgs struct {
	client *client.Client
	group  singleflight.Group
	now    func() time.Time
	window time.Duration

	mu          sync.Mutex
	generations map[string]uint64
	answers     map[string]orgListAnswer
}

// orgListReuseWindow bounds how old a reused org list may be.
const orgListReuseWindow = 30 * time.Second

// orgListAnswer is a completed org-list request.
type orgListAnswer struct {
	list       *client.ListOrgsResponse
	sent       time.Time
	generation uint64
}

func newAccountOrgs(c *client.Client) *accountOrgs {
	return &accountOrgs{
		client: c, now: time.Now, window: orgListReuseWindow,
		generations: map[string]uint64{}, answers: map[string]orgListAnswer{},
	}
}

// changed records that the account's organisations were changed.
func (a *accountOrgs) changed(accountID string) {
	a.mu.Lock()
	a.generations[accountID]++
	delete(a.answers, accountID)
	a.mu.Unlock()
}

// fresh returns a stored answer that may still be used, and the account's
// current generation.
func (a *accountOrgs) fresh(accountID string) (*client.ListOrgsResponse, uint64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	gen := a.generations[accountID]
	ans, ok := a.answers[accountID]
	if ok && ans.generation == gen && a.now().Sub(ans.sent) <= a.window {
		return ans.list, gen
	}
	return nil, gen
}

// store keeps an answer unless the account changed while it was in flight.
func (a *accountOrgs) store(accountID string, ans orgListAnswer) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.generations[accountID] == ans.generation {
		a.answers[accountID] = ans
	}
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

// list returns the account's organisations: a fresh stored answer, or one
// request shared among concurrent callers. Each caller still honours its
// own context.
func (a *accountOrgs) list(ctx context.Context, accountID string) (*client.ListOrgsResponse, error) {
	cached, gen := a.fresh(accountID)
	if cached != nil {
		return cached, nil
	}
	key := accountID + "\x00" + strconv.FormatUint(gen, 10)
	ch := a.group.DoChan(key, func() (any, error) {
		sent := a.now()
		// The request outlives any single caller that gives up waiting.
		list, err := a.client.ListBillingAccountOrgs(context.WithoutCancel(ctx), accountID, client.MaxLimit)
		if err == nil {
			a.store(accountID, orgListAnswer{list: list, sent: sent, generation: gen})
		}
		return list, err
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
