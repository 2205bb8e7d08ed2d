package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// devOverridesWarning is the warning terraform prints whenever a CLI config
// has dev_overrides, as the one these tests use does.
const devOverridesWarning = "Provider development overrides are in effect"

// exampleSourceFile is added to a copied example that declares no
// required_providers, the way the root module of a user would map the
// provider's local name to its registry address.
const exampleSourceFile = "examples_test_required_providers.tf"

const exampleRequiredProviders = `terraform {
  required_providers {
    agilicus = {
      source = "agilicus/agilicus"
    }
  }
}
`

var requiredProvidersRE = regexp.MustCompile(`(?m)^\s*required_providers\s*\{`)

// TestAccExamples runs `terraform validate` on every directory under
// examples/ that holds .tf files, against a provider binary built from this
// module, so that an example can never drift from the schema; and checks
// that examples/ is `terraform fmt` clean. Like the acceptance tests it
// needs a terraform CLI and runs only with TF_ACC set.
func TestAccExamples(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("Acceptance tests skipped unless env 'TF_ACC' set")
	}
	root := moduleRoot(t)
	examples := filepath.Join(root, "examples")
	dirs := exampleDirs(t, examples)
	if len(dirs) == 0 {
		t.Fatalf("no directory with .tf files found under %s", examples)
	}
	tf := terraformBinary(t)
	cli := currentTestCLI(t)
	cliConfig := devOverridesConfig(t, root)

	t.Run("fmt", func(t *testing.T) {
		t.Parallel()
		stdout, stderr, err := runTerraform(t, tf, cliConfig, examples, "fmt", "-check", "-recursive", "-no-color")
		if err != nil {
			t.Fatalf("terraform fmt -check -recursive examples/ (%v): run `make fmt`; files to format:\n%s%s", err, stdout, stderr)
		}
	})
	for _, dir := range dirs {
		rel, err := filepath.Rel(examples, dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			t.Parallel()
			skipBelowRequiredVersion(t, dir, cli)
			work := t.TempDir()
			copied := copyExample(t, dir, work, cli)
			if copied.files == 0 {
				t.Skipf("every file of %s needs a newer CLI than %s", rel, cli)
			}
			validateExample(t, tf, cliConfig, work, copied.queries)
		})
	}
}

// skipBelowRequiredVersion skips an example whose required_version the
// CLI does not meet (such as import blocks with for_each before 1.7).
func skipBelowRequiredVersion(t *testing.T, dir string, cli testCLI) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if ok, constraint := meetsRequiredVersion(t, cli, data); !ok {
			t.Skipf("%s needs a CLI of version %s, this is %s", f, constraint, cli)
		}
	}
}

// moduleRoot is the directory of go.mod, found upwards from the test's
// working directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's working directory")
		}
		dir = parent
	}
}

// exampleDirs lists, in lexical order, the directories under root that
// directly contain at least one .tf or .tfquery.hcl file. Hidden directories (such as a
// .terraform left by running an example by hand) are skipped.
func exampleDirs(t *testing.T, root string) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir() && path != root && strings.HasPrefix(d.Name(), "."):
			return filepath.SkipDir
		case d.Type().IsRegular() && isConfigFile(d.Name()):
			if dir := filepath.Dir(path); len(dirs) == 0 || dirs[len(dirs)-1] != dir {
				dirs = append(dirs, dir)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("listing examples: %v", err)
	}
	return dirs
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

