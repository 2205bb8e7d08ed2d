package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

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

// A refresh of 30 accounts and 30 attachments crosses the listing switch:
// at most 20 reads go to the API one by one, the rest, attachments
// included, are served by one listing. The listing's data is the API's: an
// account changed outside Terraform is planned back, and one deleted
// outside Terraform, missing from the listing, is confirmed gone with a
// GET before it leaves the state. (The last accounts are the ones changed,
// as Terraform reads them late, past the switch; the unit tests of
// accountListing pin each rule regardless of order.)
func TestAccRefreshListing_crossesTheSwitch(t *testing.T) {
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

// A listing that fails (part-way, on the API version that pages) answers
// nothing: every read falls back to its own request, and nothing leaves the
// state.
func TestAccRefreshListing_failingListingDropsNothing(t *testing.T) {
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
