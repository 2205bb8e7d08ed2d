package client

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestValidateID(t *testing.T) {
	valid := []string{"1234", "aB29sdkD3jlaAbl7", "org_1-x.y:z", strings.Repeat("a", MaxIDLength)}
	for _, id := range valid {
		if err := ValidateID(id); err != nil {
			t.Errorf("ValidateID(%q) = %v, want nil", id, err)
		}
	}
	invalid := []string{
		"", ".", "..", "a/b", "../x", `a\b`, "a%2Fb", "a?b", "a#b", "a b", " a", "a\tb",
		"a\nb", "a\x00b", "a\x7fb", "\u200b", strings.Repeat("a", MaxIDLength+1),
	}
	for _, id := range invalid {
		if err := ValidateID(id); err == nil {
			t.Errorf("ValidateID(%q) = nil, want an error", id)
		}
	}
}

func TestBadIDsFailBeforeAnyRequest(t *testing.T) {
	c, srv := newScriptedClient(t, 0, status(200))
	ctx := t.Context()
	calls := []func() error{
		func() error { _, err := c.GetBillingAccount(ctx, "", GetBillingAccountParams{}); return err },
		func() error { _, err := c.ReplaceBillingAccount(ctx, "a/b", BillingAccountSpec{}); return err },
		func() error { return c.DeleteBillingAccount(ctx, "..") },
		func() error { _, err := c.ListBillingAccountOrgs(ctx, "a b", 0); return err },
		func() error { _, err := c.AddOrgToBillingAccount(ctx, "acc", ""); return err },
		func() error { return c.RemoveOrgFromBillingAccount(ctx, "acc", "x%y") },
		func() error { _, err := c.ListUsageRecords(ctx, "a\nb", 0); return err },
		func() error { _, err := c.AddUsageRecord(ctx, ".", true); return err },
	}
	for i, call := range calls {
		var ide *InvalidIDError
		if err := call(); !errors.As(err, &ide) {
			t.Errorf("call %d: want an InvalidIDError, got %v", i, err)
		}
	}
	limits := []func() error{
		func() error { _, err := c.ListBillingAccounts(ctx, ListBillingAccountsParams{Limit: -1}); return err },
		func() error { _, err := c.ListBillingAccountOrgs(ctx, "acc", -1); return err },
		func() error { _, err := c.ListUsageRecords(ctx, "acc", -500); return err },
	}
	for i, call := range limits {
		var le *InvalidLimitError
		if err := call(); !errors.As(err, &le) {
			t.Errorf("limit call %d: want an InvalidLimitError, got %v", i, err)
		}
	}
	if n := srv.calls.Load(); n != 0 {
		t.Fatalf("invalid input reached the server %d times", n)
	}
}

func TestParseBaseURL(t *testing.T) {
	ok := map[string]string{
		"https://api.agilicus.com":    "https://api.agilicus.com",
		"https://api.agilicus.com/":   "https://api.agilicus.com",
		"https://example.test/prefix": "https://example.test/prefix",
		"http://127.0.0.1:8080":       "http://127.0.0.1:8080",
		"http://localhost:1":          "http://localhost:1",
		"http://[::1]:8080":           "http://[::1]:8080",
	}
	for in, want := range ok {
		u, err := ParseBaseURL(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseBaseURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	bad := []string{
		"", "api.agilicus.com", "ftp://api.agilicus.com", "http://api.agilicus.com", "http://10.0.0.1",
		"https://", "https://user:pw@api.agilicus.com", "https://api.agilicus.com?x=1", "https://api.agilicus.com#f", "://x",
	}
	for _, in := range bad {
		if _, err := ParseBaseURL(in); err == nil {
			t.Errorf("ParseBaseURL(%q) accepted a bad host", in)
		}
	}
}

func TestPathsAreEscaped(t *testing.T) {
	p, err := accountPath(idSeg("billing account id", "a:b@c"), lit("orgs"))
	if err != nil || p != "/v1/billing_accounts/a:b@c/orgs" {
		t.Fatalf("got %q, %v", p, err)
	}
	p, err = accountPath(idSeg("billing account id", "é;x"))
	if err != nil || p != "/v1/billing_accounts/%C3%A9%3Bx" {
		t.Fatalf("got %q, %v", p, err)
	}
}

func TestEscapedPathOnTheWire(t *testing.T) {
	var got string
	c, _ := newScriptedClient(t, 0, func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.EscapedPath()
		jsonBody(200, `{"metadata":{"id":"é;x:1"}}`)(w, r)
	})
	if _, err := c.GetBillingAccount(t.Context(), "é;x:1", GetBillingAccountParams{}); err != nil {
		t.Fatal(err)
	}
	if got != "/v1/billing_accounts/%C3%A9%3Bx:1" {
		t.Fatalf("server saw path %q", got)
	}
}

// FuzzValidateID checks that an id accepted by ValidateID always becomes
// exactly one escaped path segment below the accounts collection.
func FuzzValidateID(f *testing.F) {
	for _, seed := range []string{"abc", "a/b", "..", "a%2F", "é", "a b", "x\x00", "acc:1@2"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		p, err := accountPath(idSeg("billing account id", id))
		if err != nil {
			var ide *InvalidIDError
			if !errors.As(err, &ide) {
				t.Fatalf("unexpected error type %T", err)
			}
			return
		}
		rest := p[len(accountsPath)+1:]
		for _, r := range rest {
			if r == '/' || r == '?' || r == '#' {
				t.Fatalf("id %q escaped to %q, which leaves its path segment", id, p)
			}
		}
	})
}
