package client

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/jws"
	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// newDocumentMock is a mock API with its issuer, tokens living an hour,
// and a document of it.
func newDocumentMock(t *testing.T) (*mockapi.Server, string, []byte) {
	t.Helper()
	srv := mockapi.New(mockapi.Options{Token: "static", TokenLifetime: time.Hour})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	doc, err := json.Marshal(srv.CreateAuthenticationDocument(ts.URL, "svc-user", "org-1", time.Time{}))
	if err != nil {
		t.Fatal(err)
	}
	return srv, ts.URL, doc
}

func documentClient(t *testing.T, url string, doc []byte) (*Client, *DocumentCredentials) {
	t.Helper()
	parsed, err := ParseAuthenticationDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	creds := NewDocumentCredentials(parsed, nil, 5*time.Second, nil)
	c, err := New(Config{BaseURL: url, Credentials: creds, MaxRetries: 2})
	if err != nil {
		t.Fatal(err)
	}
	return c, creds
}

func TestDocumentIsExchangedForTokensThatTheAPIAccepts(t *testing.T) {
	srv, url, doc := newDocumentMock(t)
	c, creds := documentClient(t, url, doc)
	for range 5 {
		if _, err := c.ListBillingAccounts(t.Context(), ListBillingAccountsParams{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := creds.Exchanges(); n != 1 || srv.TokenExchanges() != 1 {
		t.Fatalf("5 requests made %d exchanges (the issuer saw %d), want 1", n, srv.TokenExchanges())
	}
}

// Requests that all find the token due for renewal wait for one exchange.
// The issuer and the client share a clock, so the renewed token is fresh to
// both and nobody exchanges again.
func TestConcurrentRequestsAtExpiryMakeOneExchange(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	srv := mockapi.New(mockapi.Options{Token: "static", TokenLifetime: time.Hour, Now: clock})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	doc, err := json.Marshal(srv.CreateAuthenticationDocument(ts.URL, "svc-user", "org-1", time.Time{}))
	if err != nil {
		t.Fatal(err)
	}
	c, creds := documentClient(t, ts.URL, doc)
	creds.now = clock
	if _, err := c.ListBillingAccounts(t.Context(), ListBillingAccountsParams{}); err != nil {
		t.Fatal(err)
	}
	// Past the token's refresh time, before its expiry.
	mu.Lock()
	now = now.Add(59*time.Minute + 30*time.Second)
	mu.Unlock()
	var wg sync.WaitGroup
	var failed atomic.Int32
	for range 30 {
		wg.Go(func() {
			if _, err := creds.authorization(t.Context()); err != nil {
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	if failed.Load() != 0 || creds.Exchanges() != 2 {
		t.Fatalf("30 concurrent requests at expiry: %d failed, %d exchanges in all, want 0 and 2", failed.Load(), creds.Exchanges())
	}
}

func TestTokensAreRenewedBeforeTheyExpire(t *testing.T) {
	// One clock for the issuer and the client, moved by the test: 5 s of
	// requests every 100 ms with tokens of at least 2 seconds (exp is in
	// whole seconds, rounded up), each renewed a quarter of its life before
	// it expires: exchanges at 0 s (exp 2 s), 1.5 s (exp 4 s) and 3.4 s
	// (exp 6 s, renewed at 5.35 s, after the test).
	var mu sync.Mutex
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	srv := mockapi.New(mockapi.Options{Token: "static", TokenLifetime: 2 * time.Second, Now: clock})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	doc, err := json.Marshal(srv.CreateAuthenticationDocument(ts.URL, "svc-user", "org-1", time.Time{}))
	if err != nil {
		t.Fatal(err)
	}
	c, creds := documentClient(t, ts.URL, doc)
	creds.now = clock
	for range 50 {
		if _, err := c.ListBillingAccounts(t.Context(), ListBillingAccountsParams{}); err != nil {
			t.Fatalf("a request failed while tokens were renewed: %v", err)
		}
		mu.Lock()
		now = now.Add(100 * time.Millisecond)
		mu.Unlock()
	}
	if n := creds.Exchanges(); n != 3 {
		t.Fatalf("5 s of requests with 2 s tokens made %d exchanges, want 3", n)
	}
	if st := srv.Stats(); st.Unauthorized != 0 {
		t.Fatalf("%d requests were refused: a token was used past its expiry", st.Unauthorized)
	}
}

func TestRevokedDocumentFailsWithTheIssuersAnswer(t *testing.T) {
	srv, url, doc := newDocumentMock(t)
	var parsed struct {
		Metadata struct{ ID string } `json:"metadata"`
	}
	_ = json.Unmarshal(doc, &parsed)
	srv.RevokeAuthenticationDocument(parsed.Metadata.ID)
	c, _ := documentClient(t, url, doc)
	_, err := c.ListBillingAccounts(t.Context(), ListBillingAccountsParams{})
	if err == nil || !strings.Contains(err.Error(), "refused authentication document") || !strings.Contains(err.Error(), "revoked") {
		t.Fatalf("want the issuer's refusal quoted, got %v", err)
	}
}

func TestATokenRefusedOnceIsRenewedAndTheRequestSentAgain(t *testing.T) {
	_, url, doc := newDocumentMock(t)
	var refusals atomic.Int32
	c, creds := documentClient(t, url, doc)
	// The first token is refused as if revoked by the server side.
	c.http.HTTPClient.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path != "/token" && refusals.Load() == 0 {
			refusals.Add(1)
			return &http.Response{StatusCode: 401, Status: "401 Unauthorized", Header: http.Header{}, Body: http.NoBody, Request: r}, nil
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	if _, err := c.ListBillingAccounts(t.Context(), ListBillingAccountsParams{}); err != nil {
		t.Fatalf("a request whose token was refused once failed: %v", err)
	}
	if creds.Exchanges() != 2 {
		t.Fatalf("%d exchanges, want 2 (one, then one after the refusal)", creds.Exchanges())
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestBadDocumentsNameTheField(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalECPrivateKey(ec)
	goodKey := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	der384, _ := x509.MarshalECPrivateKey(p384)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	rsaDER, _ := x509.MarshalPKCS8PrivateKey(rsaKey)
	doc := func(issuer, key string) string {
		b, _ := json.Marshal(map[string]any{
			"metadata": map[string]string{"id": "doc1"},
			"spec":     map[string]string{"user_id": "u", "org_id": "o", "auth_issuer_url": issuer},
			"status":   map[string]string{"key": key},
		})
		return string(b)
	}
	for _, tt := range []struct{ name, doc, field string }{
		{"not JSON", "not json", "is not JSON"},
		{"no key", doc("https://auth.agilicus.com", ""), "status.key is missing"},
		{"no issuer", doc("", goodKey), "spec.auth_issuer_url is missing"},
		{"plain http issuer", doc("http://auth.example.com", goodKey), "spec.auth_issuer_url"},
		{"RSA key", doc("https://auth.agilicus.com", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: rsaDER}))), "not an EC P-256 key"},
		{"P-384 key", doc("https://auth.agilicus.com", string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der384}))), "not on P-256"},
		{"key not PEM", doc("https://auth.agilicus.com", "MHcCAQEEI..."), "status.key is not a PEM"},
	} {
		_, err := ParseAuthenticationDocument([]byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.field) {
			t.Errorf("%s: want an error naming %q, got %v", tt.name, tt.field, err)
		}
	}
	if _, err := ParseAuthenticationDocument([]byte(doc("https://auth.agilicus.com", goodKey))); err != nil {
		t.Errorf("a good document was refused: %v", err)
	}
}

func TestExpiredStaticTokenSaysWhenAndWhatToUseInstead(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	expired := time.Now().Add(-time.Minute).Truncate(time.Second)
	token, err := jws.SignES256(key, map[string]any{"exp": expired.Unix()})
	if err != nil {
		t.Fatal(err)
	}
	got := BearerToken(token).refusal("")
	if !strings.Contains(got, "expired at "+expired.UTC().Format(time.RFC3339)) || !strings.Contains(got, "authentication_document") {
		t.Fatalf("refusal of an expired token: %q", got)
	}
}
