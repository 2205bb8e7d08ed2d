package provider

import (
	"fmt"
	"regexp"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// An account deleted outside Terraform leaves the state on refresh, and the
// next apply creates it again.
func TestAccBillingAccount_deletedOutOfBand(t *testing.T) {
	api := newTestAPI(t)
	config := accountConfig(api, `customer_id = "cus_gone"`)
	var firstID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{captureString(accountAddr, "id", &firstID)},
			},
			{
				PreConfig: func() {
					if !api.DeleteAccount(firstID) {
						t.Fatalf("account %s was not in the API", firstID)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
						if v == firstID {
							return fmt.Errorf("id %s was not replaced", v)
						}
						return nil
					})),
					mockAccountMatches(api, "cus_gone", false),
				},
			},
		},
		CheckDestroy: checkMockAccountCount(api, 0),
	})
}

// A spec changed outside Terraform shows as drift and is set back in place.
func TestAccBillingAccount_changedOutOfBand(t *testing.T) {
	api := newTestAPI(t)
	config := accountConfig(api, `customer_id = "cus_owned"`)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{captureString(accountAddr, "id", &id)},
			},
			{
				PreConfig: func() {
					other, dev := "cus_hijacked", true
					if !api.SetAccountSpec(id, mockapi.BillingAccountSpec{CustomerID: &other, DevMode: &dev}) {
						t.Fatalf("account %s was not in the API", id)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(accountAddr, tfjsonpath.New("customer_id"), knownvalue.StringExact("cus_owned")),
						plancheck.ExpectKnownValue(accountAddr, tfjsonpath.New("dev_mode"), knownvalue.Bool(false)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{mockAccountMatches(api, "cus_owned", false)},
			},
		},
	})
}

// Deletion protection fails the plan of a destroy, so neither the account
// nor the organisation attached to it is touched; switching it off lets
// destroy proceed.
func TestAccBillingAccount_deletionProtection(t *testing.T) {
	api := newTestAPI(t)
	orgID := api.CreateOrg(mockapi.Organisation{Organisation: "Kept", Subdomain: "kept"}).ID
	config := func(protected bool) string {
		return accountConfig(api, fmt.Sprintf(`
  customer_id         = "cus_protected"
  deletion_protection = %t`, protected)) + fmt.Sprintf(`
resource "agilicus_billing_org_attachment" "kept" {
  billing_account_id = agilicus_billing_account.test.id
  org_id             = %q
}`, orgID)
	}
	var accountID string
	orgStillAttached := apiCheck(func(*tfjson.State) error {
		if o, _ := api.Org(orgID); o.BillingAccountID != accountID {
			return fmt.Errorf("org is attached to %q, want %q", o.BillingAccountID, accountID)
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
					captureString(accountAddr, "id", &accountID),
				},
			},
			{
				PreConfig:   api.ResetStats,
				Config:      config(true),
				Destroy:     true,
				ExpectError: errorText(`Billing account is protected from deletion`),
			},
			{
				// The refused destroy changed nothing: no DELETE reached the
				// API, the account is there and the organisation attached.
				Config:           config(true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					mockAccountMatches(api, "cus_protected", false),
					orgStillAttached,
					apiCheck(func(*tfjson.State) error {
						if n := routeCount(api.Stats().Routes, "DELETE "); n != 0 {
							return fmt.Errorf("the refused destroy sent %d DELETE requests", n)
						}
						return nil
					}),
				},
			},
			{
				// Removing a protected account from the configuration is
				// refused the same way.
				Config:      api.providerConfig(``),
				ExpectError: errorText(`Billing account is protected from deletion`),
			},
			{
				// Turning protection off changes no API data.
				PreConfig: api.ResetStats,
				Config:    config(false),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(false)),
					orgStillAttached,
					apiCheck(func(*tfjson.State) error {
						if n := routeCount(api.Stats().Routes, "PUT ") + routeCount(api.Stats().Routes, "DELETE "); n != 0 {
							return fmt.Errorf("switching deletion_protection sent %d PUT or DELETE requests", n)
						}
						return nil
					}),
				},
			},
		},
		CheckDestroy: checkMockAccountCount(api, 0),
	})
}

// A second account with a customer id already in use fails with an error
// that names the existing account and how to import it.
func TestAccBillingAccount_duplicateCustomerID(t *testing.T) {
	api := newTestAPI(t)
	existing := api.createAccount(t, "cus_taken")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: accountConfig(api, `customer_id = "cus_taken"`),
			ExpectError: regexp.MustCompile(`(?s)Billing account already exists.*` + regexp.QuoteMeta(existing) +
				`.*terraform import <resource address> ` + regexp.QuoteMeta(existing)),
		}},
	})
	if n := len(api.Accounts()); n != 1 {
		t.Fatalf("API holds %d accounts, want only the pre-existing one", n)
	}
}
