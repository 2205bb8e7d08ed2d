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

// TestConcurrentBehaviourChanges switches generations, page size and
// detach rule while requests that depend on them run. Every answer must be
// one the generation in force could give. Run with -race.
func TestConcurrentBehaviourChanges(t *testing.T) {
	f := newFixture(t)
	var accounts []string
	for i := range 6 {
		a := f.createAccount(fmt.Sprintf("cus_%d", i))
		accounts = append(accounts, a.Metadata.ID)
		f.srv.SetAccountProducts(a.Metadata.ID, []string{"A", "B"})
	}
	orgs := []string{}
	for i := range 6 {
		orgs = append(orgs, f.createOrg(fmt.Sprintf("org-%d", i)).ID)
	}
	auth := map[string]string{"Authorization": "Bearer " + testToken}
	errs := make(chan error, 1000)
	expect := func(r response, err error, what string, ok ...int) {
		if err != nil {
			errs <- fmt.Errorf("%s: %v", what, err)
			return
		}
		for _, s := range ok {
			if r.status == s {
				return
			}
		}
		errs <- fmt.Errorf("%s: status %d: %s", what, r.status, r.body)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 40 {
			b := mockapi.Behaviour{PageSize: i % 3, DetachAnyAccount: i%2 == 0}
			if i%2 == 1 {
				b.APIVersion = mockapi.APIVersion1405
			}
			if i%4 == 0 {
				data, _ := json.Marshal(b)
				r, err := f.send(http.MethodPut, "/_mock/behaviour", string(data), nil)
				expect(r, err, "PUT behaviour", http.StatusOK)
			} else if err := f.srv.SetBehaviour(b); err != nil {
				errs <- err
			}
		}
	})
	for w := range 4 {
		wg.Go(func() {
			for i := range 20 {
				acc, org := accounts[(w+i)%len(accounts)], orgs[(w*i)%len(orgs)]
				base := "/v1/billing_accounts/" + acc
				r, err := f.send(http.MethodPost, base+"/orgs", `{"org_id": "`+org+`", "cascade": true}`, auth)
				expect(r, err, "attach", http.StatusOK)
				r, err = f.send(http.MethodPost, base+"/usage_records", `{"dry_run": false}`, auth)
				expect(r, err, "usage", http.StatusCreated, http.StatusNoContent)
				r, err = f.send(http.MethodGet, "/v1/billing_accounts?page_at_id="+accounts[i%len(accounts)], nil, auth)
				expect(r, err, "list", http.StatusOK)
				r, err = f.send(http.MethodPut, base, `{"spec": {"customer_id": "`+fmt.Sprintf("cus_%d", (w+i)%len(accounts))+`", "product_id": "p", "x": [1, 2]}}`, auth)
				expect(r, err, "put", http.StatusOK, http.StatusConflict)
				r, err = f.send(http.MethodDelete, base+"/orgs/"+orgs[(w+i+1)%len(orgs)], nil, auth)
				expect(r, err, "detach", http.StatusNoContent, http.StatusNotFound)
				_ = f.srv.Accounts()
				_ = f.srv.Behaviour()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
