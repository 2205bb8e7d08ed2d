package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// Query mode (-query): `terraform query` of an estate made directly in the
// mock (no terraform apply), at -latency and at -slow-latency. It measures
// what adopting an estate with list resources costs: requests by route,
// wall time and the provider's peak memory.

// Names of the query phases.
const (
	phaseQuery     = "query"
	phaseQuerySlow = "query-slow"
)

// queryArgs runs the query; terraform query has no -parallelism.
var queryArgs = []string{"query", "-no-color"}

// Query targets: the account list is read in full pages, so a query costs
// one request per page of the API's largest page and a few more at most,
// and the provider's memory stays flat however many accounts it streams.
const (
	targetQueryRequests      = "account-list requests of a query"
	targetQueryPeakRSS       = "peak RSS of the provider in a query"
	maxQueryExtraRequests    = 5
	maxQueryProviderRSSMiB   = 150.0
	queryResultAddressPrefix = "list.agilicus_billing_account.estate"
)

// queryConfig is the query's configuration: the provider (host and token
// from the environment) and one list block that asks for every account.
func queryConfig(accounts int) (mainTF, query string) {
	mainTF = `terraform {
  required_providers {
    agilicus = {
      source = "agilicus/agilicus"
    }
  }
}

# Host and token come from AGILICUS_API_HOST and AGILICUS_ACCESS_TOKEN.
provider "agilicus" {}
`
	query = fmt.Sprintf(`list "agilicus_billing_account" "estate" {
  provider = agilicus
  limit    = %d
}
`, accounts)
	return mainTF, query
}

// runQueries makes the estate in the mock, then queries it at each latency.
func (b *bench) runQueries(ctx context.Context, dir string) ([]phaseResult, error) {
	w := b.opts.workload
	b.logf("creating %d accounts and %d attachments in the mock", w.Accounts, w.Attachments)
	if err := b.api.createEstate(ctx, w); err != nil {
		return nil, err
	}
	mainTF, query := queryConfig(w.Accounts)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(mainTF), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "estate.tfquery.hcl"), []byte(query), 0o644); err != nil {
		return nil, err
	}
	var out []phaseResult
	for _, s := range []step{{phaseQuery, queryArgs, b.opts.latency}, {phaseQuerySlow, queryArgs, b.opts.slowLatency}} {
		b.logf("%s of %d accounts at %s latency", s.name, w.Accounts, s.latency)
		p, err := b.measure(ctx, dir, s.name, b.providerExe, s)
		if err != nil {
			return out, err
		}
		found, err := countQueryResults(filepath.Join(b.tf.logDir, s.name+".log"))
		if err != nil {
			return out, err
		}
		if found != w.Accounts {
			return out, fmt.Errorf("%s found %d accounts, want %d", s.name, found, w.Accounts)
		}
		p.Resources = w.Accounts
		p.setFloor(queryMinCalls(w.Accounts), s.latency, 1)
		b.logf("%s: %.2fs, %d API calls, provider peak %.1f MiB", s.name, p.WallSeconds, p.APICalls, p.ProviderPeakRSSMiB)
		out = append(out, p)
	}
	return out, nil
}

// queryMinCalls is the fewest account-list requests that list n accounts:
// one per full page of the API's largest page.
func queryMinCalls(n int) int {
	return max(1, (n+client.MaxLimit-1)/client.MaxLimit)
}

// countQueryResults counts the accounts a query printed, one line each.
func countQueryResults(logPath string) (int, error) {
	data, err := os.ReadFile(logPath)
	if err != nil {
		return 0, err
	}
	n := 0
	for line := range bytes.Lines(data) {
		if bytes.HasPrefix(line, []byte(queryResultAddressPrefix+" ")) {
			n++
		}
	}
	return n, nil
}

// createEstate creates the workload's accounts through the API (a few at
// a time) and attaches as many organisations, round robin over the first
// Spread accounts, without terraform.
func (a *benchAPI) createEstate(ctx context.Context, w workload) error {
	c, err := client.New(client.Config{BaseURL: a.URL, Token: a.Token, MaxRetries: 0})
	if err != nil {
		return err
	}
	a.SetFaults(a.faults)
	ids := make([]string, w.Accounts)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range next {
				acc, err := c.CreateBillingAccount(ctx, client.BillingAccountSpec{CustomerID: fmt.Sprintf("cus_estate_%06d", i)})
				if err != nil {
					select {
					case errs <- err:
					default:
					}
					continue
				}
				ids[i] = acc.ID()
			}
		})
	}
	for i := range w.Accounts {
		next <- i
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		return fmt.Errorf("creating the estate: %w", err)
	default:
	}
	for i, org := range a.createOrgs(w.Attachments) {
		if err := a.AttachOrg(ids[i%w.Spread], org); err != nil {
			return fmt.Errorf("attaching the estate's organisations: %w", err)
		}
	}
	return nil
}

// evaluateQueryTargets judges the query phases.
func evaluateQueryTargets(r *results) []target {
	var out []target
	for _, name := range []string{phaseQuery, phaseQuerySlow} {
		p := r.phase(name)
		want := queryMinCalls(r.Workload.Accounts) + maxQueryExtraRequests
		t := target{Name: targetQueryRequests + " (" + name + ")",
			Rule: fmt.Sprintf("GET /v1/billing_accounts <= %d (one per page of %d, and %d more)", want, client.MaxLimit, maxQueryExtraRequests)}
		if p == nil {
			out = append(out, judge(t, 0, false, false, "phase missing"))
			continue
		}
		v := float64(p.APICallsByRoute[routeListAccounts])
		out = append(out, judge(t, v, true, v <= float64(want), ""))
	}
	t := target{Name: targetQueryPeakRSS, Rule: fmt.Sprintf("max VmHWM of a provider process over the queries < %.0f MiB", maxQueryProviderRSSMiB)}
	if v := r.providerPeakRSSMiB(); v > 0 {
		t = judge(t, v, true, v < maxQueryProviderRSSMiB, "")
	} else {
		t = judge(t, 0, false, false, "no provider process was sampled")
	}
	return append(out, t)
}

// slowQueryLatencyDefault is the latency of the second query phase.
const slowQueryLatencyDefault = 150 * time.Millisecond
