package mockapi_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func TestCreateAccount(t *testing.T) {
	f := newFixture(t)
	body := `{"spec": {"customer_id": "cus_1", "dev_mode": true, "extra": 1},
		"metadata": {"id": "client-id", "created": "2000-01-01T00:00:00Z"},
		"status": {"orgs": [{"id": "o1"}], "products": [{"name": "p"}]},
		"unknown_top_level": {"a": [1, 2]}}`
	r := f.do(http.MethodPost, "/v1/billing_accounts", body).expect(t, http.StatusCreated)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	got := decode[mockapi.BillingAccount](t, r)

	if !regexp.MustCompile(`^[0-9A-Za-z]{22}$`).MatchString(got.Metadata.ID) {
		t.Errorf("id = %q, want 22 base62 characters", got.Metadata.ID)
	}
	if want := f.clock.Now(); !got.Metadata.Created.Equal(want) || !got.Metadata.Updated.Equal(want) {
		t.Errorf("created, updated = %v, %v; want both %v", got.Metadata.Created, got.Metadata.Updated, want)
	}
	if got.Spec.CustomerID == nil || *got.Spec.CustomerID != "cus_1" || got.Spec.DevMode == nil || !*got.Spec.DevMode {
		t.Errorf("spec = %+v", got.Spec)
	}
	if len(got.Status.Orgs) != 0 || len(got.Status.Products) != 0 {
		t.Errorf("client-sent status was kept: %+v", got.Status)
	}
	status := keys(t, r.body, "status")
	for _, k := range []string{"orgs", "products"} {
		if _, ok := status[k]; !ok {
			t.Errorf("status.%s is absent, want []", k)
		}
	}
	for _, k := range []string{"customer", "subscriptions"} {
		if _, ok := status[k]; ok {
			t.Errorf("status.%s is present without the get_*_data flag", k)
		}
	}
	if created := keys(t, r.body, "metadata")["created"]; created != "2026-11-28T12:00:00Z" {
		t.Errorf("created is encoded as %v", created)
	}

	stored, ok := f.srv.Account(got.Metadata.ID)
	if !ok || *stored.Spec.CustomerID != "cus_1" || !stored.Metadata.Created.Equal(got.Metadata.Created) {
		t.Errorf("Account() = %+v, %v", stored, ok)
	}
}

func TestCreateAccountWithoutSpecOrCustomer(t *testing.T) {
	f := newFixture(t)
	bodies := map[string]int{ // body -> number of keys expected in the stored spec
		`{}`:                              0,
		`{"spec": {}}`:                    0,
		`{"spec": {"customer_id": null}}`: 0,
		`{"spec": {"customer_id": ""}}`:   1,
	}
	for body, n := range bodies {
		r := f.do(http.MethodPost, "/v1/billing_accounts", body).expect(t, http.StatusCreated)
		if spec := keys(t, r.body, "spec"); len(spec) != n {
			t.Errorf("body %s: spec = %v, want %d keys", body, spec, n)
		}
	}
	if n := len(f.srv.Accounts()); n != 4 {
		t.Errorf("%d accounts, want 4: accounts without a customer id never conflict", n)
	}
}

func TestAccountBadBodies(t *testing.T) {
	f := newFixture(t)
	existing := f.createAccount("")
	bodies := map[string]any{
		"empty":            nil,
		"whitespace":       "  \n",
		"invalid json":     `{"spec": `,
		"array":            `[{"spec": {}}]`,
		"string":           `"spec"`,
		"null":             `null`,
		"number":           `5`,
		"trailing data":    `{"spec": {}} {}`,
		"customer_id type": `{"spec": {"customer_id": 5}}`,
		"dev_mode type":    `{"spec": {"dev_mode": "yes"}}`,
		"spec type":        `{"spec": "x"}`,
		"metadata type":    `{"metadata": {"created": "yesterday"}}`,
		"status orgs type": `{"status": {"orgs": {}}}`,
		"over 1 MiB":       `{"spec": {"customer_id": "` + strings.Repeat("x", 1<<20) + `"}}`,
	}
	for name, body := range bodies {
		for _, method := range []string{http.MethodPost, http.MethodPut} {
			path := "/v1/billing_accounts"
			if method == http.MethodPut {
				path += "/" + existing.Metadata.ID
			}
			t.Run(name+" "+method, func(t *testing.T) {
				f.do(method, path, body).expectError(t, http.StatusBadRequest, mockapi.CodeInvalidBody)
			})
		}
	}
	if n := len(f.srv.Accounts()); n != 1 {
		t.Errorf("%d accounts after bad requests, want 1", n)
	}
}

