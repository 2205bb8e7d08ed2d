// Command bench times terraform with the Agilicus provider against the mock
// API (internal/mockapi) served in-process with injected latency, and
// compares the result with two baselines of as many resources that make no
// request: terraform core's own cost for built-in terraform_data resources,
// and the cost of any framework provider, measured with a provider that does
// nothing (noopprovider).
//
//	go run ./internal/cmd/bench                       # 1000 accounts, 1000 attachments over 50 accounts, 20ms, parallelism 10
//	go run ./internal/cmd/bench -accounts 10 -attachments 10 -spread 2 -latency 5ms   # smoke size
//	make bench                                         # scripts/bench.sh, defaults from BENCH_* variables
//
// It builds the provider, points terraform at it with a temporary CLI
// configuration (dev_overrides, so no terraform init), and runs, in a
// temporary directory: apply, plan, plan again, plan with no latency, and
// destroy, each timed, with the mock's request counts, the TCP connections
// opened, and the provider's peak memory. After the apply it checks that
// the mock holds exactly the configured accounts and attachments, also when
// faults are injected (-error-rate, -reset-rate, -drop-rate). Two baselines
// are applied, planned and destroyed, each in a directory of its own:
// as many terraform_data resources, which terraform handles itself, with no
// provider process, no gRPC and no msgpack per resource; and the provider
// workload's own configuration (the same accounts, attachments and
// references) with the noop provider, a terraform-plugin-framework provider
// over protocol 6 whose resources have the Agilicus resources' schemas and
// do no I/O.
//
// The report ends with PASS/FAIL verdicts on these targets:
//
//   - latency overhead of refresh: how much of the API latency a refresh
//     waits for beyond the round-trip floor;
//   - plan time vs terraform_data: wall(plan-0ms) over the terraform_data
//     plan, the provider's cost against terraform core alone;
//   - plan time vs a do-nothing provider: wall(plan-0ms) over the noop
//     provider's plan, which pays the same plugin protocol and framework
//     costs, so what remains is the provider's own work;
//   - org-list requests per attachment on refresh: below one when the
//     attachments of an account share its org list;
//   - wasted calls in apply: reads in a fresh apply;
//   - peak RSS of the provider.
//
// The results are also written as JSON (-out; by default a timestamped file
// in the temp directory, whose path is printed at the end).
//
// How the figures are taken: wall time is the terraform command, start to
// exit; API calls are the mock's per-route counters, reset before each phase;
// new connections come from the HTTP server's ConnState hook; peak RSS is the
// largest VmHWM (or VmRSS) of the processes whose /proc/PID/exe is the built
// provider (or terraform), sampled every 25ms; the CPU time of terraform and
// its providers is the rusage of the terraform process, the mock's is this
// process's rusage, and the rest of the machine's is the busy time from
// /proc/stat minus both. The floor of a phase is its minimum number of API
// calls times the latency, divided by the parallelism.
//
// The terraform_data baseline has no references between resources; in the
// provider workload each attachment refers to an account through a computed
// index, which makes every attachment depend on every account in
// terraform's apply and destroy graphs. Terraform core's apply and destroy
// then cost far more than that baseline's for reasons that have nothing to
// do with the provider, so compare the plan phases with it, not those two.
// The noop provider baseline has the workload's references, so all three of
// its phases compare with the provider's; its RSS is for information only,
// as it is served without the Agilicus provider's release of request
// contexts (internal/provider/server.go) and grows with the requests.
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
