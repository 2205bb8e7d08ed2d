package mockapi_test

import (
	"net/http"
	"reflect"
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

func TestListAccounts(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("cus_a")
	b := f.createAccount("cus_b")
	c := f.createAccount("")
	org := f.createOrg("acme")
	other := f.createOrg("other")
	if err := f.srv.AttachOrg(b.Metadata.ID, org.ID); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		query     string
		wantLimit int
		want      []string
	}{
		{"", 500, []string{a.Metadata.ID, b.Metadata.ID, c.Metadata.ID}},
		{"?limit=2", 2, []string{a.Metadata.ID, b.Metadata.ID}},
		{"?limit=500", 500, []string{a.Metadata.ID, b.Metadata.ID, c.Metadata.ID}},
		{"?customer_id=cus_b", 500, []string{b.Metadata.ID}},
		{"?customer_id=cus", 500, []string{}},
		{"?customer_id=", 500, []string{a.Metadata.ID, b.Metadata.ID, c.Metadata.ID}},
		{"?org_id=" + org.ID, 500, []string{b.Metadata.ID}},
		{"?org_id=" + other.ID, 500, []string{}},
		{"?org_id=unknown", 500, []string{}},
		{"?org_id=" + org.ID + "&customer_id=cus_a", 500, []string{}},
		{"?org_id=" + org.ID + "&customer_id=cus_b&limit=1", 1, []string{b.Metadata.ID}},
		{"?unknown_param=1", 500, []string{a.Metadata.ID, b.Metadata.ID, c.Metadata.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := f.do(http.MethodGet, "/v1/billing_accounts"+tt.query, nil).expect(t, http.StatusOK)
			got := decode[mockapi.ListBillingAccountsResponse](t, r)
			if got.Limit != tt.wantLimit {
				t.Errorf("limit = %d, want %d", got.Limit, tt.wantLimit)
			}
			if ids := accountIDs(got.BillingAccounts); !slices.Equal(ids, tt.want) {
				t.Errorf("accounts = %v, want %v", ids, tt.want)
			}
			if got.BillingAccounts == nil {
				t.Error("billing_accounts is null, want a list")
			}
		})
	}
}

func TestListAccountsIncludeFlags(t *testing.T) {
	f := newFixture(t)
	f.createAccount("cus_1")
	f.createAccount("")
	r := f.do(http.MethodGet, "/v1/billing_accounts?get_customer_data=True&get_subscription_data=1", nil).expect(t, http.StatusOK)
	got := decode[mockapi.ListBillingAccountsResponse](t, r)
	if got.BillingAccounts[0].Status.Customer == nil || len(got.BillingAccounts[0].Status.Subscriptions) != 1 {
		t.Errorf("account with a customer id: status = %+v", got.BillingAccounts[0].Status)
	}
	if got.BillingAccounts[1].Status.Customer != nil || got.BillingAccounts[1].Status.Subscriptions == nil {
		t.Errorf("account without a customer id: status = %+v, want no customer and []", got.BillingAccounts[1].Status)
	}
}

func TestBadQueryParameters(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("cus_1")
	base := "/v1/billing_accounts/" + a.Metadata.ID
	paths := []string{"/v1/billing_accounts", base + "/orgs", base + "/usage_records", "/v1/orgs"}
	for _, path := range paths {
		for _, limit := range []string{"0", "-1", "501", "abc", "", "1.5", "1e2", "%205", "5%20"} {
			t.Run(path+" limit="+limit, func(t *testing.T) {
				f.do(http.MethodGet, path+"?limit="+limit, nil).expectError(t, http.StatusBadRequest, mockapi.CodeInvalidQuery)
			})
		}
		for _, limit := range []string{"1", "500"} {
			f.do(http.MethodGet, path+"?limit="+limit, nil).expect(t, http.StatusOK)
		}
	}
	for _, path := range []string{"/v1/billing_accounts", base} {
		for _, flag := range []string{"get_customer_data", "get_subscription_data"} {
			for _, v := range []string{"yes", "", "2", "truee"} {
				f.do(http.MethodGet, path+"?"+flag+"="+v, nil).expectError(t, http.StatusBadRequest, mockapi.CodeInvalidQuery)
			}
			for _, v := range []string{"true", "TRUE", "False", "0", "1"} {
				f.do(http.MethodGet, path+"?"+flag+"="+v, nil).expect(t, http.StatusOK)
			}
		}
	}
}

