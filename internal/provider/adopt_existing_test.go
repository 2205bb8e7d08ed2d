package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// The examples/adopt-existing recipe adopts an estate made outside
// Terraform, a few dozen accounts and attachments spread over several pages
// of the account list, in one plan: everything is imported, nothing is
// created, changed or destroyed, and the plan after the apply is empty.
func TestAccAdoptExistingEstate(t *testing.T) {
	skipUnlessAcceptance(t)
	skipUnlessCLISupports(t, featureImportForEach)
	api, want := newEstate(t, estateSize{accounts: 24, attachments: 36})
	work := t.TempDir()
	copyExample(t, filepath.Join(moduleRoot(t), "examples", "adopt-existing"), work, currentTestCLI(t))
	adoptEstate(t, api, work, want, false)
}

// The examples/adopt-with-query recipe: `terraform query
// -generate-config-out` finds an estate of more than one page of accounts
// and writes a resource and an import block for each account and
// attachment, which then import with nothing created, changed or destroyed.
func TestAccAdoptExistingEstate_query(t *testing.T) {
	skipUnlessAcceptance(t)
	skipUnlessCLISupports(t, featureListResources)
	api, want := newEstate(t, estateSize{accounts: 52, attachments: 104})
	work := t.TempDir()
	copyExample(t, filepath.Join(moduleRoot(t), "examples", "adopt-with-query"), work, currentTestCLI(t))
	tf := terraformBinary(t)
	cliConfig := devOverridesConfig(t, moduleRoot(t))
	api.ResetStats()
	mustRunTerraform(t, tf, cliConfig, work, "query", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(work, "generated.tf"))
	if err != nil {
		t.Fatalf("terraform query wrote no configuration: %v", err)
	}
	if got := strings.Count(string(generated), "\nimport {"); got != want.accounts+want.attachments {
		t.Fatalf("generated.tf holds %d import blocks, want %d:\n%s", got, want.accounts+want.attachments, generated)
	}
	noChangesSent(t, api)
	adoptEstate(t, api, work, want, false)
}

// The same recipe adopts the estate when it is a module called from a root
// module, as teams keep it: its import blocks then sit inside the module.
func TestAccAdoptExistingEstate_asModule(t *testing.T) {
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

// estateSize is how many accounts and attachments newEstate makes.
type estateSize struct{ accounts, attachments int }

// newEstate fills a mock with accounts and attachments made outside
// Terraform, over several pages of the account list, and points the
// provider's environment settings at it, as users of the recipes are
// advised to configure it.
func newEstate(t *testing.T, size estateSize) (*testAPI, estateSize) {
	t.Helper()
	api := newTestAPI(t)
	var ids []string
	for i := range size.accounts {
		ids = append(ids, api.createAccount(t, fmt.Sprintf("cus_estate_%02d", i)))
	}
	for i := range size.attachments {
		org := api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Estate Org %02d", i)})
		if err := api.AttachOrg(ids[i%size.accounts], org.ID); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv(EnvHost, api.URL)
	t.Setenv(EnvAccessToken, testToken)
	return api, size
}

// adoptEstate plans and applies the configuration in work (after
// `terraform init` when it calls modules), checks that everything is
// imported and nothing created, changed or destroyed, that the plan after
// it is empty, and returns the apply's output.
func adoptEstate(t *testing.T, api *testAPI, work string, want estateSize, callsModules bool) string {
	t.Helper()
	tf := terraformBinary(t)
	cliConfig := devOverridesConfig(t, moduleRoot(t))
	run := func(args ...string) string { return mustRunTerraform(t, tf, cliConfig, work, args...) }
	if callsModules {
		// Module calls need init; the provider itself comes from
		// dev_overrides.
		run("init", "-backend=false", "-input=false")
	}

	total := want.accounts + want.attachments
	if out := run("plan"); !strings.Contains(out, fmt.Sprintf("%d to import, 0 to add, 0 to change, 0 to destroy", total)) {
		t.Fatalf("the adoption plan does not import %d objects:\n%s", total, out)
	}
	api.ResetStats()
	out := run("apply", "-auto-approve")
	if !strings.Contains(out, fmt.Sprintf("%d imported, 0 added, 0 changed, 0 destroyed", total)) {
		t.Fatalf("adoption apply:\n%s", out)
	}
	noChangesSent(t, api)
	stdout, stderr, err := runTerraform(t, tf, cliConfig, work, "plan", "-detailed-exitcode", "-no-color")
	if err != nil {
		t.Fatalf("the plan after adoption is not empty (%v):\n%s%s", err, stdout, stderr)
	}
	if n := len(api.Accounts()); n != want.accounts {
		t.Fatalf("the API holds %d accounts after adoption, want %d", n, want.accounts)
	}
	return out
}
