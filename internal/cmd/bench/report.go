package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// results is everything one run measured; it is also the JSON written by
// -out.
type results struct {
	// Mode is what the run measured: modeFull, modeRefreshOnly or
	// modeQuery.
	Mode      string    `json:"mode"`
	StartedAt time.Time `json:"started_at"`
	Host      hostInfo  `json:"host"`
	Workload  workload  `json:"workload"`
	// AccountsWithAttachments is the number of accounts that have at least
	// one attachment, each of which needs an org list on refresh.
	AccountsWithAttachments int           `json:"accounts_with_attachments"`
	LatencyMS               float64       `json:"latency_ms"`
	Parallelism             int           `json:"parallelism"`
	Phases                  []phaseResult `json:"phases"`
	// TerraformData is the terraform_data baseline; NoopProvider the
	// provider workload's configuration with the do-nothing provider.
	TerraformData baseline `json:"terraform_data_baseline"`
	NoopProvider  baseline `json:"noop_provider_baseline"`
	// What the mock holds after the destroy phase; both must be zero.
	AccountsLeftAfterDestroy     int      `json:"accounts_left_after_destroy"`
	AttachedOrgsLeftAfterDestroy int      `json:"attached_orgs_left_after_destroy"`
	Targets                      []target `json:"targets"`
}

// hostInfo describes the machine and tools of a run.
type hostInfo struct {
	CPUs             int    `json:"cpus"`
	GoVersion        string `json:"go_version"`
	Platform         string `json:"platform"`
	TerraformVersion string `json:"terraform_version"`
	TerraformPath    string `json:"terraform_path"`
}

// baseline is a run that makes no API request, for comparison.
type baseline struct {
	Resources int           `json:"resources"`
	Phases    []phaseResult `json:"phases"`
}

func (b *baseline) phase(name string) *phaseResult { return findPhase(b.Phases, name) }

// phaseResult is what one terraform command cost.
type phaseResult struct {
	Name      string  `json:"name"`
	LatencyMS float64 `json:"latency_ms"`
	// WallSeconds is the terraform command's wall time, process start to
	// exit, including terraform's own start-up and the provider's.
	WallSeconds float64 `json:"wall_seconds"`
	// The API requests the mock counted, in all and by route.
	APICalls            int            `json:"api_calls"`
	APICallsByRoute     map[string]int `json:"api_calls_by_route"`
	Resources           int            `json:"resources"`
	APICallsPerResource float64        `json:"api_calls_per_resource"`
	// MinAPICalls is the fewest requests the phase can make;
	// RoundTripFloorSeconds is MinAPICalls x latency / parallelism, and
	// WallOverFloor the ratio of the wall time to it (absent when there is
	// no floor).
	MinAPICalls           int      `json:"min_api_calls"`
	RoundTripFloorSeconds float64  `json:"round_trip_floor_seconds"`
	WallOverFloor         *float64 `json:"wall_over_round_trip_floor"`
	// NewConnections is the number of TCP connections opened to the mock.
	NewConnections int64 `json:"new_connections"`
	// Peak resident set sizes (VmHWM, or the largest VmRSS seen) of the
	// provider processes and of terraform, from /proc sampling, and the
	// number of provider processes seen.
	ProviderPeakRSSMiB  float64 `json:"provider_peak_rss_mib"`
	ProviderProcesses   int     `json:"provider_processes"`
	TerraformPeakRSSMiB float64 `json:"terraform_peak_rss_mib"`
	// CPU time of terraform together with the provider processes it ran
	// (the rusage of the terraform process), of this process (the mock API
	// and the sampler), and of the rest of the machine (busy time from
	// /proc/stat minus the other two). Much CPU elsewhere means the timings
	// were disturbed.
	TerraformCPUSeconds      float64 `json:"terraform_cpu_seconds"`
	MockAPICPUSeconds        float64 `json:"mock_api_cpu_seconds"`
	OtherProcessesCPUSeconds float64 `json:"other_processes_cpu_seconds"`
	// PlanHasChanges is set for plan phases: true when the plan was not
	// empty, which means the provider's read disagrees with its own apply.
	PlanHasChanges    *bool `json:"plan_has_changes,omitempty"`
	UnauthorizedCalls int   `json:"unauthorized_calls,omitempty"`
}