func TestDuplicateCustomerID(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("cus_1")
	b := f.createAccount("cus_2")

	e := f.do(http.MethodPost, "/v1/billing_accounts", `{"spec": {"customer_id": "cus_1"}}`).
		expectError(t, http.StatusConflict, mockapi.CodeCustomerIDInUse)
	if !regexp.MustCompile(a.Metadata.ID).MatchString(e.Message) {
		t.Errorf("message %q does not name the account holding the id", e.Message)
	}
	f.do(http.MethodPut, "/v1/billing_accounts/"+b.Metadata.ID, `{"spec": {"customer_id": "cus_1"}}`).
		expectError(t, http.StatusConflict, mockapi.CodeCustomerIDInUse)
	// An account keeps its own customer id on PUT.
	f.do(http.MethodPut, "/v1/billing_accounts/"+a.Metadata.ID, `{"spec": {"customer_id": "cus_1", "dev_mode": false}}`).
		expect(t, http.StatusOK)
	if got, _ := f.srv.Account(b.Metadata.ID); *got.Spec.CustomerID != "cus_2" {
		t.Errorf("rejected PUT changed the spec: %+v", got.Spec)
	}
}

func TestReplaceAccount(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("cus_1")
	path := "/v1/billing_accounts/" + a.Metadata.ID
	f.do(http.MethodPut, path, `{"spec": {"customer_id": "cus_1", "dev_mode": true}}`).expect(t, http.StatusOK)

	// The clock does not move: updated must still advance on every PUT.
	before, _ := f.srv.Account(a.Metadata.ID)
	body := `{"metadata": {"id": "other", "created": "2001-01-01T00:00:00Z", "updated": "2001-01-01T00:00:00Z"},
		"spec": {"customer_id": "cus_2"}, "status": {"orgs": [{"id": "x"}]}}`
	r := f.do(http.MethodPut, path, body).expect(t, http.StatusOK)
	got := decode[mockapi.BillingAccount](t, r)
	if got.Metadata.ID != a.Metadata.ID || !got.Metadata.Created.Equal(a.Metadata.Created) {
		t.Errorf("id/created changed: %+v", got.Metadata)
	}
	if !got.Metadata.Updated.After(before.Metadata.Updated) {
		t.Errorf("updated %v did not move past %v", got.Metadata.Updated, before.Metadata.Updated)
	}
	if _, ok := keys(t, r.body, "spec")["dev_mode"]; ok || *got.Spec.CustomerID != "cus_2" {
		t.Errorf("spec = %s, want only customer_id cus_2 (PUT replaces the whole spec)", r.body)
	}
	if len(got.Status.Orgs) != 0 {
		t.Errorf("client-sent status was kept: %+v", got.Status)
	}
	stored, _ := f.srv.Account(a.Metadata.ID)
	if stored.Spec.DevMode != nil || *stored.Spec.CustomerID != "cus_2" || !stored.Metadata.Updated.Equal(got.Metadata.Updated) {
		t.Errorf("stored = %+v", stored)
	}

	// With a moving clock, updated follows it.
	f.clock.Set(f.clock.Now().Add(time.Hour))
	got = decode[mockapi.BillingAccount](t, f.do(http.MethodPut, path, `{"spec": {}}`).expect(t, http.StatusOK))
	if !got.Metadata.Updated.Equal(f.clock.Now()) {
		t.Errorf("updated = %v, want the clock %v", got.Metadata.Updated, f.clock.Now())
	}

	f.do(http.MethodPut, "/v1/billing_accounts/unknown", `{"spec": {}}`).expectError(t, http.StatusNotFound, mockapi.CodeAccountNotFound)
}

