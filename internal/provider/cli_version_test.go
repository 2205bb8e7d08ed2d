package provider

import (
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// cliVersion is the version of the terraform (or OpenTofu) CLI tf, as
// [major, minor, patch].
func cliVersion(t *testing.T, tf string) [3]int {
	t.Helper()
	stdout, stderr, err := runTerraform(t, tf, os.DevNull, t.TempDir(), "version", "-json")
	if err != nil {
		t.Fatalf("%s version -json: %v\n%s", tf, err, stderr)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(stdout, &v); err != nil {
		t.Fatalf("%s version -json printed %q: %v", tf, stdout, err)
	}
	return parseVersion(t, v.Version)
}

func parseVersion(t *testing.T, s string) [3]int {
	t.Helper()
	var out [3]int
	core, _, _ := strings.Cut(strings.TrimPrefix(s, "v"), "-")
	for i, part := range strings.SplitN(core, ".", 3) {
		n, err := strconv.Atoi(part)
		if err != nil {
			t.Fatalf("version %q: %v", s, err)
		}
		out[i] = n
	}
	return out
}

func versionBelow(v, least [3]int) bool {
	for i := range v {
		if v[i] != least[i] {
			return v[i] < least[i]
		}
	}
	return false
}

// requiredVersionRE finds a `required_version = ">= X.Y.Z"` constraint.
var requiredVersionRE = regexp.MustCompile(`required_version\s*=\s*">=\s*([0-9]+\.[0-9]+\.[0-9]+)"`)

// requiredVersion is the lowest CLI version the configuration in data
// accepts, when it says so with a ">=" constraint.
func requiredVersion(t *testing.T, data []byte) ([3]int, bool) {
	t.Helper()
	m := requiredVersionRE.FindSubmatch(data)
	if m == nil {
		return [3]int{}, false
	}
	return parseVersion(t, string(m[1])), true
}
