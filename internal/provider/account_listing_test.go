package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
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

// The refresh of a large estate, as Terraform drives it: one ReadResource
// per account and per attachment, ten at a time, against the paging API.
// It reports the requests the refresh cost and the provider's peak heap:
// the shared account listing should serve the reads from full pages (a
// few dozen requests for thousands of resources) with memory bounded by
// the listing. Run it with
//
//	AGILICUS_TEST_API_VERSION=1.405.8 go test -run '^$' -bench RefreshOfALargeEstate -benchtime 1x ./internal/provider/
//
// (make bench-refresh); REFRESH_BENCH_SIZE sets the number of accounts and
// of attachments (default 5000 each).
func BenchmarkRefreshOfALargeEstate(b *testing.B) {
	size := 5000
	if v, err := strconv.Atoi(os.Getenv("REFRESH_BENCH_SIZE")); err == nil && v > 0 {
		size = v
	}
	opts := testMockOptions(b)
	opts.PageSize = 0 // pages as large as the limit asked for, as the API's
	api := newWrappedTestAPI(b, opts, nil)
	c, err := client.New(client.Config{BaseURL: api.URL, Token: testToken})
	if err != nil {
		b.Fatal(err)
	}
	accounts := make([]string, size)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range next {
				acc, err := c.CreateBillingAccount(b.Context(), client.BillingAccountSpec{CustomerID: fmt.Sprintf("cus_refresh_%06d", i)})
				if err != nil {
					b.Error(err)
					continue
				}
				accounts[i] = acc.ID()
			}
		})
	}
	for i := range size {
		next <- i
	}
	close(next)
	wg.Wait()
	orgs := make([]string, size)
	for i := range size {
		orgs[i] = api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Refresh Org %d", i)}).ID
		if err := api.AttachOrg(accounts[i], orgs[i]); err != nil {
			b.Fatal(err)
		}
	}

	for b.Loop() {
		srv := NewProtocol6Server("bench")()
		schemas, err := srv.GetProviderSchema(b.Context(), &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			b.Fatal(err)
		}
		cfg := objectValue(b, schemas.Provider, map[string]tftypes.Value{
			"host": tftypes.NewValue(tftypes.String, api.URL), "access_token": tftypes.NewValue(tftypes.String, testToken),
		})
		if resp, err := srv.ConfigureProvider(b.Context(), &tfprotov6.ConfigureProviderRequest{Config: cfg}); err != nil || diagsHaveError(resp.Diagnostics) {
			b.Fatalf("configure: %v %v", err, resp.Diagnostics)
		}
		type read struct {
			typeName string
			state    *tfprotov6.DynamicValue
		}
		reads := make(chan read)
		go func() {
			for i := range size {
				reads <- read{"agilicus_billing_account", objectValue(b, schemas.ResourceSchemas["agilicus_billing_account"], map[string]tftypes.Value{
					"id":                  tftypes.NewValue(tftypes.String, accounts[i]),
					"customer_id":         tftypes.NewValue(tftypes.String, fmt.Sprintf("cus_refresh_%06d", i)),
					"dev_mode":            tftypes.NewValue(tftypes.Bool, false),
					"deletion_protection": tftypes.NewValue(tftypes.Bool, false),
				})}
				reads <- read{"agilicus_billing_org_attachment", objectValue(b, schemas.ResourceSchemas["agilicus_billing_org_attachment"], map[string]tftypes.Value{
					"id":                 tftypes.NewValue(tftypes.String, accounts[i]+"/"+orgs[i]),
					"billing_account_id": tftypes.NewValue(tftypes.String, accounts[i]),
					"org_id":             tftypes.NewValue(tftypes.String, orgs[i]),
				})}
			}
			close(reads)
		}()
		runtime.GC()
		api.ResetStats()
		var peak atomic.Uint64
		stopSampling := sampleHeap(&peak)
		start := time.Now()
		var failed atomic.Int64
		var readers sync.WaitGroup
		for range 10 { // Terraform's default parallelism
			readers.Go(func() {
				for r := range reads {
					resp, err := srv.ReadResource(b.Context(), &tfprotov6.ReadResourceRequest{TypeName: r.typeName, CurrentState: r.state})
					if err != nil || diagsHaveError(resp.Diagnostics) || resp.NewState == nil {
						failed.Add(1)
					}
				}
			})
		}
		readers.Wait()
		elapsed := time.Since(start)
		stopSampling()
		if n := failed.Load(); n != 0 {
			b.Fatalf("%d reads failed", n)
		}
		st := api.Stats()
		b.ReportMetric(float64(st.Total), "requests")
		b.ReportMetric(float64(st.Routes["GET /v1/billing_accounts"]), "listing-requests")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		b.ReportMetric(elapsed.Seconds(), "refresh-s")
		b.Logf("refresh of %d accounts and %d attachments: %d requests (%v), peak heap %.1f MiB, %s",
			size, size, st.Total, st.Routes, float64(peak.Load())/(1<<20), elapsed.Round(time.Millisecond))
	}
}

