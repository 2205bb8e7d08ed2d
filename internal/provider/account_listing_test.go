package provider

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// newTestListing returns an accountListing on a fresh mock with n accounts,
// the first with an organisation attached, and a clock the test moves.
func newTestListing(t *testing.T, n int) (*accountListing, *testAPI, *time.Time, []string, string) {
	t.Helper()
	api := newTestAPI(t)
	var ids []string
	for i := range n {
		ids = append(ids, api.createAccount(t, "cus_listing_"+string(rune('a'+i))))
	}
	orgID := api.CreateOrg(mockapi.Organisation{Organisation: "Listed", Subdomain: "listed"}).ID
	if err := api.AttachOrg(ids[0], orgID); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	pd := newProviderData(api.client(t))
	pd.accounts.now = func() time.Time { return now }
	pd.accounts.threshold = 2
	api.ResetStats()
	return pd.accounts, api, &now, ids, orgID
}

func mustAccount(t *testing.T, l *accountListing, id string) bool {
	t.Helper()
	acc, ok := l.account(t.Context(), id)
	if ok && acc.ID() != id {
		t.Fatalf("asked for %s, got %s", id, acc.ID())
	}
	return ok
}

func TestAccountListingStartsPastTheThreshold(t *testing.T) {
	l, api, _, ids, _ := newTestListing(t, 3)
	if mustAccount(t, l, ids[0]) || mustAccount(t, l, ids[1]) {
		t.Fatal("a read within the threshold was answered from a listing")
	}
	if n := api.Stats().Total; n != 0 {
		t.Fatalf("%d requests within the threshold, want 0 (the callers read for themselves)", n)
	}
	for _, id := range ids {
		if !mustAccount(t, l, id) {
			t.Fatalf("account %s not answered past the threshold", id)
		}
	}
	if n := api.Stats().Routes[routeListAccounts]; n != pagesOf(t, 3) {
		t.Fatalf("%d listing requests, want %d", n, pagesOf(t, 3))
	}
}

func TestAccountListingIsSharedByConcurrentReads(t *testing.T) {
	l, api, _, ids, _ := newTestListing(t, 4)
	l.threshold = 0
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() { mustAccount(t, l, ids[i%len(ids)]) })
	}
	wg.Wait()
	if n := api.Stats().Routes[routeListAccounts]; n != pagesOf(t, 4) {
		t.Fatalf("20 concurrent reads made %d listing requests, want one listing (%d pages)", n, pagesOf(t, 4))
	}
}

func TestAccountListingNeverAnswersForAChangedAccount(t *testing.T) {
	l, _, _, ids, orgID := newTestListing(t, 3)
	l.threshold = 0
	mustAccount(t, l, ids[1])

	l.changed(ids[1])
	if mustAccount(t, l, ids[1]) {
		t.Fatal("the listing answered for an account this provider changed after it was requested")
	}
	if !mustAccount(t, l, ids[2]) {
		t.Fatal("a change of one account stopped the listing answering for another")
	}
	// An organisation moved off the first account by this provider makes the
	// listing's view of that account (and of its organisations) stale.
	l.orgs.attached(ids[2], orgID)
	if mustAccount(t, l, ids[0]) {
		t.Fatal("the listing answered for an account an organisation moved off")
	}
	if _, ok := l.orgsOf(t.Context(), ids[2]); ok {
		t.Fatal("the listing answered for the organisations of an account attached to since")
	}
}

func TestAccountListingMissingAccountIsLeftToTheCaller(t *testing.T) {
	l, api, _, ids, _ := newTestListing(t, 2)
	l.threshold = 0
	mustAccount(t, l, ids[0])
	gone := api.createAccount(t, "cus_after_listing")
	if mustAccount(t, l, gone) {
		t.Fatal("an account missing from the listing was answered")
	}
	if !api.DeleteAccount(ids[1]) {
		t.Fatal("delete failed")
	}
	// Within the window the listing still shows the deleted account: the
	// same bound as the shared org lists. The next run sees it gone.
	if !mustAccount(t, l, ids[1]) {
		t.Fatal("the listing stopped answering within its window")
	}
}

