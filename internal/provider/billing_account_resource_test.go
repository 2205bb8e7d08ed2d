package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

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

// The examples/adopt-existing recipe adopts an estate made outside
// Terraform, a few dozen accounts and attachments spread over several pages
// of the account list, in one plan: everything is imported, nothing is
// created, changed or destroyed, and the plan after the apply is empty.
func TestAccBillingAccount_adoptExistingEstate(t *testing.T) {
	skipUnlessAcceptance(t)
	skipUnlessCLISupports(t, featureImportForEach)
	api, want := newEstate(t, estateSize{accounts: 24, attachments: 36})
	work := t.TempDir()
	copyExample(t, filepath.Join(moduleRoot(t), "examples", "adopt-existing"), work, currentTestCLI(t))
	adoptEstate(t, api, work, want, false)
}

// The same recipe adopts the estate when it is a module called from a root
// module, as teams keep it: its import blocks then sit inside the module.
func TestAccBillingAccount_adoptExistingEstateAsModule(t *testing.T) {
	skipUnlessAcceptance(t)
	skipUnlessCLISupports(t, featureImportInModules)
	api, want := newEstate(t, estateSize{accounts: 24, attachments: 36})
	work := t.TempDir()
	module := filepath.Join(work, "estate")
	if err := os.Mkdir(module, 0o700); err != nil {
		t.Fatal(err)
	}
	copyExample(t, filepath.Join(moduleRoot(t), "examples", "adopt-existing"), module, currentTestCLI(t))
	root := `module "estate" {
  source = "./estate"
}

output "adopted_accounts" {
  value = module.estate.adopted_accounts
}
`
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(root), 0o600); err != nil {
		t.Fatal(err)
	}
	out := adoptEstate(t, api, work, want, true)
	if !strings.Contains(out, fmt.Sprintf("adopted_accounts = %d", want.accounts)) {
		t.Fatalf("the root module's output does not count %d adopted accounts:\n%s", want.accounts, out)
	}
}

// A delete of an account that is already gone succeeds: here the account is
// deleted by the first request, whose answer is lost, and the retry is
// answered 404.
func TestAccBillingAccount_deleteOfGoneAccountSucceeds(t *testing.T) {
	var lost atomic.Int32
	api := newWrappedTestAPI(t, testMockOptions(t), loseFirstAccountDeleteAnswer(&lost))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: accountConfig(api, `customer_id = "cus_gone"`)},
		},
		CheckDestroy: checkMockAccountCount(api, 0),
	})
	if lost.Load() != 1 {
		t.Fatal("no delete answer was lost: the test did not test anything")
	}
	if n := api.Stats().Routes["DELETE /v1/billing_accounts/{billing_account_id}"]; n != 2 {
		t.Fatalf("%d account deletes reached the mock, want 2 (the lost one and the retry answered 404)", n)
	}
}

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

// An update changes only what the resource manages: the keys of the spec it
// does not manage go back to the API exactly as they were, after a dev_mode
// change and after a customer_id change.
func TestAccBillingAccount_updateKeepsUnmanagedSpecKeys(t *testing.T) {
	api := newTestAPI(t)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            accountConfig(api, `customer_id = "cus_keys"`),
				ConfigStateChecks: []statecheck.StateCheck{captureString(accountAddr, "id", &id)},
			},
			{
				// Someone else adds licence data to the account.
				PreConfig: func() { addUnmanagedSpecKeys(t, api, id) },
				Config: accountConfig(api, `
  customer_id = "cus_keys"
  dev_mode    = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					mockAccountMatches(api, "cus_keys", true),
					unmanagedSpecKeysKept(api, &id),
				},
			},
			{
				Config: accountConfig(api, `
  customer_id = "cus_keys_renamed"
  dev_mode    = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					mockAccountMatches(api, "cus_keys_renamed", true),
					unmanagedSpecKeysKept(api, &id),
				},
			},
		},
		CheckDestroy: checkMockAccountCount(api, 0),
	})
}

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

// Every attribute a configuration can set, except the provider's own
// settings, is part of the spec an update compares and sends: an attribute
// added to the schema but left out of spec() fails here, instead of
// silently never being updated.
func TestBillingAccountUpdateComparesEveryConfigurableAttribute(t *testing.T) {
	var resp fwresource.SchemaResponse
	(&BillingAccountResource{}).Schema(t.Context(), fwresource.SchemaRequest{}, &resp)
	base := BillingAccountResourceModel{
		CustomerID: types.StringValue("cus_base"), DevMode: types.BoolValue(false),
		DeletionProtection: types.BoolValue(false),
	}
	fields := modelFieldsByTag(t, reflect.TypeOf(base))
	configurable := 0
	for name, attr := range resp.Schema.Attributes {
		if !attr.IsRequired() && !attr.IsOptional() {
			continue // computed only: the API sets it
		}
		configurable++
		plan := base
		changeField(t, reflect.ValueOf(&plan).Elem().Field(fields[name]), name)
		if got, want := plan.specDiffers(base), !providerOnlyAttributes[name]; got != want {
			t.Errorf("changing %s: update sends the spec = %v, want %v", name, got, want)
		}
	}
	if configurable < 3 {
		t.Fatalf("found %d configurable attributes; the schema walk is broken", configurable)
	}
	for name := range resp.Schema.Blocks {
		if !providerOnlyAttributes[name] {
			t.Errorf("block %s is neither sent to the API by update nor listed as the provider's own", name)
		}
	}
	if _, ok := resp.Schema.Attributes["deletion_protection"].(schema.BoolAttribute); !ok {
		t.Fatal("deletion_protection is not a bool attribute")
	}
}

