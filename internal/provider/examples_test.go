package provider

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
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