func TestAccountListingIsRenewedAfterTheWindow(t *testing.T) {
	l, api, now, ids, _ := newTestListing(t, 2)
	l.threshold = 0
	mustAccount(t, l, ids[0])
	*now = now.Add(orgListReuseWindow)
	mustAccount(t, l, ids[0])
	first := api.Stats().Routes[routeListAccounts]
	*now = now.Add(time.Nanosecond)
	mustAccount(t, l, ids[0])
	if n := api.Stats().Routes[routeListAccounts]; n != 2*first {
		t.Fatalf("%d listing requests after the window, want %d", n, 2*first)
	}
}

func TestAccountListingThatFailsAnswersNothing(t *testing.T) {
	l, api, _, ids, _ := newTestListing(t, 3)
	l.threshold = 0
	api.SetFaults(mockapi.Faults{ErrorRate: 1})
	if mustAccount(t, l, ids[0]) {
		t.Fatal("a failed listing answered")
	}
	api.SetFaults(mockapi.Faults{})
	before := api.Stats().Routes[routeListAccounts]
	if mustAccount(t, l, ids[0]) || api.Stats().Routes[routeListAccounts] != before {
		t.Fatal("a listing was tried again after one failed in the same run")
	}
}

// pagesOf is how many listing requests n accounts take in the tests' mock.
func pagesOf(t *testing.T, n int) int {
	t.Helper()
	if !newerAPI(t) {
		return 1
	}
	return (n + testPageSize - 1) / testPageSize
}

// An account whose embedded organisation list is as long as a full page may
// have been cut by the API, so the listing never answers for its
// organisations; a shorter list is whole and is answered.
func TestAccountListingTakesNoFullOrgListAsWhole(t *testing.T) {
	l, api, _, ids, orgID := newTestListing(t, 2)
	l.threshold = 0
	for i := range client.MaxLimit {
		org := api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Crowded %d", i)})
		if err := api.AttachOrg(ids[1], org.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := l.orgsOf(t.Context(), ids[1]); ok {
		t.Fatalf("the listing answered for an account listing %d organisations, a full page", client.MaxLimit)
	}
	got, ok := l.orgsOf(t.Context(), ids[0])
	if !ok || len(got.list.Orgs) != 1 || got.list.Orgs[0].ID != orgID {
		t.Fatalf("the listing did not answer for an account with one organisation: %+v, %v", got.list, ok)
	}
}

// A listing follows the pages of the paging API beyond a handful of pages,
// so that a large refresh is served by pages, and stops at its page bound:
// accounts beyond it are left to the caller.
func TestAccountListingFollowsPagesUpToItsBound(t *testing.T) {
	if !newerAPI(t) {
		t.Skip("the older API answers the account list in one piece")
	}
	const accounts = 12 // six pages of the tests' page size
	l, api, _, ids, _ := newTestListing(t, accounts)
	l.threshold = 0
	if !mustAccount(t, l, ids[accounts-1]) {
		t.Fatalf("the account on page %d was not answered from the listing", accounts/testPageSize)
	}
	if n := api.Stats().Routes[routeListAccounts]; n != accounts/testPageSize {
		t.Fatalf("%d listing requests, want %d", n, accounts/testPageSize)
	}

	bounded, _, _, ids, _ := newTestListing(t, accounts)
	bounded.threshold, bounded.maxPages = 0, 2
	if !mustAccount(t, bounded, ids[2*testPageSize-1]) {
		t.Fatal("an account within the page bound was not answered from the listing")
	}
	if mustAccount(t, bounded, ids[2*testPageSize]) {
		t.Fatal("an account beyond the page bound was answered from the listing")
	}
}

func TestEmbeddedOrgsWholeOnlyBelowAFullPage(t *testing.T) {
	withOrgs := func(n int) *client.BillingAccount {
		return &client.BillingAccount{Status: &client.BillingAccountStatus{Orgs: make([]client.Organisation, n)}}
	}
	for _, tt := range []struct {
		name  string
		acc   *client.BillingAccount
		whole bool
	}{
		{"no status", &client.BillingAccount{}, false},
		{"orgs left out", &client.BillingAccount{Status: &client.BillingAccountStatus{}}, false},
		{"none", withOrgs(0), true},
		{"one short of a page", withOrgs(client.MaxLimit - 1), true},
		{"a full page", withOrgs(client.MaxLimit), false},
	} {
		if _, whole := embeddedOrgs(tt.acc); whole != tt.whole {
			t.Errorf("%s: whole = %v, want %v", tt.name, whole, tt.whole)
		}
	}
}
