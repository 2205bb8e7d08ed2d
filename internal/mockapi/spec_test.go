package mockapi_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func TestSpecKeepsExtraKeys(t *testing.T) {
	for _, version := range generations {
		t.Run(version, func(t *testing.T) {
			f := newFixtureWith(t, mockapi.Options{APIVersion: version})
			r := f.do(http.MethodPost, "/v1/billing_accounts", `{"spec": `+specBody("cus_1", extraSpec)+`}`).expect(t, http.StatusCreated)
			checkExtra(t, "create", decode[rawSpec](t, r).Spec, "cus_1", extraSpec)
			id := decode[mockapi.BillingAccount](t, r).Metadata.ID
			path := "/v1/billing_accounts/" + id

			r = f.do(http.MethodGet, path+"?get_customer_data=true&get_subscription_data=true", nil).expect(t, http.StatusOK)
			checkExtra(t, "GET", decode[rawSpec](t, r).Spec, "cus_1", extraSpec)
			list := decode[struct {
				BillingAccounts []rawSpec `json:"billing_accounts"`
			}](t, f.do(http.MethodGet, "/v1/billing_accounts", nil).expect(t, http.StatusOK))
			if len(list.BillingAccounts) != 1 {
				t.Fatalf("list has %d accounts", len(list.BillingAccounts))
			}
			checkExtra(t, "list", list.BillingAccounts[0].Spec, "cus_1", extraSpec)

			// The Go API sees the same bytes.
			acc, _ := f.srv.Account(id)
			if len(acc.Spec.Extra) != len(extraSpec) {
				t.Errorf("Account().Spec.Extra has %d keys, want %d", len(acc.Spec.Extra), len(extraSpec))
			}
			for k, want := range extraSpec {
				if got := string(acc.Spec.Extra[k]); got != want {
					t.Errorf("Account().Spec.Extra[%s] = %s, want %s", k, got, want)
				}
			}
			raw, ok := f.srv.AccountRawSpec(id)
			var fromRaw map[string]json.RawMessage
			if err := json.Unmarshal(raw, &fromRaw); !ok || err != nil {
				t.Fatalf("AccountRawSpec = %s, %v: %v", raw, ok, err)
			}
			checkExtra(t, "AccountRawSpec", fromRaw, "cus_1", extraSpec)

			// PUT replaces the whole spec: keys it leaves out are gone.
			kept := map[string]string{"nested": `{ "changed" : [ 1 ] }`, "added": `"new"`}
			r = f.do(http.MethodPut, path, `{"spec": `+specBody("cus_1", kept)+`}`).expect(t, http.StatusOK)
			checkExtra(t, "PUT", decode[rawSpec](t, r).Spec, "cus_1", kept)
			r = f.do(http.MethodGet, path, nil).expect(t, http.StatusOK)
			checkExtra(t, "GET after PUT", decode[rawSpec](t, r).Spec, "cus_1", kept)
			r = f.do(http.MethodPut, path, `{"spec": {"customer_id": "cus_1"}}`).expect(t, http.StatusOK)
			checkExtra(t, "PUT without extras", decode[rawSpec](t, r).Spec, "cus_1", nil)
			if acc, _ := f.srv.Account(id); acc.Spec.Extra != nil {
				t.Errorf("extra keys survive a PUT without them: %v", acc.Spec.Extra)
			}
		})
	}
}

