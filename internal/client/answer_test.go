package client

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// An endless answer ends in an error naming the limit, and the client stops
// reading near the limit instead of taking whatever the server sends.
func TestEndlessAnswerIsCutAtTheLimit(t *testing.T) {
	var written atomic.Int64
	c, _ := newScriptedClient(t, 0, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"metadata":{"id":"acc1"},"spec":{"customer_id":"`))
		chunk := []byte(strings.Repeat("x", 64<<10))
		for written.Load() < 1<<30 {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	_, err := c.GetBillingAccount(t.Context(), "acc1", GetBillingAccountParams{})
	var ue *UnexpectedAnswerError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "larger than the limit of 32 MiB") {
		t.Fatalf("want an error naming the 32 MiB limit, got %v", err)
	}
	// The server may fill socket buffers beyond what the client read, but
	// nowhere near the gigabyte it was ready to send.
	if n := written.Load(); n > 2*MaxAnswerBytes {
		t.Fatalf("the client let the server send %d MiB", n>>20)
	}
}

func TestNonJSONAnswerSaysWhatCameBack(t *testing.T) {
	c, _ := newScriptedClient(t, 0, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!DOCTYPE html>\n<html><title>Welcome</title></html>"))
	})
	_, err := c.GetBillingAccount(t.Context(), "acc1", GetBillingAccountParams{})
	for _, want := range []string{"unexpected 200 answer", "not JSON", `"text/html; charset=utf-8"`,
		`"<!DOCTYPE html> <html><title>Welcome</title></html>"`, "check the provider's host setting"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("error %v does not say %q", err, want)
		}
	}
}

func TestWrongShapeIsNotCalledNonJSON(t *testing.T) {
	c, _ := newScriptedClient(t, 0, jsonBody(200, `{"metadata":"acc1"}`))
	_, err := c.GetBillingAccount(t.Context(), "acc1", GetBillingAccountParams{})
	if err == nil || !strings.Contains(err.Error(), "JSON but not of the expected shape") || strings.Contains(err.Error(), "host setting") {
		t.Fatalf("got %v", err)
	}
}

// An answer about another object than the one asked for is refused, and a
// refused success still counts as a request the server may have acted on.
func TestAnswerAboutAnotherObjectIsRefused(t *testing.T) {
	other := jsonBody(200, `{"metadata":{"id":"acc2"},"spec":{}}`)
	c, _ := newScriptedClient(t, 0, other, other, other, jsonBody(200, `{"id":"org2"}`), jsonBody(201, `{"spec":{}}`))
	ctx := t.Context()
	_, err := c.GetBillingAccount(ctx, "acc1", GetBillingAccountParams{})
	if err == nil || !strings.Contains(err.Error(), `asked for billing account "acc1", the answer is about billing account "acc2"`) {
		t.Fatalf("get: %v", err)
	}
	_, err = c.ReplaceBillingAccount(ctx, "acc1", BillingAccountSpec{})
	if err == nil || !strings.Contains(err.Error(), `"acc2"`) {
		t.Fatalf("replace: %v", err)
	}
	_, err = c.UpdateBillingAccountSpec(ctx, "acc1", func(*BillingAccountSpec) { t.Fatal("change ran on another account") })
	if err == nil {
		t.Fatal("update accepted another account")
	}
	_, err = c.AddOrgToBillingAccount(ctx, "acc1", "org1")
	if err == nil || !strings.Contains(err.Error(), `attached organisation "org1", the answer is about organisation "org2"`) {
		t.Fatalf("attach: %v", err)
	}
	_, err = c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "c"})
	if err == nil || !strings.Contains(err.Error(), "names no billing account id") || !MayHaveActed(err) {
		t.Fatalf("create: %v (may have acted: %v)", err, MayHaveActed(err))
	}
}

// The token goes only to the configured host, and never over plain http.
func TestRedirectsStayOnTheConfiguredHost(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		elsewhere.Add(1)
		jsonBody(200, accountJSON)(w, nil)
	}))
	t.Cleanup(other.Close)

	c, _ := newScriptedClient(t, 3, status(http.StatusTemporaryRedirect, "Location", other.URL+"/v1/billing_accounts/acc1?token=secret"))
	_, err := c.GetBillingAccount(t.Context(), "acc1", GetBillingAccountParams{})
	var re *RedirectError
	if !errors.As(err, &re) || elsewhere.Load() != 0 || strings.Contains(err.Error(), "secret") ||
		!strings.Contains(err.Error(), "not followed") {
		t.Fatalf("redirect to another host: %v; other host saw %d requests", err, elsewhere.Load())
	}

	// https to http on the same host name is refused too.
	var plain atomic.Int32
	tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+r.Host+r.URL.Path, http.StatusMovedPermanently)
	}))
	t.Cleanup(tls.Close)
	tc, err := New(Config{BaseURL: tls.URL, Token: "tok", Transport: tls.Client().Transport})
	if err != nil {
		t.Fatal(err)
	}
	_, err = tc.GetBillingAccount(t.Context(), "acc1", GetBillingAccountParams{})
	if !errors.As(err, &re) || re.StatusCode != http.StatusMovedPermanently || plain.Load() != 0 {
		t.Fatalf("downgrade to http: %v", err)
	}

	// A redirect within the configured host is followed, token included.
	var token string
	same, _ := newScriptedClient(t, 0,
		func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/v2/billing_accounts/acc1", http.StatusPermanentRedirect)
		},
		func(w http.ResponseWriter, r *http.Request) {
			token = r.Header.Get("Authorization")
			jsonBody(200, accountJSON)(w, r)
		})
	if _, err := same.GetBillingAccount(t.Context(), "acc1", GetBillingAccountParams{}); err != nil || token != "Bearer tok" {
		t.Fatalf("same-host redirect: %v, token %q", err, token)
	}
}

func TestRetryCountZeroMeansNoneAndNegativeIsRefused(t *testing.T) {
	if _, err := New(Config{BaseURL: "https://api.agilicus.com", Token: "t", MaxRetries: -1}); err == nil {
		t.Fatal("a negative retry count was accepted")
	}
	c, srv := newScriptedClient(t, 0, status(http.StatusServiceUnavailable))
	_, _ = c.GetBillingAccount(t.Context(), "acc1", GetBillingAccountParams{})
	if n := srv.calls.Load(); n != 1 {
		t.Fatalf("MaxRetries 0 sent %d requests, want 1", n)
	}
}
