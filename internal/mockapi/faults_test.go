package mockapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func TestErrorRateOne(t *testing.T) {
	f := newFixtureWith(t, mockapi.Options{Faults: mockapi.Faults{ErrorRate: 1, RetryAfter: 1500 * time.Millisecond}})
	requests := []struct {
		method, path string
		auth         bool
	}{
		{http.MethodPost, "/v1/billing_accounts", true},
		{http.MethodGet, "/v1/billing_accounts", true},
		{http.MethodGet, "/v1/billing_accounts", false}, // faults come before authentication
		{http.MethodGet, "/v1/unknown", true},
	}
	wantStatus := []int{429, 503, 429, 503}
	wantCode := map[int]string{429: mockapi.CodeTooManyRequests, 503: mockapi.CodeServiceUnavailable}
	for i, rq := range requests {
		headers := map[string]string{}
		if rq.auth {
			headers["Authorization"] = "Bearer " + testToken
		}
		r := f.doWith(rq.method, rq.path, `{"spec": {}}`, headers)
		r.expectError(t, wantStatus[i], wantCode[wantStatus[i]])
		if got := r.header.Get("Retry-After"); got != "2" {
			t.Errorf("request %d: Retry-After = %q, want 2 (1.5s rounded up)", i, got)
		}
	}
	if n := len(f.srv.Accounts()); n != 0 {
		t.Errorf("a faulted POST stored %d accounts", n)
	}
	st := f.srv.Stats()
	want := mockapi.FaultCounts{TooManyRequests: 2, Unavailable: 2}
	if st.Faults != want || st.Total != 4 || st.Unauthorized != 0 {
		t.Errorf("stats = %+v, want faults %+v, total 4, unauthorized 0", st, want)
	}

	f.srv.SetFaults(mockapi.Faults{ErrorRate: 1})
	if got := f.do(http.MethodGet, "/v1/billing_accounts", nil).header.Get("Retry-After"); got != "0" {
		t.Errorf("Retry-After with zero RetryAfter = %q, want 0", got)
	}
	f.srv.SetFaults(mockapi.Faults{})
	f.do(http.MethodGet, "/v1/billing_accounts", nil).expect(t, http.StatusOK)
}

func TestResetRateOne(t *testing.T) {
	f := newFixtureWith(t, mockapi.Options{Faults: mockapi.Faults{ResetRate: 1}})
	auth := map[string]string{"Authorization": "Bearer " + testToken}
	if r, err := f.send(http.MethodPost, "/v1/billing_accounts", `{"spec": {}}`, auth); err == nil {
		t.Fatalf("POST got a response (%d) through a reset", r.status)
	}
	if r, err := f.send(http.MethodGet, "/v1/billing_accounts", nil, auth); err == nil {
		t.Fatalf("GET got a response (%d) through a reset", r.status)
	}
	if n := len(f.srv.Accounts()); n != 0 {
		t.Errorf("a reset request stored %d accounts", n)
	}
	st := f.srv.Stats()
	if st.Faults.Reset < 2 || st.Faults.Reset != st.Total {
		t.Errorf("stats = %+v: every request should be counted as a reset", st)
	}
	// Hooks are never faulted.
	f.doWith(http.MethodGet, "/_mock/stats", nil, nil).expect(t, http.StatusOK)
}

func TestDropAfterCommit(t *testing.T) {
	f := newFixture(t)
	existing := f.createAccount("cus_1")
	f.srv.SetFaults(mockapi.Faults{DropAfterCommitRate: 1})
	auth := map[string]string{"Authorization": "Bearer " + testToken}

	if _, err := f.send(http.MethodPost, "/v1/billing_accounts", `{"spec": {"customer_id": "cus_2"}}`, auth); err == nil {
		t.Fatal("POST got a response despite the drop")
	}
	accounts := f.srv.Accounts()
	if len(accounts) != 2 || *accounts[1].Spec.CustomerID != "cus_2" {
		t.Fatalf("the dropped POST was not committed: %+v", accounts)
	}
	if _, err := f.send(http.MethodPut, "/v1/billing_accounts/"+existing.Metadata.ID, `{"spec": {"customer_id": "cus_3"}}`, auth); err == nil {
		t.Fatal("PUT got a response despite the drop")
	}
	if a, _ := f.srv.Account(existing.Metadata.ID); *a.Spec.CustomerID != "cus_3" {
		t.Errorf("the dropped PUT was not committed: %+v", a.Spec)
	}
	if _, err := f.send(http.MethodDelete, "/v1/billing_accounts/"+existing.Metadata.ID, nil, auth); err == nil {
		t.Fatal("DELETE got a response despite the drop")
	}
	if _, ok := f.srv.Account(existing.Metadata.ID); ok {
		t.Error("the dropped DELETE was not committed")
	}

	// Reads are not dropped, and unauthenticated writes are refused, not processed.
	f.do(http.MethodGet, "/v1/billing_accounts", nil).expect(t, http.StatusOK)
	f.doWith(http.MethodPost, "/v1/billing_accounts", `{}`, nil).expect(t, http.StatusUnauthorized)
	if st := f.srv.Stats(); st.Faults != (mockapi.FaultCounts{DropAfterCommit: 3}) {
		t.Errorf("faults = %+v, want 3 drops", st.Faults)
	}
}

