package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// A plan shows as unknown only what the apply can change: flipping
// deletion_protection (which sends nothing) plans no unknown value, and an
// update of the spec plans only updated as unknown, so that neither defers
// a data source that reads the account's organisations.
func TestAccBillingAccount_quietPlans(t *testing.T) {
	api := newTestAPI(t)
	org := api.CreateOrg(mockapi.Organisation{Organisation: "Quiet", Subdomain: "quiet"})
	config := func(devMode, protected bool) string {
		return accountConfig(api, fmt.Sprintf(`
  customer_id         = "cus_quiet"
  dev_mode            = %t
  deletion_protection = %t`, devMode, protected)) + fmt.Sprintf(`
resource "agilicus_billing_org_attachment" "quiet" {
  billing_account_id = agilicus_billing_account.test.id
  org_id             = %q
}

# Through a local value, so that Terraform does not wait for the account's
# change before reading: it waits for any change of a managed resource that
# a data source refers to directly, whatever the provider plans.
locals {
  first_org = one(agilicus_billing_account.test.org_ids)
}

data "agilicus_billing_accounts" "by_org" {
  org_id = local.first_org
}
`, org.ID)
	}
	known := func(attrs ...string) []plancheck.PlanCheck {
		var checks []plancheck.PlanCheck
		for _, a := range attrs {
			checks = append(checks, plancheck.ExpectKnownValue(accountAddr, tfjsonpath.New(a), knownvalue.NotNull()))
		}
		return checks
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config(false, false)},
			{
				// The refresh after the attach puts the organisation in org_ids.
				Config: config(false, false),
			},
			{
				Config: config(false, true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(known("updated", "org_ids", "products", "created"),
					plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(accountAddr, tfjsonpath.New("org_ids"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(org.ID)})),
					readAtPlanTime("data.agilicus_billing_accounts.by_org"),
				)},
			},
			{
				Config: config(true, false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(known("org_ids", "products", "created"),
					plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(accountAddr, tfjsonpath.New("updated")),
					readAtPlanTime("data.agilicus_billing_accounts.by_org"),
				), PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// readAtPlanTime is a plan check that the data source at address was read
// while planning, not deferred to the apply.
func readAtPlanTime(address string) plancheck.PlanCheck { return readAtPlanTimeCheck(address) }

type readAtPlanTimeCheck string

func (c readAtPlanTimeCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address == string(c) && rc.Change != nil && rc.Change.Actions.Read() {
			resp.Error = fmt.Errorf("%s is deferred to the apply", c)
			return
		}
	}
}

// Removing a protected account's block is refused with both ways out: put
// the block back and turn protection off, or let go of the account with a
// removed block, which then works where the CLI has removed blocks.
func TestAccBillingAccount_deletionProtectionErrorNamesTheWaysOut(t *testing.T) {
	api := newTestAPI(t)
	protected := func(on bool) string {
		return accountConfig(api, fmt.Sprintf(`
  customer_id         = "cus_ways_out"
  deletion_protection = %t`, on))
	}
	steps := []resource.TestStep{
		{Config: protected(true)},
		{
			Config: api.providerConfig(``),
			ExpectError: regexp.MustCompile(`(?s)put its resource block back.*deletion_protection = false.*` +
				`removed \{\s+from = <resource address>\s+lifecycle \{\s+destroy = false`),
		},
	}
	letGo := cliSupports(t, featureRemovedDestroyFalse)
	if letGo {
		// Let go of it, as the error says; it stays on the API.
		steps = append(steps, resource.TestStep{
			Config: api.providerConfig(`
removed {
  from = agilicus_billing_account.test
  lifecycle {
    destroy = false
  }
}
`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectForget(accountAddr)}},
		})
	} else {
		// The other way out: protection off, then the destroy of the test.
		steps = append(steps, resource.TestStep{Config: protected(false)})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
	if want := map[bool]int{true: 1, false: 0}[letGo]; len(api.Accounts()) != want {
		t.Fatalf("the API holds %d accounts, want %d", len(api.Accounts()), want)
	}
}
