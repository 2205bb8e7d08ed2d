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
	p := phaseResult{WallSeconds: 4.2, Calls: 2100, Resources: 2000}
	p.setFloor(1050, 20*time.Millisecond, 10)
	if p.MinCalls != 1050 || p.FloorSeconds != 2.1 || p.WallOverFloor == nil || *p.WallOverFloor != 2 || p.CallsPerResource != 1.05 {
		t.Errorf("setFloor: %+v (ratio %v)", p, p.WallOverFloor)
	}
	p.setFloor(1050, 0, 10)
	if p.FloorSeconds != 0 || p.WallOverFloor != nil {
		t.Errorf("setFloor without latency: floor %v, ratio %v; want 0 and none", p.FloorSeconds, p.WallOverFloor)
	}
}

func TestPhaseGets(t *testing.T) {
	p := phaseResult{Routes: map[string]int{routeGetAccount: 3, routeListOrgs: 2, routeCreateAccount: 7, "GET /v1/orgs": 1}}
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
		"workload: N=1000 accounts, M=1000 attachments over S=50 accounts, L=20ms latency, parallelism 10",
		"warning: plan-again was not empty",
		"Baseline: 2000 terraform_data resources",
		"After destroy the mock holds 0 accounts and 0 attached orgs.",
		"(a) PASS  latency overhead of refresh = 0.952  [(wall(plan) - wall(plan-0ms)) / floor(plan) <= 1.15]",
		"(c) PASS  attachments cost < 1 API call each on refresh = 50  [org-list calls in plan < M (1000)]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// One row per phase with its wall time, calls, floor and ratio.
	for _, re := range []string{
		`(?m)^\s*apply\s+20ms\s+9\.00s\s+2000\s+1\.00\s+2000\s+4\.00s\s+2\.25\s`,
		`(?m)^\s*plan\s+20ms\s+6\.00s\s+1050\s+0\.53\s+1050\s+2\.10s\s+2\.86\s`,
		`(?m)^\s*plan-0ms\s+0s\s+4\.00s\s+1050\s+0\.53\s+1050\s+0\.00s\s+-\s`,
		`(?m)^\s*destroy\s+20ms\s+12\.00s\s+3050\s+1\.52\s+3050\s+6\.10s\s+1\.97\s`,
		`(?m)^\s*GET /v1/billing_accounts/\{billing_account_id\}/orgs\s+0\s+50\s+50\s+50\s+50\s*$`,
		`(?m)^\s*total\s+2000\s+1050\s+1050\s+1050\s+3050\s*$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("report does not match %s:\n%s", re, out)
		}
	}
}

func TestTargetLineWithoutValue(t *testing.T) {
	got := targetLine(target{ID: "c", Name: "n", Rule: "r", Verdict: verdictNA, Note: "no attachments"})
	if want := "  (c) N/A   n = -  [r] (no attachments)"; got != want {
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
	if len(got.Phases) != 5 || got.phase(phasePlan).Routes[routeListOrgs] != 50 || len(got.Targets) != 5 {
		t.Errorf("round trip lost data: %s", data)
	}
	if plan0 := got.phase(phasePlanZero); plan0.WallOverFloor != nil {
		t.Errorf("plan-0ms has a wall/floor ratio: %v", *plan0.WallOverFloor)
	}
	if !strings.Contains(string(data), `"wall_over_floor": null`) {
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
		`terraform core \(baseline plan\)\s+3\.50s\s+58\.3%`,
		`provider \+ plugin protocol \(0ms - base\)\s+0\.50s\s+8\.3%`,
		`API latency \(plan - plan-0ms\)\s+2\.00s\s+33\.3%\s+floor 2\.10s`,
		`total \(plan at 20ms\)\s+6\.00s`,
	} {
		if !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("breakdown does not match %s:\n%s", re, got)
		}
	}
	r := sampleResults()
	r.Baseline.Phases = nil
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
		if got := disturbed(phaseResult{WallSeconds: tc.wall, OtherCPUSeconds: tc.other}); got != tc.want {
			t.Errorf("disturbed(wall %v, other %v) = %v, want %v", tc.wall, tc.other, got, tc.want)
		}
	}
	r := sampleResults()
	r.phase(phaseApply).OtherCPUSeconds = 4.5
	r.Baseline.Phases[0].OtherCPUSeconds = 1
	var buf bytes.Buffer
	if err := writeReport(&buf, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"warning: other processes used 4.5s of CPU during apply (9.00s wall): its timings are disturbed",
		"warning: other processes used 1.0s of CPU during baseline plan (3.50s wall)",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, buf.String())
		}
	}
	if strings.Count(buf.String(), "other processes used") != 2 {
		t.Errorf("unexpected warnings:\n%s", buf.String())
	}
}
