package main

import (
	"strings"
	"testing"
	"time"
)

func TestMinCalls(t *testing.T) {
	w := workload{Accounts: 1000, Attachments: 1000, Spread: 50}
	for phase, want := range map[string]int{
		phaseApply:     2000, // N creates + M attaches
		phasePlan:      1050, // N account GETs + S org lists
		phasePlanAgain: 1050,
		phasePlanZero:  1050,
		phaseDestroy:   3050, // refresh + M detaches + N deletes
		"unknown":      0,
	} {
		if got := minCalls(phase, w); got != want {
			t.Errorf("minCalls(%s) = %d, want %d", phase, got, want)
		}
	}
	// No attachments: no org list is needed.
	if got := minCalls(phasePlan, workload{Accounts: 10}); got != 10 {
		t.Errorf("minCalls(plan, no attachments) = %d, want 10", got)
	}
}

func TestRoundTripFloor(t *testing.T) {
	for _, tc := range []struct {
		calls       int
		latency     time.Duration
		parallelism int
		want        time.Duration
	}{
		{1050, 20 * time.Millisecond, 10, 2100 * time.Millisecond},
		{2000, 20 * time.Millisecond, 10, 4 * time.Second},
		{12, 5 * time.Millisecond, 10, 6 * time.Millisecond},
		{1050, 0, 10, 0},
		{10, time.Second, 0, 10 * time.Second}, // parallelism below 1 counts as 1
	} {
		if got := roundTripFloor(tc.calls, tc.latency, tc.parallelism); got != tc.want {
			t.Errorf("roundTripFloor(%d, %s, %d) = %s, want %s", tc.calls, tc.latency, tc.parallelism, got, tc.want)
		}
	}
}

// sampleResults is a run of N=1000, M=1000, S=50 at 20ms where every target
// passes.
func sampleResults() *results {
	w := workload{Accounts: 1000, Attachments: 1000, Spread: 50}
	r := &results{Workload: w, AccountsWithAttachments: 50, LatencyMS: 20, Parallelism: 10}
	add := func(name string, latency time.Duration, wall float64, routes map[string]int) {
		p := phaseResult{Name: name, LatencyMS: float64(latency.Milliseconds()), WallSeconds: wall, Routes: routes,
			Resources: w.resources(), ProviderPeakRSSMiB: 40}
		for _, c := range routes {
			p.Calls += c
		}
		p.setFloor(minCalls(name, w), latency, 10)
		r.Phases = append(r.Phases, p)
	}
	add(phaseApply, 20*time.Millisecond, 9, map[string]int{routeCreateAccount: 1000, routeAttach: 1000})
	add(phasePlan, 20*time.Millisecond, 6, map[string]int{routeGetAccount: 1000, routeListOrgs: 50})
	add(phasePlanAgain, 20*time.Millisecond, 6, map[string]int{routeGetAccount: 1000, routeListOrgs: 50})
	add(phasePlanZero, 0, 4, map[string]int{routeGetAccount: 1000, routeListOrgs: 50})
	add(phaseDestroy, 20*time.Millisecond, 12, map[string]int{routeGetAccount: 1000, routeListOrgs: 50,
		routeDetach: 1000, routeDeleteAccount: 1000})
	r.Baseline = baseline{Resources: 2000, Phases: []phaseResult{{Name: phasePlan, WallSeconds: 3.5, TerraformCPUSeconds: 3.7}}}
	r.NoopBaseline = baseline{Resources: 2000, Phases: []phaseResult{{Name: phasePlan, WallSeconds: 3.6,
		TerraformCPUSeconds: 4, ProviderCPUSeconds: 1, ProviderPeakRSSMiB: 80, ProviderProcesses: 1}}}
	plan0, plan := r.phase(phasePlanZero), r.phase(phasePlan)
	plan0.TerraformCPUSeconds, plan0.ProviderCPUSeconds = 4.5, 2
	plan.TerraformCPUSeconds, plan.ProviderCPUSeconds = 4.6, 2.1
	return r
}

func verdicts(ts []target) map[string]string {
	out := map[string]string{}
	for _, t := range ts {
		out[t.ID] = t.Verdict
	}
	return out
}

func TestEvaluateTargetsPass(t *testing.T) {
	r := sampleResults()
	ts := evaluateTargets(r)
	want := map[string]float64{
		"a":  (6.0 - 4.0) / 2.1, // floor(plan) = 1050 x 20ms / 10
		"b":  4.0 / 3.5,
		"b2": 4.0 / 3.6,
		"c":  50,
		"d":  0,
		"e":  40,
	}
	for _, tt := range ts {
		if tt.Verdict != verdictPass {
			t.Errorf("target %s: %s, want PASS (%+v)", tt.ID, tt.Verdict, tt)
		}
		if tt.Value == nil || *tt.Value != want[tt.ID] {
			t.Errorf("target %s: value %v, want %v", tt.ID, tt.Value, want[tt.ID])
		}
	}
	if r.Targets = ts; r.missedTargets() {
		t.Error("missedTargets() = true with every target passed")
	}
}