func TestLaterSpecFieldTypes(t *testing.T) {
	tests := []struct {
		name, field, value string
		validLater         bool
	}{
		{"product_id string", "product_id", `"prod_1"`, true},
		{"product_id number", "product_id", `5`, false},
		{"product_id boolean", "product_id", `true`, false},
		{"product_id object", "product_id", `{}`, false},
		{"license_constraints empty", "license_constraints", `[]`, true},
		{"license_constraints objects", "license_constraints", `[{}, {"name": "n"}]`, true},
		{"license_constraints object", "license_constraints", `{}`, false},
		{"license_constraints string", "license_constraints", `"x"`, false},
		{"license_constraints numbers", "license_constraints", `[1]`, false},
		{"license_constraints null item", "license_constraints", `[null]`, false},
		{"license_constraints mixed", "license_constraints", `[{}, "x"]`, false},
		{"constraint_variables object", "constraint_variables", `{"a": [1]}`, true},
		{"constraint_variables array", "constraint_variables", `[]`, false},
		{"constraint_variables string", "constraint_variables", `"x"`, false},
		{"constraint_variables number", "constraint_variables", `5`, false},
	}
	for _, version := range generations {
		t.Run(version, func(t *testing.T) {
			f := newFixtureWith(t, mockapi.Options{APIVersion: version})
			existing := f.createAccount("")
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					body := `{"spec": {"` + tt.field + `": ` + tt.value + `}}`
					put := "/v1/billing_accounts/" + existing.Metadata.ID
					if version == mockapi.APIVersion1405 && !tt.validLater {
						e := f.do(http.MethodPost, "/v1/billing_accounts", body).expectError(t, http.StatusBadRequest, mockapi.CodeInvalidBody)
						if !bytes.Contains([]byte(e.Message), []byte("spec."+tt.field)) {
							t.Errorf("message %q does not name the field", e.Message)
						}
						f.do(http.MethodPut, put, body).expectError(t, http.StatusBadRequest, mockapi.CodeInvalidBody)
						return
					}
					// Generation 1.125.2 does not know these fields: it stores
					// whatever it gets, like any undeclared key.
					r := f.do(http.MethodPost, "/v1/billing_accounts", body).expect(t, http.StatusCreated)
					checkExtra(t, "create", decode[rawSpec](t, r).Spec, "", map[string]string{tt.field: tt.value})
					r = f.do(http.MethodPut, put, body).expect(t, http.StatusOK)
					checkExtra(t, "PUT", decode[rawSpec](t, r).Spec, "", map[string]string{tt.field: tt.value})
				})
			}
		})
	}
}

func TestLaterSpecFieldNull(t *testing.T) {
	body := `{"spec": {"customer_id": "c", "product_id": null, "license_constraints": null, "constraint_variables": null, "other": null}}`
	tests := map[string][]string{
		// 1.405.8 reads a null declared field as an absent one, as it does
		// for customer_id; an undeclared key keeps its null.
		mockapi.APIVersion1405: {"customer_id", "other"},
		mockapi.APIVersion1125: {"constraint_variables", "customer_id", "license_constraints", "other", "product_id"},
	}
	for version, want := range tests {
		t.Run(version, func(t *testing.T) {
			f := newFixtureWith(t, mockapi.Options{APIVersion: version})
			spec := decode[rawSpec](t, f.do(http.MethodPost, "/v1/billing_accounts", body).expect(t, http.StatusCreated)).Spec
			if got := slices.Sorted(maps.Keys(spec)); !slices.Equal(got, want) {
				t.Errorf("spec keys = %v, want %v", got, want)
			}
		})
	}
}

