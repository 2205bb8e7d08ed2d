package mockapi_test

import (
	"bytes"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func TestStateRoundTrip(t *testing.T) {
	f := newFixture(t)
	a := f.createAccount("cus_a")
	b := f.createAccount("")
	o1 := f.srv.CreateOrg(mockapi.Organisation{Organisation: "One", Subdomain: "one",
		FeatureFlags: []mockapi.FeatureFlag{{Feature: "f", Enabled: true}}})
	o2, o3 := f.createOrg("two"), f.createOrg("three")
	for _, o := range []mockapi.Organisation{o3, o1} {
		if err := f.srv.AttachOrg(a.Metadata.ID, o.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.srv.AttachOrg(b.Metadata.ID, o2.ID); err != nil {
		t.Fatal(err)
	}
	f.srv.SetAccountProducts(a.Metadata.ID, []string{"Standard", "Extra"})
	f.do(http.MethodPost, "/v1/billing_accounts/"+a.Metadata.ID+"/usage_records", nil).expect(t, http.StatusCreated)

	var saved bytes.Buffer
	if err := f.srv.SaveState(&saved); err != nil {
		t.Fatal(err)
	}
	loaded := newFixture(t) // same fixed clock: stamps must still move forward
	if err := loaded.srv.LoadState(bytes.NewReader(saved.Bytes())); err != nil {
		t.Fatal(err)
	}

	if got, want := loaded.srv.Accounts(), f.srv.Accounts(); !reflect.DeepEqual(got, want) {
		t.Errorf("accounts differ after load:\n got %+v\nwant %+v", got, want)
	}
	if got, want := loaded.srv.Orgs(), f.srv.Orgs(); !reflect.DeepEqual(got, want) {
		t.Errorf("orgs differ after load:\n got %+v\nwant %+v", got, want)
	}
	if got := loaded.accountOrgs(a.Metadata.ID); !slices.Equal(got, []string{o3.ID, o1.ID}) {
		t.Errorf("attachment order after load: %v", got)
	}
	if got, want := loaded.srv.UsageRecords(a.Metadata.ID), f.srv.UsageRecords(a.Metadata.ID); !slices.Equal(got, want) || len(got) != 1 {
		t.Errorf("usage records %v, want %v", got, want)
	}

	// Saving the loaded state gives the same document.
	var again bytes.Buffer
	if err := loaded.srv.SaveState(&again); err != nil {
		t.Fatal(err)
	}
	if again.String() != saved.String() {
		t.Errorf("state changed across a round trip:\n%s\n---\n%s", saved.String(), again.String())
	}
	// The hook serves the same document.
	if r := loaded.doWith(http.MethodGet, "/_mock/state", nil, nil).expect(t, http.StatusOK); string(r.body) != saved.String() {
		t.Errorf("GET /_mock/state = %s", r.body)
	}

	// New changes get later stamps than anything loaded.
	c := loaded.createAccount("cus_c")
	for _, acc := range f.srv.Accounts() {
		if !c.Metadata.Created.After(acc.Metadata.Updated) {
			t.Errorf("new account created %v, not after loaded %v", c.Metadata.Created, acc.Metadata.Updated)
		}
	}
	loaded.do(http.MethodPost, "/v1/billing_accounts", `{"spec": {"customer_id": "cus_a"}}`).expect(t, http.StatusConflict)
}

func TestLoadHandWrittenState(t *testing.T) {
	f := newFixture(t)
	state := `{"version": 1,
		"orgs": [{"id": "org-1", "organisation": "Fixture Org", "subdomain": "fixture", "billing_account_id": "acc-1"},
		         {"id": "org-2", "organisation": "Child", "parent_id": "org-1"}],
		"accounts": [{"metadata": {"id": "acc-1", "created": "2026-01-02T03:04:05+02:00"},
		              "spec": {"customer_id": "cus_f"}, "org_ids": ["org-1"],
		              "usage_records": [{"quantity": 4, "timestamp": 1767225600}]}]}`
	if err := f.srv.LoadState(strings.NewReader(state)); err != nil {
		t.Fatal(err)
	}
	a, ok := f.srv.Account("acc-1")
	wantCreated := time.Date(2026, 1, 2, 1, 4, 5, 0, time.UTC)
	if !ok || a.Metadata.Created != wantCreated || a.Metadata.Updated != wantCreated {
		t.Errorf("account = %+v, want created and updated %v in UTC", a.Metadata, wantCreated)
	}
	if len(a.Status.Orgs) != 1 || a.Status.Orgs[0].ID != "org-1" {
		t.Errorf("status.orgs = %+v", a.Status.Orgs)
	}
	o, _ := f.srv.Org("org-1")
	if o.NameSlug != "fixture-org" || o.AdminState != "active" || o.Status == nil || o.Created.IsZero() {
		t.Errorf("org defaults not filled: %+v", o)
	}
	if child, _ := f.srv.Org("org-2"); child.RootOrgID != "org-1" {
		t.Errorf("child root_org_id = %q", child.RootOrgID)
	}
	r := f.do(http.MethodGet, "/v1/billing_accounts/acc-1/usage_records", nil).expect(t, http.StatusOK)
	if got := decode[mockapi.ListBillingUsageRecordsResponse](t, r).UsageRecords; len(got) != 1 || got[0].Period != "2026-01" || got[0].TotalUsage != 4 {
		t.Errorf("usage = %+v", got)
	}
}

func TestLoadStateErrors(t *testing.T) {
	org := func(id, account string) string {
		return `{"id": "` + id + `", "organisation": "o", "billing_account_id": "` + account + `"}`
	}
	tests := map[string]string{
		"not json":                  `{"version": 1,`,
		"wrong version":             `{"version": 2, "orgs": [], "accounts": []}`,
		"missing version":           `{"orgs": [], "accounts": []}`,
		"org without id":            `{"version": 1, "orgs": [{"organisation": "x"}]}`,
		"duplicate org":             `{"version": 1, "orgs": [` + org("o", "") + `, ` + org("o", "") + `]}`,
		"bad admin state":           `{"version": 1, "orgs": [{"id": "o", "admin_state": "asleep"}]}`,
		"duplicate subdomain":       `{"version": 1, "orgs": [{"id": "a", "subdomain": "s"}, {"id": "b", "subdomain": "s"}]}`,
		"account without id":        `{"version": 1, "accounts": [{"spec": {}}]}`,
		"duplicate account":         `{"version": 1, "accounts": [{"metadata": {"id": "a"}}, {"metadata": {"id": "a"}}]}`,
		"duplicate customer":        `{"version": 1, "accounts": [{"metadata": {"id": "a"}, "spec": {"customer_id": "c"}}, {"metadata": {"id": "b"}, "spec": {"customer_id": "c"}}]}`,
		"unknown org listed":        `{"version": 1, "accounts": [{"metadata": {"id": "a"}, "org_ids": ["ghost"]}]}`,
		"org names another account": `{"version": 1, "orgs": [` + org("o", "b") + `], "accounts": [{"metadata": {"id": "a"}, "org_ids": ["o"]}]}`,
		"org on two accounts":       `{"version": 1, "orgs": [` + org("o", "a") + `], "accounts": [{"metadata": {"id": "a"}, "org_ids": ["o"]}, {"metadata": {"id": "b"}, "org_ids": ["o"]}]}`,
		"org listed twice":          `{"version": 1, "orgs": [` + org("o", "a") + `], "accounts": [{"metadata": {"id": "a"}, "org_ids": ["o", "o"]}]}`,
		"attachment not listed":     `{"version": 1, "orgs": [` + org("o", "a") + `], "accounts": [{"metadata": {"id": "a"}}]}`,
		"wrong type":                `{"version": 1, "accounts": [{"metadata": {"id": 5}}]}`,
	}
	f := newFixture(t)
	kept := f.createAccount("cus_kept")
	for name, state := range tests {
		t.Run(name, func(t *testing.T) {
			if err := f.srv.LoadState(strings.NewReader(state)); err == nil {
				t.Fatal("LoadState accepted an invalid state")
			}
			if ids := accountIDs(f.srv.Accounts()); !slices.Equal(ids, []string{kept.Metadata.ID}) {
				t.Errorf("a failed load changed the data: %v", ids)
			}
		})
	}
}

func TestStateKeepsSpecExtraKeys(t *testing.T) {
	for _, version := range generations {
		t.Run(version, func(t *testing.T) {
			f := newFixtureWith(t, mockapi.Options{APIVersion: version})
			r := f.do(http.MethodPost, "/v1/billing_accounts", `{"spec": `+specBody("cus_1", extraSpec)+`}`).expect(t, http.StatusCreated)
			id := decode[mockapi.BillingAccount](t, r).Metadata.ID

			var saved bytes.Buffer
			if err := f.srv.SaveState(&saved); err != nil {
				t.Fatal(err)
			}
			// The file holds each value as sent, not reformatted.
			for k, v := range extraSpec {
				if !strings.Contains(saved.String(), `"`+k+`":`+v) {
					t.Errorf("state file lacks %s:%s:\n%s", k, v, saved.String())
				}
			}
			loaded := newFixtureWith(t, mockapi.Options{APIVersion: version})
			if err := loaded.srv.LoadState(bytes.NewReader(saved.Bytes())); err != nil {
				t.Fatal(err)
			}
			r = loaded.do(http.MethodGet, "/v1/billing_accounts/"+id, nil).expect(t, http.StatusOK)
			checkExtra(t, "GET after load", decode[rawSpec](t, r).Spec, "cus_1", extraSpec)
			before, _ := f.srv.AccountRawSpec(id)
			after, _ := loaded.srv.AccountRawSpec(id)
			if !bytes.Equal(before, after) {
				t.Errorf("raw spec changed across save and load:\n%s\n%s", before, after)
			}
			var again bytes.Buffer
			if err := loaded.srv.SaveState(&again); err != nil {
				t.Fatal(err)
			}
			if again.String() != saved.String() {
				t.Errorf("state changed across a round trip:\n%s\n---\n%s", saved.String(), again.String())
			}
		})
	}
}

func TestLoadStateSpecErrors(t *testing.T) {
	f := newFixture(t)
	for name, spec := range map[string]string{
		"spec type":        `"x"`,
		"customer_id type": `{"customer_id": 1}`,
		"dev_mode type":    `{"dev_mode": "on"}`,
	} {
		state := `{"version": 1, "accounts": [{"metadata": {"id": "a"}, "spec": ` + spec + `}]}`
		if err := f.srv.LoadState(strings.NewReader(state)); err == nil {
			t.Errorf("%s: LoadState accepted %s", name, spec)
		}
	}
	// A state file without spec, or with a null one, loads an empty spec.
	state := `{"version": 1, "accounts": [{"metadata": {"id": "a"}}, {"metadata": {"id": "b"}, "spec": null}]}`
	if err := f.srv.LoadState(strings.NewReader(state)); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b"} {
		if raw, ok := f.srv.AccountRawSpec(id); !ok || string(raw) != `{}` {
			t.Errorf("account %s: spec %s, %v", id, raw, ok)
		}
	}
}
