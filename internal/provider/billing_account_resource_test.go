package provider

import (
	"fmt"
	"regexp"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const accountAddr = "agilicus_billing_account.test"

var rfc3339 = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$`)

func accountConfig(api *testAPI, body string) string {
	return api.providerConfig(fmt.Sprintf(`
resource "agilicus_billing_account" "test" {
%s
}
`, body))
}

// mockAccountMatches checks that the mock holds the account in state with
// the given spec.
func mockAccountMatches(api *testAPI, customerID string, devMode bool) apiCheck {
	return func(state *tfjson.State) error {
		id, err := stateString(state, accountAddr, "id")
		if err != nil {
			return err
		}
		a, ok := api.Account(id)
		if !ok {
			return fmt.Errorf("account %s is in state but not in the API", id)
		}
		gotCustomer := ""
		if a.Spec.CustomerID != nil {
			gotCustomer = *a.Spec.CustomerID
		}
		gotDev := a.Spec.DevMode != nil && *a.Spec.DevMode
		if gotCustomer != customerID || gotDev != devMode {
			return fmt.Errorf("API holds customer_id=%q dev_mode=%v, want %q %v", gotCustomer, gotDev, customerID, devMode)
		}
		if n := len(api.Accounts()); n != 1 {
			return fmt.Errorf("API holds %d accounts, want 1", n)
		}
		return nil
	}
}

func TestAccBillingAccount_lifecycle(t *testing.T) {
	api := newTestAPI(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	sameCreated := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: accountConfig(api, `customer_id = "cus_lifecycle"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(accountAddr, tfjsonpath.New("id")),
					sameCreated.AddStateValue(accountAddr, tfjsonpath.New("created")),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^\S+$`))),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("customer_id"), knownvalue.StringExact("cus_lifecycle")),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("dev_mode"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("created"), knownvalue.StringRegexp(rfc3339)),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("updated"), knownvalue.StringRegexp(rfc3339)),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("org_ids"), knownvalue.SetExact([]knownvalue.Check{})),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("products"), knownvalue.ListExact([]knownvalue.Check{})),
					mockAccountMatches(api, "cus_lifecycle", false),
				},
			},
			{
				Config: accountConfig(api, `
  customer_id = "cus_renamed"
  dev_mode    = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(accountAddr, tfjsonpath.New("id")),
					sameCreated.AddStateValue(accountAddr, tfjsonpath.New("created")),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("customer_id"), knownvalue.StringExact("cus_renamed")),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("dev_mode"), knownvalue.Bool(true)),
					mockAccountMatches(api, "cus_renamed", true),
				},
			},
			{
				ResourceName:      accountAddr,
				ImportState:       true,
				ImportStateKind:   resource.ImportCommandWithID,
				ImportStateVerify: true,
			},
			{
				ResourceName:    accountAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionNoop)},
				},
			},
			{
				// Removing customer_id and dev_mode clears them in the API.
				Config: accountConfig(api, ``),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("customer_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("dev_mode"), knownvalue.Bool(false)),
					mockAccountMatches(api, "", false),
				},
			},
		},
		CheckDestroy: checkMockAccountCount(api, 0),
	})
}

// checkMockAccountCount checks, after destroy, how many accounts the API
// still holds.
func checkMockAccountCount(api *testAPI, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := len(api.Accounts()); n != want {
			return fmt.Errorf("API holds %d accounts after destroy, want %d", n, want)
		}
		return nil
	}
}
