package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccBillingAccountDataSource_basic(t *testing.T) {
	api := newTestAPI(t)
	f := newAccountFixture(t, api)
	const addr = "data.agilicus_billing_account.test"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: api.providerConfig(fmt.Sprintf(`
data "agilicus_billing_account" "test" {
  id = %q
}`, f.withOrg)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("customer_id"), knownvalue.StringExact("cus_alpha")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("dev_mode"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("created"), knownvalue.StringRegexp(rfc3339)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("org_ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(f.orgID)})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("products"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("Access"), knownvalue.StringExact("Zero Trust"),
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("customer"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("subscriptions"), knownvalue.Null()),
				},
			},
			{
				Config: api.providerConfig(fmt.Sprintf(`
data "agilicus_billing_account" "test" {
  id                        = %q
  org_id                    = %q
  include_customer_data     = true
  include_subscription_data = true
}

output "first_subscription_status" {
  value = jsondecode(data.agilicus_billing_account.test.subscriptions[0]).status
}`, f.withOrg, f.orgID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("customer"), customerCheck(t, "cus_alpha")),
					// The newer API has one subscription per product (two here).
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("subscriptions"), knownvalue.ListSizeExact(subscriptionsOf(t, 2))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("subscription_ids").AtSliceIndex(0), knownvalue.StringRegexp(regexp.MustCompile(`^sub_`))),
					statecheck.ExpectKnownOutputValue("first_subscription_status", knownvalue.StringExact("active")),
				},
			},
			{
				// Read through an organisation that is not attached.
				Config: api.providerConfig(fmt.Sprintf(`
data "agilicus_billing_account" "test" {
  id     = %q
  org_id = %q
}`, f.plain, f.orgID)),
				ExpectError: errorText(fmt.Sprintf(`No billing account with id %q exists with organisation %q attached.`, f.plain, f.orgID)),
			},
			{
				Config: api.providerConfig(`
data "agilicus_billing_account" "test" {
  id = "does-not-exist"
}`),
				ExpectError: errorText(`No billing account with id "does-not-exist" exists.`),
			},
		},
	})
}

// customerCheck is the customer record the mock's payment backend holds for
// a live-mode customer: name and email in every API generation, the rest of
// the payment backend's customer object only in the newer one.
func customerCheck(t *testing.T, customerID string) knownvalue.Check {
	t.Helper()
	checks := map[string]knownvalue.Check{
		"name":  knownvalue.StringExact("Customer " + customerID),
		"email": knownvalue.StringRegexp(regexp.MustCompile(`^billing\+` + regexp.QuoteMeta(customerID) + `@`)),
	}
	newer := map[string]knownvalue.Check{
		"id":             knownvalue.StringExact(customerID),
		"balance":        knownvalue.NotNull(),
		"created":        knownvalue.NotNull(),
		"currency":       knownvalue.StringRegexp(regexp.MustCompile(`^[a-z]{3}$`)),
		"description":    knownvalue.StringExact("Mock customer " + customerID),
		"invoice_prefix": knownvalue.StringRegexp(nonEmpty),
		"livemode":       knownvalue.Bool(true),
		"metadata":       knownvalue.MapPartial(map[string]knownvalue.Check{"customer_id": knownvalue.StringExact(customerID)}),
		"phone":          knownvalue.StringRegexp(regexp.MustCompile(`^\+1555\d{7}$`)),
	}
	for k, c := range newer {
		if !newerAPI(t) {
			c = knownvalue.Null()
		}
		checks[k] = c
	}
	return knownvalue.ObjectExact(checks)
}
