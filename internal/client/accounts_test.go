package client

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

func TestAccountEndpoints(t *testing.T) {
	c, srv := newMockClient(t)
	ctx := t.Context()
	devMode := true

	created, err := c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "cus_1", DevMode: &devMode})
	if err != nil {
		t.Fatal(err)
	}
	id := created.ID()
	if id == "" || created.Metadata.Created == "" || created.Spec.CustomerID != "cus_1" || !*created.Spec.DevMode {
		t.Fatalf("create returned %+v", created)
	}
	if _, ok := srv.Account(id); !ok {
		t.Fatalf("account %s not stored", id)
	}

	_, err = c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "cus_1"})
	mustStatus(t, err, http.StatusConflict)
	if !IsConflict(err) {
		t.Fatal("IsConflict is false for a 409")
	}

	got, err := c.GetBillingAccount(ctx, id, GetBillingAccountParams{})
	if err != nil || got.ID() != id || got.Status.Customer != nil || got.Status.Subscriptions != nil {
		t.Fatalf("get: %+v, %v", got, err)
	}
	got, err = c.GetBillingAccount(ctx, id, GetBillingAccountParams{Include: IncludeData{Customer: true, Subscriptions: true}})
	if err != nil || got.Status.Customer == nil || got.Status.Customer.Name == "" || len(got.Status.Subscriptions) != 1 {
		t.Fatalf("get with payment data: %+v, %v", got, err)
	}
	_, err = c.GetBillingAccount(ctx, "missing", GetBillingAccountParams{})
	mustStatus(t, err, http.StatusNotFound)
	if !IsNotFound(err) {
		t.Fatal("IsNotFound is false for a 404")
	}

	replaced, err := c.ReplaceBillingAccount(ctx, id, BillingAccountSpec{CustomerID: "cus_2"})
	if err != nil || replaced.Spec.CustomerID != "cus_2" || replaced.Spec.DevMode != nil ||
		replaced.Metadata.Updated <= created.Metadata.Updated || replaced.Metadata.Created != created.Metadata.Created {
		t.Fatalf("replace: %+v, %v", replaced, err)
	}
	_, err = c.ReplaceBillingAccount(ctx, "missing", BillingAccountSpec{})
	mustStatus(t, err, http.StatusNotFound)
	other, err := c.CreateBillingAccount(ctx, BillingAccountSpec{CustomerID: "cus_3"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ReplaceBillingAccount(ctx, other.ID(), BillingAccountSpec{CustomerID: "cus_2"})
	mustStatus(t, err, http.StatusConflict)

	list, err := c.ListBillingAccounts(ctx, ListBillingAccountsParams{})
	if err != nil || list.Limit != 500 || len(list.BillingAccounts) != 2 {
		t.Fatalf("list: %+v, %v", list, err)
	}
	list, err = c.ListBillingAccounts(ctx, ListBillingAccountsParams{CustomerID: "cus_3", Limit: 10})
	if err != nil || list.Limit != 10 || len(list.BillingAccounts) != 1 || list.BillingAccounts[0].ID() != other.ID() {
		t.Fatalf("list by customer: %+v, %v", list, err)
	}
	list, err = c.ListBillingAccounts(ctx, ListBillingAccountsParams{Limit: 1, Include: IncludeData{Customer: true}})
	if err != nil || len(list.BillingAccounts) != 1 || list.BillingAccounts[0].Status.Customer == nil {
		t.Fatalf("list with limit and customer data: %+v, %v", list, err)
	}

	if err := c.DeleteBillingAccount(ctx, id); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, c.DeleteBillingAccount(ctx, id), http.StatusNotFound)
	if _, ok := srv.Account(id); ok {
		t.Fatal("deleted account still stored")
	}
}

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
