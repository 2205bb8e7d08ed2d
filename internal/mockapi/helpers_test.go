package mockapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

const testToken = "test-token"

// fakeClock is a settable clock for Options.Now.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// fixture is a mock server behind a real HTTP listener.
type fixture struct {
	t     *testing.T
	srv   *mockapi.Server
	http  *httptest.Server
	clock *fakeClock
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, mockapi.Options{})
}

// newFixtureWith fills in the token, a fixed seed and a fake clock unless
// opts sets them.
func newFixtureWith(t *testing.T, opts mockapi.Options) *fixture {
	t.Helper()
	clock := newFakeClock()
	if opts.Token == "" {
		opts.Token = testToken
	}
	if opts.Seed == 0 {
		opts.Seed = 42
	}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	srv := mockapi.New(opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &fixture{t: t, srv: srv, http: ts, clock: clock}
}

// response is a completed HTTP exchange.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends an authenticated request. body is sent verbatim when it is a
// string, JSON-encoded otherwise, and omitted when nil.
func (f *fixture) do(method, path string, body any) response {
	f.t.Helper()
	return f.doWith(method, path, body, map[string]string{"Authorization": "Bearer " + testToken})
}

func (f *fixture) doWith(method, path string, body any, headers map[string]string) response {
	f.t.Helper()
	resp, err := f.send(method, path, body, headers)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp
}

// send is do without failing the test on a transport error.
func (f *fixture) send(method, path string, body any, headers map[string]string) (response, error) {
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		reader = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			f.t.Fatalf("encoding request: %v", err)
		}
		reader = strings.NewReader(string(data))
	}
	req, err := http.NewRequest(method, f.http.URL+path, reader)
	if err != nil {
		f.t.Fatalf("building request: %v", err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := f.http.Client().Do(req)
	if err != nil {
		return response{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// expect fails the test unless the response has the given status.
func (r response) expect(t *testing.T, status int) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body: %s", r.status, status, r.body)
	}
	return r
}

// expectError checks the status, the JSON content type and the error code.
func (r response) expectError(t *testing.T, status int, code string) mockapi.ErrorMessage {
	t.Helper()
	r.expect(t, status)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	e := decode[mockapi.ErrorMessage](t, r)
	if e.Code != code {
		t.Errorf("error_code = %q, want %q (message %q)", e.Code, code, e.Message)
	}
	if e.Message == "" {
		t.Error("error_message is empty")
	}
	return e
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decoding %T from %s: %v", v, r.body, err)
	}
	return v
}

// keys decodes a JSON object and returns the object at the given path of
// keys, for checking which keys are present.
func keys(t *testing.T, data []byte, path ...string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("decoding %s: %v", data, err)
	}
	for _, k := range path {
		next, ok := m[k].(map[string]any)
		if !ok {
			t.Fatalf("key %q is not an object in %s", k, data)
		}
		m = next
	}
	return m
}

// createAccount creates an account over HTTP and returns it.
func (f *fixture) createAccount(customerID string) mockapi.BillingAccount {
	f.t.Helper()
	spec := map[string]any{}
	if customerID != "" {
		spec["customer_id"] = customerID
	}
	r := f.do(http.MethodPost, "/v1/billing_accounts", map[string]any{"spec": spec}).expect(f.t, http.StatusCreated)
	return decode[mockapi.BillingAccount](f.t, r)
}

// createOrg creates an org through the Go API.
func (f *fixture) createOrg(name string) mockapi.Organisation {
	f.t.Helper()
	return f.srv.CreateOrg(mockapi.Organisation{Organisation: name, Subdomain: name})
}

func orgIDs(orgs []mockapi.Organisation) []string {
	out := make([]string, 0, len(orgs))
	for _, o := range orgs {
		out = append(out, o.ID)
	}
	return out
}

func accountIDs(accounts []mockapi.BillingAccount) []string {
	out := make([]string, 0, len(accounts))
	for _, a := range accounts {
		out = append(out, a.Metadata.ID)
	}
	return out
}
