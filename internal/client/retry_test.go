package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// scriptedServer answers each request with the next step of a script and
// counts the requests it saw.
type scriptedServer struct {
	steps []func(w http.ResponseWriter, r *http.Request)
	calls atomic.Int32
}

func (s *scriptedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(s.calls.Add(1)) - 1
	if n >= len(s.steps) {
		n = len(s.steps) - 1
	}
	s.steps[n](w, r)
}

func status(code int, headers ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(code)
	}
}

func jsonBody(code int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}
}

// hangUp closes the connection after reading the request, as a server that
// acted on a request and then lost the connection would.
func hangUp(w http.ResponseWriter, _ *http.Request) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("the test server cannot hijack connections")
	}
	if conn, _, err := hj.Hijack(); err == nil {
		_ = conn.Close()
	}
}

func newScriptedClient(t *testing.T, maxRetries int, steps ...func(http.ResponseWriter, *http.Request)) (*Client, *scriptedServer) {
	t.Helper()
	s := &scriptedServer{steps: steps}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	c, err := New(Config{
		BaseURL: ts.URL, Token: "tok", MaxRetries: maxRetries,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

const accountJSON = `{"metadata":{"id":"acc1"},"spec":{"customer_id":"cus_1"}}`

func TestRetryPolicy(t *testing.T) {
	tests := []struct {
		name      string
		call      func(ctx context.Context, c *Client) error
		steps     []func(http.ResponseWriter, *http.Request)
		wantCalls int32
		check     func(t *testing.T, err error)
	}{
		{
			name:      "GET retries 429 with Retry-After then succeeds",
			call:      getAccount,
			steps:     []func(http.ResponseWriter, *http.Request){status(429, "Retry-After", "0"), jsonBody(200, accountJSON)},
			wantCalls: 2, check: wantNoError,
		},
		{
			name:      "GET retries 500, 502 and 504",
			call:      getAccount,
			steps:     []func(http.ResponseWriter, *http.Request){status(500), status(502), status(504), jsonBody(200, accountJSON)},
			wantCalls: 4, check: wantNoError,
		},
		{
			name:      "GET retries a dropped connection",
			call:      getAccount,
			steps:     []func(http.ResponseWriter, *http.Request){hangUp, jsonBody(200, accountJSON)},
			wantCalls: 2, check: wantNoError,
		},
		{
			name:      "GET does not retry 501",
			call:      getAccount,
			steps:     []func(http.ResponseWriter, *http.Request){status(501), jsonBody(200, accountJSON)},
			wantCalls: 1, check: wantStatus(501),
		},
		{
			name:      "GET does not retry 404",
			call:      getAccount,
			steps:     []func(http.ResponseWriter, *http.Request){status(404), jsonBody(200, accountJSON)},
			wantCalls: 1, check: wantStatus(404),
		},
		{
			name:      "create retries 429 and 503: the server did not act",
			call:      createAccount,
			steps:     []func(http.ResponseWriter, *http.Request){status(429), status(503), jsonBody(201, accountJSON)},
			wantCalls: 3, check: wantNoError,
		},
		{
			name:      "create does not retry 500: the server may have acted",
			call:      createAccount,
			steps:     []func(http.ResponseWriter, *http.Request){status(500), jsonBody(201, accountJSON)},
			wantCalls: 1, check: wantStatus(500),
		},
		{
			name:      "create does not replay a request whose answer was lost",
			call:      createAccount,
			steps:     []func(http.ResponseWriter, *http.Request){hangUp, jsonBody(201, accountJSON)},
			wantCalls: 1,
			check: func(t *testing.T, err error) {
				if te := (*TransportError)(nil); !errors.As(err, &te) || !te.outcomeUnknown() {
					t.Fatalf("want an outcome-unknown error, got %v", err)
				}
			},
		},
		{
			name:      "recording usage does not replay a lost answer",
			call:      func(ctx context.Context, c *Client) error { _, err := c.AddUsageRecord(ctx, "acc1", false); return err },
			steps:     []func(http.ResponseWriter, *http.Request){hangUp, jsonBody(201, `{"quantity":1}`)},
			wantCalls: 1,
			check: func(t *testing.T, err error) {
				if te := (*TransportError)(nil); !errors.As(err, &te) || !te.outcomeUnknown() {
					t.Fatalf("want an outcome-unknown error, got %v", err)
				}
			},
		},
		{
			name:      "a usage preview is replayed: it stores nothing",
			call:      func(ctx context.Context, c *Client) error { _, err := c.AddUsageRecord(ctx, "acc1", true); return err },
			steps:     []func(http.ResponseWriter, *http.Request){hangUp, jsonBody(201, `{"quantity":1,"dry_run":true}`)},
			wantCalls: 2, check: wantNoError,
		},
		{
			name: "attaching an organisation is replayed: it is idempotent",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.AddOrgToBillingAccount(ctx, "acc1", "org1")
				return err
			},
			steps:     []func(http.ResponseWriter, *http.Request){hangUp, status(502), jsonBody(200, `{"id":"org1"}`)},
			wantCalls: 3, check: wantNoError,
		},
		{
			name:      "retries stop at the bound and report attempts and last status",
			call:      getAccount,
			steps:     []func(http.ResponseWriter, *http.Request){status(503)},
			wantCalls: 4,
			check: func(t *testing.T, err error) {
				var ae *APIError
				if !errors.As(err, &ae) || ae.StatusCode != 503 || ae.Attempts != 4 {
					t.Fatalf("want a 503 APIError after 4 attempts, got %#v", err)
				}
				if got := err.Error(); !strings.HasPrefix(got, "GET http://127.0.0.1:") ||
					!strings.HasSuffix(got, "/v1/billing_accounts/acc1: 503 Service Unavailable (after 4 attempts)") {
					t.Fatalf("error text %q", got)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, srv := newScriptedClient(t, 3, tt.steps...)
			err := tt.call(t.Context(), c)
			tt.check(t, err)
			if got := srv.calls.Load(); got != tt.wantCalls {
				t.Fatalf("server saw %d requests, want %d", got, tt.wantCalls)
			}
		})
	}
}

func TestRetryStopsOnCancel(t *testing.T) {
	s := &scriptedServer{steps: []func(http.ResponseWriter, *http.Request){status(503, "Retry-After", "30")}}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	c, err := New(Config{BaseURL: ts.URL, Token: "tok", MaxRetries: 5})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		for s.calls.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	done := make(chan error, 1)
	go func() { _, err := c.GetBillingAccount(ctx, "acc1", GetBillingAccountParams{}); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("want context.Canceled, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled request kept waiting for its 30 s Retry-After")
	}
	if got := s.calls.Load(); got != 1 {
		t.Fatalf("server saw %d requests after cancel, want 1", got)
	}
}

func TestNoRetriesWhenDisabled(t *testing.T) {
	c, srv := newScriptedClient(t, 0, status(503))
	_, err := c.GetBillingAccount(t.Context(), "acc1", GetBillingAccountParams{})
	wantStatus(503)(t, err)
	if srv.calls.Load() != 1 {
		t.Fatalf("server saw %d requests, want 1", srv.calls.Load())
	}
}

func TestBackoff(t *testing.T) {
	resp := func(h string) *http.Response {
		r := &http.Response{Header: http.Header{}}
		if h != "" {
			r.Header.Set("Retry-After", h)
		}
		return r
	}
	if d := backoff(time.Second, 30*time.Second, 0, resp("7")); d != 7*time.Second {
		t.Errorf("Retry-After 7: got %s", d)
	}
	if d := backoff(time.Second, 30*time.Second, 0, resp("100000")); d != maxRetryAfter {
		t.Errorf("huge Retry-After is capped: got %s", d)
	}
	for attempt := range 12 {
		d := backoff(time.Second, 30*time.Second, attempt, resp(""))
		want := min(time.Second<<attempt, 30*time.Second)
		if d < want/2 || d > want {
			t.Errorf("attempt %d: %s outside [%s, %s]", attempt, d, want/2, want)
		}
	}
	date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	if d := backoff(time.Second, 30*time.Second, 0, resp(date)); d < 80*time.Second || d > 90*time.Second {
		t.Errorf("Retry-After as a date: got %s", d)
	}
}

func getAccount(ctx context.Context, c *Client) error {
	_, err := c.GetBillingAccount(ctx, "acc1", GetBillingAccountParams{})
	return err
}

func createAccount(ctx context.Context, c *Client) error {
	_, err := c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "cus_1"})
	return err
}

func wantNoError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func wantStatus(code int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != code {
			t.Fatalf("want an APIError with status %d, got %v", code, err)
		}
	}
}