func TestGetAccount(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("Cus 1")
	bare := f.createAccount("")
	attached := f.createOrg("attached")
	elsewhere := f.createOrg("elsewhere")
	if err := f.srv.AttachOrg(a.Metadata.ID, attached.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.srv.AttachOrg(bare.Metadata.ID, elsewhere.ID); err != nil {
		t.Fatal(err)
	}
	path := "/v1/billing_accounts/" + a.Metadata.ID

	got := decode[mockapi.BillingAccount](t, f.do(http.MethodGet, path, nil).expect(t, http.StatusOK))
	if got.Metadata != a.Metadata || *got.Spec.CustomerID != "Cus 1" {
		t.Errorf("GET = %+v, want the created account %+v", got.Metadata, a.Metadata)
	}
	if ids := orgIDs(got.Status.Orgs); !slices.Equal(ids, []string{attached.ID}) || got.Status.Orgs[0].BillingAccountID != a.Metadata.ID {
		t.Errorf("status.orgs = %+v", got.Status.Orgs)
	}

	f.do(http.MethodGet, path+"?org_id="+attached.ID, nil).expect(t, http.StatusOK)
	f.do(http.MethodGet, path+"?org_id="+elsewhere.ID, nil).expectError(t, http.StatusNotFound, mockapi.CodeAccountNotFound)
	f.do(http.MethodGet, path+"?org_id=unknown", nil).expectError(t, http.StatusNotFound, mockapi.CodeAccountNotFound)
	f.do(http.MethodGet, "/v1/billing_accounts/unknown", nil).expectError(t, http.StatusNotFound, mockapi.CodeAccountNotFound)

	r := f.do(http.MethodGet, path+"?get_customer_data=true&get_subscription_data=true", nil).expect(t, http.StatusOK)
	full := decode[mockapi.BillingAccount](t, r)
	wantCustomer := mockapi.BillingCustomer{Name: "Customer Cus 1", Email: "billing+cus-1@example.com"}
	if full.Status.Customer == nil || !reflect.DeepEqual(*full.Status.Customer, wantCustomer) {
		t.Errorf("customer = %+v, want %+v", full.Status.Customer, wantCustomer)
	}
	subs := full.Status.Subscriptions
	if len(subs) != 1 {
		t.Fatalf("subscriptions = %v, want one", subs)
	}
	if id, _ := subs[0]["id"].(string); subs[0]["status"] != "active" || subs[0]["customer"] != "Cus 1" ||
		!regexp.MustCompile(`^sub_[0-9a-f]{24}$`).MatchString(id) {
		t.Errorf("subscription = %v", subs[0])
	}
	again := decode[mockapi.BillingAccount](t, f.do(http.MethodGet, path+"?get_subscription_data=true", nil))
	if again.Status.Subscriptions[0]["id"] != subs[0]["id"] {
		t.Error("subscription id is not deterministic")
	}
	if _, ok := keys(t, f.do(http.MethodGet, path+"?get_subscription_data=true", nil).body, "status")["customer"]; ok {
		t.Error("customer present with only get_subscription_data")
	}
	if _, ok := keys(t, f.do(http.MethodGet, path+"?get_customer_data=true", nil).body, "status")["subscriptions"]; ok {
		t.Error("subscriptions present with only get_customer_data")
	}

	r = f.do(http.MethodGet, "/v1/billing_accounts/"+bare.Metadata.ID+"?get_customer_data=true&get_subscription_data=true", nil)
	status := keys(t, r.body, "status")
	if _, ok := status["customer"]; ok {
		t.Error("customer present for an account without customer id")
	}
	if subs, ok := status["subscriptions"].([]any); !ok || len(subs) != 0 {
		t.Errorf("subscriptions = %#v, want []", status["subscriptions"])
	}
}
