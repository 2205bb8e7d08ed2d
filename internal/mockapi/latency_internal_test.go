package mockapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

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
