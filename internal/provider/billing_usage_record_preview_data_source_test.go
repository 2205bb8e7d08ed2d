package provider

import (
	"fmt"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Ten previews, planned and applied, reach the API and record nothing.
func TestAccBillingUsageRecordPreviewDataSource_storesNothing(t *testing.T) {
	const previews = 10
	clock := newTestClock(time.Date(2026, 11, 5, 12, 30, 0, 0, time.UTC))
	api := newUsageTestAPI(t, clock, nil)
	acc := api.createAccount(t, "cus_preview")
	attachNewOrgs(t, api, acc, 2)

	checks := []statecheck.StateCheck{
		apiCheck(func(*tfjson.State) error {
			if n := routeCount(api.Stats().Routes, usagePostRoute); n < previews {
				return fmt.Errorf("the mock got %d usage-record POSTs, want at least %d", n, previews)
			}
			return wantUsageRecords(api, acc)
		}),
	}
	for i := range previews {
		addr := fmt.Sprintf("data.agilicus_billing_usage_record_preview.test[%d]", i)
		checks = append(checks,
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("billing_account_id"), knownvalue.StringExact(acc)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("quantity"), knownvalue.Int64Exact(2)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("timestamp"), knownvalue.Int64Exact(clock.seconds())),
		)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: api.providerConfig(fmt.Sprintf(`
data "agilicus_billing_usage_record_preview" "test" {
  count              = %d
  billing_account_id = %q
}

output "total_preview" {
  value = sum(data.agilicus_billing_usage_record_preview.test[*].quantity)
}`, previews, acc)),
			ConfigStateChecks: append(checks, statecheck.ExpectKnownOutputValue("total_preview", knownvalue.Int64Exact(2*previews))),
		}},
		CheckDestroy: func(*terraform.State) error { return wantUsageRecords(api, acc) },
	})
}

func TestAccBillingUsageRecordPreviewDataSource_missingAccount(t *testing.T) {
	api := newTestAPI(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: api.providerConfig(`
data "agilicus_billing_usage_record_preview" "test" {
  billing_account_id = "no-such-account"
}`),
			ExpectError: errorText(`No billing account with id "no-such-account" exists.`),
		}},
	})
	if n := routeCount(api.Stats().Routes, usagePostRoute); n == 0 {
		t.Error("no preview was requested")
	}
}
