package client

import (
	"encoding/json"
	"errors"
	"fmt"
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
