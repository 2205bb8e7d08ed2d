package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// options are the command-line settings.
type options struct {
	workload
	parallelism int
	latency     time.Duration
	out         string
	terraform   string
	seed        int64
	strict      bool
	keep        bool
	// faults are injected into every request of the provider's phases, to
	// see the provider keep its promises under load and errors.
	faults mockapi.Faults
	// behaviour is the mock API's generation and page size.
	behaviour mockapi.Behaviour
	// refreshOnly skips the baselines and the destroy, and applies without
	// latency: what is left measures refreshes alone, quickly.
	refreshOnly bool
	// query measures `terraform query` of an estate made in the mock, at
	// latency and at slowLatency, instead of applying and refreshing.
	query       bool
	slowLatency time.Duration
}

// usageError is a problem with the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: go run ./internal/cmd/bench [flags]")
		fmt.Fprintln(fs.Output(), "\nTimes terraform with the provider against an in-process mock API. Flags:")
		fs.PrintDefaults()
	}
	fs.IntVar(&o.Accounts, "accounts", 1000, "`count` of agilicus_billing_account resources")
	fs.IntVar(&o.Attachments, "attachments", 1000, "`count` of agilicus_billing_org_attachment resources (0: leave the resource out)")
	fs.IntVar(&o.Spread, "spread", 50, "`count` of accounts the attachments go to, round robin (attachment i goes to account i mod count)")
	fs.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism (`n` operations at once; 10 is terraform's default)")
	fs.DurationVar(&o.latency, "latency", 20*time.Millisecond, "latency the mock API adds to every request")
	fs.StringVar(&o.out, "out", "", "write the results as JSON to `file` (default: agilicus-bench-<time>.json in the temp directory)")
	fs.StringVar(&o.terraform, "terraform", "", "terraform `binary` (default: $TERRAFORM, then terraform on PATH)")
	fs.Int64Var(&o.seed, "seed", 1, "seed of the mock API's id generator")
	fs.BoolVar(&o.strict, "strict", false, "exit with status 3 when a target is missed")
	fs.Float64Var(&o.faults.ErrorRate, "error-rate", 0, "fraction of API requests answered 429 or 503 with Retry-After (`0..1`)")
	fs.Float64Var(&o.faults.ResetRate, "reset-rate", 0, "fraction of API requests whose connection is reset (`0..1`)")
	fs.Float64Var(&o.faults.DropAfterCommitRate, "drop-rate", 0, "fraction of changing API requests carried out whose answer is then dropped (`0..1`)")
	fs.StringVar(&o.behaviour.APIVersion, "api-version", mockapi.DefaultAPIVersion,
		"API generation the mock serves: "+mockapi.APIVersion1125+" or "+mockapi.APIVersion1405+" (pages its account list)")
	fs.IntVar(&o.behaviour.PageSize, "page-size", 0, "accounts per page of the mock's account list in generation "+mockapi.APIVersion1405+" (0: up to the limit asked for)")
	fs.BoolVar(&o.refreshOnly, "refresh-only", false, "measure refreshes only: apply without latency, then plan at -latency and at 0 ms; no baselines, no destroy")
	fs.BoolVar(&o.query, "query", false, "measure `terraform query` of -accounts accounts made in the mock (and -attachments attachments), "+
		"at -latency and at -slow-latency; needs terraform 1.14 or later")
	fs.DurationVar(&o.slowLatency, "slow-latency", slowQueryLatencyDefault, "latency of the second query phase of -query")
	fs.BoolVar(&o.keep, "keep", false, "keep the working directory (configurations, state, terraform logs) and print its path")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, usageError{err}
	}
	if fs.NArg() > 0 {
		return o, usageError{fmt.Errorf("unexpected arguments: %v", fs.Args())}
	}
	if o.Attachments == 0 {
		o.Spread = 0
	}
	if err := o.validate(); err != nil {
		return o, usageError{err}
	}
	switch {
	case o.parallelism < 1:
		return o, usageError{fmt.Errorf("-parallelism must be at least 1, got %d", o.parallelism)}
	case o.latency < 0:
		return o, usageError{fmt.Errorf("-latency must not be negative, got %s", o.latency)}
	case o.slowLatency < 0:
		return o, usageError{fmt.Errorf("-slow-latency must not be negative, got %s", o.slowLatency)}
	case o.query && o.refreshOnly:
		return o, usageError{errors.New("-query and -refresh-only are different modes: choose one")}
	}
	if err := o.faults.Validate(); err != nil {
		return o, usageError{err}
	}
	if err := o.behaviour.Validate(); err != nil {
		return o, usageError{err}
	}
	return o, nil
}
