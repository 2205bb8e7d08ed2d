package mockapi_test

import (
	"maps"
	"net/http"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func TestStatsCountsPerRoutePattern(t *testing.T) {
	f := newFixture(t)
	// Go-API calls are not counted.
	org := f.createOrg("o")
	a := f.createAccount("")
	b := f.createAccount("")
	for _, id := range []string{a.Metadata.ID, b.Metadata.ID, "unknown"} {
		f.do(http.MethodGet, "/v1/billing_accounts/"+id, nil)
	}
	f.attach(a.Metadata.ID, org.ID)
	f.do(http.MethodDelete, "/v1/billing_accounts/"+a.Metadata.ID+"/orgs/"+org.ID, nil)
	f.do(http.MethodPost, "/v1/billing_accounts/"+a.Metadata.ID+"/usage_records", `{"dry_run": true}`)
	f.do(http.MethodGet, "/v1/billing_accounts?limit=0", nil)
	f.do(http.MethodPatch, "/v1/billing_accounts/"+b.Metadata.ID, nil)
	f.do(http.MethodGet, "/v2/whatever", nil)
	f.doWith(http.MethodGet, "/v1/orgs/"+org.ID, nil, nil)
	// Hooks are not counted.
	f.do(http.MethodGet, "/_mock/stats", nil)
	f.do(http.MethodGet, "/_mock/faults", nil)

	want := map[string]int{
		"POST /v1/billing_accounts":                                      2,
		"GET /v1/billing_accounts/{billing_account_id}":                  3,
		"POST /v1/billing_accounts/{billing_account_id}/orgs":            1,
		"DELETE /v1/billing_accounts/{billing_account_id}/orgs/{org_id}": 1,
		"POST /v1/billing_accounts/{billing_account_id}/usage_records":   1,
		"GET /v1/billing_accounts":                                       1,
		"PATCH /v1/billing_accounts/{billing_account_id}":                1,
		"GET (unmatched)":       1,
		"GET /v1/orgs/{org_id}": 1,
	}
	st := f.srv.Stats()
	if !maps.Equal(st.Routes, want) {
		t.Errorf("routes = %v\nwant     %v", st.Routes, want)
	}
	if st.Total != 12 || st.Unauthorized != 1 {
		t.Errorf("total %d unauthorized %d, want 12 and 1", st.Total, st.Unauthorized)
	}
	if st.Faults != (mockapi.FaultCounts{}) {
		t.Errorf("faults counted without injection: %+v", st.Faults)
	}

	// Stats returns a copy.
	st.Routes["GET /v1/billing_accounts"] = 100
	if f.srv.Stats().Routes["GET /v1/billing_accounts"] != 1 {
		t.Error("changing the returned map changed the server's stats")
	}

	f.srv.ResetStats()
	if st := f.srv.Stats(); st.Total != 0 || len(st.Routes) != 0 || st.Unauthorized != 0 {
		t.Errorf("after ResetStats: %+v", st)
	}
	if len(f.srv.Accounts()) != 2 {
		t.Error("ResetStats dropped data")
	}
}

func TestStatsHooks(t *testing.T) {
	f := newFixture(t)
	f.do(http.MethodGet, "/v1/billing_accounts", nil)
	f.doWith(http.MethodGet, "/v1/billing_accounts", nil, nil)

	// The hooks need no token.
	r := f.doWith(http.MethodGet, "/_mock/stats", nil, nil).expect(t, http.StatusOK)
	top := keys(t, r.body)
	for _, k := range []string{"total", "routes", "unauthorized", "faults"} {
		if _, ok := top[k]; !ok {
			t.Errorf("stats JSON lacks %q: %s", k, r.body)
		}
	}
	faults := keys(t, r.body, "faults")
	for _, k := range []string{"429", "503", "reset", "drop_after_commit"} {
		if _, ok := faults[k]; !ok {
			t.Errorf("stats faults lack %q: %s", k, r.body)
		}
	}
	got := decode[mockapi.Stats](t, r)
	if got.Total != 2 || got.Unauthorized != 1 || got.Routes["GET /v1/billing_accounts"] != 2 {
		t.Errorf("stats = %+v", got)
	}

	f.doWith(http.MethodPost, "/_mock/stats/reset", nil, nil).expect(t, http.StatusNoContent)
	got = decode[mockapi.Stats](t, f.doWith(http.MethodGet, "/_mock/stats", nil, nil))
	if got.Total != 0 || len(got.Routes) != 0 {
		t.Errorf("after reset: %+v", got)
	}
}