// gets is the number of GET requests of the phase.
func (p *phaseResult) gets() int {
	n := 0
	for route, c := range p.APICallsByRoute {
		if strings.HasPrefix(route, "GET ") {
			n += c
		}
	}
	return n
}

// setFloor fills the floor fields from the phase's minimum number of calls.
func (p *phaseResult) setFloor(minimum int, latency time.Duration, parallelism int) {
	p.MinAPICalls = minimum
	p.RoundTripFloorSeconds = roundTripFloor(minimum, latency, parallelism).Seconds()
	p.WallOverFloor = nil
	if p.RoundTripFloorSeconds > 0 {
		r := p.WallSeconds / p.RoundTripFloorSeconds
		p.WallOverFloor = &r
	}
	if p.Resources > 0 {
		p.APICallsPerResource = float64(p.APICalls) / float64(p.Resources)
	}
}

func (r *results) phase(name string) *phaseResult { return findPhase(r.Phases, name) }

func findPhase(phases []phaseResult, name string) *phaseResult {
	for i := range phases {
		if phases[i].Name == name {
			return &phases[i]
		}
	}
	return nil
}

// providerPeakRSSMiB is the largest provider peak over all phases.
func (r *results) providerPeakRSSMiB() float64 {
	peak := 0.0
	for _, p := range r.Phases {
		peak = max(peak, p.ProviderPeakRSSMiB)
	}
	return peak
}

// missedTargets reports whether any target failed.
func (r *results) missedTargets() bool {
	return slices.ContainsFunc(r.Targets, target.missed)
}

// writeHeader prints what was run, where.
func writeHeader(w io.Writer, r *results) {
	fmt.Fprintf(w, "Agilicus provider benchmark, %s\n", r.StartedAt.UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "host: %d CPUs, %s, %s; terraform %s (%s)\n",
		r.Host.CPUs, r.Host.Platform, r.Host.GoVersion, r.Host.TerraformVersion, r.Host.TerraformPath)
	fmt.Fprintf(w, "workload: %d accounts, %d attachments over %d of them, %s API latency, parallelism %d\n",
		r.Workload.Accounts, r.Workload.Attachments, r.AccountsWithAttachments,
		time.Duration(r.LatencyMS*float64(time.Millisecond)), r.Parallelism)
}

// writeReport prints the phase table, the calls per route, the baselines,
// the refresh breakdown and the targets.
func writeReport(w io.Writer, r *results) error {
	writeHeader(w, r)
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Phases (%d resources; floor = min calls x latency / parallelism):\n", r.Workload.resources())
	names := []string{"phase"}
	for _, p := range r.Phases {
		names = append(names, p.Name)
	}
	pad := padder(names)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, pad("phase")+"\tlatency\twall\tcalls\tcalls/res\tmin calls\tfloor\twall/floor\tnew conns\tprov RSS\tprov procs\ttf RSS\tCPU tf+prov\tCPU mock\tCPU other\t")
	for _, p := range r.Phases {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.2f\t%d\t%s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\t%s\t\n",
			pad(p.Name), fmtMS(p.LatencyMS), fmtSeconds(p.WallSeconds), p.APICalls, p.APICallsPerResource, p.MinAPICalls,
			fmtSeconds(p.RoundTripFloorSeconds), fmtRatio(p.WallOverFloor), p.NewConnections,
			fmtMiB(p.ProviderPeakRSSMiB), p.ProviderProcesses, fmtMiB(p.TerraformPeakRSSMiB),
			fmtSeconds(p.TerraformCPUSeconds), fmtSeconds(p.MockAPICPUSeconds), fmtSeconds(p.OtherProcessesCPUSeconds))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, p := range r.Phases {
		if p.PlanHasChanges != nil && *p.PlanHasChanges {
			fmt.Fprintf(w, "warning: %s was not empty: the provider's refresh disagrees with its apply\n", p.Name)
		}
		if p.UnauthorizedCalls > 0 {
			fmt.Fprintf(w, "warning: %s had %d requests answered 401\n", p.Name, p.UnauthorizedCalls)
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "API calls by route:")
	if err := writeRoutes(w, r.Phases); err != nil {
		return err
	}

	if r.Mode == modeFull {
		fmt.Fprintln(w)
		if err := writeBaselines(w, r); err != nil {
			return err
		}
	}
	for _, set := range []struct {
		prefix string
		phases []phaseResult
	}{{"", r.Phases}, {baselineTerraformData + " ", r.TerraformData.Phases}, {baselineNoopProvider + " ", r.NoopProvider.Phases}} {
		for _, p := range set.phases {
			if disturbed(p) {
				fmt.Fprintf(w, "warning: other processes used %.1fs of CPU during %s%s (%.2fs wall): its timings are disturbed\n",
					p.OtherProcessesCPUSeconds, set.prefix, p.Name, p.WallSeconds)
			}
		}
	}

	if lines := refreshBreakdown(r); len(lines) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Where the refresh (plan) time goes:")
		for _, l := range lines {
			fmt.Fprintln(w, "  "+l)
		}
	}

	if r.Mode == modeFull {
		fmt.Fprintln(w)
		fmt.Fprintf(w, "After destroy the mock holds %d accounts and %d attached orgs.\n",
			r.AccountsLeftAfterDestroy, r.AttachedOrgsLeftAfterDestroy)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Targets:")
	for _, t := range r.Targets {
		fmt.Fprintln(w, targetLine(t))
	}
	return nil
}