// A refresh of 30 accounts and 30 attachments crosses the listing switch:
// at most 20 reads go to the API one by one, the rest, attachments
// included, are served by one listing. The listing's data is the API's: an
// account changed outside Terraform is planned back, and one deleted
// outside Terraform, missing from the listing, is confirmed gone with a
// GET before it leaves the state. (The last accounts are the ones changed,
// as Terraform reads them late, past the switch; the unit tests of
// accountListing pin each rule regardless of order.)
func TestAccBillingAccount_refreshCrossesTheListingThreshold(t *testing.T) {
	api, orgIDs := listingRefreshAPI(t, nil)
	config := listingRefreshConfig(api, orgIDs)
	var changed, deleted string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					captureString("agilicus_billing_account.each[28]", "id", &changed),
					captureString("agilicus_billing_account.each[29]", "id", &deleted),
				},
			},
			{
				PreConfig: func() {
					on := true
					cid := "cus_refresh_28"
					if !api.SetAccountSpec(changed, mockapi.BillingAccountSpec{CustomerID: &cid, DevMode: &on}) {
						t.Fatal("changing the account failed")
					}
					if !api.DeleteAccount(deleted) {
						t.Fatal("deleting the account failed")
					}
					api.ResetStats()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("agilicus_billing_account.each[28]", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("agilicus_billing_account.each[29]", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("agilicus_billing_org_attachment.each[29]", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("agilicus_billing_org_attachment.each[28]", plancheck.ResourceActionNoop),
						routeCounts{api, func(routes map[string]int) error {
							gets, lists, orgLists := routes[routeGetAccount], routes[routeListAccounts], routes[routeListAccountOrgs]
							// The first reads alone, plus the GET that confirms the deleted account.
							if gets > listingThreshold+1 || lists < 1 || lists > listingMaxPages || orgLists > listingThreshold+1 {
								return fmt.Errorf("refresh of %d accounts and attachments made %d account GETs, %d listing requests, %d org lists",
									listingRefreshSize, gets, lists, orgLists)
							}
							return nil
						}},
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// A listing that fails (part-way, on the API version that pages) answers
// nothing: every read falls back to its own request, and nothing leaves the
// state.
func TestAccBillingAccount_failingListingDropsNothing(t *testing.T) {
	api, orgIDs := listingRefreshAPI(t, failListing(newerAPI(t)))
	config := listingRefreshConfig(api, orgIDs)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: api.ResetStats,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectEmptyPlan(),
						routeCounts{api, func(routes map[string]int) error {
							if routes[routeGetAccount] != listingRefreshSize {
								return fmt.Errorf("%d account GETs after the listing failed, want one per account (%d)",
									routes[routeGetAccount], listingRefreshSize)
							}
							return nil
						}},
					},
				},
			},
		},
	})
}

// sampleHeap records the largest heap in use until the returned function
// is called.
func sampleHeap(peak *atomic.Uint64) func() {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var m runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// listingRefreshSize is how many accounts (each with one attachment) the
// refresh tests manage: past the listing threshold, so a refresh switches
// from one GET per account to the shared listing.
const listingRefreshSize = 30

// listingRefreshAPI starts a mock for the refresh tests. The newer API
// generation answers ten accounts a page here, so the listing takes three
// pages (the suite's usual two a page would exceed the listing's page cap).
func listingRefreshAPI(t *testing.T, wrap func(http.Handler) http.Handler) (*testAPI, []string) {
	t.Helper()
	opts := testMockOptions(t)
	if opts.PageSize != 0 {
		opts.PageSize = 10
	}
	api := newWrappedTestAPI(t, opts, wrap)
	var orgIDs []string
	for i := range listingRefreshSize {
		orgIDs = append(orgIDs, api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Refresh Org %d", i)}).ID)
	}
	return api, orgIDs
}

func listingRefreshConfig(api *testAPI, orgIDs []string) string {
	return api.providerConfig(fmt.Sprintf(`
variable "org_ids" {
  type    = list(string)
  default = ["%s"]
}

resource "agilicus_billing_account" "each" {
  count       = length(var.org_ids)
  customer_id = "cus_refresh_${count.index}"
}

resource "agilicus_billing_org_attachment" "each" {
  count              = length(var.org_ids)
  billing_account_id = agilicus_billing_account.each[count.index].id
  org_id             = var.org_ids[count.index]
}
`, strings.Join(orgIDs, `", "`)))
}

// routeCounts is a plan check on the mock's request counts of the refresh
// that made the plan (the counters are reset before each step).
type routeCounts struct {
	api   *testAPI
	check func(routes map[string]int) error
}

func (c routeCounts) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = c.check(c.api.Stats().Routes)
}

// failListing fails the listing of all accounts: from its second page on
// when the API pages (so it fails part-way), at once when it does not.
func failListing(paged bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			listing := r.Method == http.MethodGet && r.URL.Path == "/v1/billing_accounts" && !q.Has("org_id") && !q.Has("customer_id")
			if listing && (q.Has("page_at_id") || !paged) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte(`{"error_code":"TEST","error_message":"listing failed"}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
