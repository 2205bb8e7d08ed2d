package mockapi_test

import (
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
