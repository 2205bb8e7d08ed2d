package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// providerBinary and noopBinary are the file names terraform looks for in
// the dev_overrides directories of the two providers.
const (
	providerBinary = "terraform-provider-agilicus"
	noopBinary     = "terraform-provider-noop"
)

// noopPackage is the do-nothing provider of the noop baseline, relative to
// the module root, and noopSource its source address in configurations.
const (
	noopPackage = "./internal/cmd/bench/noopprovider"
	noopSource  = "bench/noop"
)

// modulePath is the provider's Go module.
const modulePath = "github.com/agilicus/terraform-provider-agilicus"

// moduleRoot finds the provider's module root: the nearest directory at or
// above dir whose go.mod declares modulePath.
func moduleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && declaresModule(string(data), modulePath) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod of %s at or above the current directory: run from the repository", modulePath)
		}
		dir = parent
	}
}

// declaresModule reports whether the go.mod text declares module path.
func declaresModule(gomod, path string) bool {
	for line := range strings.Lines(gomod) {
		fields := strings.Fields(line)
		if len(fields) == 2 && fields[0] == "module" && strings.Trim(fields[1], `"`) == path {
			return true
		}
	}
	return false
}

// goBuild builds the package pkg of the module at root into out and
// returns out.
func goBuild(ctx context.Context, root, pkg, out string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = root
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return "", fmt.Errorf("building %s: %w\n%s", pkg, err, output.String())
		}
		return "", fmt.Errorf("building %s (is go on PATH?): %w", pkg, err)
	}
	return out, nil
}