// What a run measured.
const (
	modeFull        = "full"
	modeRefreshOnly = "refresh-only"
	modeQuery       = "query"
)

// Names of the baselines in the report.
const (
	baselineTerraformData = "terraform_data"
	baselineNoopProvider  = "noop provider"
)

// writeBaselines prints one row per phase of each baseline.
func writeBaselines(w io.Writer, r *results) error {
	fmt.Fprintf(w, "Baselines (no API; %d terraform_data resources, %d noop provider resources):\n",
		r.TerraformData.Resources, r.NoopProvider.Resources)
	fmt.Fprintln(w, "  "+baselineTerraformData+": built into terraform, no provider process: terraform core alone")
	fmt.Fprintln(w, "  "+baselineNoopProvider+":  the workload's configuration with a framework provider that does nothing:")
	fmt.Fprintln(w, "                  terraform core, the plugin protocol and the framework")
	pad := padder([]string{"baseline", baselineTerraformData, baselineNoopProvider})
	phasePad := padder([]string{"phase", phaseApply, phasePlan, phaseDestroy})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, pad("baseline")+"\t"+phasePad("phase")+"\twall\tcalls\tprov RSS\tprov procs\ttf RSS\tCPU tf+prov\tCPU other\t")
	for _, set := range []struct {
		name   string
		phases []phaseResult
	}{{baselineTerraformData, r.TerraformData.Phases}, {baselineNoopProvider, r.NoopProvider.Phases}} {
		for _, p := range set.phases {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\t\n", pad(set.name), phasePad(p.Name),
				fmtSeconds(p.WallSeconds), p.APICalls, fmtMiB(p.ProviderPeakRSSMiB), p.ProviderProcesses,
				fmtMiB(p.TerraformPeakRSSMiB), fmtSeconds(p.TerraformCPUSeconds), fmtSeconds(p.OtherProcessesCPUSeconds))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.NoopProvider.Phases) > 0 {
		fmt.Fprintln(w, "The noop provider's RSS is for information only: it is served without the Agilicus provider's")
		fmt.Fprintln(w, "release of request contexts, so it grows with the number of requests.")
	}
	for _, p := range r.NoopProvider.Phases {
		if p.PlanHasChanges != nil && *p.PlanHasChanges {
			fmt.Fprintf(w, "warning: the noop provider's %s was not empty\n", p.Name)
		}
		if p.APICalls > 0 {
			fmt.Fprintf(w, "warning: the noop provider's %s made %d API calls\n", p.Name, p.APICalls)
		}
	}
	return nil
}

// disturbedShare is how much of one CPU other processes may use, on
// average over a phase, before the phase's timings count as disturbed.
const disturbedShare = 0.1

// disturbed reports whether other processes used enough CPU during the
// phase to distort its timings.
func disturbed(p phaseResult) bool {
	return p.OtherProcessesCPUSeconds > disturbedShare*p.WallSeconds && p.OtherProcessesCPUSeconds >= 0.5
}

