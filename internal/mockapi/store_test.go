package mockapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// TestConcurrentUse hammers the server from many goroutines, over HTTP and
// the Go API at once, then checks the data is consistent. Run with -race.
func TestConcurrentUse(t *testing.T) {
	f := newFixture(t)
	var orgs []string
	for i := range 10 {
		orgs = append(orgs, f.createOrg(fmt.Sprintf("org-%d", i)).ID)
	}
	const workers, rounds = 8, 20
	var requests atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*4)
	check := func(r response, err error, want int, what string) {
		requests.Add(1)
		if err != nil {
			errs <- fmt.Errorf("%s: %v", what, err)
		} else if r.status != want {
			errs <- fmt.Errorf("%s: status %d, want %d: %s", what, r.status, want, r.body)
		}
	}
	auth := map[string]string{"Authorization": "Bearer " + testToken}
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				r, err := f.send(http.MethodPost, "/v1/billing_accounts",
					fmt.Sprintf(`{"spec": {"customer_id": "cus-%d-%d"}}`, w, i), auth)
				check(r, err, http.StatusCreated, "create")
				if err != nil || r.status != http.StatusCreated {
					continue
				}
				var acc mockapi.BillingAccount
				if err := json.Unmarshal(r.body, &acc); err != nil {
					errs <- err
					continue
				}
				id := acc.Metadata.ID
				org := orgs[(w+i)%len(orgs)]
				r, err = f.send(http.MethodPost, "/v1/billing_accounts/"+id+"/orgs", `{"org_id": "`+org+`"}`, auth)
				check(r, err, http.StatusOK, "attach")
				r, err = f.send(http.MethodGet, "/v1/billing_accounts?org_id="+org, nil, auth)
				check(r, err, http.StatusOK, "list")
				if i%3 == 0 {
					r, err = f.send(http.MethodDelete, "/v1/billing_accounts/"+id, nil, auth)
					check(r, err, http.StatusNoContent, "delete")
				}
				// Go-API traffic alongside.
				_ = f.srv.Stats()
				_ = f.srv.Accounts()
				_ = f.srv.AttachOrg(id, orgs[(w+i+1)%len(orgs)])
			}
		})
	}
	// Racing creates with one customer id: exactly one may win.
	var created atomic.Int64
	for range workers {
		wg.Go(func() {
			r, err := f.send(http.MethodPost, "/v1/billing_accounts", `{"spec": {"customer_id": "shared"}}`, auth)
			requests.Add(1)
			if err == nil && r.status == http.StatusCreated {
				created.Add(1)
			} else if err != nil || r.status != http.StatusConflict {
				errs <- fmt.Errorf("shared create: %v %d", err, r.status)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if created.Load() != 1 {
		t.Errorf("%d accounts created with the same customer id, want 1", created.Load())
	}
	if got := f.srv.Stats().Total; int64(got) != requests.Load() {
		t.Errorf("stats total %d, want %d requests", got, requests.Load())
	}

	// Every attached org is listed by exactly its account, once.
	accounts := f.srv.Accounts()
	listed := map[string]string{}
	for _, a := range accounts {
		for _, o := range a.Status.Orgs {
			if prev, dup := listed[o.ID]; dup {
				t.Errorf("org %s listed by %s and %s", o.ID, prev, a.Metadata.ID)
			}
			listed[o.ID] = a.Metadata.ID
		}
	}
	for _, o := range f.srv.Orgs() {
		if o.BillingAccountID != listed[o.ID] {
			t.Errorf("org %s names %q but is listed by %q", o.ID, o.BillingAccountID, listed[o.ID])
		}
	}
	if want := workers*rounds - workers*((rounds+2)/3) + 1; len(accounts) != want {
		t.Errorf("%d accounts, want %d", len(accounts), want)
	}
}
