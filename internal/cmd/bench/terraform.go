package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// interruptGrace is how long terraform may take to stop after an interrupt
// before it is killed.
const interruptGrace = 30 * time.Second

// terraform runs terraform commands with a fixed environment: the
// benchmark's CLI configuration (dev_overrides to the freshly built
// provider), no version check-in, automation-friendly output, and the mock
// API's address and token for the provider.
type terraform struct {
	bin    string
	env    []string
	logDir string
}

// terraformEnv is base without the variables that would change what
// terraform or the provider does (TF_*, AGILICUS_*, CHECKPOINT_DISABLE),
// plus extra.
func terraformEnv(base []string, extra map[string]string) []string {
	var env []string
	for _, kv := range base {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "AGILICUS_") || name == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	return env
}

// tfRun is the outcome of one terraform command.
type tfRun struct {
	Wall     time.Duration
	ExitCode int
	// CPU is the user and system time of terraform and of the processes it
	// waited for (its provider plugins).
	CPU time.Duration
	Log string
}

// run runs terraform with args in dir, its output going to
// <logDir>/<name>.log. Exit codes listed in ok are not errors (plan's
// -detailed-exitcode exits 2 when there are changes). On an interrupt
// (ctx done) terraform gets SIGINT, so it can stop cleanly, and is killed
// if it takes longer than interruptGrace.
func (tf *terraform) run(ctx context.Context, dir, name string, ok []int, args ...string) (tfRun, error) {
	logPath := filepath.Join(tf.logDir, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return tfRun{}, err
	}
	defer func() { _ = logFile.Close() }()

	cmd := exec.CommandContext(ctx, tf.bin, args...)
	cmd.Dir = dir
	cmd.Env = tf.env
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = interruptGrace

	start := time.Now()
	err = cmd.Run()
	res := tfRun{Wall: time.Since(start), ExitCode: -1, Log: logPath}
	if st := cmd.ProcessState; st != nil {
		res.ExitCode = st.ExitCode()
		res.CPU = st.UserTime() + st.SystemTime()
	}
	if ctx.Err() != nil {
		return res, fmt.Errorf("terraform %s interrupted: %w", name, ctx.Err())
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		for _, code := range ok {
			if res.ExitCode == code {
				return res, nil
			}
		}
	}
	if err != nil {
		return res, fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, logTail(logPath, 40))
	}
	return res, nil
}

// logTail returns the last n lines of a log file, for error messages.
func logTail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// terraformVersion asks the binary for its version.
func terraformVersion(ctx context.Context, bin string, env []string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, "version", "-json")
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s version: %w: %s", bin, err, stderr.String())
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil || v.Version == "" {
		return "", fmt.Errorf("%s version -json: unexpected output %q", bin, out)
	}
	return v.Version, nil
}

// findTerraform resolves the terraform binary: the -terraform flag, then
// $TERRAFORM, then PATH.
func findTerraform(flagValue string, getenv func(string) string) (string, error) {
	bin := flagValue
	if bin == "" {
		bin = getenv("TERRAFORM")
	}
	if bin == "" {
		bin = "terraform"
	}
	path, err := exec.LookPath(bin)
	if err != nil {
		return "", fmt.Errorf("terraform not found (set -terraform or $TERRAFORM): %w", err)
	}
	return filepath.Abs(path)
}

// selfCPU is this process's user and system time: the mock API and the
// sampler.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
