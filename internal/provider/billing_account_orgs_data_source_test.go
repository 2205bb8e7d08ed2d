package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func TestAccBillingAccountOrgsDataSource_basic(t *testing.T) {
	api := newTestAPI(t)
	accountID := api.createAccount(t, "cus_orgs")
	emptyID := api.createAccount(t, "cus_no_orgs")
	parent := api.CreateOrg(mockapi.Organisation{Organisation: "Parent Org", Subdomain: "parent"})
	child := api.CreateOrg(mockapi.Organisation{Organisation: "Child Org", Subdomain: "child", ParentID: parent.ID, AdminState: "suspended"})
	third := api.CreateOrg(mockapi.Organisation{Organisation: "Third Org"})
	// Attachment order is list order, and differs from creation order here.
	for _, id := range []string{child.ID, parent.ID, third.ID} {
		if err := api.AttachOrg(accountID, id); err != nil {
			t.Fatal(err)
		}
	}
	// The list reports the orgs as they are after attaching (updated moved).
	child, _ = api.Org(child.ID)

	api.ResetStats()

	const addr = "data.agilicus_billing_account_orgs.test"
	list := func(account, args string) string {
		return api.providerConfig(fmt.Sprintf(`
data "agilicus_billing_account_orgs" "test" {
  billing_account_id = %q
%s
}`, account, args))
	}
	ids := func(ids ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, 0, len(ids))
		for _, id := range ids {
			checks = append(checks, knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}))
		}
		return knownvalue.ListExact(checks)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: list(accountID, ``),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("limit"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("orgs"), ids(child.ID, parent.ID, third.ID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("orgs").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":                 knownvalue.StringExact(child.ID),
						"organisation":       knownvalue.StringExact("Child Org"),
						"subdomain":          knownvalue.StringExact("child"),
						"name_slug":          knownvalue.StringExact(child.NameSlug),
						"admin_state":        knownvalue.StringExact("suspended"),
						"current_state":      knownvalue.StringExact("suspended"),
						"parent_id":          knownvalue.StringExact(parent.ID),
						"root_org_id":        knownvalue.StringExact(parent.ID),
						"billing_account_id": knownvalue.StringExact(accountID),
						"created":            knownvalue.StringRegexp(rfc3339),
						"updated":            knownvalue.StringRegexp(rfc3339),
					})),
					// Fields the API leaves out are null, not empty strings;
					// a subdomain not given is derived from the name.
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("orgs").AtSliceIndex(2), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"organisation":  knownvalue.StringExact("Third Org"),
						"subdomain":     knownvalue.StringExact("third-org"),
						"parent_id":     knownvalue.Null(),
						"admin_state":   knownvalue.StringExact("active"),
						"current_state": knownvalue.StringExact("active"),
					})),
				},
			},
			{
				Config: list(accountID, `  limit = 2`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("orgs"), ids(child.ID, parent.ID)),
				},
			},
			{
				Config: list(emptyID, ``),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("orgs"), knownvalue.ListExact([]knownvalue.Check{})),
				},
			},
			{
				Config:      list("noSuchAccount42", ``),
				ExpectError: errorText(`No billing account with id "noSuchAccount42" exists.`),
			},
		},
	})
	if routes := api.Stats().Routes; routeCount(routes, "POST ")+routeCount(routes, "DELETE ")+routeCount(routes, "PUT ") != 0 {
		t.Fatalf("reading the data source changed data in the API: %v", routes)
	}
}

// An organisation without the optional fields maps to nulls, not to empty
// strings, including billing_account_id and current_state.
func TestNewAccountOrgEntryAbsentFieldsAreNull(t *testing.T) {
	e := newAccountOrgEntry(&client.Organisation{ID: "o1"})
	if !e.ID.Equal(types.StringValue("o1")) {
		t.Errorf("id = %v, want \"o1\"", e.ID)
	}
	for name, v := range map[string]types.String{
		"organisation": e.Organisation, "subdomain": e.Subdomain, "name_slug": e.NameSlug,
		"admin_state": e.AdminState, "current_state": e.CurrentState, "parent_id": e.ParentID,
		"root_org_id": e.RootOrgID, "billing_account_id": e.BillingAccountID,
		"created": e.Created, "updated": e.Updated,
	} {
		if !v.IsNull() {
			t.Errorf("%s = %v, want null", name, v)
		}
	}
	e = newAccountOrgEntry(&client.Organisation{Status: &client.OrganisationStatus{CurrentState: "disabled"}, BillingAccountID: "acc"})
	if e.CurrentState.ValueString() != "disabled" || e.BillingAccountID.ValueString() != "acc" {
		t.Errorf("current_state = %v, billing_account_id = %v", e.CurrentState, e.BillingAccountID)
	}
}
