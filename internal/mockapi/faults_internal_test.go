package mockapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// A client that gives up during injected latency leaves nothing behind: the
// delayed request is not acted on, and the server is free at once.
func TestLatencyAbandonedRequestIsNotActedOn(t *testing.T) {
	srv := New(Options{Token: "tok", Faults: Faults{Latency: 20 * time.Second}})
	ts := httptest.NewServer(srv)
	if createWithin(t, ts.URL, 200*time.Millisecond) == nil {
		t.Fatal("the request finished despite 20 s of latency")
	}
	closed := make(chan struct{})
	go func() { ts.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the server kept waiting out the latency of an abandoned request")
	}
	if n := len(srv.Accounts()); n != 0 {
		t.Fatalf("an abandoned create stored %d accounts", n)
	}
}

// With answer latency the change is made at once and the answer comes
// later: a client that gives up meanwhile loses the answer, not the change.
func TestAnswerLatencyActsBeforeAnswering(t *testing.T) {
	srv := New(Options{Token: "tok", Faults: Faults{AnswerLatency: 20 * time.Second}})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	if createWithin(t, ts.URL, 300*time.Millisecond) == nil {
		t.Fatal("the answer came before its 20 s of latency")
	}
	if n := len(srv.Accounts()); n != 1 {
		t.Fatalf("a create whose answer was delayed stored %d accounts, want 1", n)
	}
}

// createWithin posts an account create to the mock at baseURL and gives up
// after timeout; it returns the client's error, nil when an answer came.
func createWithin(t *testing.T, baseURL string, timeout time.Duration) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/v1/billing_accounts", strings.NewReader(`{"spec":{"customer_id":"c"}}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		_ = resp.Body.Close()
	}
	return err
}

// TestLatencyIsApplied observes the injected delay through the sleep hook
// instead of timing requests.
func TestLatencyIsApplied(t *testing.T) {
	s := New(Options{Token: "t", Seed: 1, Faults: Faults{Latency: 250 * time.Millisecond}})
	var mu sync.Mutex
	var slept []time.Duration
	s.sleep = func(_ context.Context, d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		slept = append(slept, d)
	}
	serve := func(path, auth string) int {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec.Code
	}

	if code := serve("/v1/billing_accounts", "Bearer t"); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if code := serve("/v1/billing_accounts", ""); code != http.StatusUnauthorized {
		t.Fatalf("status %d", code)
	}
	serve("/_mock/stats", "")
	want := []time.Duration{250 * time.Millisecond, 250 * time.Millisecond}
	if !slices.Equal(slept, want) {
		t.Errorf("slept %v, want %v (API requests only)", slept, want)
	}

	s.SetFaults(Faults{})
	serve("/v1/billing_accounts", "Bearer t")
	if len(slept) != 2 {
		t.Errorf("slept %v with zero latency", slept)
	}
}

func TestSleepContextStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan struct{})
	go func() {
		sleepContext(ctx, time.Hour)
		close(done)
	}()
	// The bound is generous: a correct sleep returns at once, a broken one
	// would wait the full hour.
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("sleepContext ignored the cancelled context")
	}
}
