package mockapi_test

import (
	"net/http"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func TestDetachAnyAccount(t *testing.T) {
	tests := []struct {
		name     string
		account  string // "a", "b" or an unknown id
		org      string // "onA", "onB", "loose" or an unknown id
		strict   int    // status without DetachAnyAccount
		anyOne   int    // status with it
		code     string // error code of a 404
		detached bool   // whether the org ends up detached with DetachAnyAccount
	}{
		{"org on that account", "a", "onA", 204, 204, "", true},
		{"org on another account", "a", "onB", 404, 204, mockapi.CodeOrgNotAttached, true},
		{"org attached nowhere", "a", "loose", 404, 404, mockapi.CodeOrgNotAttached, false},
		{"unknown org", "a", "ghost", 404, 404, mockapi.CodeOrgNotAttached, false},
		{"unknown account", "nope", "onB", 404, 404, mockapi.CodeAccountNotFound, false},
	}
	for _, version := range generations {
		for _, anyAccount := range []bool{false, true} {
			for _, tt := range tests {
				name := version + " strict " + tt.name
				if anyAccount {
					name = version + " any " + tt.name
				}
				t.Run(name, func(t *testing.T) {
					f := newFixtureWith(t, mockapi.Options{APIVersion: version, DetachAnyAccount: anyAccount})
					accounts := map[string]string{"a": f.createAccount("").Metadata.ID, "b": f.createAccount("").Metadata.ID, "nope": "nope"}
					orgs := map[string]string{"ghost": "ghost"}
					for label, account := range map[string]string{"onA": "a", "onB": "b", "loose": ""} {
						orgs[label] = f.createOrg(label).ID
						if account != "" {
							if err := f.srv.AttachOrg(accounts[account], orgs[label]); err != nil {
								t.Fatal(err)
							}
						}
					}
					before, _ := f.srv.Org(orgs[tt.org])
					status, detached := tt.strict, tt.strict == http.StatusNoContent
					if anyAccount {
						status, detached = tt.anyOne, tt.detached
					}
					r := f.do(http.MethodDelete, "/v1/billing_accounts/"+accounts[tt.account]+"/orgs/"+orgs[tt.org], nil)
					if status == http.StatusNoContent {
						r.expect(t, status)
					} else {
						r.expectError(t, status, tt.code)
					}
					after, _ := f.srv.Org(orgs[tt.org])
					switch {
					case detached && after.BillingAccountID != "":
						t.Errorf("org still on %s", after.BillingAccountID)
					case !detached && after.BillingAccountID != before.BillingAccountID:
						t.Errorf("org moved from %q to %q", before.BillingAccountID, after.BillingAccountID)
					}
				})
			}
		}
	}
}

func TestDetachAnyAccountAtRunTime(t *testing.T) {
	f := newFixture(t)
	a, b := f.createAccount(""), f.createAccount("")
	o := f.createOrg("o")
	if err := f.srv.AttachOrg(b.Metadata.ID, o.ID); err != nil {
		t.Fatal(err)
	}
	path := "/v1/billing_accounts/" + a.Metadata.ID + "/orgs/" + o.ID
	f.do(http.MethodDelete, path, nil).expectError(t, http.StatusNotFound, mockapi.CodeOrgNotAttached)
	f.doWith(http.MethodPut, "/_mock/behaviour", `{"detach_any_account": true}`, nil).expect(t, http.StatusOK)
	// The Go API keeps to the account it names.
	if f.srv.DetachOrg(a.Metadata.ID, o.ID) {
		t.Error("DetachOrg detached an org from another account")
	}
	f.do(http.MethodDelete, path, nil).expect(t, http.StatusNoContent)
	if got, _ := f.srv.Org(o.ID); got.BillingAccountID != "" {
		t.Errorf("org still on %s", got.BillingAccountID)
	}
	f.do(http.MethodDelete, path, nil).expectError(t, http.StatusNotFound, mockapi.CodeOrgNotAttached)
}
