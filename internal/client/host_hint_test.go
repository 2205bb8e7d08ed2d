package client

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Mistakes no retry can mend fail at once and say to check the host; a
// refused connection is retried only briefly; every retry's log line says
// why and how long until the next attempt.

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

func TestAnswersFromSomethingElseThanTheAPISayToCheckTheHost(t *testing.T) {
	for _, tt := range []struct {
		name   string
		answer func(http.ResponseWriter, *http.Request)
		call   func(*Client) error
		hint   string
	}{
		{"an HTML 404 page", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(404)
			_, _ = w.Write([]byte("<html><body>Not Found</body></html>"))
		}, func(c *Client) error {
			_, err := c.GetBillingAccount(t.Context(), "acc1", GetBillingAccountParams{})
			return err
		},
			"the answer is an HTML page"},
		{"an HTML 502 page", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(502)
			_, _ = w.Write([]byte("<!DOCTYPE html><title>Bad gateway</title>"))
		}, func(c *Client) error {
			_, err := c.GetBillingAccount(t.Context(), "acc1", GetBillingAccountParams{})
			return err
		},
			"the answer is an HTML page"},
		{"a 404 on the account list", jsonBody(404, `{"error_code":"NOT_FOUND","error_message":"no route"}`),
			func(c *Client) error {
				_, err := c.ListBillingAccounts(t.Context(), ListBillingAccountsParams{})
				return err
			},
			"the Agilicus API always serves this path"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newScriptedClient(t, 0, tt.answer)
			err := tt.call(c)
			if err == nil || !strings.Contains(err.Error(), tt.hint) || !strings.Contains(err.Error(), "check the provider's host setting") {
				t.Fatalf("want the hint %q, got %v", tt.hint, err)
			}
		})
	}
	// A missing account is an ordinary 404: no hint.
	c, _ := newScriptedClient(t, 0, jsonBody(404, `{"error_code":"NOT_FOUND","error_message":"no such account"}`))
	if _, err := c.GetBillingAccount(t.Context(), "acc1", GetBillingAccountParams{}); err == nil || strings.Contains(err.Error(), "host setting") {
		t.Fatalf("a missing account got a host hint: %v", err)
	}
}

func TestErrorsNameTheWholeURL(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(ts.Close)
	c, err := New(Config{BaseURL: ts.URL + "/v1", Token: "tok", MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListBillingAccounts(t.Context(), ListBillingAccountsParams{})
	if err == nil || !strings.Contains(err.Error(), "GET "+ts.URL+"/v1/v1/billing_accounts: 404") {
		t.Fatalf("the error does not show the URL with the host's path: %v", err)
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