// devOverridesConfig builds the provider from the module at root into a
// temporary directory and returns a terraform CLI config that makes
// terraform use that build for agilicus/agilicus without `terraform init`.
func devOverridesConfig(t *testing.T, root string) string {
	t.Helper()
	binDir := t.TempDir()
	build := exec.CommandContext(t.Context(), "go", "build", "-o", filepath.Join(binDir, "terraform-provider-agilicus"), ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	config := filepath.Join(t.TempDir(), "terraform.rc")
	content := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "agilicus/agilicus" = %q
  }
  direct {}
}
`, binDir)
	if err := os.WriteFile(config, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return config
}

// exampleFileFeature names example files that only newer CLIs accept, with
// what they need: older CLIs validate the example without them.
var exampleFileFeature = map[string]cliFeature{
	"import-by-identity.tf":    featureResourceIdentity,
	"action.tf":                featureActions,
	"action-before-destroy.tf": featureActionDestroyEvents,
}

// isConfigFile reports whether name is a configuration file terraform
// reads: .tf, or .tfquery.hcl for `terraform query`.
func isConfigFile(name string) bool {
	return strings.HasSuffix(name, ".tf") || isQueryFile(name)
}

func isQueryFile(name string) bool { return strings.HasSuffix(name, ".tfquery.hcl") }

// exampleFileNeeds is what the CLI needs to accept the example file name.
func exampleFileNeeds(name string) (cliFeature, bool) {
	if isQueryFile(name) {
		return featureListResources, true
	}
	f, ok := exampleFileFeature[name]
	return f, ok
}

// copiedExample counts what copyExample copied.
type copiedExample struct {
	// files counts the example's own files; queries, its .tfquery.hcl files.
	files, queries int
}

// copyExample copies the .tf and .tfquery.hcl files of dir into work, so that terraform
// writes nothing into examples/, leaving out those that cli does not
// accept, and adds the provider's source address when the
// example does not declare required_providers itself.
func copyExample(t *testing.T, dir, work string, cli testCLI) copiedExample {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	declared := false
	var copied copiedExample
	for _, e := range entries {
		if !e.Type().IsRegular() || !isConfigFile(e.Name()) {
			continue
		}
		if f, ok := exampleFileNeeds(e.Name()); ok && !f.supportedBy(cli) {
			continue
		}
		if e.Name() == exampleSourceFile {
			t.Fatalf("%s: the file name %s is reserved by this test", dir, exampleSourceFile)
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		declared = declared || requiredProvidersRE.Match(data)
		if err := os.WriteFile(filepath.Join(work, e.Name()), data, 0o600); err != nil {
			t.Fatal(err)
		}
		copied.files++
		if isQueryFile(e.Name()) {
			copied.queries++
		}
	}
	if !declared {
		if err := os.WriteFile(filepath.Join(work, exampleSourceFile), []byte(exampleRequiredProviders), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return copied
}

// validateResult is the output of `terraform validate -json`.
type validateResult struct {
	Valid       bool `json:"valid"`
	Diagnostics []struct {
		Severity string `json:"severity"`
		Summary  string `json:"summary"`
		Detail   string `json:"detail"`
		Range    *struct {
			Filename string `json:"filename"`
			Start    struct {
				Line int `json:"line"`
			} `json:"start"`
		} `json:"range"`
	} `json:"diagnostics"`
}

// validateExample fails on any error and on any warning other than the one
// dev_overrides always causes (a deprecated attribute, for example). With
// queries, the .tfquery.hcl files are validated too.
func validateExample(t *testing.T, tf, cliConfig, work string, queries int) {
	t.Helper()
	args := []string{"validate", "-json", "-no-color"}
	if queries > 0 {
		args = append(args, "-query")
	}
	stdout, stderr, runErr := runTerraform(t, tf, cliConfig, work, args...)
	var res validateResult
	if err := json.Unmarshal(stdout, &res); err != nil {
		t.Fatalf("terraform validate (%v) printed no JSON result (%v):\n%s%s", runErr, err, stdout, stderr)
	}
	var problems []string
	for _, d := range res.Diagnostics {
		if d.Severity == "warning" && d.Summary == devOverridesWarning {
			continue
		}
		where := ""
		if d.Range != nil {
			where = fmt.Sprintf(" (%s line %d)", d.Range.Filename, d.Range.Start.Line)
		}
		problems = append(problems, fmt.Sprintf("%s: %s%s\n  %s", d.Severity, d.Summary, where, d.Detail))
	}
	if runErr != nil || !res.Valid || len(problems) > 0 {
		t.Fatalf("terraform validate: valid=%v, exit error %v\n%s", res.Valid, runErr, strings.Join(problems, "\n"))
	}
}

// runTerraform runs terraform in dir with the given CLI config, isolated
// from settings in the environment that would change what it does, and
// returns what it printed. The error is non-nil when terraform exited
// non-zero; a terraform that cannot be started fails the test.
func runTerraform(t *testing.T, tf, cliConfig, dir string, args ...string) (stdout, stderr []byte, err error) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), tf, args...)
	cmd.Dir = dir
	cmd.Env = append(terraformEnviron(),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
	)
	var outBuf, errBuf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &outBuf, &errBuf
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running %s: %v", tf, err)
	}
	return outBuf.Bytes(), errBuf.Bytes(), err
}

// mustRunTerraform runs terraform like runTerraform, with -no-color, fails
// the test when it exits non-zero, and returns what it printed.
func mustRunTerraform(t *testing.T, tf, cliConfig, dir string, args ...string) string {
	t.Helper()
	stdout, stderr, err := runTerraform(t, tf, cliConfig, dir, append(args, "-no-color")...)
	if err != nil {
		t.Fatalf("terraform %s: %v\n%s%s", strings.Join(args, " "), err, stdout, stderr)
	}
	return string(stdout)
}

// noChangesSent fails when the mock received any request that changes
// something.
func noChangesSent(t *testing.T, api *testAPI) {
	t.Helper()
	if routes := api.Stats().Routes; routeCount(routes, "PUT ") != 0 || routeCount(routes, "POST ") != 0 || routeCount(routes, "DELETE ") != 0 {
		t.Fatalf("importing sent changes to the API: %v", routes)
	}
}

// terraformEnviron is the process environment without the variables that
// point terraform at other CLI configs, data directories or extra
// arguments.
func terraformEnviron() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "TF_CLI_CONFIG_FILE", name == "TF_DATA_DIR", name == "TF_WORKSPACE",
			strings.HasPrefix(name, "TF_CLI_ARGS"):
			continue
		}
		env = append(env, kv)
	}
	return env
}
