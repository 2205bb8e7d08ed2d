package provider

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-exec/tfexec"
)

// devOverridesWarning is the warning terraform prints whenever a CLI config
// has dev_overrides, as the one these tests use does.
const devOverridesWarning = "Provider development overrides are in effect"

// TestAccExamples_validateAndFormat runs `terraform validate` on every directory under
// examples/ that holds .tf files, against a provider binary built from this
// module, so that an example can never drift from the schema; and checks
// that examples/ is `terraform fmt` clean. Like the acceptance tests it
// needs a terraform CLI and runs only with TF_ACC set.
func TestAccExamples_validateAndFormat(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("Acceptance tests skipped unless env 'TF_ACC' set")
	}
	root := moduleRoot(t)
	examples := filepath.Join(root, "examples")
	dirs := exampleDirs(t, examples)
	if len(dirs) == 0 {
		t.Fatalf("no directory with .tf files found under %s", examples)
	}
	cli := currentTestCLI(t)
	cliConfig := devOverridesConfig(t, root)

	t.Run("fmt", func(t *testing.T) {
		t.Parallel()
		d := newTerraformDir(t, examples, cliConfig)
		formatted, files, err := d.FormatCheck(t.Context(), tfexec.Recursive(true))
		if err != nil || !formatted {
			t.Fatalf("terraform fmt -check -recursive examples/ (%v): run `make fmt`; files to format: %v", err, files)
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
			validateExample(t, newTerraformDir(t, work, cliConfig), copied.queries)
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

// validateExample fails on any error and on any warning other than the one
// dev_overrides always causes (a deprecated attribute, for example). With
// queries, the .tfquery.hcl files are validated too (`validate -query`,
// which terraform-exec has no option for).
func validateExample(t *testing.T, d *terraformDir, queries int) {
	t.Helper()
	var res *tfjson.ValidateOutput
	var runErr error
	if queries == 0 {
		res, runErr = d.Validate(t.Context())
		if res == nil {
			t.Fatalf("terraform validate printed no result: %v", runErr)
		}
	} else {
		stdout, err := d.command("validate", "-json", "-no-color", "-query").Output()
		runErr = err
		res = &tfjson.ValidateOutput{}
		if err := json.Unmarshal(stdout, res); err != nil {
			t.Fatalf("terraform validate -query (%v) printed no JSON result (%v):\n%s", runErr, err, stdout)
		}
	}
	var problems []string
	for _, diag := range res.Diagnostics {
		if diag.Severity == tfjson.DiagnosticSeverityWarning && diag.Summary == devOverridesWarning {
			continue
		}
		where := ""
		if diag.Range != nil {
			where = fmt.Sprintf(" (%s line %d)", diag.Range.Filename, diag.Range.Start.Line)
		}
		problems = append(problems, fmt.Sprintf("%s: %s%s\n  %s", diag.Severity, diag.Summary, where, diag.Detail))
	}
	if !res.Valid || len(problems) > 0 {
		t.Fatalf("terraform validate: valid=%v, exit error %v\n%s", res.Valid, runErr, strings.Join(problems, "\n"))
	}
}

// meetsRequiredVersion reports whether cli satisfies the required_version
// constraint of the configuration in data, and the constraint when there
// is one.
func meetsRequiredVersion(t *testing.T, cli testCLI, data []byte) (bool, string) {
	t.Helper()
	m := requiredVersionRE.FindSubmatch(data)
	if m == nil {
		return true, ""
	}
	c, err := version.NewConstraint(string(m[1]))
	if err != nil {
		t.Fatalf("required_version %q: %v", m[1], err)
	}
	return c.Check(cli.Version.Core()), string(m[1])
}
