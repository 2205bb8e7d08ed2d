// Test servers the client's tests share: a scripted server that answers
// each request with the next step of a script, a slow one, and the mock API.
package client

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
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

const mockToken = "client-test-token"

// newMockClient starts a mock Agilicus API and a client for it.
func newMockClient(t *testing.T) (*Client, *mockapi.Server) {
	t.Helper()
	srv := mockapi.New(mockapi.Options{Token: mockToken, Seed: 1})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c, err := New(Config{BaseURL: ts.URL, Token: mockToken, UserAgent: "agilicus-client-test/1.0", MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func mustStatus(t *testing.T, err error, code int) {
	t.Helper()
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != code {
		t.Fatalf("want HTTP %d, got %v", code, err)
	}
}

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
