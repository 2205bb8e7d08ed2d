package mockapi_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func TestCreateOrgHTTP(t *testing.T) {
	f := newFixture(t)
	body := `{"organisation": "Acme Corp!", "subdomain": "acme", "external_id": "ext-1",
		"feature_flags": [{"feature": "saml_auth", "enabled": true, "setting": "stable"}],
		"id": "client-id", "contact_email": "x@example.com", "billing_account_id": "acc",
		"name_slug": "mine", "status": {"all_up": false}, "unknown": 1}`
	r := f.do(http.MethodPost, "/v1/orgs", body).expect(t, http.StatusCreated)
	got := decode[mockapi.Organisation](t, r)

	if got.ID == "client-id" || !regexp.MustCompile(`^[0-9A-Za-z]{22}$`).MatchString(got.ID) {
		t.Errorf("id = %q, want a server id", got.ID)
	}
	if got.ContactEmail != "" || got.BillingAccountID != "" {
		t.Errorf("read-only fields kept: contact_email %q billing_account_id %q", got.ContactEmail, got.BillingAccountID)
	}
	if got.Organisation != "Acme Corp!" || got.Subdomain != "acme" || got.ExternalID != "ext-1" {
		t.Errorf("client fields lost: %+v", got)
	}
	if got.NameSlug != "acme-corp" || got.RootOrgID != got.ID || got.AdminState != mockapi.StateActive {
		t.Errorf("server fields: slug %q root %q state %q", got.NameSlug, got.RootOrgID, got.AdminState)
	}
	if got.AutoCreate == nil || *got.AutoCreate || got.TrustOnFirstUseDuration == nil || *got.TrustOnFirstUseDuration != 86400 {
		t.Errorf("defaults: auto_create %v trust %v", got.AutoCreate, got.TrustOnFirstUseDuration)
	}
	st := got.Status
	if st == nil || st.CurrentState != "active" || !*st.AllUp || !*st.AdminUp || !*st.IssuerUp {
		t.Errorf("status = %+v", st)
	}
	if !got.Created.Equal(f.clock.Now()) || !got.Updated.Equal(got.Created) {
		t.Errorf("created %v updated %v", got.Created, got.Updated)
	}
	if len(got.FeatureFlags) != 1 || got.FeatureFlags[0] != (mockapi.FeatureFlag{Feature: "saml_auth", Enabled: true, Setting: "stable"}) {
		t.Errorf("feature flags = %+v", got.FeatureFlags)
	}

	fetched := decode[mockapi.Organisation](t, f.do(http.MethodGet, "/v1/orgs/"+got.ID, nil).expect(t, http.StatusOK))
	if fetched.ID != got.ID || fetched.NameSlug != got.NameSlug {
		t.Errorf("GET = %+v", fetched)
	}
	f.do(http.MethodGet, "/v1/orgs/nope", nil).expectError(t, http.StatusNotFound, mockapi.CodeOrgNotFound)
	f.do(http.MethodPost, "/v1/orgs", `{"organisation": "Other", "subdomain": "acme"}`).
		expectError(t, http.StatusConflict, mockapi.CodeSubdomainInUse)
	// Orgs without a subdomain never conflict.
	f.do(http.MethodPost, "/v1/orgs", `{"organisation": "x"}`).expect(t, http.StatusCreated)
	f.do(http.MethodPost, "/v1/orgs", `{"organisation": "y"}`).expect(t, http.StatusCreated)
}

func TestCreateOrgValidation(t *testing.T) {
	f := newFixture(t)
	long := strings.Repeat("a", 101)
	bodies := map[string]string{
		"empty body":              "",
		"invalid json":            `{"organisation":`,
		"array":                   `[]`,
		"no name":                 `{"subdomain": "s"}`,
		"empty name":              `{"organisation": ""}`,
		"name type":               `{"organisation": 5}`,
		"name too long":           `{"organisation": "` + long + `"}`,
		"subdomain too long":      `{"organisation": "o", "subdomain": "` + long + `"}`,
		"external_id too long":    `{"organisation": "o", "external_id": "` + long + `"}`,
		"issuer too long":         `{"organisation": "o", "issuer": "` + long + `"}`,
		"bad admin_state":         `{"organisation": "o", "admin_state": "paused"}`,
		"negative trust":          `{"organisation": "o", "trust_on_first_use_duration": -1}`,
		"trust type":              `{"organisation": "o", "trust_on_first_use_duration": "1d"}`,
		"flag without enabled":    `{"organisation": "o", "feature_flags": [{"feature": "f"}]}`,
		"flag without feature":    `{"organisation": "o", "feature_flags": [{"enabled": true}]}`,
		"flag feature too long":   `{"organisation": "o", "feature_flags": [{"feature": "` + strings.Repeat("f", 129) + `", "enabled": true}]}`,
		"flag setting too long":   `{"organisation": "o", "feature_flags": [{"feature": "f", "enabled": true, "setting": "` + strings.Repeat("s", 4097) + `"}]}`,
		"auto_create type":        `{"organisation": "o", "auto_create": "no"}`,
		"feature_flags not array": `{"organisation": "o", "feature_flags": {}}`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			f.do(http.MethodPost, "/v1/orgs", body).expectError(t, http.StatusBadRequest, mockapi.CodeInvalidBody)
		})
	}
	if n := len(f.srv.Orgs()); n != 0 {
		t.Errorf("%d orgs stored by bad requests", n)
	}
	// The limits are inclusive and count characters, not bytes.
	ok := `{"organisation": "` + strings.Repeat("é", 100) + `", "admin_state": "suspended", "trust_on_first_use_duration": 0}`
	got := decode[mockapi.Organisation](t, f.do(http.MethodPost, "/v1/orgs", ok).expect(t, http.StatusCreated))
	if st := got.Status; st.CurrentState != "suspended" || *st.AllUp || !*st.AdminUp || *got.TrustOnFirstUseDuration != 0 {
		t.Errorf("suspended org: status %+v trust %v", st, *got.TrustOnFirstUseDuration)
	}
}

