package client

import (
	"encoding/json"
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

func TestSpecDecodingRejectsWrongTypes(t *testing.T) {
	for _, in := range []string{`{"customer_id":1}`, `{"dev_mode":"yes"}`, `[]`} {
		var s BillingAccountSpec
		if err := json.Unmarshal([]byte(in), &s); err == nil {
			t.Errorf("%s decoded", in)
		}
	}
	var s BillingAccountSpec
	if err := json.Unmarshal([]byte(`{"customer_id":null,"dev_mode":null}`), &s); err != nil || s.CustomerID != "" || s.DevMode != nil {
		t.Fatalf("nulls: %+v, %v", s, err)
	}
	out, _ := json.Marshal(BillingAccountSpec{Extra: map[string]json.RawMessage{"customer_id": json.RawMessage(`"shadow"`)}})
	if string(out) != `{}` {
		t.Fatalf("an Extra key named like a modelled field leaked: %s", out)
	}
}
