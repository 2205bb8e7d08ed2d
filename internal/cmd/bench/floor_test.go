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

// sampleResults is a run of 1000 accounts and 1000 attachments over 50 of
// them at 20ms where every target passes.
func sampleResults() *results {
	w := workload{Accounts: 1000, Attachments: 1000, Spread: 50}
	r := &results{Mode: modeFull, Workload: w, AccountsWithAttachments: 50, LatencyMS: 20, Parallelism: 10}
	add := func(name string, latency time.Duration, wall float64, routes map[string]int) {
		p := phaseResult{Name: name, LatencyMS: float64(latency.Milliseconds()), WallSeconds: wall, APICallsByRoute: routes,
			Resources: w.resources(), ProviderPeakRSSMiB: 40}
		for _, c := range routes {
			p.APICalls += c
		}
		p.setFloor(minCalls(name, w), latency, 10)
		r.Phases = append(r.Phases, p)
	}
	add(phaseApply, 20*time.Millisecond, 9, map[string]int{routeCreateAccount: 1000, routeAttach: 1000})
	add(phasePlan, 20*time.Millisecond, 5, map[string]int{routeGetAccount: 1000, routeListOrgs: 50})
	add(phasePlanAgain, 20*time.Millisecond, 6, map[string]int{routeGetAccount: 1000, routeListOrgs: 50})
	add(phasePlanZero, 0, 4, map[string]int{routeGetAccount: 1000, routeListOrgs: 50})
	add(phaseDestroy, 20*time.Millisecond, 12, map[string]int{routeGetAccount: 1000, routeListOrgs: 50,
		routeDetach: 1000, routeDeleteAccount: 1000})
	r.TerraformData = baseline{Resources: 2000, Phases: []phaseResult{{Name: phasePlan, WallSeconds: 3.5, TerraformCPUSeconds: 3.7}}}
	r.NoopProvider = baseline{Resources: 2000, Phases: []phaseResult{{Name: phasePlan, WallSeconds: 3.6,
		TerraformCPUSeconds: 5, ProviderPeakRSSMiB: 80, ProviderProcesses: 1}}}
	r.phase(phasePlanZero).TerraformCPUSeconds = 6.5
	r.phase(phasePlan).TerraformCPUSeconds = 6.7
	return r
}

func byName(ts []target) map[string]target {
	out := map[string]target{}
	for _, t := range ts {
		out[t.Name] = t
	}
	return out
}

func verdicts(ts []target) map[string]string {
	out := map[string]string{}
	for _, t := range ts {
		out[t.Name] = t.Verdict
	}
	return out
}

func TestEvaluateTargetsPass(t *testing.T) {
	r := sampleResults()
	ts := evaluateTargets(r)
	want := map[string]float64{
		targetRefreshLatencyOverhead:  (5.0 - 4.0) / 2.1, // floor(plan) = 1050 x 20ms / 10
		targetRefreshLatencyRatio:     5.0 / 4.0,
		targetPlanTimeVsTerraformData: 4.0 / 3.5,
		targetPlanTimeVsNoopProvider:  4.0 / 3.6,
		targetOrgListsPerAttachment:   50.0 / 1000,
		targetWastedCallsInApply:      0,
		targetProviderPeakRSS:         40,
	}
	if len(ts) != len(want) {
		t.Errorf("%d targets, want %d", len(ts), len(want))
	}
	for _, tt := range ts {
		if tt.Verdict != verdictPass {
			t.Errorf("%s: %s, want PASS (%+v)", tt.Name, tt.Verdict, tt)
		}
		if tt.Value == nil || *tt.Value != want[tt.Name] {
			t.Errorf("%s: value %v, want %v", tt.Name, tt.Value, want[tt.Name])
		}
	}
	if r.Targets = ts; r.missedTargets() {
		t.Error("missedTargets() = true with every target passed")
	}
}

func TestEvaluateTargetsFail(t *testing.T) {
	r := sampleResults()
	r.phase(phasePlan).WallSeconds = 8                          // (8-5)/2.1 = 1.43, 8/5 = 1.6
	r.phase(phasePlanZero).WallSeconds = 5                      // 5/3.5 = 1.43, 5/3.6 = 1.39
	r.phase(phasePlan).APICallsByRoute[routeListOrgs] = 1000    // one list per attachment
	r.phase(phaseApply).APICallsByRoute[routeGetAccount] = 1000 // a read after each create
	r.phase(phaseDestroy).ProviderPeakRSSMiB = 60               // the limit is strict
	r.phase(phasePlan).setFloor(minCalls(phasePlan, r.Workload), 20*time.Millisecond, 10)
	r.Targets = evaluateTargets(r)
	for name, v := range verdicts(r.Targets) {
		if v != verdictFail {
			t.Errorf("%s: %s, want FAIL", name, v)
		}
	}
	if !r.missedTargets() {
		t.Error("missedTargets() = false with failed targets")
	}
}

