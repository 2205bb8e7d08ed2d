package mockapi_test

import (
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

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
