package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestSetFloor(t *testing.T) {
	p := phaseResult{WallSeconds: 4.2, APICalls: 2100, Resources: 2000}
	p.setFloor(1050, 20*time.Millisecond, 10)
	if p.MinAPICalls != 1050 || p.RoundTripFloorSeconds != 2.1 || p.WallOverFloor == nil || *p.WallOverFloor != 2 || p.APICallsPerResource != 1.05 {
		t.Errorf("setFloor: %+v (ratio %v)", p, p.WallOverFloor)
	}
	p.setFloor(1050, 0, 10)
	if p.RoundTripFloorSeconds != 0 || p.WallOverFloor != nil {
		t.Errorf("setFloor without latency: floor %v, ratio %v; want 0 and none", p.RoundTripFloorSeconds, p.WallOverFloor)
	}
}

func TestPhaseGets(t *testing.T) {
	p := phaseResult{APICallsByRoute: map[string]int{routeGetAccount: 3, routeListOrgs: 2, routeCreateAccount: 7, "GET /v1/orgs": 1}}
	if got := p.gets(); got != 6 {
		t.Errorf("gets() = %d, want 6", got)
	}
}

func sampleReport(t *testing.T) string {
	t.Helper()
	r := sampleResults()
	r.StartedAt = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	r.Host = hostInfo{CPUs: 2, GoVersion: "go1.26.8", Platform: "linux_amd64", TerraformVersion: "1.11.4", TerraformPath: "/usr/bin/terraform"}
	changed := true
	r.phase(phasePlanAgain).PlanHasChanges = &changed
	r.Targets = evaluateTargets(r)
	var buf bytes.Buffer
	if err := writeReport(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestWriteReport(t *testing.T) {
	out := sampleReport(t)
	for _, want := range []string{
		"host: 2 CPUs, linux_amd64, go1.26.8; terraform 1.11.4 (/usr/bin/terraform)",
		"workload: 1000 accounts, 1000 attachments over 50 of them, 20ms API latency, parallelism 10",
		"warning: plan-again was not empty",
		"Baselines (no API; 2000 terraform_data resources, 2000 noop provider resources):",
		"The noop provider's RSS is for information only",
		"After destroy the mock holds 0 accounts and 0 attached orgs.",
		"  PASS  latency overhead of refresh = 0.476  [(wall(plan) - wall(plan-0ms)) / floor(plan) <= 1.15]",
		"  PASS  plan time vs terraform_data = 1.143  [wall(plan-0ms) / wall(terraform_data plan) <= 1.30]",
		"  PASS  plan time vs a do-nothing provider = 1.111  [wall(plan-0ms) / wall(noop provider plan) <= 1.30]",
		"  PASS  org-list requests per attachment on refresh = 0.05  [org-list requests in plan / attachments < 1]",
		"  PASS  wasted calls in apply = 0  [GET requests in a fresh apply = 0",
		"  PASS  peak RSS of the provider = 40  [max VmHWM of a provider process over all phases < 60 MiB]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// One row per phase with its wall time, calls, floor and ratio.
	for _, re := range []string{
		`(?m)^\s*apply\s+20ms\s+9\.00s\s+2000\s+1\.00\s+2000\s+4\.00s\s+2\.25\s`,
		`(?m)^\s*plan\s+20ms\s+5\.00s\s+1050\s+0\.53\s+1050\s+2\.10s\s+2\.38\s`,
		`(?m)^\s*plan-0ms\s+0s\s+4\.00s\s+1050\s+0\.53\s+1050\s+0\.00s\s+-\s`,
		`(?m)^\s*destroy\s+20ms\s+12\.00s\s+3050\s+1\.52\s+3050\s+6\.10s\s+1\.97\s`,
		`(?m)^\s*GET /v1/billing_accounts/\{billing_account_id\}/orgs\s+0\s+50\s+50\s+50\s+50\s*$`,
		`(?m)^\s*total\s+2000\s+1050\s+1050\s+1050\s+3050\s*$`,
		// The baselines: one row per phase of each.
		`(?m)^\s*terraform_data\s+plan\s+3\.50s\s+0\s+-\s+0\s+-\s+3\.70s\s+0\.00s\s*$`,
		`(?m)^\s*noop provider\s+plan\s+3\.60s\s+0\s+80\.0 MiB\s+1\s+-\s+5\.00s\s+0\.00s\s*$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("report does not match %s:\n%s", re, out)
		}
	}
}

func TestTargetLineWithoutValue(t *testing.T) {
	got := targetLine(target{Name: "n", Rule: "r", Verdict: verdictNA, Note: "no attachments"})
	if want := "  N/A   n = -  [r] (no attachments)"; got != want {
		t.Errorf("targetLine = %q, want %q", got, want)
	}
}

func TestWriteJSON(t *testing.T) {
	r := sampleResults()
	r.Targets = evaluateTargets(r)
	path := filepath.Join(t.TempDir(), "sub", "out.json")
	if err := writeJSON(path, r); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got results
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Phases) != 5 || got.phase(phasePlan).APICallsByRoute[routeListOrgs] != 50 || len(got.Targets) != 7 {
		t.Errorf("round trip lost data: %s", data)
	}
	if noop := got.NoopProvider.phase(phasePlan); noop == nil || noop.WallSeconds != 3.6 || noop.TerraformCPUSeconds != 5 ||
		got.NoopProvider.Resources != 2000 {
		t.Errorf("noop provider baseline lost in the round trip: %+v", got.NoopProvider)
	}
	for _, key := range []string{`"terraform_data_baseline": {`, `"noop_provider_baseline": {`,
		`"name": "latency overhead of refresh"`, `"api_calls_by_route": {`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("no %s in the JSON", key)
		}
	}
	if plan0 := got.phase(phasePlanZero); plan0.WallOverFloor != nil {
		t.Errorf("plan-0ms has a wall/floor ratio: %v", *plan0.WallOverFloor)
	}
	if !strings.Contains(string(data), `"wall_over_round_trip_floor": null`) {
		t.Error("a missing ratio is not null in the JSON")
	}
}

func TestDefaultOutPath(t *testing.T) {
	got := defaultOutPath("/tmp", time.Date(2026, 11, 28, 9, 5, 7, 0, time.UTC))
	if want := "/tmp/agilicus-bench-20261128-090507.json"; got != want {
		t.Errorf("defaultOutPath = %q, want %q", got, want)
	}
}

func TestRefreshBreakdown(t *testing.T) {
	got := strings.Join(refreshBreakdown(sampleResults()), "\n")
	for _, re := range []string{
		`(?m)^\s+wall\s+share\s+CPU tf\+prov$`,
		`terraform core \(terraform_data plan\)\s+3\.50s\s+70\.0%\s+3\.70s`,
		`plugin protocol \(noop plan - terraform_data\)\s+0\.10s\s+2\.0%\s+1\.30s`,
		`agilicus provider's own work \(plan-0ms - noop\)\s+0\.40s\s+8\.0%\s+1\.50s`,
		`API latency \(plan - plan-0ms\)\s+1\.00s\s+20\.0%\s+0\.20s\s+floor 2\.10s`,
		`total \(plan at 20ms\)\s+5\.00s\s+6\.70s`,
	} {
		if !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("breakdown does not match %s:\n%s", re, got)
		}
	}
	if strings.Contains(got, "provider + plugin protocol") {
		t.Errorf("breakdown with a noop plan has the combined line:\n%s", got)
	}

	// Without the noop baseline, the provider and the protocol are one part.
	r := sampleResults()
	r.NoopProvider.Phases = nil
	got = strings.Join(refreshBreakdown(r), "\n")
	if !regexp.MustCompile(`provider \+ plugin protocol \(0ms - base\)\s+0\.50s\s+10\.0%\s+2\.80s`).MatchString(got) ||
		strings.Contains(got, "own work") {
		t.Errorf("breakdown without a noop plan:\n%s", got)
	}

	r = sampleResults()
	r.TerraformData.Phases = nil
	if lines := refreshBreakdown(r); lines != nil {
		t.Errorf("breakdown without a baseline: %q", lines)
	}
}

func TestDisturbedWarning(t *testing.T) {
	for _, tc := range []struct {
		wall, other float64
		want        bool
	}{
		{60, 3, false},  // 5% of one CPU
		{60, 12, true},  // 20%
		{2, 0.3, false}, // 15%, but too little to matter
		{2, 0.6, true},  // 30%
	} {
		if got := disturbed(phaseResult{WallSeconds: tc.wall, OtherProcessesCPUSeconds: tc.other}); got != tc.want {
			t.Errorf("disturbed(wall %v, other %v) = %v, want %v", tc.wall, tc.other, got, tc.want)
		}
	}
	r := sampleResults()
	r.phase(phaseApply).OtherProcessesCPUSeconds = 4.5
	r.TerraformData.Phases[0].OtherProcessesCPUSeconds = 1
	r.NoopProvider.Phases[0].OtherProcessesCPUSeconds = 2
	var buf bytes.Buffer
	if err := writeReport(&buf, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"warning: other processes used 4.5s of CPU during apply (9.00s wall): its timings are disturbed",
		"warning: other processes used 1.0s of CPU during terraform_data plan (3.50s wall)",
		"warning: other processes used 2.0s of CPU during noop provider plan (3.60s wall)",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, buf.String())
		}
	}
	if strings.Count(buf.String(), "other processes used") != 3 {
		t.Errorf("unexpected warnings:\n%s", buf.String())
	}
}
