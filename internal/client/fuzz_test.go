package client

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
)

// FuzzDecodeResponses feeds arbitrary bytes to every response model the
// client decodes: decoding may fail, but must never panic, and what decodes
// must survive a round trip through the same type.
func FuzzDecodeResponses(f *testing.F) {
	for _, seed := range []string{
		accountJSON,
		`{"limit":500,"billing_accounts":[{"metadata":{"id":"a"},"status":{"orgs":[{"id":"o","status":{"all_up":null}}],"subscriptions":[{}],"products":[{"name":"p"}]}}]}`,
		`{"limit":1,"orgs":[{"id":"o","feature_flags":[{"feature":"f","enabled":true}],"trust_on_first_use_duration":86400}]}`,
		`{"limit":10,"usage_records":[{"id":"u","period":"2026-11","total_usage":3},{"period":{"start":1},"total_usage":null}]}`,
		`{"dry_run":true,"quantity":2,"timestamp":1764000000,"unknown":[1,2]}`,
		`null`, `[]`, `{"metadata":"not an object"}`, `{"limit":"500"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip[BillingAccount](t, data)
		roundTrip[ListBillingAccountsResponse](t, data)
		roundTrip[ListOrgsResponse](t, data)
		roundTrip[ListBillingUsageRecordsResponse](t, data)
		roundTrip[BillingUsageRecord](t, data)
		roundTrip[Organisation](t, data)
	})
}

func roundTrip[T any](t *testing.T, data []byte) {
	var v T
	if json.Unmarshal(data, &v) != nil {
		return
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T decoded but does not encode: %v", v, err)
	}
	var again T
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatalf("%T does not decode its own encoding %s: %v", v, out, err)
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

// FuzzValidateID checks that an id accepted by ValidateID always becomes
// exactly one escaped path segment below the accounts collection.
func FuzzValidateID(f *testing.F) {
	for _, seed := range []string{"abc", "a/b", "..", "a%2F", "é", "a b", "x\x00", "acc:1@2"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		p, err := accountPath(idSeg("billing account id", id))
		if err != nil {
			var ide *InvalidIDError
			if !errors.As(err, &ide) {
				t.Fatalf("unexpected error type %T", err)
			}
			return
		}
		rest := p[len(accountsPath)+1:]
		for _, r := range rest {
			if r == '/' || r == '?' || r == '#' {
				t.Fatalf("id %q escaped to %q, which leaves its path segment", id, p)
			}
		}
	})
}