func TestSetAccountRawSpec(t *testing.T) {
	f := newFixtureWith(t, mockapi.Options{APIVersion: mockapi.APIVersion1405})
	a := f.createAccount("cus_1")
	raw := `{ "customer_id": "cus_2", "dev_mode": true, "product_id": 7, "x": [ 1,  2 ] }`
	if err := f.srv.SetAccountRawSpec(a.Metadata.ID, json.RawMessage(raw)); err != nil {
		t.Fatal(err)
	}
	// Out of band, 1.405.8's types are not enforced: tests may build any state.
	r := f.do(http.MethodGet, "/v1/billing_accounts/"+a.Metadata.ID, nil).expect(t, http.StatusOK)
	spec := decode[rawSpec](t, r).Spec
	if string(spec["product_id"]) != `7` || string(spec["x"]) != `[ 1,  2 ]` || string(spec["dev_mode"]) != `true` {
		t.Errorf("spec = %s", r.body)
	}
	acc, _ := f.srv.Account(a.Metadata.ID)
	if *acc.Spec.CustomerID != "cus_2" || !acc.Metadata.Updated.After(a.Metadata.Updated) {
		t.Errorf("account after SetAccountRawSpec: %+v", acc)
	}
	got, _ := f.srv.AccountRawSpec(a.Metadata.ID)
	if want := `{"customer_id":"cus_2","dev_mode":true,"product_id":7,"x":[ 1,  2 ]}`; string(got) != want {
		t.Errorf("AccountRawSpec = %s, want %s", got, want)
	}
	// Returned extra values are copies.
	acc.Spec.Extra["x"][0] = '!'
	if again, _ := f.srv.Account(a.Metadata.ID); string(again.Spec.Extra["x"]) != `[ 1,  2 ]` {
		t.Errorf("mutating a returned spec changed the store: %s", again.Spec.Extra["x"])
	}

	for name, raw := range map[string]string{
		"not json":         `{"a":`,
		"array":            `[]`,
		"null":             `null`,
		"customer_id type": `{"customer_id": 1}`,
		"dev_mode type":    `{"dev_mode": "yes"}`,
	} {
		if err := f.srv.SetAccountRawSpec(a.Metadata.ID, json.RawMessage(raw)); err == nil {
			t.Errorf("%s: SetAccountRawSpec accepted %s", name, raw)
		}
	}
	if err := f.srv.SetAccountRawSpec("nope", json.RawMessage(`{}`)); !errors.Is(err, mockapi.ErrAccountNotFound) {
		t.Errorf("unknown account: %v", err)
	}
	if _, ok := f.srv.AccountRawSpec("nope"); ok {
		t.Error("AccountRawSpec of an unknown account reported ok")
	}

	// SetAccountSpec stores Extra too, and refuses values no client could read.
	withExtra := mockapi.BillingAccountSpec{Extra: map[string]json.RawMessage{"k": json.RawMessage(`{"v": 1}`)}}
	if !f.srv.SetAccountSpec(a.Metadata.ID, withExtra) {
		t.Fatal("SetAccountSpec reported a missing account")
	}
	if got, _ := f.srv.AccountRawSpec(a.Metadata.ID); string(got) != `{"k":{"v": 1}}` {
		t.Errorf("after SetAccountSpec: %s", got)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("SetAccountSpec accepted an extra value that is not JSON")
			}
		}()
		f.srv.SetAccountSpec(a.Metadata.ID, mockapi.BillingAccountSpec{Extra: map[string]json.RawMessage{"k": json.RawMessage(`{`)}})
	}()
}

func TestSpecJSON(t *testing.T) {
	var spec mockapi.BillingAccountSpec
	in := `{"dev_mode": false, "customer_id": null, "b": [1, 2], "a": "x"}`
	if err := json.Unmarshal([]byte(in), &spec); err != nil {
		t.Fatal(err)
	}
	if spec.CustomerID != nil || spec.DevMode == nil || *spec.DevMode || string(spec.Extra["b"]) != `[1, 2]` {
		t.Errorf("decoded %+v", spec)
	}
	// Through encoding/json the values are compacted, as it does for any
	// json.RawMessage; the keys and values are all there.
	out, err := json.Marshal(spec)
	if err != nil || string(out) != `{"dev_mode":false,"a":"x","b":[1,2]}` {
		t.Errorf("Marshal = %s, %v", out, err)
	}
	if out, _ := json.Marshal(mockapi.BillingAccountSpec{}); string(out) != `{}` {
		t.Errorf("empty spec = %s", out)
	}
	// The typed fields win over Extra entries of the same name.
	clash := mockapi.BillingAccountSpec{CustomerID: ptr("c"), Extra: map[string]json.RawMessage{"customer_id": json.RawMessage(`"x"`)}}
	if out, _ := json.Marshal(clash); string(out) != `{"customer_id":"c"}` {
		t.Errorf("clash = %s", out)
	}
	for _, bad := range []string{`"x"`, `[]`, `{"customer_id": 5}`, `{"dev_mode": "no"}`} {
		if err := json.Unmarshal([]byte(bad), &spec); err == nil {
			t.Errorf("Unmarshal accepted %s", bad)
		}
	}
}
