package client

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func TestUnauthorized(t *testing.T) {
	srv := mockapi.New(mockapi.Options{Token: mockToken})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c, err := New(Config{BaseURL: ts.URL, Token: "wrong-token"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListBillingAccounts(t.Context(), ListBillingAccountsParams{})
	mustStatus(t, err, http.StatusUnauthorized)
	if !hasStatus(err, http.StatusUnauthorized) {
		t.Fatal("a 401 is not reported as such")
	}
	if strings.Contains(err.Error(), "wrong-token") {
		t.Fatalf("the error quotes the token: %v", err)
	}
}

func TestRequestHeaders(t *testing.T) {
	var got http.Header
	c, _ := newScriptedClient(t, 0, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		jsonBody(201, accountJSON)(w, r)
	})
	if _, err := c.CreateBillingAccount(t.Context(), BillingAccountSpec{CustomerID: "x"}); err != nil {
		t.Fatal(err)
	}
	if got.Get("Authorization") != "Bearer tok" || got.Get("Content-Type") != "application/json" ||
		!strings.HasPrefix(got.Get("User-Agent"), "terraform-provider-agilicus") {
		t.Fatalf("headers: %v", got)
	}
}

func TestBadRequest(t *testing.T) {
	c, _ := newScriptedClient(t, 3, jsonBody(400, `{"error_code":"BAD","error_message":"no"}`))
	_, err := c.AddUsageRecord(t.Context(), "acc1", true)
	if !hasStatus(err, http.StatusBadRequest) {
		t.Fatalf("want a 400, got %v", err)
	}
}

// Only writable fields travel: the spec on create and replace, org_id when
// attaching, dry_run when recording usage.
func TestRequestBodies(t *testing.T) {
	var bodies []string
	c, _ := newScriptedClient(t, 0, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, r.Method+" "+string(b))
		jsonBody(200, accountJSON)(w, r)
	})
	ctx := t.Context()
	dev := false
	_, _ = c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "x", DevMode: &dev})
	_, _ = c.ReplaceBillingAccount(ctx, "acc1", BillingAccountSpec{})
	_, _ = c.AddOrgToBillingAccount(ctx, "acc1", "org1")
	_, _ = c.AddUsageRecord(ctx, "acc1", false)
	_ = c.DeleteBillingAccount(ctx, "acc1")
	want := []string{
		`POST {"spec":{"customer_id":"x","dev_mode":false}}`,
		`PUT {"spec":{}}`,
		`POST {"org_id":"org1"}`,
		`POST {"dry_run":false}`,
		`DELETE `,
	}
	if strings.Join(bodies, "\n") != strings.Join(want, "\n") {
		t.Fatalf("bodies:\n%s\nwant:\n%s", strings.Join(bodies, "\n"), strings.Join(want, "\n"))
	}
}

func TestTruncateUTF8KeepsCharactersWhole(t *testing.T) {
	s := strings.Repeat("é", 150) // 300 bytes, 2 a character
	for n := 0; n <= len(s); n++ {
		got := truncateUTF8(s, n)
		if len(got) > n || !strings.HasPrefix(s, got) || len(got)%2 != 0 {
			t.Fatalf("truncateUTF8(%d) = %d bytes, not whole characters", n, len(got))
		}
	}
	_, text := decodeErrorBody([]byte("x" + s))
	if !strings.HasSuffix(text, "...") || !utf8Valid(text) {
		t.Fatalf("a cut error body is not valid UTF-8: %q", text)
	}
	if got := snippet([]byte(strings.Repeat("€", snippetBytes))); !utf8Valid(got) || strings.ContainsRune(got, '\uFFFD') {
		t.Fatalf("a cut snippet splits a character: %q", got)
	}
}

func TestRecoveryContextOutlivesAStop(t *testing.T) {
	c, _, _ := slowServer(t, 0, jsonBody(200, accountJSON))
	ctx, stop := context.WithCancel(t.Context())
	if rc, cancel := c.RecoveryContext(ctx); rc != ctx {
		cancel()
		t.Fatal("a live context was replaced")
	}
	stop()
	rc, cancel := c.RecoveryContext(ctx)
	defer cancel()
	if _, err := c.GetBillingAccount(rc, "acc1", GetBillingAccountParams{}); err != nil {
		t.Fatalf("a recovery read after a stop failed: %v", err)
	}
	if _, ok := rc.Deadline(); !ok {
		t.Fatal("the recovery context has no deadline")
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
