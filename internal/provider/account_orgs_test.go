package provider

import (
	"sync"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

const orgListRoute = "GET /v1/billing_accounts/{billing_account_id}/orgs"

// newTestAccountOrgs returns an accountOrgs on a fresh mock with a clock the
// test moves, an account and an organisation attached to it.
func newTestAccountOrgs(t *testing.T) (*accountOrgs, *testAPI, *time.Time, string, string) {
	t.Helper()
	api := newTestAPI(t)
	accountID := api.createAccount(t, "cus_orgs")
	orgID := api.CreateOrg(mockapi.Organisation{Organisation: "Cached", Subdomain: "cached"}).ID
	if err := api.AttachOrg(accountID, orgID); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	a := newAccountOrgs(api.client(t))
	a.now = func() time.Time { return now }
	api.ResetStats()
	return a, api, &now, accountID, orgID
}

func mustFind(t *testing.T, a *accountOrgs, accountID, orgID string) bool {
	t.Helper()
	org, err := a.find(t.Context(), accountID, orgID)
	if err != nil {
		t.Fatal(err)
	}
	return org != nil
}

func TestAccountOrgsReusesAFreshAnswer(t *testing.T) {
	a, api, now, accountID, orgID := newTestAccountOrgs(t)
	if !mustFind(t, a, accountID, orgID) {
		t.Fatal("attached org not found")
	}
	*now = now.Add(orgListReuseWindow)
	if !mustFind(t, a, accountID, orgID) {
		t.Fatal("attached org not found on reuse")
	}
	if got := api.Stats().Routes[orgListRoute]; got != 1 {
		t.Fatalf("%d org-list requests within the window, want 1", got)
	}
}

func TestAccountOrgsAsksAgainAfterTheWindow(t *testing.T) {
	a, api, now, accountID, orgID := newTestAccountOrgs(t)
	mustFind(t, a, accountID, orgID)
	if !api.DetachOrg(accountID, orgID) {
		t.Fatal("detach failed")
	}
	*now = now.Add(orgListReuseWindow + time.Nanosecond)
	if mustFind(t, a, accountID, orgID) {
		t.Fatal("a detach outside Terraform was not seen after the window")
	}
	if got := api.Stats().Routes[orgListRoute]; got != 2 {
		t.Fatalf("%d org-list requests, want 2", got)
	}
}

// A change through the provider drops the stored answer at once, whatever
// its age.
func TestAccountOrgsChangeDropsTheAnswer(t *testing.T) {
	a, api, _, accountID, orgID := newTestAccountOrgs(t)
	mustFind(t, a, accountID, orgID)
	if !api.DetachOrg(accountID, orgID) {
		t.Fatal("detach failed")
	}
	a.changed(accountID)
	if mustFind(t, a, accountID, orgID) {
		t.Fatal("the stored answer survived a change through the provider")
	}
	if got := api.Stats().Routes[orgListRoute]; got != 2 {
		t.Fatalf("%d org-list requests, want 2", got)
	}
}

// Concurrent questions share one request, even with reuse switched off.
func TestAccountOrgsCoalescesConcurrentQuestions(t *testing.T) {
	a, api, _, accountID, orgID := newTestAccountOrgs(t)
	a.window = -1
	api.SetFaults(mockapi.Faults{Latency: 200 * time.Millisecond})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if org, err := a.find(t.Context(), accountID, orgID); err != nil || org == nil {
				t.Errorf("find: %v, %v", org, err)
			}
		})
	}
	wg.Wait()
	if got := api.Stats().Routes[orgListRoute]; got != 1 {
		t.Fatalf("20 concurrent questions sent %d org-list requests, want 1", got)
	}
}
