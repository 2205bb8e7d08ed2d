package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// A full create, refresh, update and destroy with every log at TRACE must
// not write the access token anywhere: not in terraform's log, not in the
// provider's, and not in state outside the sensitive provider setting
// (which terraform never stores).
func TestAccAccessTokenNeverLogged(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG_PROVIDER", "TRACE")

	// The token comes from the environment, as the docs recommend, so that
	// the test harness's own copy of the configuration does not hold it.
	t.Setenv(EnvAccessToken, testToken)
	api := newTestAPI(t)
	config := func(customerID string) string {
		return fmt.Sprintf(`
provider "agilicus" {
  host = %q
}

resource "agilicus_billing_account" "test" {
  customer_id = %q
}

data "agilicus_billing_accounts" "all" {
  include_customer_data = true
  depends_on            = [agilicus_billing_account.test]
}`, api.URL, customerID)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config("cus_trace")},
			{
				Config: config("cus_trace_2"),
				ConfigStateChecks: []statecheck.StateCheck{apiCheck(func(state *tfjson.State) error {
					raw, err := json.Marshal(state)
					if err != nil {
						return err
					}
					if strings.Contains(string(raw), testToken) {
						return fmt.Errorf("the access token is in the state")
					}
					return nil
				})},
			},
		},
	})

	data, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("no trace log was written: %v", err)
	}
	log := string(data)
	// The log must really hold terraform's and the provider's own lines, or
	// the absence of the token proves nothing.
	for _, want := range []string{"Agilicus API response", "path=/v1/billing_accounts", "ConfigureProvider"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the trace log (%d bytes) lacks %q: logging was not captured", len(log), want)
		}
	}
	if n := strings.Count(log, testToken); n != 0 {
		t.Fatalf("the access token appears %d times in the trace log", n)
	}
	t.Logf("trace log: %d bytes, %d lines, 0 token occurrences", len(log), strings.Count(log, "\n"))
}
