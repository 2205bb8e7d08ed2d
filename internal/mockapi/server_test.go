package mockapi_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func TestNewRequiresToken(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New with an empty token did not panic")
		}
	}()
	mockapi.New(mockapi.Options{})
}

func TestAuth(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name   string
		header string
		ok     bool
	}{
		{"no header", "", false},
		{"wrong token", "Bearer wrong", false},
		{"token prefix", "Bearer test", false},
		{"basic scheme", "Basic " + testToken, false},
		{"bare token", testToken, false},
		{"scheme only", "Bearer", false},
		{"empty token", "Bearer ", false},
		{"correct", "Bearer " + testToken, true},
		{"lower-case scheme", "bearer " + testToken, true},
	}
	unauthorized := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := map[string]string{}
			if tt.header != "" {
				headers["Authorization"] = tt.header
			}
			r := f.doWith(http.MethodGet, "/v1/billing_accounts", nil, headers)
			if tt.ok {
				r.expect(t, http.StatusOK)
				return
			}
			unauthorized++
			r.expectError(t, http.StatusUnauthorized, mockapi.CodeUnauthorized)
			if r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	// Every route needs the token, including unknown ones; nothing changes.
	for _, tt := range []struct{ method, path string }{
		{http.MethodPost, "/v1/billing_accounts"},
		{http.MethodPost, "/v1/orgs"},
		{http.MethodGet, "/v1/nothing-here"},
	} {
		f.doWith(tt.method, tt.path, `{"organisation": "x"}`, nil).expectError(t, http.StatusUnauthorized, mockapi.CodeUnauthorized)
		unauthorized++
	}
	if len(f.srv.Accounts()) != 0 || len(f.srv.Orgs()) != 0 {
		t.Error("an unauthorized request changed the data")
	}
	st := f.srv.Stats()
	if st.Unauthorized != unauthorized || st.Total != len(tests)+3 {
		t.Errorf("stats: unauthorized %d total %d, want %d and %d", st.Unauthorized, st.Total, unauthorized, len(tests)+3)
	}
}

func TestRouting(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("")
	acc := "/v1/billing_accounts/" + a.Metadata.ID
	tests := []struct {
		method, path string
		status       int
		code, allow  string
	}{
		{http.MethodGet, "/v1/nothing", 404, mockapi.CodeNotFound, ""},
		{http.MethodGet, "/", 404, mockapi.CodeNotFound, ""},
		{http.MethodGet, "/v1/billing_accounts/", 404, mockapi.CodeNotFound, ""},
		{http.MethodGet, acc + "/orgs/x", 405, mockapi.CodeMethodNotAllowed, "DELETE"},
		{http.MethodGet, acc + "/unknown", 404, mockapi.CodeNotFound, ""},
		{http.MethodPatch, acc, 405, mockapi.CodeMethodNotAllowed, "GET, PUT, DELETE, HEAD"},
		{http.MethodDelete, "/v1/billing_accounts", 405, mockapi.CodeMethodNotAllowed, "GET, POST, HEAD"},
		{http.MethodPut, acc + "/orgs", 405, mockapi.CodeMethodNotAllowed, "GET, POST, HEAD"},
		{http.MethodDelete, acc + "/usage_records", 405, mockapi.CodeMethodNotAllowed, "GET, POST, HEAD"},
		{http.MethodDelete, "/v1/orgs/x", 405, mockapi.CodeMethodNotAllowed, "GET, HEAD"},
		{http.MethodPost, "/_mock/stats", 405, mockapi.CodeMethodNotAllowed, "GET, HEAD"},
		{http.MethodGet, "/_mock/nothing", 404, mockapi.CodeNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := f.do(tt.method, tt.path, nil)
			r.expectError(t, tt.status, tt.code)
			if got := r.header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, want %q", got, tt.allow)
			}
		})
	}
	f.do(http.MethodHead, acc, nil).expect(t, http.StatusOK)
}

// TestServeHTTPDirectly checks the handler works without a listener, as
// tests that call ServeHTTP with a recorder use it.
func TestServeHTTPDirectly(t *testing.T) {
	srv := mockapi.New(mockapi.Options{Token: testToken, Seed: 7})
	req := httptest.NewRequest(http.MethodPost, "/v1/billing_accounts", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("POST without body: %d %s", rec.Code, rec.Body)
	}
}

func TestSeedMakesIDsReproducible(t *testing.T) {
	ids := func(seed int64) []string {
		srv := mockapi.New(mockapi.Options{Token: testToken, Seed: seed})
		var out []string
		for range 3 {
			out = append(out, srv.CreateOrg(mockapi.Organisation{Organisation: "o"}).ID)
		}
		return out
	}
	a, b, c := ids(1), ids(1), ids(2)
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("same seed, different ids: %v %v", a, b)
		}
		if a[i] == c[i] {
			t.Errorf("different seeds, same id %s", a[i])
		}
		if !regexp.MustCompile(`^[0-9A-Za-z]{22}$`).MatchString(a[i]) {
			t.Errorf("id %q is not 22 base62 characters", a[i])
		}
	}
}

func TestReset(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("cus_1")
	f.createOrg("o")
	f.srv.SetFaults(mockapi.Faults{RetryAfter: 3e9})
	f.srv.Reset()
	if len(f.srv.Accounts()) != 0 || len(f.srv.Orgs()) != 0 || f.srv.Stats().Total != 0 {
		t.Error("Reset kept data or stats")
	}
	if f.srv.Faults().RetryAfter != 3e9 {
		t.Error("Reset dropped the fault settings")
	}
	b := f.createAccount("cus_1")
	if b.Metadata.ID == a.Metadata.ID {
		t.Error("an id was reused after Reset")
	}

	f.createOrg("o")
	f.do(http.MethodPost, "/_mock/reset", nil).expect(t, http.StatusNoContent)
	if len(f.srv.Accounts()) != 0 || len(f.srv.Orgs()) != 0 || f.srv.Stats().Total != 0 {
		t.Error("POST /_mock/reset kept data or stats")
	}
}
