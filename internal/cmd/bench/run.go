package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// run parses the command line, runs the benchmark, prints the report to
// stdout (progress goes to stderr) and writes the JSON results.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	started := time.Now()
	if opts.out == "" {
		opts.out = defaultOutPath(os.TempDir(), started)
	}
	res, err := execute(ctx, opts, started, stderr, getenv)
	if err != nil {
		return err
	}
	if err := writeReport(stdout, res); err != nil {
		return err
	}
	if err := writeJSON(opts.out, res); err != nil {
		return fmt.Errorf("writing the results: %w", err)
	}
	fmt.Fprintf(stdout, "\nResults written to %s\n", opts.out)
	if opts.strict && res.missedTargets() {
		return errTargetsMissed
	}
	return nil
}

// bench holds what the phases share.
type bench struct {
	opts        options
	tf          *terraform
	api         *benchAPI
	providerExe string
	noopExe     string
	started     time.Time
	progress    io.Writer
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.progress, "[%6.1fs] %s\n", time.Since(b.started).Seconds(), fmt.Sprintf(format, args...))
}

// execute sets up the provider binaries, the CLI configuration, the mock
// API and the working directories, runs the two baselines and the provider
// phases, and removes everything it created before returning.
func execute(ctx context.Context, opts options, started time.Time, progress io.Writer, getenv func(string) string) (res *results, err error) {
	b := &bench{opts: opts, started: started, progress: progress}
	root, err := moduleRoot(".")
	if err != nil {
		return nil, err
	}
	tfBin, err := findTerraform(opts.terraform, getenv)
	if err != nil {
		return nil, err
	}

	work, err := os.MkdirTemp("", "agilicus-bench-")
	if err != nil {
		return nil, err
	}
	defer func() {
		if opts.keep {
			fmt.Fprintf(progress, "kept the working directory %s\n", work)
			return
		}
		if rmErr := os.RemoveAll(work); rmErr != nil {
			err = errors.Join(err, rmErr)
		}
	}()
	dirs := map[string]string{}
	for _, name := range []string{"bin", "noop-bin", "logs", "provider", "terraform-data", "noop-provider"} {
		dirs[name] = filepath.Join(work, name)
		if err := os.Mkdir(dirs[name], 0o755); err != nil {
			return nil, err
		}
	}

	b.logf("building the provider and the noop provider in %s", root)
	if b.providerExe, err = goBuild(ctx, root, ".", filepath.Join(dirs["bin"], providerBinary)); err != nil {
		return nil, err
	}
	if b.noopExe, err = goBuild(ctx, root, noopPackage, filepath.Join(dirs["noop-bin"], noopBinary)); err != nil {
		return nil, err
	}
	cliConfigPath := filepath.Join(work, "terraformrc")
	if err := os.WriteFile(cliConfigPath, []byte(cliConfig(dirs["bin"], dirs["noop-bin"])), 0o644); err != nil {
		return nil, err
	}

	if b.api, err = startAPI(opts.seed, opts.faults, opts.behaviour); err != nil {
		return nil, fmt.Errorf("starting the mock API: %w", err)
	}
	defer func() {
		if closeErr := b.api.close(); closeErr != nil {
			err = errors.Join(err, fmt.Errorf("stopping the mock API: %w", closeErr))
		}
	}()

	env := terraformEnv(os.Environ(), map[string]string{
		"TF_CLI_CONFIG_FILE":    cliConfigPath,
		"CHECKPOINT_DISABLE":    "1",
		"TF_IN_AUTOMATION":      "1",
		"AGILICUS_API_HOST":     b.api.URL,
		"AGILICUS_ACCESS_TOKEN": b.api.Token,
	})
	b.tf = &terraform{bin: tfBin, env: env, logDir: dirs["logs"]}
	version, err := terraformVersion(ctx, tfBin, env)
	if err != nil {
		return nil, err
	}

	w := opts.workload
	res = &results{
		Mode:      modeFull,
		StartedAt: started,
		Host: hostInfo{
			CPUs:             runtime.NumCPU(),
			GoVersion:        runtime.Version(),
			Platform:         runtime.GOOS + "_" + runtime.GOARCH,
			TerraformVersion: version,
			TerraformPath:    tfBin,
		},
		Workload:                w,
		AccountsWithAttachments: w.accountsWithAttachments(),
		LatencyMS:               float64(opts.latency) / float64(time.Millisecond),
		Parallelism:             opts.parallelism,
	}
	writeHeader(progress, res)

	if opts.query {
		res.Mode = modeQuery
		if res.Phases, err = b.runQueries(ctx, dirs["provider"]); err != nil {
			return nil, err
		}
		res.Targets = evaluateQueryTargets(res)
		b.logf("done")
		return res, nil
	}
	// The orgs to attach; the noop provider baseline gets the same ids, so
	// its variables are the provider workload's, byte for byte.
	orgIDs := b.api.createOrgs(w.Attachments)
	workloadVars, err := providerVars(w, orgIDs)
	if err != nil {
		return nil, err
	}
	dataVars, err := terraformDataVars(w.resources())
	if err != nil {
		return nil, err
	}
	if opts.refreshOnly {
		res.Mode = modeRefreshOnly
		if res.Phases, err = b.runRefreshes(ctx, dirs["provider"], workloadVars); err != nil {
			return nil, err
		}
		res.Targets = evaluateTargets(res)
		b.logf("done")
		return res, nil
	}
	// terraform_data: as many resources as the workload, which terraform
	// handles itself with no provider process, so its phases cost what
	// terraform core costs.
	if res.TerraformData, err = b.runBaseline(ctx, baselineTerraformData, dirs["terraform-data"],
		terraformDataConfig(), dataVars, b.providerExe); err != nil {
		return nil, err
	}
	// The workload's configuration with the noop provider: what the same
	// resources and references cost any framework provider.
	if res.NoopProvider, err = b.runBaseline(ctx, baselineNoopProvider, dirs["noop-provider"],
		noopConfig(w), workloadVars, b.noopExe); err != nil {
		return nil, err
	}
	if res.Phases, err = b.runProvider(ctx, dirs["provider"], workloadVars); err != nil {
		return nil, err
	}
	res.AccountsLeftAfterDestroy = len(b.api.Accounts())
	res.AttachedOrgsLeftAfterDestroy = b.api.attachedOrgs()
	res.Targets = evaluateTargets(res)
	b.logf("done")
	return res, nil
}

