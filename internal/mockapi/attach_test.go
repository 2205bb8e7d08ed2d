package mockapi_test

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func (f *fixture) accountOrgs(accountID string) []string {
	f.t.Helper()
	r := f.do(http.MethodGet, "/v1/billing_accounts/"+accountID+"/orgs", nil).expect(f.t, http.StatusOK)
	return orgIDs(decode[mockapi.ListOrgsResponse](f.t, r).Orgs)
}

func (f *fixture) attach(accountID, orgID string) response {
	f.t.Helper()
	return f.do(http.MethodPost, "/v1/billing_accounts/"+accountID+"/orgs", map[string]string{"org_id": orgID})
}

func TestAttachOrg(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("cus_a")
	o1, o2, o3 := f.createOrg("o1"), f.createOrg("o2"), f.createOrg("o3")

	// Attach in the order o2, o3, o1; the list keeps that order.
	for _, o := range []mockapi.Organisation{o2, o3} {
		r := f.attach(a.Metadata.ID, o.ID).expect(t, http.StatusOK)
		got := decode[mockapi.Organisation](t, r)
		if got.ID != o.ID || got.BillingAccountID != a.Metadata.ID || got.Organisation != o.Organisation {
			t.Errorf("attach answered %+v", got)
		}
	}
	// Extra keys such as cascade are tolerated.
	f.do(http.MethodPost, "/v1/billing_accounts/"+a.Metadata.ID+"/orgs",
		`{"org_id": "`+o1.ID+`", "cascade": true}`).expect(t, http.StatusOK)
	want := []string{o2.ID, o3.ID, o1.ID}
	if got := f.accountOrgs(a.Metadata.ID); !slices.Equal(got, want) {
		t.Errorf("orgs = %v, want %v", got, want)
	}

	// Attaching again is idempotent and keeps the order.
	f.attach(a.Metadata.ID, o2.ID).expect(t, http.StatusOK)
	if got := f.accountOrgs(a.Metadata.ID); !slices.Equal(got, want) {
		t.Errorf("after re-attach orgs = %v, want %v", got, want)
	}
	acc, _ := f.srv.Account(a.Metadata.ID)
	if ids := orgIDs(acc.Status.Orgs); !slices.Equal(ids, want) {
		t.Errorf("status.orgs = %v, want %v", ids, want)
	}
	if !acc.Metadata.Updated.Equal(a.Metadata.Updated) {
		t.Errorf("attaching moved the account's updated to %v", acc.Metadata.Updated)
	}
	if got, _ := f.srv.Org(o1.ID); !got.Updated.After(o1.Updated) {
		t.Errorf("attaching did not move the org's updated (%v)", got.Updated)
	}

	r := f.do(http.MethodGet, "/v1/billing_accounts/"+a.Metadata.ID+"/orgs?limit=2", nil).expect(t, http.StatusOK)
	list := decode[mockapi.ListOrgsResponse](t, r)
	if list.Limit != 2 || !slices.Equal(orgIDs(list.Orgs), want[:2]) {
		t.Errorf("limit=2 gave limit %d orgs %v", list.Limit, orgIDs(list.Orgs))
	}
	if list.Orgs[0].BillingAccountID != a.Metadata.ID {
		t.Errorf("listed org has billing_account_id %q", list.Orgs[0].BillingAccountID)
	}

	empty := f.createAccount("")
	r = f.do(http.MethodGet, "/v1/billing_accounts/"+empty.Metadata.ID+"/orgs", nil).expect(t, http.StatusOK)
	if list := decode[mockapi.ListOrgsResponse](t, r); list.Limit != 500 || list.Orgs == nil || len(list.Orgs) != 0 {
		t.Errorf("empty account: %s", r.body)
	}
}

