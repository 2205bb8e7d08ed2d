package provider

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// The refresh of a large estate, as Terraform drives it: one ReadResource
// per account and per attachment, ten at a time, against the paging API.
// It reports the requests the refresh cost and the provider's peak heap:
// the shared account listing should serve the reads from full pages (a
// few dozen requests for thousands of resources) with memory bounded by
// the listing. Run it with
//
//	AGILICUS_TEST_API_VERSION=1.405.8 go test -run '^$' -bench RefreshOfALargeEstate -benchtime 1x ./internal/provider/
//
// (make bench-refresh); REFRESH_BENCH_SIZE sets the number of accounts and
// of attachments (default 5000 each).
func BenchmarkRefreshOfALargeEstate(b *testing.B) {
	size := 5000
	if v, err := strconv.Atoi(os.Getenv("REFRESH_BENCH_SIZE")); err == nil && v > 0 {
		size = v
	}
	opts := testMockOptions(b)
	opts.PageSize = 0 // pages as large as the limit asked for, as the API's
	api := newWrappedTestAPI(b, opts, nil)
	c, err := client.New(client.Config{BaseURL: api.URL, Token: testToken})
	if err != nil {
		b.Fatal(err)
	}
	accounts := make([]string, size)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range next {
				acc, err := c.CreateBillingAccount(b.Context(), client.BillingAccountSpec{CustomerID: fmt.Sprintf("cus_refresh_%06d", i)})
				if err != nil {
					b.Error(err)
					continue
				}
				accounts[i] = acc.ID()
			}
		})
	}
	for i := range size {
		next <- i
	}
	close(next)
	wg.Wait()
	orgs := make([]string, size)
	for i := range size {
		orgs[i] = api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Refresh Org %d", i)}).ID
		if err := api.AttachOrg(accounts[i], orgs[i]); err != nil {
			b.Fatal(err)
		}
	}

	for b.Loop() {
		srv := NewProtocol6Server("bench")()
		schemas, err := srv.GetProviderSchema(b.Context(), &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			b.Fatal(err)
		}
		cfg := objectValue(b, schemas.Provider, map[string]tftypes.Value{
			"host": tftypes.NewValue(tftypes.String, api.URL), "access_token": tftypes.NewValue(tftypes.String, testToken),
		})
		if resp, err := srv.ConfigureProvider(b.Context(), &tfprotov6.ConfigureProviderRequest{Config: cfg}); err != nil || diagsHaveError(resp.Diagnostics) {
			b.Fatalf("configure: %v %v", err, resp.Diagnostics)
		}
		type read struct {
			typeName string
			state    *tfprotov6.DynamicValue
		}
		reads := make(chan read)
		go func() {
			for i := range size {
				reads <- read{"agilicus_billing_account", objectValue(b, schemas.ResourceSchemas["agilicus_billing_account"], map[string]tftypes.Value{
					"id":                  tftypes.NewValue(tftypes.String, accounts[i]),
					"customer_id":         tftypes.NewValue(tftypes.String, fmt.Sprintf("cus_refresh_%06d", i)),
					"dev_mode":            tftypes.NewValue(tftypes.Bool, false),
					"deletion_protection": tftypes.NewValue(tftypes.Bool, false),
				})}
				reads <- read{"agilicus_billing_org_attachment", objectValue(b, schemas.ResourceSchemas["agilicus_billing_org_attachment"], map[string]tftypes.Value{
					"id":                 tftypes.NewValue(tftypes.String, accounts[i]+"/"+orgs[i]),
					"billing_account_id": tftypes.NewValue(tftypes.String, accounts[i]),
					"org_id":             tftypes.NewValue(tftypes.String, orgs[i]),
				})}
			}
			close(reads)
		}()
		runtime.GC()
		api.ResetStats()
		var peak atomic.Uint64
		stopSampling := sampleHeap(&peak)
		start := time.Now()
		var failed atomic.Int64
		var readers sync.WaitGroup
		for range 10 { // Terraform's default parallelism
			readers.Go(func() {
				for r := range reads {
					resp, err := srv.ReadResource(b.Context(), &tfprotov6.ReadResourceRequest{TypeName: r.typeName, CurrentState: r.state})
					if err != nil || diagsHaveError(resp.Diagnostics) || resp.NewState == nil {
						failed.Add(1)
					}
				}
			})
		}
		readers.Wait()
		elapsed := time.Since(start)
		stopSampling()
		if n := failed.Load(); n != 0 {
			b.Fatalf("%d reads failed", n)
		}
		st := api.Stats()
		b.ReportMetric(float64(st.Total), "requests")
		b.ReportMetric(float64(st.Routes["GET /v1/billing_accounts"]), "listing-requests")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		b.ReportMetric(elapsed.Seconds(), "refresh-s")
		b.Logf("refresh of %d accounts and %d attachments: %d requests (%v), peak heap %.1f MiB, %s",
			size, size, st.Total, st.Routes, float64(peak.Load())/(1<<20), elapsed.Round(time.Millisecond))
	}
}

// sampleHeap records the largest heap in use until the returned function
// is called.
func sampleHeap(peak *atomic.Uint64) func() {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var m runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
