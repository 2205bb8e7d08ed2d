package provider

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// usageSummary is one expected item of usage_records.
type usageSummary struct {
	id, period string
	total      int64
}

// mockUsageSummaries derives an account's per-month summaries from the raw
// records the mock holds, independently of the list endpoint, and takes the
// summary ids from the mock's own list answer.
func mockUsageSummaries(t *testing.T, api *testAPI, accountID string) []usageSummary {
	t.Helper()
	totals := map[string]int64{}
	for _, rec := range api.UsageRecords(accountID) {
		totals[time.Unix(rec.Timestamp, 0).UTC().Format("2006-01")] += rec.Quantity
	}
	list, err := api.client(t).ListUsageRecords(t.Context(), accountID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.UsageRecords) != len(totals) {
		t.Fatalf("the mock lists %d summaries for %s, its records span %d months", len(list.UsageRecords), accountID, len(totals))
	}
	ids := map[string]string{}
	for _, s := range list.UsageRecords {
		ids[string(s.Period)] = string(s.ID)
	}
	out := make([]usageSummary, 0, len(totals))
	for period, total := range totals {
		if ids[period] == "" {
			t.Fatalf("the mock lists no id for period %s of %s", period, accountID)
		}
		out = append(out, usageSummary{id: ids[period], period: period, total: total})
	}
	slices.SortFunc(out, func(a, b usageSummary) int { return strings.Compare(a.period, b.period) })
	return out
}

// usageRecordsExact checks usage_records item by item.
func usageRecordsExact(want []usageSummary) knownvalue.Check {
	checks := make([]knownvalue.Check, 0, len(want))
	for _, s := range want {
		checks = append(checks, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id":          knownvalue.StringExact(s.id),
			"period":      knownvalue.StringExact(s.period),
			"total_usage": knownvalue.Int64Exact(s.total),
		}))
	}
	return knownvalue.ListExact(checks)
}

func TestAccBillingUsageRecordsDataSource_basic(t *testing.T) {
	clock := newTestClock(time.Date(2026, 9, 15, 10, 0, 0, 0, time.UTC))
	api := newUsageTestAPI(t, clock, nil)
	busy, quiet, unused := api.createAccount(t, "cus_busy"), api.createAccount(t, "cus_quiet"), api.createAccount(t, "cus_unused")

	// busy: September 1 + 2, October 2, November 4.
	attachNewOrgs(t, api, busy, 1)
	recordUsage(t, api, busy)
	attachNewOrgs(t, api, busy, 1)
	recordUsage(t, api, busy)
	clock.set(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC))
	recordUsage(t, api, busy)
	clock.set(time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC))
	attachNewOrgs(t, api, busy, 2)
	recordUsage(t, api, busy)
	// quiet: October 1 only.
	clock.set(time.Date(2026, 10, 20, 8, 0, 0, 0, time.UTC))
	attachNewOrgs(t, api, quiet, 1)
	recordUsage(t, api, quiet)

	busyWant := mockUsageSummaries(t, api, busy)
	// Pin the fixture itself, so a mistake in it cannot make the
	// comparisons below vacuous.
	pinned := []usageSummary{{period: "2026-09", total: 3}, {period: "2026-10", total: 2}, {period: "2026-11", total: 4}}
	if !slices.EqualFunc(busyWant, pinned, func(a, b usageSummary) bool { return a.period == b.period && a.total == b.total }) {
		t.Fatalf("fixture summaries of busy are %v, want %v", busyWant, pinned)
	}
	quietWant := mockUsageSummaries(t, api, quiet)
	if len(quietWant) != 1 || quietWant[0].total != 1 || quietWant[0].id == busyWant[1].id {
		t.Fatalf("fixture summaries of quiet are %v", quietWant)
	}
	api.ResetStats()

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: usageRecordsConfig(api, busy, ``),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(usageRecordsAddr, tfjsonpath.New("usage_records"), usageRecordsExact(busyWant)),
					statecheck.ExpectKnownValue(usageRecordsAddr, tfjsonpath.New("limit"), knownvalue.Null()),
				},
			},
			{
				Config: usageRecordsConfig(api, busy, `  limit = 2`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(usageRecordsAddr, tfjsonpath.New("usage_records"), usageRecordsExact(busyWant[:2])),
				},
			},
			{
				Config: usageRecordsConfig(api, quiet, `  limit = 500`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(usageRecordsAddr, tfjsonpath.New("usage_records"), usageRecordsExact(quietWant)),
				},
			},
			{
				Config: usageRecordsConfig(api, unused, ``),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(usageRecordsAddr, tfjsonpath.New("usage_records"), knownvalue.ListExact([]knownvalue.Check{})),
				},
			},
		},
	})
	// Listing is a read: nothing may have been recorded along the way.
	if st := api.Stats(); routeCount(st.Routes, usagePostRoute) != 0 {
		t.Errorf("listing sent %d usage-record POSTs", routeCount(st.Routes, usagePostRoute))
	}
	if len(api.UsageRecords(busy)) != 4 || len(api.UsageRecords(quiet)) != 1 || len(api.UsageRecords(unused)) != 0 {
		t.Errorf("usage records changed while listing")
	}
}