func TestOrgNameSlug(t *testing.T) {
	f := newFixture(t)
	tests := []struct{ name, want string }{
		{"Acme", "acme"},
		{"  Acme   Corp -- Ltd. ", "acme-corp-ltd"},
		{"42 Widgets", "org-42-widgets"},
		{"Été", "t"},
		{"!!!", "org"},
		{"A very long organisation name indeed", "a-very-long-organisa"},
		{"Acme", "acme-2"},
		{"acme!", "acme-3"},
		{"A very long organisation name again", "a-very-long-organi-2"},
		{"abcdefghijklmnopqrs-tuv", "abcdefghijklmnopqrs"},
	}
	label := regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)
	for _, tt := range tests {
		got := decode[mockapi.Organisation](t, f.do(http.MethodPost, "/v1/orgs",
			map[string]string{"organisation": tt.name}).expect(t, http.StatusCreated))
		if got.NameSlug != tt.want {
			t.Errorf("%q: name_slug = %q, want %q", tt.name, got.NameSlug, tt.want)
		}
		if len(got.NameSlug) > 20 || !label.MatchString(got.NameSlug) {
			t.Errorf("%q: name_slug %q is not an RFC 1035 label of at most 20 characters", tt.name, got.NameSlug)
		}
	}
}

func TestListOrgs(t *testing.T) {
	f := newFixture(t)
	var want []string
	for _, name := range []string{"c", "a", "b"} {
		want = append(want, f.createOrg(name).ID)
	}
	r := f.do(http.MethodGet, "/v1/orgs", nil).expect(t, http.StatusOK)
	if got := decode[mockapi.ListOrgsResponse](t, r); got.Limit != 500 || !slices.Equal(orgIDs(got.Orgs), want) {
		t.Errorf("orgs = %d %v, want creation order %v", got.Limit, orgIDs(got.Orgs), want)
	}
	r = f.do(http.MethodGet, "/v1/orgs?limit=1", nil).expect(t, http.StatusOK)
	if got := decode[mockapi.ListOrgsResponse](t, r); got.Limit != 1 || !slices.Equal(orgIDs(got.Orgs), want[:1]) {
		t.Errorf("limit=1: %d %v", got.Limit, orgIDs(got.Orgs))
	}
	if ids := orgIDs(f.srv.Orgs()); !slices.Equal(ids, want) {
		t.Errorf("Orgs() = %v", ids)
	}
}

func TestCreateOrgGoAPI(t *testing.T) {
	f := newFixture(t)
	parent := f.srv.CreateOrg(mockapi.Organisation{ID: "parent", Organisation: "Parent"})
	child := f.srv.CreateOrg(mockapi.Organisation{Organisation: "Child", ParentID: parent.ID, BillingAccountID: "ignored"})
	if parent.ID != "parent" || child.RootOrgID != "parent" || child.BillingAccountID != "" {
		t.Errorf("parent %+v child %+v", parent, child)
	}

	a := f.createAccount("")
	if err := f.srv.AttachOrg(a.Metadata.ID, parent.ID); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(f.clock.Now().Add(1e9))
	replaced := f.srv.CreateOrg(mockapi.Organisation{ID: "parent", Organisation: "Renamed", AdminState: mockapi.StateDisabled})
	if !replaced.Created.Equal(parent.Created) || !replaced.Updated.Equal(f.clock.Now()) {
		t.Errorf("replace: created %v (was %v), updated %v", replaced.Created, parent.Created, replaced.Updated)
	}
	if replaced.BillingAccountID != a.Metadata.ID || replaced.NameSlug != "renamed" || *replaced.Status.AdminUp {
		t.Errorf("replaced org = %+v", replaced)
	}
	if n := len(f.srv.Orgs()); n != 2 {
		t.Errorf("%d orgs after replacing one, want 2", n)
	}

	// Returned values are copies.
	replaced.FeatureFlags = append(replaced.FeatureFlags, mockapi.FeatureFlag{Feature: "x"})
	*replaced.Status.AllUp = true
	if o, _ := f.srv.Org("parent"); len(o.FeatureFlags) != 0 || *o.Status.AllUp {
		t.Errorf("mutating a returned org changed the store: %+v", o)
	}
	if _, ok := f.srv.Org("nope"); ok {
		t.Error("Org of an unknown id reported ok")
	}
}
