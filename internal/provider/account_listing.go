package provider

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// accountListing serves the account reads of a large refresh from one
// listing of all accounts (GET /v1/billing_accounts, page after page),
// instead of one GET per account: a page holds up to 500 full accounts,
// organisations included, so a refresh of 1,000 accounts and their
// attachments costs a few requests instead of a thousand.
//
// The switch. The first listingThreshold reads of a provider process go to
// the API one by one, as before; a read beyond them fetches the listing
// once, for every later read to share. A small configuration (its reads
// all fit under the threshold) therefore costs exactly what it did, and
// never pays for listing an estate much larger than itself. At Terraform's
// parallelism of 10, the first 10 GETs take one round trip, and one page of
// up to 500 accounts takes one more, as a second round of GETs would: past
// 10 reads the listing saves requests at no cost in time for an estate of
// up to 500 accounts, and a large refresh costs its pages and the first
// reads (5,000 accounts and 5,000 attachments: 10 pages and 10 reads).
// BenchmarkRefreshOfALargeEstate and `bash scripts/bench.sh -refresh-only`
// measure it. The listing reads at most listingMaxPages pages; accounts
// beyond them are read one by one.
//
// The rules are those of the shared org lists (accountOrgs):
//
//   - concurrent readers share one listing request (singleflight);
//   - an account is never taken from a listing requested before this
//     provider changed it (update, delete, attach, detach), nor when an
//     organisation it lists has since been moved by this provider;
//   - a listing is used for at most orgListReuseWindow after it was
//     requested, and never crosses provider processes (Terraform starts one
//     per run);
//   - an account missing from the listing is not taken as deleted on the
//     listing's word: the read asks the API for it with a GET, which alone
//     may answer 404. A listing that fails, even part-way, answers nothing,
//     and every read falls back to its own GET.
type accountListing struct {
	client *client.Client
	orgs   *accountOrgs
	now    func() time.Time
	window time.Duration
	// threshold is how many reads go to the API one by one before the
	// listing is fetched.
	threshold int
	// maxPages bounds the pages of one listing (listingMaxPages).
	maxPages int
	group    singleflight.Group

	mu      sync.Mutex
	reads   int
	changes map[string]uint64
	answer  *listingAnswer
	// failed stops further listings once one failed: the reads of this
	// process go to the API one by one.
	failed bool
}

// listingThreshold is the number of reads after which a listing pays off;
// see accountListing.
const listingThreshold = 10

// listingMaxPages bounds how many pages (of up to 500 accounts) one
// listing reads: 20,000 accounts, so that the refresh of a large estate is
// served by pages, while a configuration that manages a few dozen accounts
// of an even larger estate wastes at most that many requests. The listing
// keeps every account it read until the run ends; `make bench` with
// -refresh-only reports the provider's peak memory for such a refresh.
const listingMaxPages = 40

// errListingFailed answers the readers that ask after a listing failed.
var errListingFailed = errors.New("the listing of billing accounts failed earlier in this run")

// listingAnswer is a completed listing.
type listingAnswer struct {
	accounts map[string]*client.BillingAccount
	sent     time.Time
	// seq orders the listing among the changes this provider makes.
	seq uint64
}

func newAccountListing(c *client.Client, orgs *accountOrgs) *accountListing {
	return &accountListing{
		client: c, orgs: orgs, now: time.Now, window: orgListReuseWindow,
		threshold: listingThreshold, maxPages: listingMaxPages, changes: map[string]uint64{},
	}
}

// changed records that this provider changed the account (its spec, or
// deleted it), so no listing requested before may answer for it.
func (l *accountListing) changed(accountID string) {
	seq := l.orgs.nextSeq()
	l.mu.Lock()
	l.changes[accountID] = seq
	l.mu.Unlock()
}