// An account without customer id whose create answer is lost cannot be
// found again; the error says so and when it happened.
func TestAccBillingAccount_lostCreateWithoutCustomerID(t *testing.T) {
	api := newTestAPI(t)
	api.SetFaults(mockapi.Faults{DropAfterCommitRate: 1})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      accountConfig(api, ``),
			ExpectError: errorText(`The billing account may have been created. It has no customer_id, so it cannot be found again automatically`),
		}},
	})
	if got := api.Stats().Routes["POST /v1/billing_accounts"]; got != 1 {
		t.Fatalf("the create was sent %d times, want exactly once", got)
	}
}

// The create timeout of the timeouts block bounds the whole operation,
// retries and waits included.
func TestAccBillingAccount_createTimeoutIsHonoured(t *testing.T) {
	api := newTestAPI(t)
	api.SetFaults(mockapi.Faults{Latency: 30 * time.Second})
	// Set when the step starts: a parallel test first waits for its turn.
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() { start = time.Now() },
			Config: accountConfig(api, `
  customer_id = "cus_slow"
  timeouts {
    create = "2s"
  }`),
			ExpectError: errorText(`context deadline exceeded`),
		}},
	})
	// Generous bound: the point is that the 30 s latency was not waited out,
	// which the empty mock below proves too (a request waited out is acted on).
	if elapsed := time.Since(start); elapsed > 25*time.Second {
		t.Fatalf("the create took %s despite a 2 s timeout", elapsed)
	}
	if n := len(api.Accounts()); n != 0 {
		t.Fatalf("the API holds %d accounts, want none", n)
	}
	t.Logf("the create stopped after %s", time.Since(start).Round(time.Millisecond))
}

// loseFirstAccountDeleteAnswer lets the first DELETE of an account reach the
// mock, which deletes the account, and then hangs up instead of answering.
// The client's retry of that DELETE then meets an account that is already
// gone (404).
func loseFirstAccountDeleteAnswer(lost *atomic.Int32) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rest, isAccountPath := strings.CutPrefix(r.URL.Path, "/v1/billing_accounts/")
			isAccountDelete := r.Method == http.MethodDelete && isAccountPath && !strings.Contains(rest, "/")
			if !isAccountDelete || !lost.CompareAndSwap(0, 1) {
				next.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(httptest.NewRecorder(), r)
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
				}
			}
		})
	}
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

// unmanagedSpecKeys are spec keys this provider does not manage: fields of
// newer API versions and a key no version declares. The values use
// characters a careless encoder would escape, so "kept" means byte for byte.
var unmanagedSpecKeys = map[string]string{
	"product_id":           `"prod_<enterprise>&co"`,
	"license_constraints":  `[{"name":"max_users","expression":"users <= 10 && sites > 0"}]`,
	"constraint_variables": `{"users":{"default":3},"sites":null}`,
	"x_not_declared":       `[1,"two",{"three":3.0}]`,
}

// addUnmanagedSpecKeys adds unmanagedSpecKeys to the account's spec,
// keeping what it holds.
func addUnmanagedSpecKeys(t *testing.T, api *testAPI, id string) {
	t.Helper()
	raw, ok := api.AccountRawSpec(id)
	if !ok {
		t.Fatalf("account %s is not in the mock", id)
	}
	spec := map[string]json.RawMessage{}
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	for k, v := range unmanagedSpecKeys {
		spec[k] = json.RawMessage(v)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(spec); err != nil {
		t.Fatal(err)
	}
	if err := api.SetAccountRawSpec(id, buf.Bytes()); err != nil {
		t.Fatal(err)
	}
}

// unmanagedSpecKeysKept checks that the mock holds every unmanaged key with
// its value unchanged to the byte.
func unmanagedSpecKeysKept(api *testAPI, id *string) apiCheck {
	return func(*tfjson.State) error {
		raw, ok := api.AccountRawSpec(*id)
		if !ok {
			return fmt.Errorf("account %s is not in the mock", *id)
		}
		spec := map[string]json.RawMessage{}
		if err := json.Unmarshal(raw, &spec); err != nil {
			return err
		}
		for k, want := range unmanagedSpecKeys {
			if got, ok := spec[k]; !ok || string(got) != want {
				return fmt.Errorf("spec.%s is %s after the update, want %s (spec: %s)", k, got, want, raw)
			}
		}
		return nil
	}
}

// providerOnlyAttributes are the account's settings that the API never
// sees: changing them alone sends no update.
var providerOnlyAttributes = map[string]bool{"deletion_protection": true, "timeouts": true}

// modelFieldsByTag maps each tfsdk tag of a model struct to its field index.
func modelFieldsByTag(t *testing.T, typ reflect.Type) map[string]int {
	t.Helper()
	out := map[string]int{}
	for i := range typ.NumField() {
		if tag := typ.Field(i).Tag.Get("tfsdk"); tag != "" {
			out[tag] = i
		}
	}
	return out
}

// changeField sets a model field to a value different from the base one.
func changeField(t *testing.T, f reflect.Value, name string) {
	t.Helper()
	switch v := f.Interface().(type) {
	case types.String:
		f.Set(reflect.ValueOf(types.StringValue(v.ValueString() + "_changed")))
	case types.Bool:
		f.Set(reflect.ValueOf(types.BoolValue(!v.ValueBool())))
	case types.Int64:
		f.Set(reflect.ValueOf(types.Int64Value(v.ValueInt64() + 1)))
	default:
		t.Fatalf("%s: add a way to change a %T here", name, v)
	}
}

// cliSupports reports whether the CLI of the acceptance tests has f; false
// when they do not run.
func cliSupports(t *testing.T, f cliFeature) bool {
	t.Helper()
	return os.Getenv("TF_ACC") != "" && f.supportedBy(currentTestCLI(t))
}