// Arguments of the terraform commands; -parallelism is added to each.
var (
	applyArgs   = []string{"apply", "-auto-approve", "-input=false", "-no-color"}
	planArgs    = []string{"plan", "-input=false", "-no-color", "-detailed-exitcode"}
	destroyArgs = []string{"destroy", "-auto-approve", "-input=false", "-no-color"}
)

// planChanges is plan's -detailed-exitcode status for a non-empty plan.
const planChanges = 2

// step is one terraform command of a run.
type step struct {
	name    string
	args    []string
	latency time.Duration
}

// runBaseline applies, plans and destroys a configuration that makes no API
// request, measuring the processes of exe as the provider's.
func (b *bench) runBaseline(ctx context.Context, name, dir, mainTF string, vars []byte, exe string) (baseline, error) {
	out := baseline{Resources: b.opts.resources()}
	if err := writeConfig(dir, mainTF, vars); err != nil {
		return out, err
	}
	for _, s := range []step{{phaseApply, applyArgs, 0}, {phasePlan, planArgs, 0}, {phaseDestroy, destroyArgs, 0}} {
		b.logf("%s baseline: %s of %d resources", name, s.name, out.Resources)
		p, err := b.measure(ctx, dir, filepath.Base(dir)+"-"+s.name, exe, s)
		if err != nil {
			return out, err
		}
		p.Resources = out.Resources
		b.logf("%s baseline: %s took %.2fs", name, s.name, p.WallSeconds)
		out.Phases = append(out.Phases, p)
	}
	return out, nil
}

// runProvider runs the provider phases.
func (b *bench) runProvider(ctx context.Context, dir string, vars []byte) ([]phaseResult, error) {
	l := b.opts.latency
	return b.runSteps(ctx, dir, vars, []step{
		{phaseApply, applyArgs, l},
		{phasePlan, planArgs, l},
		{phasePlanAgain, planArgs, l},
		{phasePlanZero, planArgs, 0},
		{phaseDestroy, destroyArgs, l},
	})
}

