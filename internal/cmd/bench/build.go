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

// providerBinary is the file name terraform looks for in a dev_overrides
// directory.
const providerBinary = "terraform-provider-agilicus"

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

// buildProvider builds the provider from root into dir and returns the
// binary's path.
func buildProvider(ctx context.Context, root, dir string) (string, error) {
	out := filepath.Join(dir, providerBinary)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, ".")
	cmd.Dir = root
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return "", fmt.Errorf("building the provider: %w\n%s", err, output.String())
		}
		return "", fmt.Errorf("building the provider (is go on PATH?): %w", err)
	}
	return out, nil
}
