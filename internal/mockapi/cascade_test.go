package mockapi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// orgTree creates, over HTTP so that parent_id goes through POST /v1/orgs:
//
//	root ── child1 ── grandchild
//	     └─ child2
//	other ── otherChild
//	orphan (parent unknown)
func (f *fixture) orgTree() map[string]string {
	f.t.Helper()
	ids := map[string]string{}
	for _, o := range []struct{ name, parent string }{
		{"root", ""}, {"child1", "root"}, {"other", ""}, {"grandchild", "child1"},
		{"child2", "root"}, {"otherChild", "other"}, {"orphan", "nobody"},
	} {
		body := map[string]string{"organisation": o.name}
		if parent, known := ids[o.parent]; known {
			body["parent_id"] = parent
		} else if o.parent != "" {
			body["parent_id"] = o.parent
		}
		r := f.do(http.MethodPost, "/v1/orgs", body).expect(f.t, http.StatusCreated)
		org := decode[mockapi.Organisation](f.t, r)
		if org.ParentID != body["parent_id"] {
			f.t.Fatalf("org %s: parent_id %q, want %q", o.name, org.ParentID, body["parent_id"])
		}
		ids[o.name] = org.ID
	}
	return ids
}

func TestCascadeAttach(t *testing.T) {
	tests := []struct {
		name    string
		version string
		org     string
		body    string // after org_id
		want    []string
	}{
		{"cascade from the root", mockapi.APIVersion1405, "root", `, "cascade": true`,
			[]string{"root", "child1", "grandchild", "child2"}},
		{"cascade from a child", mockapi.APIVersion1405, "child1", `, "cascade": true`,
			[]string{"child1", "grandchild"}},
		{"cascade from a leaf", mockapi.APIVersion1405, "grandchild", `, "cascade": true`,
			[]string{"grandchild"}},
		{"cascade false", mockapi.APIVersion1405, "root", `, "cascade": false`, []string{"root"}},
		{"no cascade", mockapi.APIVersion1405, "root", ``, []string{"root"}},
		{"1.125.2 ignores cascade", mockapi.APIVersion1125, "root", `, "cascade": true`, []string{"root"}},
		{"1.125.2 does not check cascade", mockapi.APIVersion1125, "root", `, "cascade": "yes"`, []string{"root"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixtureWith(t, mockapi.Options{APIVersion: tt.version})
			ids := f.orgTree()
			a := f.createAccount("")
			path := "/v1/billing_accounts/" + a.Metadata.ID + "/orgs"
			r := f.do(http.MethodPost, path, `{"org_id": "`+ids[tt.org]+`"`+tt.body+`}`).expect(t, http.StatusOK)
			if got := decode[mockapi.Organisation](t, r); got.ID != ids[tt.org] || got.BillingAccountID != a.Metadata.ID {
				t.Errorf("answer = %+v, want org %s on the account", got, tt.org)
			}
			var want []string
			for _, name := range tt.want {
				want = append(want, ids[name])
			}
			if got := f.accountOrgs(a.Metadata.ID); !slices.Equal(got, want) {
				t.Errorf("attached %v, want %v (%v)", got, want, tt.want)
			}
		})
	}
}

func TestCascadeMovesAndChecks(t *testing.T) {
	f := newFixtureWith(t, mockapi.Options{APIVersion: mockapi.APIVersion1405})
	ids := f.orgTree()
	a, b := f.createAccount(""), f.createAccount("")
	if err := f.srv.AttachOrg(b.Metadata.ID, ids["grandchild"]); err != nil {
		t.Fatal(err)
	}
	path := "/v1/billing_accounts/" + a.Metadata.ID + "/orgs"
	f.do(http.MethodPost, path, map[string]any{"org_id": ids["root"], "cascade": true}).expect(t, http.StatusOK)
	if got := f.accountOrgs(b.Metadata.ID); len(got) != 0 {
		t.Errorf("the sub-org stayed on its old account: %v", got)
	}
	if got := f.accountOrgs(a.Metadata.ID); len(got) != 4 {
		t.Errorf("account a has %v", got)
	}

	f.do(http.MethodPost, path, `{"org_id": "`+ids["other"]+`", "cascade": "yes"}`).expectError(t, http.StatusBadRequest, mockapi.CodeInvalidBody)
	f.do(http.MethodPost, path, `{"cascade": true}`).expectError(t, http.StatusNotFound, mockapi.CodeOrgNotFound)
	if o, _ := f.srv.Org(ids["other"]); o.BillingAccountID != "" {
		t.Errorf("a rejected attach attached %+v", o)
	}
}

// A parent_id loop, which only the Go API can build, must not hang a
// cascade.
func TestCascadeSurvivesParentLoop(t *testing.T) {
	f := newFixtureWith(t, mockapi.Options{APIVersion: mockapi.APIVersion1405})
	x := f.srv.CreateOrg(mockapi.Organisation{Organisation: "x"})
	y := f.srv.CreateOrg(mockapi.Organisation{Organisation: "y", ParentID: x.ID})
	f.srv.CreateOrg(mockapi.Organisation{ID: x.ID, Organisation: "x", ParentID: y.ID})
	a := f.createAccount("")
	f.do(http.MethodPost, "/v1/billing_accounts/"+a.Metadata.ID+"/orgs",
		map[string]any{"org_id": x.ID, "cascade": true}).expect(t, http.StatusOK)
	if got := f.accountOrgs(a.Metadata.ID); !slices.Equal(got, []string{x.ID, y.ID}) {
		t.Errorf("attached %v, want x and y", got)
	}
}
