package main

import (
	"fmt"
	"time"
)

// Phases of the provider workload, in the order they run.
const (
	phaseApply     = "apply"
	phasePlan      = "plan"
	phasePlanAgain = "plan-again"
	phasePlanZero  = "plan-0ms"
	phaseDestroy   = "destroy"
)

// Routes of the mock API the floor and the targets look at.
const (
	routeCreateAccount = "POST /v1/billing_accounts"
	routeGetAccount    = "GET /v1/billing_accounts/{billing_account_id}"
	routeDeleteAccount = "DELETE /v1/billing_accounts/{billing_account_id}"
	routeListOrgs      = "GET /v1/billing_accounts/{billing_account_id}/orgs"
	routeAttach        = "POST /v1/billing_accounts/{billing_account_id}/orgs"
	routeDetach        = "DELETE /v1/billing_accounts/{billing_account_id}/orgs/{org_id}"
)

// minCalls is the smallest number of API requests a provider can make in a
// phase of workload w:
//
//   - apply (fresh): one create per account and one attach per attachment;
//   - plan (full refresh): one GET per account and one org list per account
//     that has attachments;
//   - destroy: its refresh, then one detach per attachment and one delete
//     per account.
func minCalls(phase string, w workload) int {
	refresh := w.Accounts + w.accountsWithAttachments()
	switch phase {
	case phaseApply:
		return w.Accounts + w.Attachments
	case phasePlan, phasePlanAgain, phasePlanZero:
		return refresh
	case phaseDestroy:
		return refresh + w.Attachments + w.Accounts
	}
	return 0
}

// roundTripFloor is the least wall time the phase's requests take at the
// given latency when terraform runs parallelism operations at once and each
// operation waits for its requests in turn.
func roundTripFloor(calls int, latency time.Duration, parallelism int) time.Duration {
	if parallelism < 1 {
		parallelism = 1
	}
	return time.Duration(int64(calls) * int64(latency) / int64(parallelism))
}

// Verdicts of a target.
const (
	verdictPass = "PASS"
	verdictFail = "FAIL"
	verdictNA   = "N/A"
)

// Limits of the targets.
const (
	maxLatencyOverhead = 1.15
	maxOwnCost         = 1.3
	maxProviderRSSMiB  = 60.0
)

// Below these sizes a verdict says more about noise or fixed costs than
// about the provider, and the target carries a note saying so.
const (
	// noiseShare: target (a) when floor(plan) is under this share of
	// wall(plan-0ms).
	noiseShare = 0.1
	// fixedCostWall: targets (b) and (b2) when the baseline plan is
	// shorter.
	fixedCostWall = time.Second
)

// target is one performance target and its verdict.
type target struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Rule    string   `json:"rule"`
	Value   *float64 `json:"value"`
	Verdict string   `json:"verdict"`
	Note    string   `json:"note,omitempty"`
}

func (t target) missed() bool { return t.Verdict == verdictFail }

// judge sets the verdict from ok, or N/A when the value could not be
// measured, and the note that goes with it.
func judge(t target, value float64, measured, ok bool, note string) target {
	t.Note = note
	if !measured {
		t.Verdict = verdictNA
		return t
	}
	t.Value = &value
	t.Verdict = verdictFail
	if ok {
		t.Verdict = verdictPass
	}
	return t
}

// evaluateTargets computes the targets from a run's results.
func evaluateTargets(r *results) []target {
	plan, plan0, apply := r.phase(phasePlan), r.phase(phasePlanZero), r.phase(phaseApply)
	base, noop := r.Baseline.phase(phasePlan), r.NoopBaseline.phase(phasePlan)
	var out []target

	t := target{ID: "a", Name: "latency overhead of refresh",
		Rule: fmt.Sprintf("(wall(plan) - wall(plan-0ms)) / floor(plan) <= %.2f", maxLatencyOverhead)}
	if plan != nil && plan0 != nil && plan.FloorSeconds > 0 {
		v := (plan.WallSeconds - plan0.WallSeconds) / plan.FloorSeconds
		note := ""
		if plan.FloorSeconds < noiseShare*plan0.WallSeconds {
			note = fmt.Sprintf("floor %.3fs is small against the %.2fs plan: timing noise dominates at this size",
				plan.FloorSeconds, plan0.WallSeconds)
		}
		t = judge(t, v, true, v <= maxLatencyOverhead, note)
	} else {
		t = judge(t, 0, false, false, "no latency, so no floor")
	}
	out = append(out, t)

	out = append(out, ownCostTarget("b", "own cost vs terraform core", "terraform_data plan", plan0, base,
		"start-up costs (provider process, schemas) dominate at this size"))
	// (b2) compares with a provider that pays the same plugin protocol and
	// framework costs, so what it measures is the provider's own work.
	out = append(out, ownCostTarget("b2", "own cost vs a do-nothing framework provider", "noop provider plan", plan0, noop,
		"sub-second plans: start-up costs and timing noise weigh heavily at this size"))

	t = target{ID: "c", Name: "attachments cost < 1 API call each on refresh",
		Rule: fmt.Sprintf("org-list calls in plan < M (%d)", r.Workload.Attachments)}
	if plan != nil && r.Workload.Attachments > 0 {
		v := float64(plan.Routes[routeListOrgs])
		t = judge(t, v, true, v < float64(r.Workload.Attachments),
			fmt.Sprintf("%.2f per attachment; the minimum is %d, one per account with attachments",
				v/float64(r.Workload.Attachments), r.AccountsWithAttachments))
	} else {
		t = judge(t, 0, false, false, "no attachments")
	}
	out = append(out, t)

	t = target{ID: "d", Name: "no wasted call in apply",
		Rule: "GET requests in a fresh apply = 0 (terraform refreshes nothing before creating)"}
	if apply != nil {
		v := float64(apply.gets())
		t = judge(t, v, true, v == 0, "")
	} else {
		t = judge(t, 0, false, false, "phase missing")
	}
	out = append(out, t)

	t = target{ID: "e", Name: "provider peak RSS",
		Rule: fmt.Sprintf("max VmHWM of the provider over all phases < %.0f MiB", maxProviderRSSMiB)}
	if v := r.providerPeakRSSMiB(); v > 0 {
		t = judge(t, v, true, v < maxProviderRSSMiB, "")
	} else {
		t = judge(t, 0, false, false, "no provider process was sampled")
	}
	return append(out, t)
}

// ownCostTarget judges wall(plan-0ms) / wall(baseline plan) against
// maxOwnCost; smallNote explains a verdict when the baseline is too short
// to say much.
func ownCostTarget(id, name, baseline string, plan0, base *phaseResult, smallNote string) target {
	t := target{ID: id, Name: name, Rule: fmt.Sprintf("wall(plan-0ms) / wall(%s) <= %.2f", baseline, maxOwnCost)}
	if plan0 == nil || base == nil || base.WallSeconds <= 0 {
		return judge(t, 0, false, false, "phase missing")
	}
	v := plan0.WallSeconds / base.WallSeconds
	note := ""
	if base.WallSeconds < fixedCostWall.Seconds() {
		note = smallNote
	}
	return judge(t, v, true, v <= maxOwnCost, note)
}
