// Fixtures the mock API's tests share: a server started per test with its
// client, request helpers, and spec bodies for both API generations.
package mockapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
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

func ptr[T any](v T) *T { return &v }

var generations = []string{mockapi.APIVersion1125, mockapi.APIVersion1405}

// extraSpec is a spec whose extra keys exercise what a re-encoding would
// change: spacing, key order, number spellings, escapes, HTML characters,
// null, and text that looks like the mock's own placeholders. All of its
// values are valid in both generations.
var extraSpec = map[string]string{
	"note":                 `"caf\u00e9 <b>&amp;</b> \/ok"`,
	"nested":               `{"z": 1, "a": [1.50, 2e3, -0, true, null],  "s": "x"}`,
	"nothing":              `null`,
	"trap":                 `"\/held\/0"`,
	"product_id":           `"prod_1"`,
	"license_constraints":  `[ {"name": "max", "expression": "orgs < 5"} ]`,
	"constraint_variables": `{"max_orgs": 5}`,
}

// specBody builds a spec object from raw values, in sorted key order, with
// Python-style separators.
func specBody(customerID string, extra map[string]string) string {
	body := `{"customer_id": "` + customerID + `"`
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		body += `, "` + k + `": ` + extra[k]
	}
	return body + "}"
}

// rawSpec is the part of an account answer the spec tests read: the spec's
// keys with their values as the bytes the server wrote.
type rawSpec struct {
	Spec map[string]json.RawMessage `json:"spec"`
}

// checkExtra fails unless spec holds exactly customer_id (absent when
// customerID is empty) and the extra keys, each extra value byte for byte.
func checkExtra(t *testing.T, where string, spec map[string]json.RawMessage, customerID string, extra map[string]string) {
	t.Helper()
	want := len(extra)
	if customerID != "" {
		want++
		if got := string(spec["customer_id"]); got != `"`+customerID+`"` {
			t.Errorf("%s: customer_id = %s", where, got)
		}
	}
	if len(spec) != want {
		t.Errorf("%s: spec has keys %v, want customer_id and %v", where, slices.Sorted(maps.Keys(spec)), slices.Sorted(maps.Keys(extra)))
	}
	for k, want := range extra {
		if got, ok := spec[k]; !ok || string(got) != want {
			t.Errorf("%s: spec.%s = %s (present %v), want %s", where, k, got, ok, want)
		}
	}
}

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
