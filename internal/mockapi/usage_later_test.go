package mockapi_test

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// laterAccount creates, in a 1.405.8 fixture, an account with the given
// customer id, products and number of attached orgs, and returns its path.
func (f *fixture) laterAccount(customerID string, products []string, orgs int) (string, string) {
	f.t.Helper()
	a := f.createAccount(customerID)
	if products != nil && !f.srv.SetAccountProducts(a.Metadata.ID, products) {
		f.t.Fatal("SetAccountProducts failed")
	}
	for i := range orgs {
		o := f.srv.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("org %d", i)})
		if err := f.srv.AttachOrg(a.Metadata.ID, o.ID); err != nil {
			f.t.Fatal(err)
		}
	}
	return a.Metadata.ID, "/v1/billing_accounts/" + a.Metadata.ID + "/usage_records"
}

func TestLaterUsageRecords(t *testing.T) {
	f := newFixtureWith(t, mockapi.Options{APIVersion: mockapi.APIVersion1405})
	now := f.clock.Now().Unix()
	one := fmt.Sprintf(`{"quantity":2,"timestamp":%d}`, now)
	two := fmt.Sprintf(`{"quantity":3,"timestamp":%d}`, now)

	tests := []struct {
		name     string
		customer string
		products []string
		orgs     int
		body     any
		status   int
		want     string // the exact answer, for 201
		stored   int
	}{
		{"no products: one subscription", "cus_1", nil, 2, nil, 201,
			`{"dry_run":false,"usage_records":[` + one + `]}`, 1},
		{"two products: two records", "cus_2", []string{"Standard", "Extra"}, 3, `{"dry_run": false}`, 201,
			`{"dry_run":false,"usage_records":[` + two + `,` + two + `]}`, 2},
		{"dry run alone", "cus_3", []string{"Standard", "Extra"}, 3, `{"dry_run": true}`, 201,
			`{"dry_run":true,"usage_records":[` + two + `,` + two + `]}`, 0},
		{"client records are ignored", "cus_4", nil, 2,
			`{"dry_run": false, "usage_records": [{"quantity": 99, "timestamp": 1, "dry_run": true}, {}]}`, 201,
			`{"dry_run":false,"usage_records":[` + one + `]}`, 1},
		{"empty object", "cus_5", nil, 2, `{}`, 201,
			`{"dry_run":false,"usage_records":[` + one + `]}`, 1},
		{"undeclared top-level keys are ignored", "cus_6", nil, 2, `{"quantity": "many"}`, 201,
			`{"dry_run":false,"usage_records":[` + one + `]}`, 1},
		{"no customer id: no subscription", "", []string{"Standard"}, 2, nil, 204, "", 0},
		{"no customer id, dry run", "", nil, 2, `{"dry_run": true}`, 204, "", 0},
		{"no attached org: no active resource", "cus_7", []string{"Standard"}, 0, nil, 204, "", 0},
		{"no attached org, dry run", "cus_8", nil, 0, `{"dry_run": true}`, 204, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, path := f.laterAccount(tt.customer, tt.products, tt.orgs)
			r := f.do(http.MethodPost, path, tt.body).expect(t, tt.status)
			if tt.status == http.StatusNoContent {
				if len(r.body) != 0 || r.header.Get("Content-Type") != "" {
					t.Errorf("204 with body %q, content type %q", r.body, r.header.Get("Content-Type"))
				}
			} else if got := string(r.body); got != tt.want+"\n" {
				t.Errorf("answer = %s, want %s", got, tt.want)
			}
			if got := len(f.srv.UsageRecords(id)); got != tt.stored {
				t.Errorf("%d records stored, want %d", got, tt.stored)
			}
		})
	}
}

