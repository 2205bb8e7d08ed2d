package provider

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// invokeAction writes config into a fresh directory and runs
// `terraform apply -invoke=action.agilicus_billing_record_usage.now` there,
// returning what it printed and whether it failed.
func invokeAction(t *testing.T, config string) (string, error) {
	t.Helper()
	work := t.TempDir()
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	d := newTerraformDir(t, work, devOverridesConfig(t, moduleRoot(t)))
	out, err := d.command("apply", "-auto-approve", "-no-color", "-invoke=action.agilicus_billing_record_usage.now").CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running terraform: %v", err)
	}
	return string(out), err
}

// actionConfig is a configuration of the provider against api with one
// agilicus_billing_record_usage action named "now".
func actionConfig(api *testAPI, body string) string {
	return api.providerConfig(fmt.Sprintf(`
terraform {
  required_providers {
    agilicus = {
      source = "agilicus/agilicus"
    }
  }
}

action "agilicus_billing_record_usage" "now" {
  config {
%s
  }
}
`, body))
}

// Invoked on demand, the action records the account's usage once and says
// what it recorded; a dry run says what it would record and records
// nothing.
func TestAccBillingRecordUsageAction_invoke(t *testing.T) {
	skipUnlessAcceptance(t)
	skipUnlessCLISupports(t, featureActions)
	api := newTestAPI(t)
	id := api.createAccount(t, "cus_invoked")
	for i := range 3 {
		org := api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Invoked Org %d", i)})
		if err := api.AttachOrg(id, org.ID); err != nil {
			t.Fatal(err)
		}
	}

	out, err := invokeAction(t, actionConfig(api, fmt.Sprintf(`    billing_account_id = %q
    dry_run            = true`, id)))
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	if want := fmt.Sprintf("Billing account %s would record 1 usage record now (quantity 3); this was a dry run, nothing was recorded.", id); !strings.Contains(out, want) {
		t.Fatalf("the dry run does not say %q:\n%s", want, out)
	}
	if n := len(api.UsageRecords(id)); n != 0 {
		t.Fatalf("a dry run stored %d usage records", n)
	}

	out, err = invokeAction(t, actionConfig(api, fmt.Sprintf(`    billing_account_id = %q`, id)))
	if err != nil {
		t.Fatalf("invoke: %v\n%s", err, out)
	}
	if want := fmt.Sprintf("Recorded 1 usage record for billing account %s (quantity 3).", id); !strings.Contains(out, want) {
		t.Fatalf("the invocation does not say %q:\n%s", want, out)
	}
	records := api.UsageRecords(id)
	if len(records) != 1 || records[0].Quantity != 3 {
		t.Fatalf("the API holds usage records %+v, want one of quantity 3", records)
	}

	// An account with no organisation: today's API has nothing to record
	// and says so; the older one records a quantity of 0.
	empty := api.createAccount(t, "cus_idle")
	out, err = invokeAction(t, actionConfig(api, fmt.Sprintf(`    billing_account_id = %q`, empty)))
	if err != nil {
		t.Fatalf("invoke for an idle account: %v\n%s", err, out)
	}
	want := fmt.Sprintf("Recorded 1 usage record for billing account %s (quantity 0).", empty)
	if newerAPI(t) {
		want = fmt.Sprintf("Nothing was recorded for billing account %s: the API answered that there is no usage to record", empty)
	}
	if !strings.Contains(out, want) {
		t.Fatalf("the invocation for an idle account does not say %q:\n%s", want, out)
	}
}

// A missing account is an error that names it, and nothing is recorded.
func TestAccBillingRecordUsageAction_missingAccount(t *testing.T) {
	skipUnlessAcceptance(t)
	skipUnlessCLISupports(t, featureActions)
	api := newTestAPI(t)
	out, err := invokeAction(t, actionConfig(api, `    billing_account_id = "no-such-account"`))
	if err == nil {
		t.Fatalf("invoking the action for a missing account succeeded:\n%s", out)
	}
	if !errorText(`No billing account with id "no-such-account" exists, so no usage was recorded.`).MatchString(out) {
		t.Fatalf("the error does not name the missing account:\n%s", out)
	}
}