// dropUsageSummaryKeys removes keys from the items of usage-record list
// answers: keys[i] from item i. It stands for a server that sends only what
// the published schema declares, or less.
func dropUsageSummaryKeys(keys ...[]string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/usage_records") {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			var list map[string]any
			if rec.Code == http.StatusOK && json.Unmarshal(body, &list) == nil {
				items, _ := list["usage_records"].([]any)
				for i, item := range items {
					obj, ok := item.(map[string]any)
					if !ok || i >= len(keys) {
						continue
					}
					for _, k := range keys[i] {
						delete(obj, k)
					}
				}
				body, _ = json.Marshal(list)
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(bytes.Clone(body))
		})
	}
}

// Keys the API leaves out are null, not empty strings or zero.
func TestAccBillingUsageRecordsDataSource_absentKeys(t *testing.T) {
	clock := newTestClock(time.Date(2026, 3, 3, 3, 0, 0, 0, time.UTC))
	api := newUsageTestAPI(t, clock, dropUsageSummaryKeys([]string{"id", "period"}, []string{"total_usage"}))
	acc := api.createAccount(t, "cus_sparse")
	attachNewOrgs(t, api, acc, 3)
	recordUsage(t, api, acc)
	clock.set(time.Date(2026, 4, 3, 3, 0, 0, 0, time.UTC))
	recordUsage(t, api, acc)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: usageRecordsConfig(api, acc, ``),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(usageRecordsAddr, tfjsonpath.New("usage_records"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":          knownvalue.Null(),
						"period":      knownvalue.Null(),
						"total_usage": knownvalue.Int64Exact(3),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":          knownvalue.StringRegexp(nonEmpty),
						"period":      knownvalue.StringExact("2026-04"),
						"total_usage": knownvalue.Null(),
					}),
				})),
			},
		}},
	})
}

func TestAccBillingUsageRecordsDataSource_missingAccount(t *testing.T) {
	api := newTestAPI(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      usageRecordsConfig(api, "no-such-account", ``),
			ExpectError: errorText(`No billing account with id "no-such-account" exists.`),
		}},
	})
	// The error is the API's 404, not a check made before asking.
	if n := routeCount(api.Stats().Routes, usageListRoute); n == 0 {
		t.Error("the usage records were never requested")
	}
}

// recordUsage stores one usage record through the API, as another client
// of the billing API would.
func recordUsage(t *testing.T, api *testAPI, accountID string) {
	t.Helper()
	if _, err := api.client(t).AddUsageRecord(t.Context(), accountID, false); err != nil {
		t.Fatal(err)
	}
}
