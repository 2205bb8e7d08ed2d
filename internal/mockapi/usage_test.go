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

func TestAddUsageRecord(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("cus_1")
	for _, name := range []string{"o1", "o2"} {
		if err := f.srv.AttachOrg(a.Metadata.ID, f.createOrg(name).ID); err != nil {
			t.Fatal(err)
		}
	}
	path := "/v1/billing_accounts/" + a.Metadata.ID + "/usage_records"
	now := f.clock.Now().Unix()

	tests := []struct {
		name   string
		body   any
		dryRun bool
	}{
		{"dry run", `{"dry_run": true}`, true},
		{"dry run ignores read-only fields", `{"dry_run": true, "quantity": 99, "timestamp": 1}`, true},
		{"empty body", nil, false},
		{"empty object", `{}`, false},
		{"explicit false", `{"dry_run": false, "quantity": 99}`, false},
	}
	stored := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.do(http.MethodPost, path, tt.body).expect(t, http.StatusCreated)
			got := decode[mockapi.BillingUsageRecord](t, r)
			want := mockapi.BillingUsageRecord{DryRun: tt.dryRun, Quantity: 2, Timestamp: now}
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
			if _, ok := keys(t, r.body)["dry_run"]; !ok {
				t.Error("dry_run is absent from the response")
			}
			if !tt.dryRun {
				stored++
			}
			if n := len(f.srv.UsageRecords(a.Metadata.ID)); n != stored {
				t.Errorf("%d records stored, want %d", n, stored)
			}
		})
	}

	empty := f.createAccount("")
	got := decode[mockapi.BillingUsageRecord](t, f.do(http.MethodPost,
		"/v1/billing_accounts/"+empty.Metadata.ID+"/usage_records", nil).expect(t, http.StatusCreated))
	if got.Quantity != 0 {
		t.Errorf("account without orgs: quantity %d", got.Quantity)
	}
}

func TestUsageRecordErrors(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("")
	path := "/v1/billing_accounts/" + a.Metadata.ID + "/usage_records"
	for name, body := range map[string]string{
		"invalid json":   `{"dry_run":`,
		"dry_run type":   `{"dry_run": "yes"}`,
		"quantity type":  `{"quantity": "many"}`,
		"array":          `[]`,
		"null":           `null`,
		"trailing value": `{} []`,
	} {
		t.Run(name, func(t *testing.T) {
			f.do(http.MethodPost, path, body).expectError(t, http.StatusBadRequest, mockapi.CodeInvalidBody)
		})
	}
	f.do(http.MethodPost, "/v1/billing_accounts/nope/usage_records", nil).expectError(t, http.StatusNotFound, mockapi.CodeAccountNotFound)
	f.do(http.MethodGet, "/v1/billing_accounts/nope/usage_records", nil).expectError(t, http.StatusNotFound, mockapi.CodeAccountNotFound)
	if recs := f.srv.UsageRecords(a.Metadata.ID); len(recs) != 0 {
		t.Errorf("bad requests stored %v", recs)
	}
}

func TestListUsageRecords(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("cus_1")
	other := f.createAccount("cus_2")
	path := "/v1/billing_accounts/" + a.Metadata.ID + "/usage_records"
	list := func(query string) mockapi.ListBillingUsageRecordsResponse {
		t.Helper()
		return decode[mockapi.ListBillingUsageRecordsResponse](t, f.do(http.MethodGet, path+query, nil).expect(t, http.StatusOK))
	}
	if got := list(""); got.Limit != 500 || got.UsageRecords == nil || len(got.UsageRecords) != 0 {
		t.Errorf("no records: %+v", got)
	}

	post := func(at time.Time, orgs int, dryRun bool) {
		t.Helper()
		f.clock.Set(at)
		for _, o := range f.srv.Orgs() {
			f.srv.DetachOrg(a.Metadata.ID, o.ID)
		}
		for range orgs {
			o := f.srv.CreateOrg(mockapi.Organisation{Organisation: "org"})
			if err := f.srv.AttachOrg(a.Metadata.ID, o.ID); err != nil {
				t.Fatal(err)
			}
		}
		f.do(http.MethodPost, path, map[string]bool{"dry_run": dryRun}).expect(t, http.StatusCreated)
	}
	dec := time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)
	nov := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	jan := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	post(dec, 3, false)
	post(nov, 2, false)
	post(nov.Add(24*time.Hour), 1, false)
	post(jan, 5, false)
	post(jan, 100, true) // dry run: not counted
	f.do(http.MethodPost, "/v1/billing_accounts/"+other.Metadata.ID+"/usage_records", nil).expect(t, http.StatusCreated)

	got := list("")
	type summary struct {
		period string
		total  int64
	}
	var sums []summary
	for _, s := range got.UsageRecords {
		sums = append(sums, summary{s.Period, s.TotalUsage})
	}
	want := []summary{{"2026-11", 3}, {"2026-12", 3}, {"2027-01", 5}}
	if !slices.Equal(sums, want) {
		t.Errorf("summaries = %v, want %v", sums, want)
	}
	ids := map[string]bool{}
	for _, s := range got.UsageRecords {
		if s.ID == "" || ids[s.ID] {
			t.Errorf("summary id %q is empty or repeated", s.ID)
		}
		ids[s.ID] = true
	}
	if again := list(""); !slices.Equal(again.UsageRecords, got.UsageRecords) {
		t.Errorf("second read differs: %+v", again.UsageRecords)
	}
	items := decode[struct {
		UsageRecords []map[string]any `json:"usage_records"`
	}](t, f.do(http.MethodGet, path, nil)).UsageRecords
	for _, k := range []string{"id", "period", "total_usage"} {
		if _, ok := items[0][k]; !ok {
			t.Errorf("usage record item lacks %q: %v", k, items[0])
		}
	}

	if got := list("?limit=2"); got.Limit != 2 || len(got.UsageRecords) != 2 || got.UsageRecords[1].Period != "2026-12" {
		t.Errorf("limit=2: %+v", got)
	}
	recs := f.srv.UsageRecords(a.Metadata.ID)
	if len(recs) != 4 || recs[0] != (mockapi.UsageRecord{Quantity: 3, Timestamp: dec.Unix()}) {
		t.Errorf("UsageRecords = %+v", recs)
	}
	if f.srv.UsageRecords("nope") != nil {
		t.Error("UsageRecords of an unknown account is not nil")
	}
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
