package mockapi_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func TestCustomerFieldsByGeneration(t *testing.T) {
	tests := []struct {
		version string
		keys    []string
	}{
		{mockapi.APIVersion1125, []string{"email", "name"}},
		{mockapi.APIVersion1405, []string{"balance", "created", "currency", "description", "email", "id",
			"invoice_prefix", "livemode", "metadata", "name", "phone"}},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			f := newFixtureWith(t, mockapi.Options{APIVersion: tt.version})
			a := f.createAccount("cus_9")
			raw, c := f.customerOf(a.Metadata.ID)
			if got := slices.Sorted(maps.Keys(raw)); !slices.Equal(got, tt.keys) {
				t.Errorf("customer keys = %v, want %v", got, tt.keys)
			}
			if c.Name != "Customer cus_9" || c.Email != "billing+cus_9@example.com" {
				t.Errorf("name, email = %q, %q", c.Name, c.Email)
			}
		})
	}
}

func TestLaterCustomer(t *testing.T) {
	f := newFixtureWith(t, mockapi.Options{APIVersion: mockapi.APIVersion1405})
	a := f.createAccount("cus_9")
	raw, c := f.customerOf(a.Metadata.ID)

	// JSON types: integers without a fraction, a boolean, a string map.
	for _, k := range []string{"balance", "created"} {
		var n int64
		if err := json.Unmarshal(raw[k], &n); err != nil {
			t.Errorf("%s = %s is not an integer", k, raw[k])
		}
	}
	if c.ID != "cus_9" || c.Currency == "" || c.Description == "" || c.InvoicePrefix == "" || c.Phone == "" {
		t.Errorf("customer = %+v", c)
	}
	if c.Livemode == nil || !*c.Livemode {
		t.Errorf("livemode = %v, want true without dev_mode", c.Livemode)
	}
	if c.Metadata["customer_id"] != "cus_9" {
		t.Errorf("metadata = %v", c.Metadata)
	}
	created := time.Unix(*c.Created, 0)
	if created.Before(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)) || created.After(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("created = %v", created)
	}

	// The same customer id gives the same customer on another server; the
	// data does not depend on the account.
	other := newFixtureWith(t, mockapi.Options{APIVersion: mockapi.APIVersion1405, Seed: 7})
	other.createAccount("first")
	_, same := other.customerOf(other.createAccount("cus_9").Metadata.ID)
	if !reflect.DeepEqual(same, c) {
		t.Errorf("customer differs across servers:\n%+v\n%+v", same, c)
	}
	_, different := f.customerOf(f.createAccount("cus_10").Metadata.ID)
	if different.InvoicePrefix == c.InvoicePrefix && different.Phone == c.Phone {
		t.Errorf("two customers look alike: %+v", different)
	}

	// livemode follows dev_mode.
	f.do(http.MethodPut, "/v1/billing_accounts/"+a.Metadata.ID, `{"spec": {"customer_id": "cus_9", "dev_mode": true}}`).expect(t, http.StatusOK)
	if _, c := f.customerOf(a.Metadata.ID); c.Livemode == nil || *c.Livemode {
		t.Errorf("livemode = %v, want false in dev_mode", c.Livemode)
	}
}

// customerOf reads status.customer of an account, raw and decoded.
func (f *fixture) customerOf(id string) (map[string]json.RawMessage, mockapi.BillingCustomer) {
	f.t.Helper()
	r := f.do(http.MethodGet, "/v1/billing_accounts/"+id+"?get_customer_data=true", nil).expect(f.t, http.StatusOK)
	var raw struct {
		Status struct {
			Customer map[string]json.RawMessage `json:"customer"`
		} `json:"status"`
	}
	if err := json.Unmarshal(r.body, &raw); err != nil {
		f.t.Fatal(err)
	}
	acc := decode[mockapi.BillingAccount](f.t, r)
	if acc.Status.Customer == nil {
		f.t.Fatalf("no customer in %s", r.body)
	}
	return raw.Status.Customer, *acc.Status.Customer
}
