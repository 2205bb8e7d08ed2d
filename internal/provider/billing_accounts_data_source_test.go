package provider

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccBillingAccountsDataSource_basic(t *testing.T) {
	api := newTestAPI(t)
	f := newAccountFixture(t, api)
	const addr = "data.agilicus_billing_accounts.test"
	list := func(args string) string {
		return api.providerConfig(fmt.Sprintf(`
data "agilicus_billing_accounts" "test" {
%s
}`, args))
	}
	ids := func(ids ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, 0, len(ids))
		for _, id := range ids {
			checks = append(checks, knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}))
		}
		return knownvalue.ListExact(checks)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: list(``),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("billing_accounts"), ids(f.withOrg, f.plain)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("billing_accounts").AtSliceIndex(0).AtMapKey("customer"), knownvalue.Null()),
				},
			},
			{
				Config: list(`customer_id = "cus_beta"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("billing_accounts"), ids(f.plain)),
				},
			},
			{
				Config: list(fmt.Sprintf(`org_id = %q`, f.orgID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("billing_accounts"), ids(f.withOrg)),
				},
			},
			{
				Config: list(`limit = 1`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("billing_accounts"), ids(f.withOrg)),
				},
			},
			{
				Config: list(`
  include_customer_data     = true
  include_subscription_data = true`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("billing_accounts").AtSliceIndex(1), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"customer":         knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("Customer cus_beta")}),
						"subscriptions":    knownvalue.ListSizeExact(subscriptionsOf(t, 0)),
						"subscription_ids": knownvalue.ListSizeExact(subscriptionsOf(t, 0)),
					})),
				},
			},
			{
				Config: list(`customer_id = "cus_nobody"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("billing_accounts"), knownvalue.ListExact([]knownvalue.Check{})),
				},
			},
		},
	})
}

// The accounts data source returns every matching account, following the
// newer API's pages (two accounts a page in these tests, so five accounts
// cross two page boundaries), and stops at limit, even within a page. The
// older API answers all five at once.
func TestAccBillingAccountsDataSource_pages(t *testing.T) {
	var queries accountListQueries
	api := newWrappedTestAPI(t, testMockOptions(t), queries.record)
	var ids []string
	for i := range 5 {
		ids = append(ids, api.createAccount(t, fmt.Sprintf("cus_page_%d", i)))
	}
	const addr = "data.agilicus_billing_accounts.test"
	idList := func(ids ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, 0, len(ids))
		for _, id := range ids {
			checks = append(checks, knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}))
		}
		return knownvalue.ListExact(checks)
	}
	config := func(args string) string {
		return api.providerConfig(fmt.Sprintf(`
data "agilicus_billing_accounts" "test" {
  %s
}`, args))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: api.ResetStats,
				Config:    config(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("billing_accounts"), idList(ids...)),
				},
			},
			{
				// Two accounts a page: each read asks for 3, then for the 1
				// still wanted, and never for a third page.
				PreConfig: queries.reset,
				Config:    config("limit = 3"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("billing_accounts"), idList(ids[:3]...)),
					apiCheck(func(*tfjson.State) error {
						want := []string{"limit=3"}
						if newerAPI(t) {
							want = append(want, "limit=1&page_at_id="+ids[2])
						}
						return queries.eachReadAsked(want)
					}),
				},
			},
			{
				PreConfig: api.ResetStats,
				Config:    config(`customer_id = "cus_page_4"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("billing_accounts"), idList(ids[4])),
				},
			},
		},
	})
}

// accountListQueries records the query of every account-list request.
type accountListQueries struct {
	mu      sync.Mutex
	queries []string
}

func (q *accountListQueries) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/v1/billing_accounts" {
			q.mu.Lock()
			q.queries = append(q.queries, r.URL.RawQuery)
			q.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func (q *accountListQueries) reset() {
	q.mu.Lock()
	q.queries = nil
	q.mu.Unlock()
}

// eachReadAsked checks that the requests were one or more reads, each
// made of the queries in want, in order.
func (q *accountListQueries) eachReadAsked(want []string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.queries) == 0 || len(q.queries)%len(want) != 0 {
		return fmt.Errorf("account-list queries %q are not whole reads of %q", q.queries, want)
	}
	for i, got := range q.queries {
		if got != want[i%len(want)] {
			return fmt.Errorf("account-list queries %q, want reads of %q", q.queries, want)
		}
	}
	return nil
}
