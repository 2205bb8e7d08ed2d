package mockapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func TestBehaviourDefaultsAndOptions(t *testing.T) {
	f := newFixture(t)
	want := mockapi.Behaviour{APIVersion: mockapi.APIVersion1125}
	if got := f.srv.Behaviour(); got != want {
		t.Errorf("default behaviour = %+v, want %+v", got, want)
	}
	f = newFixtureWith(t, mockapi.Options{APIVersion: mockapi.APIVersion1405, PageSize: 3, DetachAnyAccount: true})
	want = mockapi.Behaviour{APIVersion: mockapi.APIVersion1405, PageSize: 3, DetachAnyAccount: true}
	if got := f.srv.Behaviour(); got != want {
		t.Errorf("behaviour from options = %+v, want %+v", got, want)
	}
	if got := want.String(); got != "api_version=1.405.8 page_size=3 detach_any_account=true" {
		t.Errorf("String() = %q", got)
	}
}

func TestNewRejectsInvalidBehaviour(t *testing.T) {
	for name, opts := range map[string]mockapi.Options{
		"unknown version":   {Token: "T", APIVersion: "2.0"},
		"negative pagesize": {Token: "T", PageSize: -1},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("New did not panic")
				}
			}()
			mockapi.New(opts)
		})
	}
}

func TestBehaviourValidate(t *testing.T) {
	tests := []struct {
		b  mockapi.Behaviour
		ok bool
	}{
		{mockapi.Behaviour{}, true},
		{mockapi.Behaviour{APIVersion: mockapi.APIVersion1125}, true},
		{mockapi.Behaviour{APIVersion: mockapi.APIVersion1405, PageSize: 10, DetachAnyAccount: true}, true},
		{mockapi.Behaviour{APIVersion: "1.125.4"}, false},
		{mockapi.Behaviour{APIVersion: "v1.405.8"}, false},
		{mockapi.Behaviour{PageSize: -1}, false},
	}
	for _, tt := range tests {
		if err := tt.b.Validate(); (err == nil) != tt.ok {
			t.Errorf("Validate(%+v) = %v, want ok=%v", tt.b, err, tt.ok)
		}
	}
}

func TestSetBehaviour(t *testing.T) {
	f := newFixture(t)
	if err := f.srv.SetBehaviour(mockapi.Behaviour{APIVersion: "9"}); err == nil {
		t.Error("SetBehaviour accepted an unknown version")
	}
	if got := f.srv.Behaviour().APIVersion; got != mockapi.APIVersion1125 {
		t.Errorf("a rejected SetBehaviour changed the version to %q", got)
	}
	set := mockapi.Behaviour{APIVersion: mockapi.APIVersion1405, PageSize: 2}
	if err := f.srv.SetBehaviour(set); err != nil {
		t.Fatal(err)
	}
	f.createAccount("cus_1")
	f.srv.Reset()
	if got := f.srv.Behaviour(); got != set {
		t.Errorf("after Reset: %+v, want %+v", got, set)
	}
	if err := f.srv.SetBehaviour(mockapi.Behaviour{}); err != nil {
		t.Fatal(err)
	}
	if got := f.srv.Behaviour(); got != (mockapi.Behaviour{APIVersion: mockapi.APIVersion1125}) {
		t.Errorf("zero behaviour is stored as %+v", got)
	}
}

func TestBehaviourHook(t *testing.T) {
	f := newFixture(t)
	get := func() string {
		t.Helper()
		return string(f.doWith(http.MethodGet, "/_mock/behaviour", nil, nil).expect(t, http.StatusOK).body)
	}
	if got := get(); got != `{"api_version":"1.125.2","page_size":0,"detach_any_account":false}`+"\n" {
		t.Errorf("GET = %s", got)
	}

	tests := []struct {
		name, body string
		status     int
		want       mockapi.Behaviour
	}{
		{"all keys", `{"api_version": "1.405.8", "page_size": 2, "detach_any_account": true}`, 200,
			mockapi.Behaviour{APIVersion: "1.405.8", PageSize: 2, DetachAnyAccount: true}},
		{"absent keys take defaults", `{"page_size": 5}`, 200,
			mockapi.Behaviour{APIVersion: "1.125.2", PageSize: 5}},
		{"empty object", `{}`, 200, mockapi.Behaviour{APIVersion: "1.125.2"}},
		{"unknown version", `{"api_version": "1.200.0"}`, 400, mockapi.Behaviour{}},
		{"negative page size", `{"page_size": -1}`, 400, mockapi.Behaviour{}},
		{"page size type", `{"page_size": "2"}`, 400, mockapi.Behaviour{}},
		{"detach type", `{"detach_any_account": "yes"}`, 400, mockapi.Behaviour{}},
		{"not an object", `[]`, 400, mockapi.Behaviour{}},
		{"empty body", ``, 400, mockapi.Behaviour{}},
	}
	current := mockapi.Behaviour{APIVersion: "1.125.2"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.doWith(http.MethodPut, "/_mock/behaviour", tt.body, nil)
			if tt.status != http.StatusOK {
				r.expectError(t, tt.status, mockapi.CodeInvalidBody)
				if got := f.srv.Behaviour(); got != current {
					t.Errorf("a rejected PUT changed the behaviour to %+v", got)
				}
				return
			}
			if got := decode[mockapi.Behaviour](t, r.expect(t, http.StatusOK)); got != tt.want {
				t.Errorf("PUT answered %+v, want %+v", got, tt.want)
			}
			if got := f.srv.Behaviour(); got != tt.want {
				t.Errorf("stored %+v, want %+v", got, tt.want)
			}
			current = tt.want
		})
	}
	// Hooks need no token and are not counted.
	if st := f.srv.Stats(); st.Total != 0 {
		t.Errorf("hook requests were counted: %+v", st)
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
