package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// tokenEnv names the environment variable that supplies the default token,
// the same one the provider reads.
const tokenEnv = "AGILICUS_ACCESS_TOKEN"

// shutdownTimeout bounds how long in-flight requests may run after a signal.
const shutdownTimeout = 5 * time.Second

type config struct {
	listen    string
	token     string
	seed      int64
	orgs      int
	stateFile string
	urlFile   string
	// documentFile receives an authentication document of the mock's
	// issuer, for clients that authenticate as a service account.
	documentFile string
	faults       mockapi.Faults
	behaviour    mockapi.Behaviour
	// tokenLifetime is how long the issuer's access tokens live.
	tokenLifetime time.Duration
}

// usageError is a problem with the command line rather than at run time.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func parseFlags(args []string, stderr io.Writer, getenv func(string) string) (config, error) {
	var c config
	fs := flag.NewFlagSet("mockapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8080", "`address` to listen on; port 0 picks a free port")
	fs.StringVar(&c.token, "token", "", "bearer `token` clients must send (default $"+tokenEnv+")")
	fs.Int64Var(&c.seed, "seed", 0, "seed for ids and fault draws (0: time-based)")
	fs.IntVar(&c.orgs, "orgs", 0, "make sure `N` demo orgs exist (demo-org-1 ... demo-org-N)")
	fs.StringVar(&c.stateFile, "state", "", "state `file`: loaded at start if it exists, saved on shutdown")
	fs.StringVar(&c.urlFile, "url-file", "", "write the base URL to `file` once listening (removed on shutdown)")
	fs.StringVar(&c.documentFile, "document-file", "", "write a service account's authentication document, exchanged at the mock's "+
		"POST /token, to `file` once listening (removed on shutdown); it holds a private key, so the file is readable by its owner only")
	fs.DurationVar(&c.faults.Latency, "latency", 0, "latency added to every API request before it is processed (a client that gives up meanwhile leaves nothing done)")
	fs.DurationVar(&c.tokenLifetime, "token-lifetime", mockapi.DefaultTokenLifetime,
		"lifetime of the access tokens the mock's issuer (POST /token) makes for authentication documents")
	fs.DurationVar(&c.faults.AnswerLatency, "answer-latency", 0, "latency added to every API request after it is processed, before the answer (a client that gives up meanwhile loses the answer, not the change)")
	fs.Float64Var(&c.faults.ErrorRate, "error-rate", 0, "fraction of API requests answered 429 or 503")
	fs.DurationVar(&c.faults.RetryAfter, "retry-after", 0, "Retry-After sent with injected 429 and 503 (rounded up to whole seconds)")
	fs.Float64Var(&c.faults.ResetRate, "reset-rate", 0, "fraction of API requests whose connection is reset")
	fs.Float64Var(&c.faults.DropAfterCommitRate, "drop-after-commit-rate", 0,
		"fraction of mutating API requests processed and then left without a response")
	fs.StringVar(&c.behaviour.APIVersion, "api-version", mockapi.DefaultAPIVersion,
		"API `version` (generation) to serve: "+mockapi.APIVersion1125+" or "+mockapi.APIVersion1405)
	fs.IntVar(&c.behaviour.PageSize, "page-size", 0,
		"at most `N` accounts per page of the account list in API "+mockapi.APIVersion1405+" (0: no cap)")
	fs.BoolVar(&c.behaviour.DetachAnyAccount, "detach-any-account", false,
		"detaching an org through any existing account takes it off the account that holds it")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, err
		}
		return c, usageError{err}
	}
	if fs.NArg() > 0 {
		return c, usageError{fmt.Errorf("unexpected arguments: %v", fs.Args())}
	}
	if c.token == "" {
		c.token = getenv(tokenEnv)
	}
	if c.token == "" {
		return c, usageError{fmt.Errorf("a token is required: pass -token or set %s", tokenEnv)}
	}
	if c.orgs < 0 {
		return c, usageError{fmt.Errorf("-orgs must not be negative, got %d", c.orgs)}
	}
	if err := c.faults.Validate(); err != nil {
		return c, usageError{err}
	}
	// Behaviour.Validate takes an empty version as the default; on the
	// command line an empty value is a mistake.
	if c.behaviour.APIVersion == "" {
		return c, usageError{fmt.Errorf("-api-version must be %s or %s", mockapi.APIVersion1125, mockapi.APIVersion1405)}
	}
	if err := c.behaviour.Validate(); err != nil {
		return c, usageError{err}
	}
	return c, nil
}

// run serves the mock until ctx is done, then shuts down and saves the state.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	c, err := parseFlags(args, stderr, getenv)
	if err != nil {
		return err
	}
	srv := mockapi.New(mockapi.Options{
		Token:            c.token,
		Seed:             c.seed,
		Faults:           c.faults,
		APIVersion:       c.behaviour.APIVersion,
		PageSize:         c.behaviour.PageSize,
		DetachAnyAccount: c.behaviour.DetachAnyAccount,
		TokenLifetime:    c.tokenLifetime,
	})
	if c.stateFile != "" {
		if err := loadState(srv, c.stateFile); err != nil {
			return err
		}
	}
	orgs := seedOrgs(srv, c.orgs)

	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return err
	}
	url := baseURL(ln.Addr())
	fmt.Fprintf(stdout, "Agilicus mock API listening on %s (%s)\n", url, srv.Behaviour())
	for _, o := range orgs {
		fmt.Fprintf(stdout, "org %s %s\n", o.ID, o.Organisation)
	}
	if c.urlFile != "" {
		if err := writeFileAtomic(c.urlFile, []byte(url+"\n")); err != nil {
			_ = ln.Close()
			return err
		}
		defer func() { _ = os.Remove(c.urlFile) }()
	}
	if c.documentFile != "" {
		doc, err := json.Marshal(srv.CreateAuthenticationDocument(url, "mock-service-account", "mock-org", time.Time{}))
		if err == nil {
			err = writeFileAtomic(c.documentFile, doc)
		}
		if err != nil {
			_ = ln.Close()
			return err
		}
		defer func() { _ = os.Remove(c.documentFile) }()
	}

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	shutdownErr := hs.Shutdown(shutdownCtx)
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		shutdownErr = errors.Join(shutdownErr, err)
	}
	if c.stateFile != "" {
		if err := saveState(srv, c.stateFile); err != nil {
			return errors.Join(shutdownErr, err)
		}
	}
	return shutdownErr
}

// seedOrgs makes sure orgs demo-org-1 ... demo-org-n exist (a loaded state
// may have them already) and returns them.
func seedOrgs(srv *mockapi.Server, n int) []mockapi.Organisation {
	bySubdomain := map[string]mockapi.Organisation{}
	for _, o := range srv.Orgs() {
		bySubdomain[o.Subdomain] = o
	}
	out := make([]mockapi.Organisation, 0, n)
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("demo-org-%d", i)
		o, ok := bySubdomain[name]
		if !ok {
			o = srv.CreateOrg(mockapi.Organisation{Organisation: name, Subdomain: name})
		}
		out = append(out, o)
	}
	return out
}

// baseURL is the URL clients use to reach addr. An unspecified listen
// address (0.0.0.0, ::) is replaced by loopback, which it also serves.
func baseURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
		if ip.To4() == nil {
			host = "::1"
		}
	}
	return "http://" + net.JoinHostPort(host, port)
}