func TestLaterUsageRecordErrors(t *testing.T) {
	f := newFixtureWith(t, mockapi.Options{APIVersion: mockapi.APIVersion1405})
	id, path := f.laterAccount("cus_1", nil, 1)
	for name, body := range map[string]string{
		"invalid json":        `{"dry_run":`,
		"dry_run type":        `{"dry_run": "yes"}`,
		"usage_records type":  `{"usage_records": {}}`,
		"record type":         `{"usage_records": [5]}`,
		"record quantity":     `{"usage_records": [{"quantity": "x"}]}`,
		"record timestamp":    `{"usage_records": [{"timestamp": 1.5}]}`,
		"array":               `[]`,
		"null":                `null`,
		"trailing value":      `{} {}`,
		"record dry_run type": `{"usage_records": [{"dry_run": 1}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			f.do(http.MethodPost, path, body).expectError(t, http.StatusBadRequest, mockapi.CodeInvalidBody)
		})
	}
	f.do(http.MethodPost, "/v1/billing_accounts/nope/usage_records", nil).expectError(t, http.StatusNotFound, mockapi.CodeAccountNotFound)
	if recs := f.srv.UsageRecords(id); len(recs) != 0 {
		t.Errorf("bad requests stored %v", recs)
	}
}

// The generations answer the same request differently.
func TestUsageRecordsByGeneration(t *testing.T) {
	tests := []struct {
		version  string
		customer string
		status   int
		records  int
	}{
		// 1.125.2 counts the orgs whatever the customer and products.
		{mockapi.APIVersion1125, "", 201, 1},
		{mockapi.APIVersion1125, "cus_1", 201, 1},
		{mockapi.APIVersion1405, "", 204, 0},
		{mockapi.APIVersion1405, "cus_1", 201, 2},
	}
	for _, tt := range tests {
		t.Run(tt.version+" "+tt.customer, func(t *testing.T) {
			f := newFixtureWith(t, mockapi.Options{APIVersion: tt.version})
			id, path := f.laterAccount(tt.customer, []string{"A", "B"}, 1)
			r := f.do(http.MethodPost, path, nil).expect(t, tt.status)
			if tt.version == mockapi.APIVersion1125 {
				got := decode[mockapi.BillingUsageRecord](t, r)
				if got.Quantity != 1 || got.DryRun {
					t.Errorf("1.125.2 answer = %s", r.body)
				}
			}
			if got := len(f.srv.UsageRecords(id)); got != tt.records {
				t.Errorf("%d records stored, want %d", got, tt.records)
			}
		})
	}
}

func TestLaterUsageSummariesAddEveryRecord(t *testing.T) {
	f := newFixtureWith(t, mockapi.Options{APIVersion: mockapi.APIVersion1405})
	_, path := f.laterAccount("cus_1", []string{"A", "B"}, 3)
	f.do(http.MethodPost, path, nil).expect(t, http.StatusCreated)                 // 2 records of 3
	f.do(http.MethodPost, path, `{"dry_run": true}`).expect(t, http.StatusCreated) // not stored
	f.clock.Set(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	f.do(http.MethodPost, path, nil).expect(t, http.StatusCreated) // 2 more, next month

	got := decode[mockapi.ListBillingUsageRecordsResponse](t, f.do(http.MethodGet, path, nil).expect(t, http.StatusOK))
	totals := map[string]int64{}
	for _, s := range got.UsageRecords {
		totals[s.Period] = s.TotalUsage
	}
	if want := map[string]int64{"2026-11": 6, "2026-12": 6}; !maps.Equal(totals, want) {
		t.Errorf("totals = %v, want %v", totals, want)
	}
}

func TestSubscriptionsByGeneration(t *testing.T) {
	subscriptionIDs := func(t *testing.T, f *fixture, id string) []string {
		t.Helper()
		r := f.do(http.MethodGet, "/v1/billing_accounts/"+id+"?get_subscription_data=true", nil).expect(t, http.StatusOK)
		var ids []string
		for _, s := range decode[mockapi.BillingAccount](t, r).Status.Subscriptions {
			sid, _ := s["id"].(string)
			ids = append(ids, sid)
		}
		return ids
	}
	old := newFixture(t)
	later := newFixtureWith(t, mockapi.Options{APIVersion: mockapi.APIVersion1405})
	for _, f := range []*fixture{old, later} {
		f.createAccount("cus_plain")
		f.laterAccount("cus_products", []string{"A", "B", "A"}, 1)
	}
	byCustomer := func(f *fixture, cid string) string {
		r := decode[mockapi.ListBillingAccountsResponse](t, f.do(http.MethodGet, "/v1/billing_accounts?customer_id="+cid, nil))
		return r.BillingAccounts[0].Metadata.ID
	}

	// Without products both generations report the same single subscription.
	oldPlain := subscriptionIDs(t, old, byCustomer(old, "cus_plain"))
	if laterPlain := subscriptionIDs(t, later, byCustomer(later, "cus_plain")); len(oldPlain) != 1 || !slices.Equal(oldPlain, laterPlain) {
		t.Errorf("without products: 1.125.2 %v, 1.405.8 %v", oldPlain, laterPlain)
	}
	// With products 1.125.2 still reports one; 1.405.8 one per product,
	// ids distinct even for a repeated product name, stable across reads,
	// as many as the usage records it creates.
	if ids := subscriptionIDs(t, old, byCustomer(old, "cus_products")); len(ids) != 1 {
		t.Errorf("1.125.2 with products: %v", ids)
	}
	id := byCustomer(later, "cus_products")
	ids := subscriptionIDs(t, later, id)
	if len(ids) != 3 || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != 3 {
		t.Errorf("1.405.8 with three products: %v", ids)
	}
	if again := subscriptionIDs(t, later, id); !slices.Equal(again, ids) {
		t.Errorf("subscription ids moved: %v, then %v", ids, again)
	}
	r := later.do(http.MethodPost, "/v1/billing_accounts/"+id+"/usage_records", `{"dry_run": true}`).expect(t, http.StatusCreated)
	if n := len(decode[mockapi.CreateBillingUsageRecords](t, r).UsageRecords); n != len(ids) {
		t.Errorf("%d usage records for %d subscriptions", n, len(ids))
	}
	acc := decode[mockapi.BillingAccount](t, later.do(http.MethodGet, "/v1/billing_accounts/"+id+"?get_subscription_data=true", nil))
	for i, want := range []string{"A", "B", "A"} {
		if got := acc.Status.Subscriptions[i]["product"]; got != want {
			t.Errorf("subscription %d names product %v, want %s", i, got, want)
		}
	}
}