func TestMoveOrgBetweenAccounts(t *testing.T) {
	f := newFixture(t)
	a, b := f.createAccount("cus_a"), f.createAccount("cus_b")
	org, stay := f.createOrg("moving"), f.createOrg("staying")
	f.attach(a.Metadata.ID, org.ID).expect(t, http.StatusOK)
	f.attach(a.Metadata.ID, stay.ID).expect(t, http.StatusOK)

	got := decode[mockapi.Organisation](t, f.attach(b.Metadata.ID, org.ID).expect(t, http.StatusOK))
	if got.BillingAccountID != b.Metadata.ID {
		t.Errorf("moved org names %q", got.BillingAccountID)
	}
	if ids := f.accountOrgs(a.Metadata.ID); !slices.Equal(ids, []string{stay.ID}) {
		t.Errorf("old account still lists %v", ids)
	}
	if ids := f.accountOrgs(b.Metadata.ID); !slices.Equal(ids, []string{org.ID}) {
		t.Errorf("new account lists %v", ids)
	}

	// A stale detach from the old account must not take the org off the new one.
	e := f.do(http.MethodDelete, "/v1/billing_accounts/"+a.Metadata.ID+"/orgs/"+org.ID, nil).
		expectError(t, http.StatusNotFound, mockapi.CodeOrgNotAttached)
	if !strings.Contains(e.Message, org.ID) {
		t.Errorf("message %q does not name the org", e.Message)
	}
	if o, _ := f.srv.Org(org.ID); o.BillingAccountID != b.Metadata.ID {
		t.Fatalf("stale detach moved the org to %q", o.BillingAccountID)
	}
	if f.srv.DetachOrg(a.Metadata.ID, org.ID) {
		t.Error("DetachOrg from the old account reported success")
	}

	r := f.do(http.MethodDelete, "/v1/billing_accounts/"+b.Metadata.ID+"/orgs/"+org.ID, nil).expect(t, http.StatusNoContent)
	if len(r.body) != 0 {
		t.Errorf("204 with body %q", r.body)
	}
	if o, _ := f.srv.Org(org.ID); o.BillingAccountID != "" {
		t.Errorf("detached org names %q", o.BillingAccountID)
	}
	if ids := f.accountOrgs(b.Metadata.ID); len(ids) != 0 {
		t.Errorf("account still lists %v", ids)
	}
	f.do(http.MethodDelete, "/v1/billing_accounts/"+b.Metadata.ID+"/orgs/"+org.ID, nil).
		expectError(t, http.StatusNotFound, mockapi.CodeOrgNotAttached)
}

func TestAttachOrgErrors(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("cus_a")
	org := f.createOrg("acme")
	orgs := "/v1/billing_accounts/" + a.Metadata.ID + "/orgs"

	tests := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		code   string
	}{
		{"add to unknown account", http.MethodPost, "/v1/billing_accounts/nope/orgs", map[string]string{"org_id": org.ID}, 404, mockapi.CodeAccountNotFound},
		{"list of unknown account", http.MethodGet, "/v1/billing_accounts/nope/orgs", nil, 404, mockapi.CodeAccountNotFound},
		{"remove from unknown account", http.MethodDelete, "/v1/billing_accounts/nope/orgs/" + org.ID, nil, 404, mockapi.CodeAccountNotFound},
		{"unknown org", http.MethodPost, orgs, map[string]string{"org_id": "ghost"}, 404, mockapi.CodeOrgNotFound},
		{"empty org_id", http.MethodPost, orgs, map[string]string{"org_id": ""}, 404, mockapi.CodeOrgNotFound},
		{"no org_id", http.MethodPost, orgs, `{"cascade": false}`, 404, mockapi.CodeOrgNotFound},
		{"empty body", http.MethodPost, orgs, nil, 404, mockapi.CodeOrgNotFound},
		{"remove unattached org", http.MethodDelete, orgs + "/" + org.ID, nil, 404, mockapi.CodeOrgNotAttached},
		{"remove unknown org", http.MethodDelete, orgs + "/ghost", nil, 404, mockapi.CodeOrgNotAttached},
		{"invalid json", http.MethodPost, orgs, `{"org_id":`, 400, mockapi.CodeInvalidBody},
		{"org_id type", http.MethodPost, orgs, `{"org_id": 7}`, 400, mockapi.CodeInvalidBody},
		{"array body", http.MethodPost, orgs, `["x"]`, 400, mockapi.CodeInvalidBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := f.do(tt.method, tt.path, tt.body).expectError(t, tt.status, tt.code)
			if tt.name == "unknown org" && !strings.Contains(e.Message, "ghost") {
				t.Errorf("message %q does not name the org", e.Message)
			}
		})
	}
	if o, _ := f.srv.Org(org.ID); o.BillingAccountID != "" {
		t.Errorf("failed requests attached the org to %q", o.BillingAccountID)
	}
}

func TestAttachOrgGoAPI(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("")
	org := f.createOrg("acme")
	if err := f.srv.AttachOrg("nope", org.ID); !errors.Is(err, mockapi.ErrAccountNotFound) {
		t.Errorf("unknown account: %v", err)
	}
	if err := f.srv.AttachOrg(a.Metadata.ID, "nope"); !errors.Is(err, mockapi.ErrOrgNotFound) || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown org: %v", err)
	}
	if err := f.srv.AttachOrg(a.Metadata.ID, org.ID); err != nil {
		t.Fatal(err)
	}
	if ids := f.accountOrgs(a.Metadata.ID); !slices.Equal(ids, []string{org.ID}) {
		t.Errorf("orgs = %v", ids)
	}
	if !f.srv.DetachOrg(a.Metadata.ID, org.ID) || f.srv.DetachOrg(a.Metadata.ID, org.ID) {
		t.Error("DetachOrg should succeed once, then report false")
	}
}

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
