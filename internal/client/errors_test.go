package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAPIErrorText(t *testing.T) {
	c, _ := newScriptedClient(t, 0,
		jsonBody(409, `{"error_code":"ALREADY_EXISTS","error_message":"customer cus_1 has an account"}`))
	_, err := c.CreateBillingAccount(t.Context(), BillingAccountSpec{CustomerID: "cus_1"})
	if !IsConflict(err) || IsNotFound(err) {
		t.Fatalf("want a conflict, got %v", err)
	}
	want := "POST " + c.urlOf("/v1/billing_accounts") + ": 409 Conflict: ALREADY_EXISTS: customer cus_1 has an account"
	if err.Error() != want {
		t.Fatalf("got %q, want %q", err.Error(), want)
	}
}

func TestDecodeErrorBody(t *testing.T) {
	tests := []struct{ body, code, msg string }{
		{`{"error_code":"X","error_message":"y"}`, "X", "y"},
		{`{"error_message":"only message","extra":1}`, "", "only message"},
		{`{"unrelated":true}`, "", ""},
		{``, "", ""},
		{"<html>\n  Bad   gateway\n</html>", "", "<html> Bad gateway </html>"},
		{strings.Repeat("x", 300), "", strings.Repeat("x", 200) + "..."},
	}
	for _, tt := range tests {
		code, msg := decodeErrorBody([]byte(tt.body))
		if code != tt.code || msg != tt.msg {
			t.Errorf("decodeErrorBody(%q) = %q, %q; want %q, %q", tt.body, code, msg, tt.code, tt.msg)
		}
	}
}

func TestFlexString(t *testing.T) {
	var s struct {
		A FlexString `json:"a"`
		B FlexString `json:"b"`
		C FlexString `json:"c"`
		D FlexString `json:"d"`
	}
	if err := json.Unmarshal([]byte(`{"a":"2026-11","b":202611,"c":null,"d":{"start": 1, "end": 2}}`), &s); err != nil {
		t.Fatal(err)
	}
	if s.A != "2026-11" || s.B != "202611" || s.C != "" || s.D != `{"start":1,"end":2}` {
		t.Fatalf("got %+v", s)
	}
}

func TestMayHaveActed(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"sent, no answer", &TransportError{Method: "POST", Sent: true}, true},
		{"sent idempotent, no answer", &TransportError{Method: "POST", Sent: true, Idempotent: true}, true},
		{"wrapped", fmt.Errorf("recording: %w", &TransportError{Method: "POST", Sent: true}), true},
		{"never sent", &TransportError{Method: "POST", Sent: false}, false},
		{"500", &APIError{Method: "POST", StatusCode: 500}, true},
		{"502", &APIError{Method: "POST", StatusCode: 502}, true},
		{"504", &APIError{Method: "POST", StatusCode: 504}, true},
		{"501", &APIError{Method: "POST", StatusCode: 501}, false},
		{"503 turned away", &APIError{Method: "POST", StatusCode: 503}, false},
		{"429 turned away", &APIError{Method: "POST", StatusCode: 429}, false},
		{"400", &APIError{Method: "POST", StatusCode: 400}, false},
		{"404", &APIError{Method: "POST", StatusCode: 404}, false},
		{"invalid id", &InvalidIDError{Name: "id"}, false},
		{"other", errors.New("boom"), false},
	} {
		if got := MayHaveActed(tc.err); got != tc.want {
			t.Errorf("%s: MayHaveActed = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// FuzzDecodeErrorBody checks that any error answer yields bounded, valid
// text and never panics.
func FuzzDecodeErrorBody(f *testing.F) {
	for _, seed := range []string{
		`{"error_code":"X","error_message":"y"}`, `{"error_message":7}`, "<html>Bad gateway</html>",
		"\xff\xfe binary", "", "   ", `{"error_code":"` + string(make([]byte, 300)) + `"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, msg := decodeErrorBody(data)
		var em ErrorMessage
		isErrorMessage := json.Unmarshal(data, &em) == nil && (em.ErrorCode != "" || em.ErrorMessage != "")
		if !isErrorMessage && len(msg) > 203 {
			t.Fatalf("plain-text message not bounded: %d bytes", len(msg))
		}
		e := &APIError{Method: http.MethodGet, URL: "https://api.agilicus.com/v1/billing_accounts", StatusCode: 500, Message: msg}
		if e.Error() == "" {
			t.Fatal("empty error text")
		}
	})
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