func TestFaultsHook(t *testing.T) {
	f := newFixture(t)
	body := `{"latency_ms": 20, "answer_latency_ms": 30, "error_rate": 0.3, "retry_after_seconds": 1, "reset_rate": 0.1, "drop_after_commit_rate": 0.2}`
	r := f.doWith(http.MethodPut, "/_mock/faults", body, nil).expect(t, http.StatusOK)
	want := mockapi.Faults{Latency: 20 * time.Millisecond, AnswerLatency: 30 * time.Millisecond, ErrorRate: 0.3, RetryAfter: time.Second, ResetRate: 0.1, DropAfterCommitRate: 0.2}
	if got := decode[mockapi.Faults](t, r); got != want {
		t.Errorf("PUT answered %+v", got)
	}
	if got := f.srv.Faults(); got != want {
		t.Errorf("Faults() = %+v, want %+v", got, want)
	}
	r = f.doWith(http.MethodGet, "/_mock/faults", nil, nil).expect(t, http.StatusOK)
	var raw map[string]float64
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatal(err)
	}
	wantRaw := map[string]float64{"latency_ms": 20, "answer_latency_ms": 30, "error_rate": 0.3, "retry_after_seconds": 1, "reset_rate": 0.1, "drop_after_commit_rate": 0.2}
	if len(raw) != len(wantRaw) {
		t.Errorf("GET /_mock/faults = %s", r.body)
	}
	for k, v := range wantRaw {
		if raw[k] != v {
			t.Errorf("%s = %v, want %v", k, raw[k], v)
		}
	}

	for _, bad := range []string{
		`{"error_rate": 1.5}`, `{"error_rate": -0.1}`, `{"reset_rate": 2}`, `{"drop_after_commit_rate": -1}`,
		`{"latency_ms": -5}`, `{"answer_latency_ms": -5}`, `{"retry_after_seconds": -1}`, `{"error_rate": "high"}`, `[]`, ``, `{`,
	} {
		f.doWith(http.MethodPut, "/_mock/faults", bad, nil).expectError(t, http.StatusBadRequest, mockapi.CodeInvalidBody)
	}
	if got := f.srv.Faults(); got != want {
		t.Errorf("a rejected PUT changed the faults to %+v", got)
	}
	// PUT replaces everything: absent keys become zero.
	f.doWith(http.MethodPut, "/_mock/faults", `{"error_rate": 0.5}`, nil).expect(t, http.StatusOK)
	if got := f.srv.Faults(); got != (mockapi.Faults{ErrorRate: 0.5}) {
		t.Errorf("after partial PUT: %+v", got)
	}
}

func TestFaultsValidate(t *testing.T) {
	tests := []struct {
		name string
		f    mockapi.Faults
		ok   bool
	}{
		{"zero", mockapi.Faults{}, true},
		{"bounds", mockapi.Faults{ErrorRate: 1, ResetRate: 1, DropAfterCommitRate: 1, Latency: time.Second, RetryAfter: time.Second}, true},
		{"error rate above 1", mockapi.Faults{ErrorRate: 1.01}, false},
		{"reset rate negative", mockapi.Faults{ResetRate: -0.5}, false},
		{"drop rate above 1", mockapi.Faults{DropAfterCommitRate: 3}, false},
		{"negative latency", mockapi.Faults{Latency: -time.Millisecond}, false},
		{"negative retry-after", mockapi.Faults{RetryAfter: -time.Second}, false},
	}
	for _, tt := range tests {
		if err := tt.f.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

// TestFaultDrawsFollowTheSeed checks that a seed reproduces the sequence of
// injected errors, and that a rate of one half injects some but not all.
func TestFaultDrawsFollowTheSeed(t *testing.T) {
	statuses := func(seed int64) []int {
		srv := mockapi.New(mockapi.Options{Token: testToken, Seed: seed, Faults: mockapi.Faults{ErrorRate: 0.5}})
		var out []int
		for range 40 {
			req := httptest.NewRequest(http.MethodGet, "/v1/billing_accounts", nil)
			req.Header.Set("Authorization", "Bearer "+testToken)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			out = append(out, rec.Code)
		}
		return out
	}
	a, b := statuses(9), statuses(9)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different outcomes:\n%v\n%v", a, b)
	}
	for _, code := range []int{200, 429, 503} {
		if !slices.Contains(a, code) {
			t.Errorf("no %d in 40 requests at error rate 0.5: %v", code, a)
		}
	}
}
