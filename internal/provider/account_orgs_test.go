package provider

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
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

// Within one apply, account A's organisation list is read first (by a data
// source that waits for terraform_data.phase), then this provider changes
// A's organisations, and then A's list is read again. The list read first
// must not answer for A after the change. First an organisation moves from
// A to B with create_before_destroy: the delete of the old attachment finds
// it gone from A and sends no detach, so even a server that detaches from
// any account leaves it on B. Then another organisation is attached to A:
// the second read lists it.
func TestAccBillingOrgAttachment_sharedOrgListsChangeWithinOneApply(t *testing.T) {
	api := newTestAPI(t)
	setDetachAnyAccount(t, api, true)
	moving := api.CreateOrg(mockapi.Organisation{Organisation: "Moving Org", Subdomain: "moving"})
	joining := api.CreateOrg(mockapi.Organisation{Organisation: "Joining Org", Subdomain: "joining"})
	config := func(phase, movingTo, joiningAttachment string) string {
		joinedDependency := ""
		if joiningAttachment != "" {
			joinedDependency = ", agilicus_billing_org_attachment.joining"
		}
		return api.providerConfig(fmt.Sprintf(`
resource "agilicus_billing_account" "a" {
  customer_id = "cus_lists_a"
}

resource "agilicus_billing_account" "b" {
  customer_id = "cus_lists_b"
}

resource "terraform_data" "phase" {
  input = %q
}

data "agilicus_billing_account_orgs" "a_before" {
  billing_account_id = agilicus_billing_account.a.id
  depends_on         = [terraform_data.phase]
}

resource "agilicus_billing_org_attachment" "moving" {
  billing_account_id = agilicus_billing_account.%s.id
  org_id             = %q
  depends_on         = [data.agilicus_billing_account_orgs.a_before]

  lifecycle {
    create_before_destroy = true
  }
}
%s
data "agilicus_billing_account_orgs" "a_after" {
  billing_account_id = agilicus_billing_account.a.id
  depends_on         = [agilicus_billing_org_attachment.moving, terraform_data.phase%s]
}
`, phase, movingTo, moving.ID, joiningAttachment, joinedDependency))
	}
	joiningAttachment := fmt.Sprintf(`
resource "agilicus_billing_org_attachment" "joining" {
  billing_account_id = agilicus_billing_account.a.id
  org_id             = %q
  depends_on         = [data.agilicus_billing_account_orgs.a_before]
}
`, joining.ID)
	orgIDs := func(ids ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, 0, len(ids))
		for _, id := range ids {
			checks = append(checks, knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}))
		}
		return knownvalue.ListExact(checks)
	}
	var accountB string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("one", "a", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.agilicus_billing_account_orgs.a_after", tfjsonpath.New("orgs"), orgIDs(moving.ID)),
					captureString(accountBAddr, "id", &accountB),
				},
			},
			{
				// The move alone: A's list read before it still names the
				// moving organisation.
				PreConfig: api.ResetStats,
				Config:    config("two", "b", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("agilicus_billing_org_attachment.moving", plancheck.ResourceActionCreateBeforeDestroy),
						plancheck.ExpectUnknownValue("data.agilicus_billing_account_orgs.a_before", tfjsonpath.New("orgs")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.agilicus_billing_account_orgs.a_before", tfjsonpath.New("orgs"), orgIDs(moving.ID)),
					statecheck.ExpectKnownValue("data.agilicus_billing_account_orgs.a_after", tfjsonpath.New("orgs"), orgIDs()),
					mockOrgOnlyOn(api, moving.ID, &accountB),
					apiCheckStats(api, routeDetachOrg, 0),
				},
			},
			{
				// An attach to A after A's list was read.
				Config: config("three", "b", joiningAttachment),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("agilicus_billing_org_attachment.joining", plancheck.ResourceActionCreate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.agilicus_billing_account_orgs.a_before", tfjsonpath.New("orgs"), orgIDs()),
					statecheck.ExpectKnownValue("data.agilicus_billing_account_orgs.a_after", tfjsonpath.New("orgs"), orgIDs(joining.ID)),
					mockOrgOnlyOn(api, moving.ID, &accountB),
				},
			},
		},
	})
}

// apiCheckStats checks how many requests of one route the mock counted.
func apiCheckStats(api *testAPI, route string, want int) apiCheck {
	return func(*tfjson.State) error {
		if n := api.Stats().Routes[route]; n != want {
			return fmt.Errorf("%d requests of %s, want %d", n, route, want)
		}
		return nil
	}
}
