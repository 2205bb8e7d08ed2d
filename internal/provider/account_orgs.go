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
// An organisation is on at most one account, so a change through this
// provider also changes what other accounts' answers say about it: once an
// organisation was attached to account B, or detached, an answer about
// account A requested before that may still list it, and is not believed
// about that organisation (moves, below). Detaching and attaching elsewhere
// therefore cost no new org list of the account the organisation left.
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

	// listing, when set, may answer for an account's organisations from a
	// shared listing of the accounts (see accountListing).
	listing *accountListing

	mu          sync.Mutex
	generations map[string]uint64
	answers     map[string]orgListAnswer
	// changedAt is the seq of the last change of each account's
	// organisations through this provider.
	changedAt map[string]uint64
	// seq numbers org-list requests and moves in the order they happen.
	seq   uint64
	moves map[string]orgMove
}

// orgMove is the last change to where an organisation is attached that went
// through this provider.
type orgMove struct {
	seq uint64
	// to is the account the organisation is now on; "" for none.
	to string
	// uncertain is set when the request may or may not have taken effect.
	uncertain bool
}

// orgListReuseWindow bounds how old a reused org list may be.
const orgListReuseWindow = 30 * time.Second

// orgListAnswer is a completed org-list request.
type orgListAnswer struct {
	list       *client.ListOrgsResponse
	sent       time.Time
	generation uint64
	// seq orders the request among moves: a move with a higher seq happened
	// after the request was sent.
	seq uint64
}

func newAccountOrgs(c *client.Client) *accountOrgs {
	return &accountOrgs{
		client: c, now: time.Now, window: orgListReuseWindow,
		generations: map[string]uint64{}, answers: map[string]orgListAnswer{}, moves: map[string]orgMove{},
		changedAt: map[string]uint64{},
	}
}

// attached records that the organisation is now attached to the account,
// and so on no other.
func (a *accountOrgs) attached(accountID, orgID string) {
	a.moved(orgID, orgMove{to: accountID})
	a.changed(accountID)
}

// detached records that the organisation is no longer on the account. The
// account's other attachments are unchanged, so its answer stays usable.
func (a *accountOrgs) detached(orgID string) {
	a.moved(orgID, orgMove{})
}

// attachUncertain records that an attach of the organisation to the account
// may or may not have taken effect.
func (a *accountOrgs) attachUncertain(accountID, orgID string) {
	a.moved(orgID, orgMove{to: accountID, uncertain: true})
	a.changed(accountID)
}

func (a *accountOrgs) moved(orgID string, m orgMove) {
	a.mu.Lock()
	a.seq++
	m.seq = a.seq
	a.moves[orgID] = m
	a.mu.Unlock()
}

// movedSince returns the organisation's last move if it happened after the
// request numbered seq.
func (a *accountOrgs) movedSince(orgID string, seq uint64) (orgMove, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	m, ok := a.moves[orgID]
	return m, ok && m.seq > seq
}

// changed records that the account's organisations were changed.
func (a *accountOrgs) changed(accountID string) {
	a.mu.Lock()
	a.generations[accountID]++
	delete(a.answers, accountID)
	a.seq++
	a.changedAt[accountID] = a.seq
	a.mu.Unlock()
}

// changedSince reports whether the account's organisations changed through
// this provider after the request numbered seq, or an organisation that
// answer lists has moved since.
func (a *accountOrgs) changedSince(accountID string, seq uint64, listed []client.Organisation) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.changedAt[accountID] > seq {
		return true
	}
	for _, org := range listed {
		if m, ok := a.moves[org.ID]; ok && m.seq > seq && (m.uncertain || m.to != accountID) {
			return true
		}
	}
	return false
}

// fresh returns a stored answer that may still be used, and the account's
// current generation.
func (a *accountOrgs) fresh(accountID string) (orgListAnswer, bool, uint64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	gen := a.generations[accountID]
	ans, ok := a.answers[accountID]
	if ok && ans.generation == gen && a.now().Sub(ans.sent) <= a.window {
		return ans, true, gen
	}
	return orgListAnswer{}, false, gen
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
	ans, err := a.answer(ctx, accountID)
	if err != nil {
		return nil, err
	}
	if m, ok := a.movedSince(orgID, ans.seq); ok {
		switch {
		case m.uncertain:
			// Where the organisation is now is unknown: ask again.
			a.changed(accountID)
			if ans, err = a.answer(ctx, accountID); err != nil {
				return nil, err
			}
		case m.to != accountID:
			// Moved off this account after the answer was requested.
			return nil, nil
		}
	}
	list := ans.list
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

// orgsOf returns every organisation attached to the account, leaving out
// those this provider has since moved off it.
func (a *accountOrgs) orgsOf(ctx context.Context, accountID string) ([]client.Organisation, error) {
	ans, err := a.answer(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := make([]client.Organisation, 0, len(ans.list.Orgs))
	for _, org := range ans.list.Orgs {
		if m, ok := a.movedSince(org.ID, ans.seq); ok {
			if m.uncertain {
				a.changed(accountID)
				return a.orgsOf(ctx, accountID)
			}
			if m.to != accountID {
				continue
			}
		}
		out = append(out, org)
	}
	return out, nil
}

// answer returns the account's organisations: a fresh stored answer, or one
// request shared among concurrent callers. Each caller still honours its
// own context.
func (a *accountOrgs) answer(ctx context.Context, accountID string) (orgListAnswer, error) {
	cached, ok, gen := a.fresh(accountID)
	if ok {
		return cached, nil
	}
	if a.listing != nil {
		if ans, ok := a.listing.orgsOf(ctx, accountID); ok {
			return ans, nil
		}
	}
	key := accountID + "\x00" + strconv.FormatUint(gen, 10)
	ch := a.group.DoChan(key, func() (any, error) {
		// A caller that looked before another's request completed lands
		// here after it: that answer serves it too.
		if cached, ok, _ := a.fresh(accountID); ok {
			return cached, nil
		}
		ans := orgListAnswer{sent: a.now(), generation: gen, seq: a.nextSeq()}
		// The request outlives any single caller that gives up waiting.
		list, err := a.client.ListBillingAccountOrgs(context.WithoutCancel(ctx), accountID, 0)
		if err != nil {
			return nil, err
		}
		ans.list = list
		a.store(accountID, ans)
		return ans, nil
	})
	select {
	case <-ctx.Done():
		return orgListAnswer{}, ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return orgListAnswer{}, res.Err
		}
		return res.Val.(orgListAnswer), nil //nolint:forcetypeassert // the only value the function returns
	}
}

func (a *accountOrgs) nextSeq() uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seq++
	return a.seq
}

// findByOrg asks which account the organisation is on, page by page, and
// returns it when that account is accountID.
func (a *accountOrgs) findByOrg(ctx context.Context, accountID, orgID string) (*client.Organisation, error) {
	var found *client.Organisation
	err := a.client.EachBillingAccount(ctx, client.ListBillingAccountsParams{OrgID: orgID}, func(page *client.ListBillingAccountsResponse) bool {
		for _, acc := range page.BillingAccounts {
			if acc.ID() != accountID || acc.Status == nil {
				continue
			}
			for i := range acc.Status.Orgs {
				if acc.Status.Orgs[i].ID == orgID {
					org := acc.Status.Orgs[i]
					found = &org
					return false
				}
			}
		}
		return true
	})
	return found, err
}
