// Driving the terraform CLI outside the plugin-testing harness, through
// terraform-exec, for what a TestStep cannot express: configuration that
// terraform generates, module calls, adopting a whole estate, an apply that
// outlives its tokens or is interrupted. Also the copying of examples/.
package provider

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/hashicorp/terraform-exec/tfexec"
)

const exampleRequiredProviders = `terraform {
  required_providers {
    agilicus = {
      source = "agilicus/agilicus"
    }
  }
}
`

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

// exampleSourceFile is added to a copied example that declares no
// required_providers, the way the root module of a user would map the
// provider's local name to its registry address.
const exampleSourceFile = "examples_test_required_providers.tf"

var requiredProvidersRE = regexp.MustCompile(`(?m)^\s*required_providers\s*\{`)

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

// exampleFileFeature names example files that only newer CLIs accept, with
// what they need: older CLIs validate the example without them.
var exampleFileFeature = map[string]cliFeature{
	"import-by-identity.tf":    featureResourceIdentity,
	"action.tf":                featureActions,
	"action-before-destroy.tf": featureActionDestroyEvents,
}

// terraformDir is a working directory that a test drives with the terraform
// CLI under test (see terraformBinary), using a build of this module through
// dev_overrides and none of the caller's TF_* settings.
type terraformDir struct {
	*tfexec.Terraform
	t         *testing.T
	dir       string
	cliConfig string
	env       map[string]string
	// What the last command printed.
	stdout, stderr bytes.Buffer
}

// newTerraformDir drives dir with the CLI config cliConfig (from
// devOverridesConfig). The environment is read now: set the provider's
// variables before.
func newTerraformDir(t *testing.T, dir, cliConfig string) *terraformDir {
	t.Helper()
	tf, err := tfexec.NewTerraform(dir, terraformBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	d := &terraformDir{Terraform: tf, t: t, dir: dir, cliConfig: cliConfig, env: terraformEnv(cliConfig)}
	if err := tf.SetEnv(d.env); err != nil {
		t.Fatal(err)
	}
	tf.SetStdout(&d.stdout)
	tf.SetStderr(&d.stderr)
	return d
}

// terraformEnv is the process environment without what would point
// terraform elsewhere (CLI config, data directory, workspace, extra
// arguments, variables, logs), with cliConfig as the CLI config.
func terraformEnv(cliConfig string) map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		name, value, _ := strings.Cut(kv, "=")
		env[name] = value
	}
	env = tfexec.CleanEnv(env)
	delete(env, "TF_DATA_DIR")
	delete(env, "TF_WORKSPACE")
	env["TF_CLI_CONFIG_FILE"] = cliConfig
	env["CHECKPOINT_DISABLE"] = "1"
	return env
}

// must runs one terraform command, fails the test when it fails, and returns
// what it printed, standard output first.
func (d *terraformDir) must(what string, run func(ctx context.Context) error) string {
	d.t.Helper()
	d.stdout.Reset()
	d.stderr.Reset()
	if err := run(d.t.Context()); err != nil {
		d.t.Fatalf("terraform %s: %v\n%s", what, err, d.stdout.String())
	}
	return d.stdout.String() + d.stderr.String()
}

// plan runs `terraform plan` and returns what it printed.
func (d *terraformDir) plan(opts ...tfexec.PlanOption) string {
	d.t.Helper()
	return d.must("plan", func(ctx context.Context) error {
		_, err := d.Plan(ctx, opts...)
		return err
	})
}

// apply runs `terraform apply` and returns what it printed.
func (d *terraformDir) apply(opts ...tfexec.ApplyOption) string {
	d.t.Helper()
	return d.must("apply", func(ctx context.Context) error { return d.Apply(ctx, opts...) })
}

// mustPlanNothing fails the test, naming what, unless a plan now is empty.
func (d *terraformDir) mustPlanNothing(what string) {
	d.t.Helper()
	d.stdout.Reset()
	changes, err := d.Plan(d.t.Context())
	if err != nil || changes {
		d.t.Fatalf("the plan %s is not empty (%v):\n%s", what, err, d.stdout.String())
	}
}

