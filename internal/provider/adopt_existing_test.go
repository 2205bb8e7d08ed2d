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
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	tf := terraformBinary(t)
	v := cliVersion(t, tf)
	if versionBelow(v, [3]int{1, 7, 0}) {
		t.Skipf("import blocks with for_each need a CLI of version 1.7 or later, this one is %d.%d.%d", v[0], v[1], v[2])
	}
	const accounts, attachments = 24, 36
	api := newTestAPI(t)
	var ids []string
	for i := range accounts {
		ids = append(ids, api.createAccount(t, fmt.Sprintf("cus_estate_%02d", i)))
	}
	for i := range attachments {
		org := api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Estate Org %02d", i)})
		if err := api.AttachOrg(ids[i%accounts], org.ID); err != nil {
			t.Fatal(err)
		}
	}
	// The provider block of the recipe reads its settings from the
	// environment, as users are advised to.
	t.Setenv(EnvHost, api.URL)
	t.Setenv(EnvAccessToken, testToken)

	root := moduleRoot(t)
	cliConfig := devOverridesConfig(t, root)
	work := t.TempDir()
	copyExample(t, filepath.Join(root, "examples", "adopt-existing"), work, v)
	run := func(args ...string) string { return mustRunTerraform(t, tf, cliConfig, work, args...) }

	want := fmt.Sprintf("%d to import, 0 to add, 0 to change, 0 to destroy", accounts+attachments)
	if out := run("plan"); !strings.Contains(out, want) {
		t.Fatalf("the adoption plan does not say %q:\n%s", want, out)
	}
	api.ResetStats()
	out := run("apply", "-auto-approve")
	if !strings.Contains(out, fmt.Sprintf("%d imported, 0 added, 0 changed, 0 destroyed", accounts+attachments)) {
		t.Fatalf("adoption apply:\n%s", out)
	}
	noChangesSent(t, api)
	stdout, stderr, err := runTerraform(t, tf, cliConfig, work, "plan", "-detailed-exitcode", "-no-color")
	if err != nil {
		t.Fatalf("the plan after adoption is not empty (%v):\n%s%s", err, stdout, stderr)
	}
	if n := len(api.Accounts()); n != accounts {
		t.Fatalf("the API holds %d accounts after adoption, want %d", n, accounts)
	}
}
