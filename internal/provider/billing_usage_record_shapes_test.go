package provider

import (
	"fmt"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// What recording usage reports for an account with nothing to record: the
// older API stores a zero record; the newer one answers 204 and stores
// nothing, which the resource reports as recorded = false, quantity 0 and
// no records, and the preview as would_record = false. Applying again asks
// nothing again.
func TestAccBillingUsageRecord_nothingToRecord(t *testing.T) {
	clock := newTestClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	api := newUsageTestAPI(t, clock, nil)
	acc := api.createAccount(t, "cus_idle") // no organisations: no active resources
	config := previewAndRecordConfig(api, acc)

	var (
		recorded                   = true
		records   knownvalue.Check = knownvalue.ListExact([]knownvalue.Check{usageRecordCheck(0, clock.seconds())})
		timestamp knownvalue.Check = knownvalue.Int64Exact(clock.seconds())
		stored                     = 1
	)
	if newerAPI(t) {
		recorded, records, timestamp, stored = false, knownvalue.ListExact([]knownvalue.Check{}), knownvalue.Null(), 0
	}
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("recorded"), knownvalue.Bool(recorded)),
		statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("quantity"), knownvalue.Int64Exact(0)),
		statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("timestamp"), timestamp),
		statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("records"), records),
		statecheck.ExpectKnownValue(usagePreviewAddr, tfjsonpath.New("would_record"), knownvalue.Bool(recorded)),
		statecheck.ExpectKnownValue(usagePreviewAddr, tfjsonpath.New("quantity"), knownvalue.Int64Exact(0)),
		statecheck.ExpectKnownValue(usagePreviewAddr, tfjsonpath.New("timestamp"), timestamp),
		statecheck.ExpectKnownValue(usagePreviewAddr, tfjsonpath.New("records"), records),
		storedUsageRecords(api, acc, stored),
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: checks},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(usageRecordAddr, plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{storedUsageRecords(api, acc, stored)},
			},
		},
	})
}

// A customer with several subscriptions gets one record per subscription
// from the newer API; the resource and the preview list each record and
// report their sum. The older API makes one record.
func TestAccBillingUsageRecord_severalRecords(t *testing.T) {
	clock := newTestClock(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	api := newUsageTestAPI(t, clock, nil)
	acc := api.createAccount(t, "cus_two_products")
	attachNewOrgs(t, api, acc, 3)
	if !api.SetAccountProducts(acc, []string{"Zero Trust", "Access"}) {
		t.Fatal("setting products failed")
	}
	config := previewAndRecordConfig(api, acc)

	n := 1
	if newerAPI(t) {
		n = 2 // one subscription per product
	}
	each := make([]knownvalue.Check, n)
	for i := range each {
		each[i] = usageRecordCheck(3, clock.seconds())
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("recorded"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("records"), knownvalue.ListExact(each)),
				statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("quantity"), knownvalue.Int64Exact(int64(3*n))),
				statecheck.ExpectKnownValue(usageRecordAddr, tfjsonpath.New("timestamp"), knownvalue.Int64Exact(clock.seconds())),
				statecheck.ExpectKnownValue(usagePreviewAddr, tfjsonpath.New("would_record"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(usagePreviewAddr, tfjsonpath.New("records"), knownvalue.ListExact(each)),
				statecheck.ExpectKnownValue(usagePreviewAddr, tfjsonpath.New("quantity"), knownvalue.Int64Exact(int64(3*n))),
				storedUsageRecords(api, acc, n),
			},
		}},
	})
}

// usagePreviewAddr is the preview read next to the record in these tests.
const usagePreviewAddr = "data.agilicus_billing_usage_record_preview.test"

// previewAndRecordConfig previews and records the usage of one account.
func previewAndRecordConfig(api *testAPI, accountID string) string {
	return api.providerConfig(fmt.Sprintf(`
data "agilicus_billing_usage_record_preview" "test" {
  billing_account_id = %[1]q
}

resource "agilicus_billing_usage_record" "test" {
  billing_account_id = %[1]q
}`, accountID))
}

func usageRecordCheck(quantity, timestamp int64) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"quantity":  knownvalue.Int64Exact(quantity),
		"timestamp": knownvalue.Int64Exact(timestamp),
	})
}

// storedUsageRecords checks how many usage records the mock stored for the
// account.
func storedUsageRecords(api *testAPI, accountID string, want int) apiCheck {
	return func(*tfjson.State) error {
		if n := len(api.UsageRecords(accountID)); n != want {
			return fmt.Errorf("the mock stored %d usage records for %s, want %d", n, accountID, want)
		}
		return nil
	}
}
