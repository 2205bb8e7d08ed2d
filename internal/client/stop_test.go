package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// When the caller stops (Terraform cancels the context of every request in
// flight on an interrupt), a change already on the wire runs to its answer,
// a change not yet sent is not sent, and reads and retry waits end at once.

// slowServer answers every request after delay, and signals each request it
// received on got.
func slowServer(t *testing.T, delay time.Duration, answer func(http.ResponseWriter, *http.Request)) (*Client, *atomic.Int32, chan struct{}) {
	t.Helper()
	var calls atomic.Int32
	got := make(chan struct{}, 16)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body first: only then does the server notice a client
		// that gives up.
		_, _ = io.Copy(io.Discard, r.Body)
		calls.Add(1)
		got <- struct{}{}
		select {
		case <-time.After(delay):
			answer(w, r)
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(ts.Close)
	c, err := New(Config{BaseURL: ts.URL, Token: "tok", MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c, &calls, got
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

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

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
