package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

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

func TestWrongPortFailsFastWithAHint(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now
	c, err := New(Config{BaseURL: "http://" + addr, Token: "tok", MaxRetries: DefaultMaxRetries})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.GetBillingAccount(t.Context(), "acc1", GetBillingAccountParams{})
	elapsed := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "check the provider's host setting") {
		t.Fatalf("want a refused connection with a hint, got %v", err)
	}
	if !strings.Contains(err.Error(), "(after 4 attempts)") || elapsed > 10*time.Second {
		t.Fatalf("a refused connection took %s: %v", elapsed, err)
	}
	t.Logf("a wrong port failed after %s: %v", elapsed.Round(time.Millisecond), err)
}

func TestHTTPSToAPlainServerFailsAtOnce(t *testing.T) {
	var calls int
	ts := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls++ }))
	t.Cleanup(ts.Close)
	// A loopback https URL pointing at the plain-http test server.
	c, err := New(Config{BaseURL: strings.Replace(ts.URL, "http://", "https://", 1), Token: "tok", MaxRetries: DefaultMaxRetries})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.GetBillingAccount(t.Context(), "acc1", GetBillingAccountParams{})
	if err == nil || !strings.Contains(err.Error(), "the server speaks plain http, not https") {
		t.Fatalf("want a protocol mismatch with a hint, got %v", err)
	}
	if strings.Contains(err.Error(), "attempts") || time.Since(start) > 5*time.Second {
		t.Fatalf("a protocol mismatch was retried: %v after %s", err, time.Since(start))
	}
}

func TestUnknownHostFailsAtOnce(t *testing.T) {
	var dials int
	transport := &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
		dials++
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "api.agilicus.invalid", IsNotFound: true}}
	}}
	c, err := New(Config{BaseURL: "https://api.agilicus.invalid", Token: "tok", Transport: transport, MaxRetries: DefaultMaxRetries})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetBillingAccount(t.Context(), "acc1", GetBillingAccountParams{})
	if err == nil || !strings.Contains(err.Error(), "the host name does not exist") || dials != 1 {
		t.Fatalf("want one attempt and a hint, got %d attempts: %v", dials, err)
	}
}

func TestRetryLogLinesSayWhyAndWhen(t *testing.T) {
	s := &scriptedServer{steps: []func(http.ResponseWriter, *http.Request){
		status(503, "Retry-After", "0"), status(429, "Retry-After", "1"), jsonBody(200, accountJSON),
	}}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	log := &recordingLogger{}
	c, err := New(Config{BaseURL: ts.URL, Token: "tok", MaxRetries: 3, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetBillingAccount(t.Context(), "acc1", GetBillingAccountParams{}); err != nil {
		t.Fatal(err)
	}
	if len(log.warns) != 2 {
		t.Fatalf("want a line per retry, got %v", log.warns)
	}
	for i, want := range []struct {
		reason string
		waitMS int64
	}{{"503 Service Unavailable", 0}, {"429 Too Many Requests", 1000}} {
		got := log.warns[i]
		if got["reason"] != want.reason || got["wait_ms"] != want.waitMS || got["attempt"] != i+2 ||
			got["url"] != ts.URL+"/v1/billing_accounts/acc1" {
			t.Errorf("retry %d logged %v, want reason %q, wait_ms %d, attempt %d", i+1, got, want.reason, want.waitMS, i+2)
		}
	}
}

func TestStopLetsAChangeOnTheWireFinish(t *testing.T) {
	c, calls, got := slowServer(t, 300*time.Millisecond, jsonBody(201, accountJSON))
	ctx, stop := context.WithCancel(t.Context())
	go func() {
		<-got
		stop()
	}()
	acc, err := c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "cus_1"})
	if err != nil {
		t.Fatalf("a create already sent was abandoned on stop: %v", err)
	}
	if acc.ID() != "acc1" || calls.Load() != 1 {
		t.Fatalf("got account %q after %d requests, want acc1 after 1", acc.ID(), calls.Load())
	}
}

func TestStopSendsNoChangeNotYetSent(t *testing.T) {
	c, calls, _ := slowServer(t, 0, jsonBody(201, accountJSON))
	ctx, stop := context.WithCancel(t.Context())
	stop()
	_, err := c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "cus_1"})
	if !errors.Is(err, context.Canceled) || MayHaveActed(err) {
		t.Fatalf("want a not-sent cancellation, got %v (may have acted: %v)", err, MayHaveActed(err))
	}
	if !strings.Contains(err.Error(), "not sent") {
		t.Errorf("the error does not say the request was not sent: %v", err)
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("the server saw %d requests after the stop, want 0", n)
	}
}

func TestStopEndsTheWaitBeforeARetry(t *testing.T) {
	s := &scriptedServer{steps: []func(http.ResponseWriter, *http.Request){status(503, "Retry-After", "30")}}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	c, err := New(Config{BaseURL: ts.URL, Token: "tok", MaxRetries: 5})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(t.Context())
	go func() {
		for s.calls.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond) // into the 30 s wait
		stop()
	}()
	start := time.Now()
	err = c.RemoveOrgFromBillingAccount(ctx, "acc1", "org1")
	if err == nil || time.Since(start) > 10*time.Second {
		t.Fatalf("a stopped change kept waiting for its retry (%s, %v)", time.Since(start), err)
	}
	if got := s.calls.Load(); got != 1 {
		t.Fatalf("server saw %d requests, want 1", got)
	}
}

func TestStopEndsAReadAtOnce(t *testing.T) {
	c, _, got := slowServer(t, 5*time.Second, jsonBody(200, accountJSON))
	ctx, stop := context.WithCancel(t.Context())
	go func() {
		<-got
		stop()
	}()
	start := time.Now()
	_, err := c.GetBillingAccount(ctx, "acc1", GetBillingAccountParams{})
	if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
		t.Fatalf("a read did not stop at once: %v after %s", err, time.Since(start))
	}
}

// A deadline (a resource's timeouts block) is not a stop: it ends a change
// on the wire too, and no recovery read outlives it.
func TestDeadlineEndsAChangeOnTheWire(t *testing.T) {
	c, _, _ := slowServer(t, 5*time.Second, jsonBody(201, accountJSON))
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "cus_1"})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("a create past its deadline was not ended: %v after %s", err, time.Since(start))
	}
	rc, rcancel := c.RecoveryContext(ctx)
	defer rcancel()
	if rc.Err() == nil {
		t.Fatal("a recovery context outlives the operation's deadline")
	}
}

// recordingLogger keeps the warnings it is given.
type recordingLogger struct {
	mu    sync.Mutex
	warns []map[string]any
}

func (l *recordingLogger) Debug(context.Context, string, map[string]any) {}

func (l *recordingLogger) Warn(_ context.Context, _ string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.warns = append(l.warns, fields)
}
