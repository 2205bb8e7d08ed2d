// The terraform or OpenTofu CLI the acceptance tests drive: which one and
// which version it is, and the table of features each needs, by which tests
// skip (never by a test's name).
package provider

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// testCLI describes the CLI the acceptance tests drive: its family
// (Terraform or OpenTofu, which number their releases independently) and
// its version.
type testCLI struct {
	OpenTofu bool
	Version  *version.Version
}

func (c testCLI) String() string {
	if c.OpenTofu {
		return "OpenTofu " + c.Version.String()
	}
	return "Terraform " + c.Version.String()
}

// cliFeature is something only some CLI releases do, with the first
// release of each family that does it. An empty version means that no
// release of that family the suite runs on does it.
type cliFeature struct {
	what      string
	terraform string
	opentofu  string
}

var (
	featureImportForEach = cliFeature{
		what: "import blocks with for_each", terraform: "1.7.0", opentofu: "1.7.0",
	}
	featureRemovedDestroyFalse = cliFeature{
		what: "removed blocks with lifecycle { destroy = false }", terraform: "1.7.0", opentofu: "1.10.0",
	}
	featureResourceIdentity = cliFeature{
		what: "resource identity (import blocks with identity)", terraform: "1.12.0", opentofu: "1.12.0",
	}
	featureLifecycleDestroyFalse = cliFeature{
		what: "lifecycle { destroy = false } on a resource", terraform: "1.16.0", opentofu: "1.12.0",
	}
	featureImportInModules = cliFeature{
		what: "import blocks inside modules", terraform: "1.16.0",
	}
	featureListResources = cliFeature{
		what: "list resources and terraform query", terraform: "1.14.0",
	}
	featureActions = cliFeature{
		what: "actions", terraform: "1.14.0",
	}
	featureActionDestroyEvents = cliFeature{
		what: "action triggers on before_destroy and after_destroy", terraform: "1.16.0",
	}
)

// supportedBy reports whether cli has the feature.
func (f cliFeature) supportedBy(cli testCLI) bool {
	least := f.terraform
	if cli.OpenTofu {
		least = f.opentofu
	}
	if least == "" {
		return false
	}
	// Pre-releases of a version count as that version.
	return cli.Version.Core().GreaterThanOrEqual(version.Must(version.NewVersion(least)))
}

// skipReason says why cli cannot run a test that needs f.
func (f cliFeature) skipReason(cli testCLI) string {
	least := f.terraform
	if cli.OpenTofu {
		least = f.opentofu
	}
	if least == "" {
		return fmt.Sprintf("%s: no %s release the suite knows of has it (this is %s)", f.what, cliFamily(cli), cli)
	}
	return fmt.Sprintf("%s: needs %s %s or later, this is %s", f.what, cliFamily(cli), least, cli)
}

func cliFamily(cli testCLI) string {
	if cli.OpenTofu {
		return "OpenTofu"
	}
	return "Terraform"
}

// skipUnlessCLISupports skips t when the CLI of the acceptance tests lacks f.
func skipUnlessCLISupports(t *testing.T, f cliFeature) {
	t.Helper()
	if cli := currentTestCLI(t); !f.supportedBy(cli) {
		t.Skip(f.skipReason(cli))
	}
}

// requireCLIFeature is the TerraformVersionChecks form of
// skipUnlessCLISupports, for resource.TestCase. The testing library gives
// the check the CLI's version; the family comes from currentTestCLI.
func requireCLIFeature(f cliFeature) tfversion.TerraformVersionCheck {
	return cliFeatureCheck{feature: f}
}

type cliFeatureCheck struct{ feature cliFeature }

func (c cliFeatureCheck) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	cli := testCLI{OpenTofu: testCLIIsOpenTofu(), Version: req.TerraformVersion}
	if !c.feature.supportedBy(cli) {
		resp.Skip = c.feature.skipReason(cli)
	}
}

var (
	testCLIOnce sync.Once
	testCLIInfo testCLI
	testCLIErr  error
)

// currentTestCLI is the CLI the acceptance tests drive, asked once.
func currentTestCLI(t *testing.T) testCLI {
	t.Helper()
	tf := terraformBinary(t)
	testCLIOnce.Do(func() {
		// OpenTofu answers `version -json` with the same document, its own
		// version under the same key, so terraform-exec reads both.
		cli, err := tfexec.NewTerraform(t.TempDir(), tf)
		if err == nil {
			testCLIInfo.Version, _, err = cli.Version(t.Context(), true)
		}
		if err != nil {
			testCLIErr = fmt.Errorf("the version of %s: %w", tf, err)
			return
		}
		testCLIInfo.OpenTofu = testCLIIsOpenTofu()
	})
	if testCLIErr != nil {
		t.Fatal(testCLIErr)
	}
	return testCLIInfo
}

// requiredVersionRE finds a configuration's required_version constraint.
var requiredVersionRE = regexp.MustCompile(`required_version\s*=\s*"([^"]+)"`)

// skipUnlessAcceptance skips a test that drives the CLI itself, outside
// resource.Test, unless TF_ACC is set as for every acceptance test.
func skipUnlessAcceptance(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
}

// terraformBinary is TF_ACC_TERRAFORM_PATH, as for the acceptance tests,
// or else the terraform on PATH.
func terraformBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("TF_ACC is set but there is no terraform: put it on PATH or set TF_ACC_TERRAFORM_PATH")
	}
	return p
}

// testCLIIsOpenTofu reports whether the acceptance tests run on OpenTofu.
// It reads the first line of `version`: the JSON document terraform-exec
// reads is the same for both families.
func testCLIIsOpenTofu() bool {
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || tf == "" {
		return false
	}
	out, err := exec.Command(tf, "version").Output()
	return err == nil && bytes.HasPrefix(out, []byte("OpenTofu "))
}
