package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// benchAPI is the mock API served in-process on a loopback port. It counts
// the TCP connections clients open, so a phase shows whether the provider
// reuses its connections.
type benchAPI struct {
	*mockapi.Server
	URL   string
	Token string

	hs     *http.Server
	served chan error
	conns  atomic.Int64
	// faults are the configured fault rates, applied in every phase.
	faults mockapi.Faults
}

// startAPI serves a new mock API on 127.0.0.1 at a free port.
func startAPI(seed int64, faults mockapi.Faults, behaviour mockapi.Behaviour) (*benchAPI, error) {
	token, err := randomToken()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a := &benchAPI{
		Server: mockapi.New(mockapi.Options{Token: token, Seed: seed,
			APIVersion: behaviour.APIVersion, PageSize: behaviour.PageSize}),
		URL:    "http://" + ln.Addr().String(),
		Token:  token,
		served: make(chan error, 1),
		faults: faults,
	}
	a.hs = &http.Server{
		Handler:           a.Server,
		ReadHeaderTimeout: 30 * time.Second,
		ConnState: func(_ net.Conn, state http.ConnState) {
			if state == http.StateNew {
				a.conns.Add(1)
			}
		},
	}
	go func() { a.served <- a.hs.Serve(ln) }()
	return a, nil
}

// beginPhase sets the latency and the configured faults, and zeroes the
// request and connection counts.
func (a *benchAPI) beginPhase(latency time.Duration) {
	f := a.faults
	f.Latency = latency
	a.SetFaults(f)
	a.ResetStats()
	a.conns.Store(0)
}

// newConnections is the number of TCP connections opened since beginPhase.
func (a *benchAPI) newConnections() int64 { return a.conns.Load() }

// createOrgs creates n orgs to attach and returns their ids.
func (a *benchAPI) createOrgs(n int) []string {
	ids := make([]string, 0, n)
	for i := range n {
		name := fmt.Sprintf("bench-org-%d", i)
		ids = append(ids, a.CreateOrg(mockapi.Organisation{Organisation: name, Subdomain: name}).ID)
	}
	return ids
}

// attachedOrgs counts the orgs attached to any account.
func (a *benchAPI) attachedOrgs() int {
	n := 0
	for _, o := range a.Orgs() {
		if o.BillingAccountID != "" {
			n++
		}
	}
	return n
}

// close stops serving, dropping any request still in flight.
func (a *benchAPI) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := a.hs.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = a.hs.Close()
	}
	if served := <-a.served; !errors.Is(served, http.ErrServerClosed) {
		err = errors.Join(err, served)
	}
	return err
}

func randomToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "bench-" + hex.EncodeToString(b), nil
}

// holdsExactly checks that the mock holds the workload and nothing more: as
// many accounts as configured, no duplicate, and every attachment.
func (a *benchAPI) holdsExactly(w workload) error {
	accounts := a.Accounts()
	attached := 0
	for _, acc := range accounts {
		attached += len(acc.Status.Orgs)
	}
	if len(accounts) != w.Accounts || attached != w.Attachments {
		return fmt.Errorf("after apply the mock holds %d accounts and %d attached orgs, want %d and %d",
			len(accounts), attached, w.Accounts, w.Attachments)
	}
	return nil
}