// Triggered after a terraform_data is created, the action records once, in
// the same apply, and not again on the next one.
func TestAccBillingRecordUsageAction_afterCreate(t *testing.T) {
	api := newTestAPI(t)
	id := api.createAccount(t, "cus_release")
	// An organisation to bill: without one, today's API has nothing to record.
	if err := api.AttachOrg(id, api.CreateOrg(mockapi.Organisation{Organisation: "Release Org"}).ID); err != nil {
		t.Fatal(err)
	}
	config := func(release string) string {
		return api.providerConfig(fmt.Sprintf(`
resource "terraform_data" "release" {
  input = %q

  lifecycle {
    replace_triggered_by = [terraform_data.version]
    action_trigger {
      events  = [after_create]
      actions = [action.agilicus_billing_record_usage.release]
    }
  }
}

resource "terraform_data" "version" {
  input = %[1]q
}

action "agilicus_billing_record_usage" "release" {
  config {
    billing_account_id = %q
  }
}
`, release, id))
	}
	records := func(want int) statecheck.StateCheck {
		return apiCheck(func(*tfjson.State) error {
			if n := len(api.UsageRecords(id)); n != want {
				return fmt.Errorf("the API holds %d usage records, want %d", n, want)
			}
			return nil
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{requireCLIFeature(featureActions)},
		Steps: []resource.TestStep{
			{Config: config("v1"), ConfigStateChecks: []statecheck.StateCheck{records(1)}},
			// Nothing created, nothing recorded.
			{Config: config("v1"), ConfigStateChecks: []statecheck.StateCheck{records(1)}},
			// A new release replaces the terraform_data: recorded again.
			{Config: config("v2"), ConfigStateChecks: []statecheck.StateCheck{records(2)}},
		},
	})
}

// Triggered before an account is destroyed, the action records the
// account's final usage, reading the account's id through caller, and the
// record reaches the API before the account's DELETE does.
func TestAccBillingRecordUsageAction_beforeDestroy(t *testing.T) {
	var mu sync.Mutex
	var wire []string
	logRequests := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			if r.Method != http.MethodGet {
				mu.Lock()
				wire = append(wire, r.Method+" "+r.URL.Path)
				mu.Unlock()
			}
		})
	}
	api := newWrappedTestAPI(t, testMockOptions(t), logRequests)
	org := api.CreateOrg(mockapi.Organisation{Organisation: "Final Org"})
	var accountID string
	config := api.providerConfig(fmt.Sprintf(`
resource "agilicus_billing_account" "test" {
  customer_id = "cus_final"

  lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.agilicus_billing_record_usage.final]
    }
  }
}

resource "agilicus_billing_org_attachment" "final" {
  billing_account_id = agilicus_billing_account.test.id
  org_id             = %q
}

action "agilicus_billing_record_usage" "final" {
  config {
    billing_account_id = caller.id
  }
}
`, org.ID))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{requireCLIFeature(featureActionDestroyEvents)},
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{captureString(accountAddr, "id", &accountID)},
			},
			{
				PreConfig: func() {
					mu.Lock()
					wire = nil
					mu.Unlock()
				},
				Config:  config,
				Destroy: true,
			},
			{
				// Nothing left to manage: this step only checks what the
				// destroy sent (a destroy step leaves no state to check).
				Config: api.providerConfig(``),
				ConfigStateChecks: []statecheck.StateCheck{apiCheck(func(*tfjson.State) error {
					mu.Lock()
					defer mu.Unlock()
					record := "POST /v1/billing_accounts/" + accountID + "/usage_records"
					deleted := "DELETE /v1/billing_accounts/" + accountID
					order := strings.Join(wire, "\n")
					if !regexp.MustCompile(`(?s)` + regexp.QuoteMeta(record) + `.*` + regexp.QuoteMeta(deleted)).MatchString(order) {
						return fmt.Errorf("want %q before %q on the wire, got:\n%s", record, deleted, order)
					}
					if strings.Count(order, record) != 1 {
						return fmt.Errorf("want one %q on the wire, got:\n%s", record, order)
					}
					return nil
				})},
			},
		},
	})
}
