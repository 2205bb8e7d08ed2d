package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// `terraform plan -generate-config-out` with an import block for each
// importable resource writes configuration that the next apply accepts as
// it is: the apply imports both resources and changes nothing in the API,
// and the plan after it is empty.
func TestAccGeneratedConfigApplies(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	tf := terraformBinary(t)
	cliConfig := devOverridesConfig(t, moduleRoot(t))
	api := newTestAPI(t)
	accountID := api.createAccount(t, "cus_generated")
	on := true
	cid := "cus_generated"
	if !api.SetAccountSpec(accountID, mockapi.BillingAccountSpec{CustomerID: &cid, DevMode: &on}) {
		t.Fatal("setting dev_mode failed")
	}
	org := api.CreateOrg(mockapi.Organisation{Organisation: "Generated Org", Subdomain: "generated"})
	if err := api.AttachOrg(accountID, org.ID); err != nil {
		t.Fatal(err)
	}

	work := t.TempDir()
	main := exampleRequiredProviders + fmt.Sprintf(`
provider "agilicus" {
  host         = %q
  access_token = %q
}

import {
  to = agilicus_billing_account.imported
  id = %q
}

import {
  to = agilicus_billing_org_attachment.imported
  id = %q
}
`, api.URL, testToken, accountID, attachmentID(accountID, org.ID))
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string { return mustRunTerraform(t, tf, cliConfig, work, args...) }

	run("plan", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(work, "generated.tf"))
	if err != nil {
		t.Fatalf("no configuration was generated: %v", err)
	}
	for _, want := range []string{
		`resource "agilicus_billing_account" "imported"`, `customer_id         = "cus_generated"`, `dev_mode            = true`,
		`resource "agilicus_billing_org_attachment" "imported"`, fmt.Sprintf(`org_id             = %q`, org.ID),
	} {
		if !strings.Contains(string(generated), want) {
			t.Fatalf("the generated configuration lacks %q:\n%s", want, generated)
		}
	}

	api.ResetStats()
	out := run("apply", "-auto-approve")
	if !strings.Contains(out, "2 imported, 0 added, 0 changed, 0 destroyed") {
		t.Fatalf("apply of the generated configuration:\n%s", out)
	}
	noChangesSent(t, api)
	stdout, stderr, err := runTerraform(t, tf, cliConfig, work, "plan", "-detailed-exitcode", "-no-color")
	if err != nil {
		t.Fatalf("the plan after applying the generated configuration is not empty (%v):\n%s%s", err, stdout, stderr)
	}
	t.Logf("generated configuration:\n%s", generated)
}