// account returns the account from a shared listing when the listing may
// answer for it; ok is false when the caller must read it itself.
func (l *accountListing) account(ctx context.Context, accountID string) (acc *client.BillingAccount, ok bool) {
	ans := l.get(ctx)
	if ans == nil {
		return nil, false
	}
	acc, ok = ans.accounts[accountID]
	if !ok || l.changedSince(accountID, ans.seq) {
		return nil, false
	}
	var orgs []client.Organisation
	if acc.Status != nil {
		orgs = acc.Status.Orgs
	}
	if l.orgs.changedSince(accountID, ans.seq, orgs) {
		return nil, false
	}
	return acc, true
}

// orgsOf answers for the account's organisations from the listing, when
// the listing may answer for the account and holds its whole org list.
func (l *accountListing) orgsOf(ctx context.Context, accountID string) (orgListAnswer, bool) {
	ans := l.get(ctx)
	if ans == nil {
		return orgListAnswer{}, false
	}
	acc, ok := ans.accounts[accountID]
	if !ok || l.changedSince(accountID, ans.seq) || l.orgs.changedSince(accountID, ans.seq, nil) {
		return orgListAnswer{}, false
	}
	orgs, whole := embeddedOrgs(acc)
	if !whole {
		return orgListAnswer{}, false
	}
	list := &client.ListOrgsResponse{Limit: client.MaxLimit, Orgs: orgs}
	return orgListAnswer{list: list, sent: ans.sent, seq: ans.seq}, true
}

// embeddedOrgs returns the organisations an account's status lists, and
// whether that list is known to be whole. A status may leave the
// organisations out, or cut a long list at the API's page limit: only a
// list shorter than a full page is whole.
func embeddedOrgs(acc *client.BillingAccount) ([]client.Organisation, bool) {
	if acc.Status == nil || acc.Status.Orgs == nil || len(acc.Status.Orgs) >= client.MaxLimit {
		return nil, false
	}
	return acc.Status.Orgs, true
}

func (l *accountListing) changedSince(accountID string, seq uint64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.changes[accountID] > seq
}

// get counts a read and returns a usable listing, fetching it once the
// reads pass the threshold; nil when the read should go to the API alone.
func (l *accountListing) get(ctx context.Context) *listingAnswer {
	l.mu.Lock()
	l.reads++
	ans, reads, failed := l.answer, l.reads, l.failed
	l.mu.Unlock()
	if ans != nil && l.now().Sub(ans.sent) <= l.window {
		return ans
	}
	if reads <= l.threshold || failed {
		return nil
	}
	ch := l.group.DoChan("listing", func() (any, error) {
		// A reader that looked before another's listing completed lands
		// here after it: the finished listing serves it too.
		l.mu.Lock()
		done, failed := l.answer, l.failed
		l.mu.Unlock()
		switch {
		case done != nil && l.now().Sub(done.sent) <= l.window:
			return done, nil
		case failed:
			return nil, errListingFailed
		}
		fetched, err := l.fetch(context.WithoutCancel(ctx))
		l.mu.Lock()
		defer l.mu.Unlock()
		if err != nil {
			l.failed = true
			return nil, err
		}
		l.answer = fetched
		return fetched, nil
	})
	select {
	case <-ctx.Done():
		return nil
	case res := <-ch:
		if res.Err != nil {
			return nil
		}
		return res.Val.(*listingAnswer) //nolint:forcetypeassert // the only value the function returns
	}
}

// fetch lists the accounts, at most maxPages pages of them.
func (l *accountListing) fetch(ctx context.Context) (*listingAnswer, error) {
	ans := &listingAnswer{accounts: map[string]*client.BillingAccount{}, sent: l.now(), seq: l.orgs.nextSeq()}
	pages := 0
	err := l.client.EachBillingAccount(ctx, client.ListBillingAccountsParams{}, func(page *client.ListBillingAccountsResponse) bool {
		for i := range page.BillingAccounts {
			acc := &page.BillingAccounts[i]
			if id := acc.ID(); id != "" {
				ans.accounts[id] = acc
			}
		}
		pages++
		return pages < l.maxPages
	})
	if err != nil {
		return nil, err
	}
	return ans, nil
}
