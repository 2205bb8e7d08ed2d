package provider

import (
	"fmt"
	"regexp"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// Changing customer_id to one another account already has fails with an
// error naming that account, and changes neither account.
func TestAccBillingAccount_updateToTakenCustomerID(t *testing.T) {
	api := newTestAPI(t)
	other := api.createAccount(t, "cus_taken_by_other")
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            accountConfig(api, `customer_id = "cus_mine"`),
				ConfigStateChecks: []statecheck.StateCheck{captureString(accountAddr, "id", &id)},
			},
			{
				Config: accountConfig(api, `customer_id = "cus_taken_by_other"`),
				ExpectError: regexp.MustCompile(`(?s)Customer id already in use.*Billing account "` + regexp.QuoteMeta(other) +
					`"\s+already\s+has\s+customer_id\s+"cus_taken_by_other"`),
			},
			{
				// Nothing changed: the configuration that applied before
				// plans nothing, and both accounts are as they were.
				Config: accountConfig(api, `customer_id = "cus_mine"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{apiCheck(func(*tfjson.State) error {
					for acc, want := range map[string]string{other: "cus_taken_by_other", id: "cus_mine"} {
						a, ok := api.Account(acc)
						if !ok || a.Spec.CustomerID == nil || *a.Spec.CustomerID != want {
							return fmt.Errorf("account %s: %+v, want customer_id %q", acc, a.Spec, want)
						}
					}
					return nil
				})},
			},
		},
	})
}
