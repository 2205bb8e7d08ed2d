package client

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// Keys of the spec the client does not model go back to the server as they
// came, next to the fields it changed.
func TestUpdateBillingAccountSpecKeepsUnmodelledKeys(t *testing.T) {
	const current = `{"metadata":{"id":"acc1"},"spec":{"customer_id":"cus_1","dev_mode":false,` +
		`"product_id":"prod_9","license_constraints":[{"name":"max_users","expression":"users < 10"}],` +
		`"constraint_variables":{"users":{"default":3}},"x_future":null}}`
	var put []byte
	c, _ := newScriptedClient(t, 0, jsonBody(200, current), func(w http.ResponseWriter, r *http.Request) {
		put, _ = io.ReadAll(r.Body)
		jsonBody(200, current)(w, r)
	})
	_, err := c.UpdateBillingAccountSpec(t.Context(), "acc1", func(s *BillingAccountSpec) {
		on := true
		s.DevMode = &on
		s.CustomerID = "cus_2"
	})
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Spec map[string]json.RawMessage `json:"spec"`
	}
	if err := json.Unmarshal(put, &body); err != nil {
		t.Fatalf("PUT body %s: %v", put, err)
	}
	want := map[string]string{
		"customer_id":          `"cus_2"`,
		"dev_mode":             `true`,
		"product_id":           `"prod_9"`,
		"license_constraints":  `[{"name":"max_users","expression":"users < 10"}]`,
		"constraint_variables": `{"users":{"default":3}}`,
		"x_future":             `null`,
	}
	if len(body.Spec) != len(want) {
		t.Fatalf("PUT spec %s, want the keys of %v", put, want)
	}
	for k, v := range want {
		if string(body.Spec[k]) != v {
			t.Errorf("PUT spec.%s = %s, want %s", k, body.Spec[k], v)
		}
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
