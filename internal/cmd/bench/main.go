// Command bench times terraform with the Agilicus provider against the mock
// API (internal/mockapi) served in-process with injected latency, and
// compares the result with terraform core's own cost for as many built-in
// terraform_data resources.
//
//	go run ./internal/cmd/bench                       # N=1000, M=1000, S=50, 20ms, parallelism 10
//	go run ./internal/cmd/bench -accounts 10 -attachments 10 -spread 2 -latency 5ms   # smoke size
//	make bench                                         # scripts/bench.sh, defaults from BENCH_* variables
//
// It builds the provider, points terraform at it with a temporary CLI
// configuration (dev_overrides, so no terraform init), and runs, in a
// temporary directory: apply, plan, plan again, plan with no latency, and
// destroy, each timed, with the mock's request counts, the TCP connections
// opened, and the provider's peak memory and CPU time. A baseline of N+M
// terraform_data resources is applied, planned and destroyed in another
// directory. The results are printed as tables with PASS/FAIL verdicts on
// the performance targets and written as JSON (-out; by default a
// timestamped file in the temp directory, whose path is printed at the end).
//
// How the figures are taken: wall time is the terraform command, start to
// exit; API calls are the mock's per-route counters, reset before each phase;
// new connections come from the HTTP server's ConnState hook; peak RSS is the
// largest VmHWM (or VmRSS) of the processes whose /proc/PID/exe is the built
// provider (or terraform), sampled every 25ms; CPU time of terraform plus
// its providers is the rusage of the terraform process, the provider's own
// share is taken from /proc/PID/stat, and the mock's is this process's
// rusage. The floor of a phase is its minimum number of API calls times the
// latency, divided by the parallelism.
//
// The baseline has no references between resources, as specified; in the
// provider workload each attachment refers to an account through a computed
// index, which makes every attachment depend on every account in terraform's
// apply and destroy graphs. Terraform core's apply and destroy then cost far
// more than the baseline's for reasons that have nothing to do with the
// provider, so compare the plan phases with the baseline, not those two.
//
// Exit status: 0 after a complete run, whatever the verdicts; 1 on an error;
// 2 on a bad command line; 3 with -strict when a target is missed.
// Everything temporary (directories, the mock server) is removed at the end,
// also after an error or an interrupt, unless -keep is given.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// errTargetsMissed is returned with -strict when a target is missed.
var errTargetsMissed = errors.New("performance targets missed")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	var usage usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	case errors.Is(err, errTargetsMissed):
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(3)
	default:
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