// query runs `terraform query` and fails the test on any error it reports.
func (d *terraformDir) query(opts ...tfexec.QueryOption) {
	d.t.Helper()
	messages, err := d.QueryJSON(d.t.Context(), opts...)
	if err != nil {
		d.t.Fatalf("terraform query: %v", err)
	}
	var problems []string
	for m := range messages {
		if m.Err != nil {
			problems = append(problems, m.Err.Error())
		}
		if m.Msg != nil && m.Msg.Level() == tfjson.Error {
			problems = append(problems, m.Msg.Message())
		}
	}
	// QueryJSON took over stdout for its messages.
	d.SetStdout(&d.stdout)
	if len(problems) > 0 {
		d.t.Fatalf("terraform query: %s", strings.Join(problems, "\n"))
	}
}

// stateCounts counts the accounts and attachments in the state.
func (d *terraformDir) stateCounts() (accounts, attachments int) {
	d.t.Helper()
	state, err := d.Show(d.t.Context())
	if err != nil {
		d.t.Fatalf("terraform show: %v", err)
	}
	if state.Values == nil {
		return 0, 0
	}
	for _, r := range state.Values.RootModule.Resources {
		switch r.Type {
		case "agilicus_billing_account":
			accounts++
		case "agilicus_billing_org_attachment":
			attachments++
		}
	}
	return accounts, attachments
}

// command is terraform with args in this directory and its environment, for
// what terraform-exec has no option for: `apply -invoke`, `validate -query`,
// an apply interrupted the way Ctrl-C interrupts it.
func (d *terraformDir) command(args ...string) *exec.Cmd {
	cmd := exec.CommandContext(d.t.Context(), d.ExecPath(), args...)
	cmd.Dir = d.dir
	cmd.Env = []string{"TF_IN_AUTOMATION=1"}
	for name, value := range d.env {
		cmd.Env = append(cmd.Env, name+"="+value)
	}
	return cmd
}

// applyInterrupted starts `terraform apply` in its own process group and
// sends it SIGINT, as Ctrl-C in a terminal does, once ready reports true;
// it returns what terraform printed and how it exited.
func (d *terraformDir) applyInterrupted(ready func() bool) (string, error) {
	d.t.Helper()
	cmd := d.command("apply", "-auto-approve", "-no-color", "-parallelism=10")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	var err error
wait:
	for {
		select {
		case err = <-exited:
			break wait
		case <-tick.C:
			if ready() {
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
				err = <-exited
				break wait
			}
		}
	}
	if !strings.Contains(out.String(), "Interrupt received") {
		d.t.Logf("terraform did not report the interrupt:\n%s", out.String())
	}
	return out.String(), err
}

// adoptEstate plans and applies the configuration in work (after
// `terraform init` when it calls modules), checks that everything is
// imported and nothing created, changed or destroyed, that the plan after
// it is empty, and returns the apply's output.
func adoptEstate(t *testing.T, api *testAPI, work string, want estateSize, callsModules bool) string {
	t.Helper()
	d := newTerraformDir(t, work, devOverridesConfig(t, moduleRoot(t)))
	if callsModules {
		// Module calls need init; the provider itself comes from
		// dev_overrides.
		d.must("init", func(ctx context.Context) error { return d.Init(ctx, tfexec.Backend(false)) })
	}

	total := want.accounts + want.attachments
	if out := d.plan(); !strings.Contains(out, fmt.Sprintf("%d to import, 0 to add, 0 to change, 0 to destroy", total)) {
		t.Fatalf("the adoption plan does not import %d objects:\n%s", total, out)
	}
	api.ResetStats()
	out := d.apply()
	if !strings.Contains(out, fmt.Sprintf("%d imported, 0 added, 0 changed, 0 destroyed", total)) {
		t.Fatalf("adoption apply:\n%s", out)
	}
	noChangesSent(t, api)
	d.mustPlanNothing("after adoption")
	if n := len(api.Accounts()); n != want.accounts {
		t.Fatalf("the API holds %d accounts after adoption, want %d", n, want.accounts)
	}
	return out
}

// newFleetDir creates n organisations named after name in api and returns a
// working directory whose configuration is an account for each, with its
// organisation attached. Set the provider's environment before.
func newFleetDir(t *testing.T, api *testAPI, n int, name string) *terraformDir {
	t.Helper()
	work := t.TempDir()
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(fleetConfig(api.createOrgs(n, name))), 0o600); err != nil {
		t.Fatal(err)
	}
	return newTerraformDir(t, work, devOverridesConfig(t, moduleRoot(t)))
}
