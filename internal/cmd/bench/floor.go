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
	routeListAccounts  = "GET /v1/billing_accounts"
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

// The performance targets, by the name the report and the JSON give them.
const (
	// How much of the API latency a refresh waits for beyond the round-trip
	// floor: (wall(plan) - wall(plan-0ms)) / floor(plan).
	targetRefreshLatencyOverhead = "latency overhead of refresh"
	// The provider's own cost against terraform core alone:
	// wall(plan-0ms) / wall(terraform_data plan).
	targetPlanTimeVsTerraformData = "plan time vs terraform_data"
	// The provider's own cost against a framework provider that does
	// nothing, which pays the same plugin protocol and framework costs:
	// wall(plan-0ms) / wall(noop provider plan).
	targetPlanTimeVsNoopProvider = "plan time vs a do-nothing provider"
	// How much longer a refresh takes with the API's latency than without:
	// wall(plan) / wall(plan-0ms). A refresh that sends one request per
	// resource waits for every one of them; one served by shared listings
	// waits for a few.
	targetRefreshLatencyRatio = "refresh time with latency vs without"
	// Org-list requests of a refresh per attachment: below one means the
	// attachments of an account share its org list.
	targetOrgListsPerAttachment = "org-list requests per attachment on refresh"
	// Reads in a fresh apply, where terraform refreshes nothing.
	targetWastedCallsInApply = "wasted calls in apply"
	// The largest peak resident set size of a provider process.
	targetProviderPeakRSS = "peak RSS of the provider"
)

// Verdicts of a target.
const (
	verdictPass = "PASS"
	verdictFail = "FAIL"
	verdictNA   = "N/A"
)

// Limits of the targets.
const (
	maxLatencyOverhead = 1.15
	maxRefreshLatency  = 1.3
	maxPlanTimeRatio   = 1.3
	maxProviderRSSMiB  = 60.0
)

// Below these sizes a verdict says more about noise or fixed costs than
// about the provider, and the target carries a note saying so.
const (
	// noiseShare: the refresh latency overhead when floor(plan) is under
	// this share of wall(plan-0ms).
	noiseShare = 0.1
	// fixedCostWall: the plan time ratios when the baseline plan is
	// shorter.
	fixedCostWall = time.Second
)

// target is one performance target and its verdict.
type target struct {
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
	var out []target

	t := target{Name: targetRefreshLatencyOverhead,
		Rule: fmt.Sprintf("(wall(plan) - wall(plan-0ms)) / floor(plan) <= %.2f", maxLatencyOverhead)}
	if plan != nil && plan0 != nil && plan.RoundTripFloorSeconds > 0 {
		v := (plan.WallSeconds - plan0.WallSeconds) / plan.RoundTripFloorSeconds
		note := ""
		if plan.RoundTripFloorSeconds < noiseShare*plan0.WallSeconds {
			note = fmt.Sprintf("floor %.3fs is small against the %.2fs plan: timing noise dominates at this size",
				plan.RoundTripFloorSeconds, plan0.WallSeconds)
		}
		t = judge(t, v, true, v <= maxLatencyOverhead, note)
	} else {
		t = judge(t, 0, false, false, "no latency, so no floor")
	}
	out = append(out, t)

	t = target{Name: targetRefreshLatencyRatio,
		Rule: fmt.Sprintf("wall(plan) / wall(plan-0ms) <= %.2f", maxRefreshLatency)}
	if plan != nil && plan0 != nil && plan0.WallSeconds > 0 && plan.RoundTripFloorSeconds > 0 {
		v := plan.WallSeconds / plan0.WallSeconds
		note := ""
		if plan0.WallSeconds < fixedCostWall.Seconds() {
			note = "sub-second plans: a few round trips weigh heavily at this size"
		}
		t = judge(t, v, true, v <= maxRefreshLatency, note)
	} else {
		t = judge(t, 0, false, false, "no latency")
	}
	out = append(out, t)

	out = append(out,
		planTimeTarget(targetPlanTimeVsTerraformData, baselineTerraformData, plan0, r.TerraformData.phase(phasePlan),
			"start-up costs (provider process, schemas) dominate at this size"),
		planTimeTarget(targetPlanTimeVsNoopProvider, baselineNoopProvider, plan0, r.NoopProvider.phase(phasePlan),
			"sub-second plans: start-up costs and timing noise weigh heavily at this size"))

	t = target{Name: targetOrgListsPerAttachment, Rule: "org-list requests in plan / attachments < 1"}
	if plan != nil && r.Workload.Attachments > 0 {
		lists := plan.APICallsByRoute[routeListOrgs]
		v := float64(lists) / float64(r.Workload.Attachments)
		t = judge(t, v, true, v < 1,
			fmt.Sprintf("%d requests for %d attachments; %d accounts have attachments, and each needs at most one, none when a listing of the accounts serves them",
				lists, r.Workload.Attachments, r.AccountsWithAttachments))
	} else {
		t = judge(t, 0, false, false, "no attachments")
	}
	out = append(out, t)

	t = target{Name: targetWastedCallsInApply,
		Rule: "GET requests in a fresh apply = 0 (terraform refreshes nothing before creating)"}
	if apply != nil {
		v := float64(apply.gets())
		t = judge(t, v, true, v == 0, "")
	} else {
		t = judge(t, 0, false, false, "phase missing")
	}
	out = append(out, t)

	t = target{Name: targetProviderPeakRSS,
		Rule: fmt.Sprintf("max VmHWM of a provider process over all phases < %.0f MiB", maxProviderRSSMiB)}
	if v := r.providerPeakRSSMiB(); v > 0 {
		t = judge(t, v, true, v < maxProviderRSSMiB, "")
	} else {
		t = judge(t, 0, false, false, "no provider process was sampled")
	}
	return append(out, t)
}

// planTimeTarget judges wall(plan-0ms) / wall(baseline plan) against
// maxPlanTimeRatio; smallNote explains a verdict when the baseline is too
// short to say much.
func planTimeTarget(name, baseline string, plan0, base *phaseResult, smallNote string) target {
	t := target{Name: name, Rule: fmt.Sprintf("wall(plan-0ms) / wall(%s plan) <= %.2f", baseline, maxPlanTimeRatio)}
	if plan0 == nil || base == nil || base.WallSeconds <= 0 {
		return judge(t, 0, false, false, "phase missing")
	}
	v := plan0.WallSeconds / base.WallSeconds
	note := ""
	if base.WallSeconds < fixedCostWall.Seconds() {
		note = smallNote
	}
	return judge(t, v, true, v <= maxPlanTimeRatio, note)
}