// runRefreshes applies the workload without latency, then refreshes it at
// the bench's latency and at none.
func (b *bench) runRefreshes(ctx context.Context, dir string, vars []byte) ([]phaseResult, error) {
	return b.runSteps(ctx, dir, vars, []step{
		{phaseApply, applyArgs, 0},
		{phasePlan, planArgs, b.opts.latency},
		{phasePlanZero, planArgs, 0},
	})
}

// runSteps runs the provider's phases in order.
func (b *bench) runSteps(ctx context.Context, dir string, vars []byte, steps []step) ([]phaseResult, error) {
	w := b.opts.workload
	if err := writeConfig(dir, providerConfig(w), vars); err != nil {
		return nil, err
	}
	var out []phaseResult
	for _, s := range steps {
		b.logf("%s of %d accounts and %d attachments at %s latency", s.name, w.Accounts, w.Attachments, s.latency)
		p, err := b.measure(ctx, dir, s.name, b.providerExe, s)
		if err != nil {
			return out, err
		}
		p.Resources = w.resources()
		p.setFloor(minCalls(s.name, w), s.latency, b.opts.parallelism)
		b.logf("%s: %.2fs, %d API calls, %d new connections", s.name, p.WallSeconds, p.APICalls, p.NewConnections)
		if f := b.api.Stats().Faults; f != (mockapi.FaultCounts{}) {
			b.logf("%s: faults injected: %d x 429, %d x 503, %d connections reset, %d answers dropped after the change",
				s.name, f.TooManyRequests, f.Unavailable, f.Reset, f.DropAfterCommit)
		}
		if s.name == phaseApply {
			if err := b.api.holdsExactly(w); err != nil {
				return out, err
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// measure runs one terraform command and collects what it cost; the
// provider figures are those of the processes running providerExe.
func (b *bench) measure(ctx context.Context, dir, logName, providerExe string, s step) (phaseResult, error) {
	args := append([]string{}, s.args...)
	if s.args[0] != "query" {
		args = append(args, "-parallelism="+strconv.Itoa(b.opts.parallelism))
	}
	var ok []int
	if s.args[0] == "plan" {
		ok = []int{planChanges}
	}
	b.api.beginPhase(s.latency)
	sampler := newProcSampler(providerExe, b.tf.bin)
	stop := sampler.start(sampleInterval)
	cpuBefore, busyBefore := selfCPU(), machineBusy()
	tfRun, err := b.tf.run(ctx, dir, logName, ok, args...)
	usage := stop()
	mockCPU := selfCPU() - cpuBefore
	busy := machineBusy() - busyBefore
	if err != nil {
		return phaseResult{}, err
	}
	provider, tf := usage[0], usage[1]
	stats := b.api.Stats()
	p := phaseResult{
		Name:                     s.name,
		LatencyMS:                float64(s.latency) / float64(time.Millisecond),
		WallSeconds:              tfRun.Wall.Seconds(),
		APICalls:                 stats.Total,
		APICallsByRoute:          stats.Routes,
		NewConnections:           b.api.newConnections(),
		ProviderPeakRSSMiB:       provider.peakMiB(),
		ProviderProcesses:        provider.Processes,
		TerraformPeakRSSMiB:      tf.peakMiB(),
		TerraformCPUSeconds:      tfRun.CPU.Seconds(),
		MockAPICPUSeconds:        mockCPU.Seconds(),
		OtherProcessesCPUSeconds: max(busy-tfRun.CPU-mockCPU, 0).Seconds(),
		UnauthorizedCalls:        stats.Unauthorized,
	}
	if s.args[0] == "plan" {
		changed := tfRun.ExitCode == planChanges
		p.PlanHasChanges = &changed
	}
	return p, nil
}

// writeConfig writes main.tf and terraform.tfvars.json into dir.
func writeConfig(dir, mainTF string, vars []byte) error {
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(mainTF), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "terraform.tfvars.json"), vars, 0o644)
}
