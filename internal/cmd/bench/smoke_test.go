package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// smokeArgs is the CI size of the benchmark.
var smokeArgs = []string{"-accounts", "10", "-attachments", "10", "-spread", "2", "-latency", "5ms"}

// TestSmoke runs the benchmark end to end at the smoke size: it builds the
// provider and drives the real terraform CLI, so it runs only with TF_ACC
// set, like the provider's acceptance tests. TF_ACC_TERRAFORM_PATH picks the
// terraform binary, as it does for those tests.
func TestSmoke(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run the benchmark end to end")
	}
	// The run's temporary files go to a directory of the test's own, so
	// the test can check that none is left behind.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	out := filepath.Join(t.TempDir(), "results.json")
	args := append(append([]string{}, smokeArgs...), "-out", out)
	if tf := os.Getenv("TF_ACC_TERRAFORM_PATH"); tf != "" {
		args = append(args, "-terraform", tf)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	start := time.Now()
	if err := run(ctx, args, &stdout, &stderr, os.Getenv); err != nil {
		t.Fatalf("run: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	t.Logf("smoke run took %s\n%s", time.Since(start).Round(time.Millisecond), stdout.String())
	if !strings.Contains(stdout.String(), "Results written to "+out) {
		t.Errorf("the report does not name the results file")
	}

	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var res results
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{phaseApply, phasePlan, phasePlanAgain, phasePlanZero, phaseDestroy} {
		p := res.phase(name)
		switch {
		case p == nil:
			t.Errorf("phase %s missing from the results", name)
			continue
		case p.APICalls == 0 || len(p.APICallsByRoute) == 0:
			t.Errorf("phase %s counted no API calls", name)
		case p.WallSeconds <= 0:
			t.Errorf("phase %s has no wall time", name)
		case p.NewConnections == 0:
			t.Errorf("phase %s opened no connection", name)
		case p.PlanHasChanges != nil && *p.PlanHasChanges:
			t.Errorf("phase %s: the plan after apply was not empty", name)
		}
	}
	// The attachments are refreshed from their accounts' org lists, or from
	// a listing of the accounts, organisations included, once the reads
	// pass the listing's threshold.
	if p := res.phase(phasePlan); p != nil && p.APICallsByRoute[routeListOrgs] == 0 && p.APICallsByRoute[routeListAccounts] == 0 {
		t.Errorf("plan listed neither an account's orgs nor the accounts: the attachments were not refreshed (routes %v)", p.APICallsByRoute)
	}
	if len(res.TerraformData.Phases) != 3 || res.TerraformData.phase(phasePlan) == nil {
		t.Errorf("terraform_data baseline phases: %+v", res.TerraformData.Phases)
	}
	checkNoopProviderBaseline(t, res)
	if res.AccountsLeftAfterDestroy != 0 || res.AttachedOrgsLeftAfterDestroy != 0 {
		t.Errorf("after destroy the mock holds %d accounts and %d attached orgs, want none",
			res.AccountsLeftAfterDestroy, res.AttachedOrgsLeftAfterDestroy)
	}
	// At the smoke size, with latency and attachments, every target is
	// measured.
	targets := byName(res.Targets)
	for _, name := range []string{
		targetRefreshLatencyOverhead, targetRefreshLatencyRatio, targetPlanTimeVsTerraformData,
		targetPlanTimeVsNoopProvider, targetOrgListsPerAttachment, targetWastedCallsInApply, targetProviderPeakRSS,
	} {
		if tt, ok := targets[name]; !ok || tt.Value == nil || tt.Verdict == verdictNA {
			t.Errorf("target %q was not measured: %+v", name, tt)
		}
	}
	if len(res.Targets) != len(targets) || len(targets) != 7 {
		t.Errorf("targets: %+v, want the 7 above, once each", res.Targets)
	}
	if !strings.Contains(stdout.String(), "agilicus provider's own work (plan-0ms - noop)") {
		t.Errorf("the refresh breakdown does not split the provider's work from the plugin protocol")
	}
	assertNoLeftovers(t, tmp)
}

// checkNoopProviderBaseline checks that the noop provider baseline ran its
// three phases with the noop provider and no API call, and that its plan
// after apply was empty.
func checkNoopProviderBaseline(t *testing.T, res results) {
	t.Helper()
	nb := res.NoopProvider
	if nb.Resources != res.Workload.resources() {
		t.Errorf("noop baseline of %d resources, want %d", nb.Resources, res.Workload.resources())
	}
	if len(nb.Phases) != 3 {
		t.Errorf("noop baseline phases: %+v", nb.Phases)
	}
	for _, name := range []string{phaseApply, phasePlan, phaseDestroy} {
		p := nb.phase(name)
		switch {
		case p == nil:
			t.Errorf("noop baseline phase %s missing", name)
		case p.WallSeconds <= 0:
			t.Errorf("noop baseline phase %s has no wall time", name)
		case p.ProviderProcesses == 0 || p.ProviderPeakRSSMiB <= 0:
			t.Errorf("noop baseline phase %s saw no noop provider process: %+v", name, p)
		case p.APICalls != 0:
			t.Errorf("noop baseline phase %s made %d API calls: %v", name, p.APICalls, p.APICallsByRoute)
		}
	}
	if p := nb.phase(phasePlan); p != nil && (p.PlanHasChanges == nil || *p.PlanHasChanges) {
		t.Errorf("noop baseline plan after apply was not empty (%v)", p.PlanHasChanges)
	}
}

// TestSmokeInterrupted interrupts a smoke run during its first plan, with
// terraform and the provider running, and checks that the run stops with an
// error and leaves no temporary directory behind.
func TestSmokeInterrupted(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run the benchmark end to end")
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	args := append(append([]string{}, smokeArgs...), "-latency", "2s", "-out", filepath.Join(t.TempDir(), "results.json"))
	if tf := os.Getenv("TF_ACC_TERRAFORM_PATH"); tf != "" {
		args = append(args, "-terraform", tf)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	progress := &cancelOn{text: "] plan of ", cancel: cancel}
	start := time.Now()
	err := run(ctx, args, io.Discard, progress, os.Getenv)
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("run after an interrupt: %v, want an interrupted error\n%s", err, progress.String())
	}
	t.Logf("stopped %s after the start: %v", time.Since(start).Round(time.Millisecond), err)
	assertNoLeftovers(t, tmp)
}

// cancelOn records progress output and cancels once it sees text.
type cancelOn struct {
	bytes.Buffer
	text   string
	cancel context.CancelFunc
	once   sync.Once
}

func (c *cancelOn) Write(p []byte) (int, error) {
	n, err := c.Buffer.Write(p)
	if strings.Contains(c.String(), c.text) {
		// Let terraform get going before the interrupt.
		c.once.Do(func() { time.AfterFunc(500*time.Millisecond, c.cancel) })
	}
	return n, err
}

// assertNoLeftovers fails when a benchmark working directory is left in tmp.
func assertNoLeftovers(t *testing.T, tmp string) {
	t.Helper()
	left, err := filepath.Glob(filepath.Join(tmp, "agilicus-bench-*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}