func TestEvaluateTargetsNotApplicable(t *testing.T) {
	// No latency and no attachments: the latency overhead and the org lists
	// per attachment cannot be judged; neither counts as missed.
	r := sampleResults()
	r.Workload.Attachments = 0
	for i := range r.Phases {
		r.Phases[i].setFloor(r.Phases[i].MinAPICalls, 0, 10)
		r.Phases[i].ProviderPeakRSSMiB = 0
	}
	r.Targets = evaluateTargets(r)
	got := verdicts(r.Targets)
	for name, want := range map[string]string{
		targetRefreshLatencyOverhead:  verdictNA,
		targetRefreshLatencyRatio:     verdictNA,
		targetPlanTimeVsTerraformData: verdictPass,
		targetPlanTimeVsNoopProvider:  verdictPass,
		targetOrgListsPerAttachment:   verdictNA,
		targetWastedCallsInApply:      verdictPass,
		targetProviderPeakRSS:         verdictNA,
	} {
		if got[name] != want {
			t.Errorf("%s: %s, want %s", name, got[name], want)
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
			out[tt.Name] = tt.Note
		}
		return out
	}
	got := notes()
	if got[targetRefreshLatencyOverhead] != "" || got[targetPlanTimeVsTerraformData] != "" || got[targetPlanTimeVsNoopProvider] != "" {
		t.Errorf("notes at the default size: %q", got)
	}
	if want := "50 requests for 1000 attachments; 50 accounts have attachments, and each needs at most one, none when a listing of the accounts serves them"; got[targetOrgListsPerAttachment] != want {
		t.Errorf("note of %s = %q, want %q", targetOrgListsPerAttachment, got[targetOrgListsPerAttachment], want)
	}

	// The smoke size: a floor of milliseconds and a baseline plan under a second.
	r.phase(phasePlan).setFloor(12, 5*time.Millisecond, 10)
	r.phase(phasePlanZero).WallSeconds = 0.35
	r.TerraformData.Phases[0].WallSeconds = 0.07
	r.NoopProvider.Phases[0].WallSeconds = 0.3
	got = notes()
	if !strings.Contains(got[targetRefreshLatencyOverhead], "timing noise dominates") ||
		!strings.Contains(got[targetPlanTimeVsTerraformData], "start-up costs") ||
		!strings.Contains(got[targetPlanTimeVsNoopProvider], "sub-second plans") {
		t.Errorf("notes at the smoke size: %q", got)
	}
}

func TestPlanTimeVsNoopProvider(t *testing.T) {
	r := sampleResults()
	for _, tc := range []struct {
		noopWall float64
		verdict  string
	}{
		{4.0 / 1.3, verdictPass}, // exactly at the limit
		{3.0, verdictFail},       // 4/3 = 1.33
		{5.0, verdictPass},       // faster than the noop provider: noise, but not a miss
	} {
		r.NoopProvider.Phases[0].WallSeconds = tc.noopWall
		ts := byName(evaluateTargets(r))
		noop, data := ts[targetPlanTimeVsNoopProvider], ts[targetPlanTimeVsTerraformData]
		if noop.Verdict != tc.verdict || noop.Value == nil || *noop.Value != 4/tc.noopWall {
			t.Errorf("noop plan %.2fs: %s %v, want %s %v", tc.noopWall, noop.Verdict, noop.Value, tc.verdict, 4/tc.noopWall)
		}
		// The comparison with terraform_data is unchanged.
		if data.Value == nil || *data.Value != 4/3.5 {
			t.Errorf("%s = %v, want %v", targetPlanTimeVsTerraformData, data.Value, 4/3.5)
		}
	}

	r.NoopProvider.Phases = nil
	if tt := byName(evaluateTargets(r))[targetPlanTimeVsNoopProvider]; tt.Verdict != verdictNA || tt.Note != "phase missing" {
		t.Errorf("without a noop plan: %+v", tt)
	}
}
