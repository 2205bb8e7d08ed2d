package provider

import (
	"context"
	"fmt"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// A protected account is let go of with a removed block and
// lifecycle { destroy = false }: the plan forgets it instead of deleting it,
// deletion protection does not object, no DELETE is sent, and the account
// stays on the API while the state no longer holds it.
func TestAccBillingAccount_removedBlockForgets(t *testing.T) {
	api := newTestAPI(t)
	var accountID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{requireCLIFeature(featureRemovedDestroyFalse)},
		Steps: []resource.TestStep{
			{
				Config: accountConfig(api, `
  customer_id         = "cus_forgotten"
  deletion_protection = true`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAddr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
					captureString(accountAddr, "id", &accountID),
				},
			},
			{
				PreConfig: api.ResetStats,
				Config: api.providerConfig(`
removed {
  from = agilicus_billing_account.test

  lifecycle {
    destroy = false
  }
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{expectForget(accountAddr)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					notInState(accountAddr),
					accountKeptOnAPI(api, &accountID, "cus_forgotten"),
				},
			},
		},
		// The state is empty after the last step, so the testing library
		// runs no destroy and no CheckDestroy: the steps check the API.
	})
}

// lifecycle { destroy = false } on the resource makes an account that
// leaves the configuration (here, a key dropped from for_each) forgotten
// instead of deleted, protected or not, and so does terraform destroy.
func TestAccBillingAccount_lifecycleDestroyFalseForgets(t *testing.T) {
	api := newTestAPI(t)
	const kept, dropped = `agilicus_billing_account.each["kept"]`, `agilicus_billing_account.each["dropped"]`
	config := func(keys string) string {
		return api.providerConfig(fmt.Sprintf(`
resource "agilicus_billing_account" "each" {
  for_each = toset(%s)

  customer_id         = "cus_${each.key}"
  deletion_protection = true

  lifecycle {
    destroy = false
  }
}
`, keys))
	}
	var droppedID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{requireCLIFeature(featureLifecycleDestroyFalse)},
		Steps: []resource.TestStep{
			{
				Config: config(`["kept", "dropped"]`),
				ConfigStateChecks: []statecheck.StateCheck{
					captureString(dropped, "id", &droppedID),
					statecheck.ExpectKnownValue(kept, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
				},
			},
			{
				PreConfig: api.ResetStats,
				Config:    config(`["kept"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						expectForget(dropped),
						plancheck.ExpectResourceAction(kept, plancheck.ResourceActionNoop),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					notInState(dropped),
					statecheck.ExpectKnownValue(kept, tfjsonpath.New("customer_id"), knownvalue.StringExact("cus_kept")),
					accountKeptOnAPI(api, &droppedID, "cus_dropped"),
				},
			},
			destroyForgets(kept, config(`["kept"]`)),
			{
				// A destroy step leaves no state to check: this step checks
				// that the destroy deleted nothing.
				Config:            api.providerConfig(``),
				ConfigStateChecks: []statecheck.StateCheck{mockAccountCount(api, 2)},
			},
		},
	})
}

// destroyForgets is a destroy step of config, whose resource at address
// has lifecycle { destroy = false }: the plan forgets it. Terraform then
// exits 0; OpenTofu forgets it too, then exits non-zero so that nobody
// misses objects left running (its -suppress-forget-errors turns that off).
func destroyForgets(address, config string) resource.TestStep {
	step := resource.TestStep{
		Config:  config,
		Destroy: true,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{expectForget(address)},
		},
	}
	if testCLIIsOpenTofu() {
		step.ExpectError = errorText("Destroy was successful but left behind forgotten instances")
	}
	return step
}

// mockAccountCount is a state check of how many accounts the API holds.
func mockAccountCount(api *testAPI, want int) apiCheck {
	return func(*tfjson.State) error {
		if n := len(api.Accounts()); n != want {
			return fmt.Errorf("the API holds %d accounts, want %d", n, want)
		}
		return nil
	}
}

// expectForget is a plan check that the resource at address is planned to
// be forgotten: removed from state, with nothing sent to the provider.
func expectForget(address string) plancheck.PlanCheck {
	return forgetCheck(address)
}

type forgetCheck string

func (c forgetCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != string(c) {
			continue
		}
		if rc.Change == nil || !rc.Change.Actions.Forget() {
			var actions tfjson.Actions
			if rc.Change != nil {
				actions = rc.Change.Actions
			}
			resp.Error = fmt.Errorf("%s: planned %v, want forget", c, actions)
		}
		return
	}
	resp.Error = fmt.Errorf("%s: no planned change", c)
}

// notInState is a state check that address is not in the state.
func notInState(address string) apiCheck {
	return func(state *tfjson.State) error {
		if _, err := stateResource(state, address); err == nil {
			return fmt.Errorf("%s is still in state", address)
		}
		return nil
	}
}

// accountKeptOnAPI is a state check that the account *id is still on the
// API with customer, and that no DELETE was sent since the stats were reset.
func accountKeptOnAPI(api *testAPI, id *string, customer string) apiCheck {
	return func(*tfjson.State) error {
		a, ok := api.Account(*id)
		if !ok {
			return fmt.Errorf("account %s is gone from the API", *id)
		}
		if a.Spec.CustomerID == nil || *a.Spec.CustomerID != customer {
			return fmt.Errorf("account %s has customer_id %v, want %q", *id, a.Spec.CustomerID, customer)
		}
		if n := routeCount(api.Stats().Routes, "DELETE "); n != 0 {
			return fmt.Errorf("forgetting sent %d DELETE requests", n)
		}
		return nil
	}
}
