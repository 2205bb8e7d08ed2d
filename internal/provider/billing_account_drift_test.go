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
	resource.Test(t, resource.TestCase{
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
	resource.Test(t, resource.TestCase{
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

// Deletion protection stops destroy and leaves the account in the API;
// switching it off lets destroy proceed.
func TestAccBillingAccount_deletionProtection(t *testing.T) {
	api := newTestAPI(t)
	protected := accountConfig(api, `
  customer_id         = "cus_protected"
  deletion_protection = true`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: protected,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
				},
			},
			{
				Config:      protected,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Billing account is protected from deletion.*deletion_protection = false`),
			},
			{
				// The failed destroy left the account where it was.
				Config:            protected,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{mockAccountMatches(api, "cus_protected", false)},
			},
			{
				// Turning protection off changes no API data.
				PreConfig: api.ResetStats,
				Config:    accountConfig(api, `customer_id = "cus_protected"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(false)),
					apiCheck(func(*tfjson.State) error {
						if n := routeCount(api.Stats().Routes, "PUT "); n != 0 {
							return fmt.Errorf("switching deletion_protection sent %d PUT requests", n)
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
	resource.Test(t, resource.TestCase{
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