func TestDeleteAccount(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("cus_1")
	keep := f.createAccount("cus_2")
	o1, o2, o3 := f.createOrg("o1"), f.createOrg("o2"), f.createOrg("o3")
	for _, o := range []mockapi.Organisation{o1, o2} {
		if err := f.srv.AttachOrg(a.Metadata.ID, o.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.srv.AttachOrg(keep.Metadata.ID, o3.ID); err != nil {
		t.Fatal(err)
	}
	path := "/v1/billing_accounts/" + a.Metadata.ID
	f.do(http.MethodPost, path+"/usage_records", nil).expect(t, http.StatusCreated)

	r := f.do(http.MethodDelete, path, nil).expect(t, http.StatusNoContent)
	if len(r.body) != 0 || r.header.Get("Content-Type") != "" {
		t.Errorf("204 has a body %q or content type %q", r.body, r.header.Get("Content-Type"))
	}
	f.do(http.MethodGet, path, nil).expectError(t, http.StatusNotFound, mockapi.CodeAccountNotFound)
	f.do(http.MethodDelete, path, nil).expectError(t, http.StatusNotFound, mockapi.CodeAccountNotFound)
	for _, o := range []mockapi.Organisation{o1, o2} {
		if got, _ := f.srv.Org(o.ID); got.BillingAccountID != "" {
			t.Errorf("org %s still names deleted account %s", o.ID, got.BillingAccountID)
		}
	}
	if got, _ := f.srv.Org(o3.ID); got.BillingAccountID != keep.Metadata.ID {
		t.Errorf("org of another account was detached: %+v", got)
	}
	if recs := f.srv.UsageRecords(a.Metadata.ID); recs != nil {
		t.Errorf("usage records survive: %v", recs)
	}
	// A new account with the freed customer id is allowed.
	f.createAccount("cus_1")
}

func TestAccountGoAPI(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("cus_1")
	b := f.createAccount("")
	if ids := accountIDs(f.srv.Accounts()); !slices.Equal(ids, []string{a.Metadata.ID, b.Metadata.ID}) {
		t.Errorf("Accounts() = %v, want creation order", ids)
	}

	// An out-of-band spec change moves updated and skips the conflict check.
	if !f.srv.SetAccountSpec(b.Metadata.ID, mockapi.BillingAccountSpec{CustomerID: ptr("cus_1")}) {
		t.Fatal("SetAccountSpec reported a missing account")
	}
	got := decode[mockapi.BillingAccount](t, f.do(http.MethodGet, "/v1/billing_accounts/"+b.Metadata.ID, nil))
	if *got.Spec.CustomerID != "cus_1" || !got.Metadata.Updated.After(b.Metadata.Updated) || got.Metadata.Created != b.Metadata.Created {
		t.Errorf("after SetAccountSpec: %+v %+v", got.Metadata, got.Spec)
	}

	if !f.srv.SetAccountProducts(a.Metadata.ID, []string{"Standard", "Extra"}) {
		t.Fatal("SetAccountProducts reported a missing account")
	}
	got = decode[mockapi.BillingAccount](t, f.do(http.MethodGet, "/v1/billing_accounts/"+a.Metadata.ID, nil))
	want := []mockapi.BillingProduct{{Name: "Standard"}, {Name: "Extra"}}
	if !slices.Equal(got.Status.Products, want) || got.Metadata.Updated != a.Metadata.Updated {
		t.Errorf("after SetAccountProducts: products %v updated %v", got.Status.Products, got.Metadata.Updated)
	}

	// Returned values are copies.
	acc, _ := f.srv.Account(a.Metadata.ID)
	*acc.Spec.CustomerID = "changed"
	acc.Status.Products[0].Name = "changed"
	if again, _ := f.srv.Account(a.Metadata.ID); *again.Spec.CustomerID != "cus_1" || again.Status.Products[0].Name != "Standard" {
		t.Errorf("mutating a returned account changed the store: %+v", again)
	}

	if f.srv.SetAccountSpec("nope", mockapi.BillingAccountSpec{}) || f.srv.SetAccountProducts("nope", nil) || f.srv.DeleteAccount("nope") {
		t.Error("a Go-API call on an unknown account reported success")
	}
	if _, ok := f.srv.Account("nope"); ok {
		t.Error("Account of an unknown id reported ok")
	}
	if !f.srv.DeleteAccount(a.Metadata.ID) {
		t.Fatal("DeleteAccount reported a missing account")
	}
	f.do(http.MethodGet, "/v1/billing_accounts/"+a.Metadata.ID, nil).expectError(t, http.StatusNotFound, mockapi.CodeAccountNotFound)
}

func ptr[T any](v T) *T { return &v }