// refreshBreakdown splits the wall time of the plan phase into terraform
// core's cost for as many resources (the terraform_data plan), what the
// plugin protocol and the framework add (the noop provider's plan minus
// terraform_data's), what the Agilicus provider's own work adds with no API
// latency (plan-0ms minus the noop plan), and what the API latency adds
// (plan minus plan-0ms), the last next to its floor. Each part also shows
// the CPU time (terraform plus provider) it accounts for. Without a noop
// plan, the provider's work and the protocol are one part.
func refreshBreakdown(r *results) []string {
	plan, plan0, base := r.phase(phasePlan), r.phase(phasePlanZero), r.TerraformData.phase(phasePlan)
	if plan == nil || plan0 == nil || base == nil || plan.WallSeconds <= 0 {
		return nil
	}
	noop := r.NoopProvider.phase(phasePlan)
	line := func(label string, wall, cpu float64) string {
		return fmt.Sprintf("%-46s %7.2fs %5.1f%% %12.2fs", label, wall, 100*wall/plan.WallSeconds, cpu)
	}
	lines := []string{
		fmt.Sprintf("%-46s %8s %6s %13s", "", "wall", "share", "CPU tf+prov"),
		line("terraform core (terraform_data plan)", base.WallSeconds, base.TerraformCPUSeconds),
	}
	if noop != nil {
		lines = append(lines,
			line("plugin protocol (noop plan - terraform_data)", noop.WallSeconds-base.WallSeconds,
				noop.TerraformCPUSeconds-base.TerraformCPUSeconds),
			line("agilicus provider's own work (plan-0ms - noop)", plan0.WallSeconds-noop.WallSeconds,
				plan0.TerraformCPUSeconds-noop.TerraformCPUSeconds))
	} else {
		lines = append(lines,
			line("provider + plugin protocol (0ms - base)", plan0.WallSeconds-base.WallSeconds,
				plan0.TerraformCPUSeconds-base.TerraformCPUSeconds))
	}
	return append(lines,
		line("API latency (plan - plan-0ms)", plan.WallSeconds-plan0.WallSeconds,
			plan.TerraformCPUSeconds-plan0.TerraformCPUSeconds)+
			fmt.Sprintf("  floor %.2fs", plan.RoundTripFloorSeconds),
		fmt.Sprintf("%-46s %7.2fs %6s %12.2fs", "total (plan at "+fmtMS(plan.LatencyMS)+")",
			plan.WallSeconds, "", plan.TerraformCPUSeconds))
}

// writeRoutes prints one row per route and one column per phase.
func writeRoutes(w io.Writer, phases []phaseResult) error {
	var routes []string
	for _, p := range phases {
		for route := range p.APICallsByRoute {
			if !slices.Contains(routes, route) {
				routes = append(routes, route)
			}
		}
	}
	slices.Sort(routes)
	pad := padder(append([]string{"route", "total"}, routes...))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := pad("route") + "\t"
	for _, p := range phases {
		header += p.Name + "\t"
	}
	fmt.Fprintln(tw, header)
	for _, route := range routes {
		row := pad(route) + "\t"
		for _, p := range phases {
			row += fmt.Sprintf("%d\t", p.APICallsByRoute[route])
		}
		fmt.Fprintln(tw, row)
	}
	total := pad("total") + "\t"
	for _, p := range phases {
		total += fmt.Sprintf("%d\t", p.APICalls)
	}
	fmt.Fprintln(tw, total)
	return tw.Flush()
}

// writeJSON writes the results to path, creating or replacing the file.
func writeJSON(path string, r *results) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// defaultOutPath is where the JSON goes without -out: the temp directory,
// so runs leave the repository clean.
func defaultOutPath(tmpDir string, now time.Time) string {
	return filepath.Join(tmpDir, "agilicus-bench-"+now.UTC().Format("20060102-150405")+".json")
}

// targetLine is one target as printed: verdict, name, value, then the rule.
func targetLine(t target) string {
	value := "-"
	if t.Value != nil {
		value = strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", *t.Value), "0"), ".")
	}
	line := fmt.Sprintf("  %-4s  %s = %s  [%s]", t.Verdict, t.Name, value, t.Rule)
	if t.Note != "" {
		line += " (" + t.Note + ")"
	}
	return line
}

// padder returns a function that pads a string with spaces to the width of
// the longest of names, so a right-aligned tabwriter column reads left
// aligned.
func padder(names []string) func(string) string {
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	return func(s string) string { return fmt.Sprintf("%-*s", width, s) }
}

func fmtSeconds(s float64) string { return fmt.Sprintf("%.2fs", s) }

func fmtMS(ms float64) string { return time.Duration(ms * float64(time.Millisecond)).String() }

func fmtRatio(r *float64) string {
	if r == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f", *r)
}

func fmtMiB(m float64) string {
	if m <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f MiB", m)
}