func TestEvaluateTargetsFail(t *testing.T) {
	r := sampleResults()
	r.phase(phasePlan).WallSeconds = 8                 // (8-5)/2.1 = 1.43
	r.phase(phasePlanZero).WallSeconds = 5             // 5/3.5 = 1.43, 5/3.6 = 1.39
	r.phase(phasePlan).Routes[routeListOrgs] = 1000    // one list per attachment
	r.phase(phaseApply).Routes[routeGetAccount] = 1000 // a read after each create
	r.phase(phaseDestroy).ProviderPeakRSSMiB = 60      // the limit is strict
	r.phase(phasePlan).setFloor(minCalls(phasePlan, r.Workload), 20*time.Millisecond, 10)
	r.Targets = evaluateTargets(r)
	for id, v := range verdicts(r.Targets) {
		if v != verdictFail {
			t.Errorf("target %s: %s, want FAIL", id, v)
		}
	}
	if !r.missedTargets() {
		t.Error("missedTargets() = false with failed targets")
	}
}

func TestEvaluateTargetsNotApplicable(t *testing.T) {
	// No latency and no attachments: (a) and (c) cannot be judged; neither
	// counts as missed.
	r := sampleResults()
	r.Workload.Attachments = 0
	for i := range r.Phases {
		r.Phases[i].setFloor(r.Phases[i].MinCalls, 0, 10)
		r.Phases[i].ProviderPeakRSSMiB = 0
	}
	r.Targets = evaluateTargets(r)
	got := verdicts(r.Targets)
	for id, want := range map[string]string{"a": verdictNA, "b": verdictPass, "b2": verdictPass, "c": verdictNA, "d": verdictPass, "e": verdictNA} {
		if got[id] != want {
			t.Errorf("target %s: %s, want %s", id, got[id], want)
		}
	}
	if r.missedTargets() {
		t.Error("N/A counted as missed")
	}
}

func TestEvaluateTargetsNotes(t *testing.T) {
	r := sampleResults()
	notes := func() map[string]string {
		out := map[string]string{}
		for _, tt := range evaluateTargets(r) {
			out[tt.ID] = tt.Note
		}
		return out
	}
	got := notes()
	if got["a"] != "" || got["b"] != "" || got["b2"] != "" {
		t.Errorf("notes at the default size: %q", got)
	}
	if want := "0.05 per attachment; the minimum is 50, one per account with attachments"; got["c"] != want {
		t.Errorf("note of (c) = %q, want %q", got["c"], want)
	}

	// The smoke size: a floor of milliseconds and a baseline plan under a second.
	r.phase(phasePlan).setFloor(12, 5*time.Millisecond, 10)
	r.phase(phasePlanZero).WallSeconds = 0.35
	r.Baseline.Phases[0].WallSeconds = 0.07
	r.NoopBaseline.Phases[0].WallSeconds = 0.3
	got = notes()
	if !strings.Contains(got["a"], "timing noise dominates") || !strings.Contains(got["b"], "start-up costs") ||
		!strings.Contains(got["b2"], "sub-second plans") {
		t.Errorf("notes at the smoke size: %q", got)
	}
}

func TestEvaluateTargetsOwnCostVsNoopProvider(t *testing.T) {
	r := sampleResults()
	for _, tc := range []struct {
		noopWall float64
		verdict  string
	}{
		{4.0 / 1.3, verdictPass}, // exactly at the limit
		{3.0, verdictFail},       // 4/3 = 1.33
		{5.0, verdictPass},       // faster than the noop provider: noise, but not a miss
	} {
		r.NoopBaseline.Phases[0].WallSeconds = tc.noopWall
		var b, b2 target
		for _, tt := range evaluateTargets(r) {
			switch tt.ID {
			case "b":
				b = tt
			case "b2":
				b2 = tt
			}
		}
		if b2.Verdict != tc.verdict || b2.Value == nil || *b2.Value != 4/tc.noopWall {
			t.Errorf("noop plan %.2fs: (b2) %s %v, want %s %v", tc.noopWall, b2.Verdict, b2.Value, tc.verdict, 4/tc.noopWall)
		}
		// (b) is unchanged: it compares with terraform_data.
		if b.Value == nil || *b.Value != 4/3.5 {
			t.Errorf("(b) = %v, want %v", b.Value, 4/3.5)
		}
	}

	r.NoopBaseline.Phases = nil
	for _, tt := range evaluateTargets(r) {
		if tt.ID == "b2" && (tt.Verdict != verdictNA || tt.Note != "phase missing") {
			t.Errorf("(b2) without a noop plan: %+v", tt)
		}
	}
}
