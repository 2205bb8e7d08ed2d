package provider

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// accountIdentity is a query check of one found account's identity.
func accountIdentity(address, id string) querycheck.QueryResultCheck {
	return querycheck.ExpectIdentity(address, map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
}

// Without filters the query finds every account, across the pages of the
// paging API, each under its identity and named after its customer id.
func TestAccBillingAccountList_everyAccount(t *testing.T) {
	api := newTestAPI(t)
	const n = 7 // more than three pages of the paging API's test page size
	var checks []querycheck.QueryResultCheck
	for i := range n {
		id := api.createAccount(t, fmt.Sprintf("cus_list_%d", i))
		checks = append(checks, accountIdentity("agilicus_billing_account.all", id),
			querycheck.ExpectResourceDisplayName("agilicus_billing_account.all",
				queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}),
				knownvalue.StringExact(fmt.Sprintf("cus_list_%d", i))))
	}
	checks = append(checks, querycheck.ExpectLength("agilicus_billing_account.all", n))
	resource.ParallelTest(t, queryCase(api, queryStep(`
list "agilicus_billing_account" "all" {
  provider = agilicus
}
`, checks...)))
}

// customer_id and org_id each find the one matching account.
func TestAccBillingAccountList_filters(t *testing.T) {
	api := newTestAPI(t)
	byCustomer := api.createAccount(t, "cus_wanted")
	byOrg := api.createAccount(t, "cus_holder")
	for i := range 4 {
		api.createAccount(t, fmt.Sprintf("cus_other_%d", i))
	}
	org := api.CreateOrg(mockapi.Organisation{Organisation: "Filter Org"})
	if err := api.AttachOrg(byOrg, org.ID); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, queryCase(api, queryStep(fmt.Sprintf(`
list "agilicus_billing_account" "customer" {
  provider = agilicus
  config {
    customer_id = "cus_wanted"
  }
}

list "agilicus_billing_account" "org" {
  provider = agilicus
  config {
    org_id = %q
  }
}

list "agilicus_billing_account" "nobody" {
  provider = agilicus
  config {
    customer_id = "cus_nobody"
  }
}
`, org.ID),
		querycheck.ExpectLength("agilicus_billing_account.customer", 1),
		accountIdentity("agilicus_billing_account.customer", byCustomer),
		querycheck.ExpectLength("agilicus_billing_account.org", 1),
		accountIdentity("agilicus_billing_account.org", byOrg),
		querycheck.ExpectLength("agilicus_billing_account.nobody", 0),
	)))
}

// limit is honoured, and no page beyond it is asked for.
func TestAccBillingAccountList_limit(t *testing.T) {
	api := newTestAPI(t)
	for i := range 9 {
		api.createAccount(t, fmt.Sprintf("cus_limit_%d", i))
	}
	const limit = 3
	step := queryStep(fmt.Sprintf(`
list "agilicus_billing_account" "some" {
  provider = agilicus
  limit    = %d
}
`, limit), querycheck.ExpectLength("agilicus_billing_account.some", limit))
	step.PreConfig = api.ResetStats
	after := resource.TestStep{
		// A configuration step that sends nothing, to check what the query
		// sent.
		Config: api.providerConfig(``),
		PreConfig: func() {
			got := api.Stats().Routes["GET /v1/billing_accounts"]
			// The paging API serves 2 accounts a page here, so 3 results
			// take 2 pages; the older API answers with one list.
			want := 1
			if newerAPI(t) {
				want = (limit + testPageSize - 1) / testPageSize
			}
			if got != want {
				t.Errorf("a query with limit %d sent %d account-list requests, want %d", limit, got, want)
			}
		},
	}
	resource.ParallelTest(t, queryCase(api, step, after))
}

// include_resource fills the whole resource, as a refresh after an import
// would, and the customer's name is the display name when customer data
// is asked for.
func TestAccBillingAccountList_includeResource(t *testing.T) {
	api := newTestAPI(t)
	id := api.createAccount(t, "cus_full")
	org := api.CreateOrg(mockapi.Organisation{Organisation: "Full Org"})
	if err := api.AttachOrg(id, org.ID); err != nil {
		t.Fatal(err)
	}
	byID := queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
	resource.ParallelTest(t, queryCase(api, queryStep(`
list "agilicus_billing_account" "full" {
  provider         = agilicus
  include_resource = true
  config {
    include_customer_data = true
  }
}
`,
		querycheck.ExpectLength("agilicus_billing_account.full", 1),
		querycheck.ExpectResourceDisplayName("agilicus_billing_account.full", byID, knownvalue.StringExact("Customer cus_full")),
		querycheck.ExpectResourceKnownValues("agilicus_billing_account.full", byID, []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(id)},
			{Path: tfjsonpath.New("customer_id"), KnownValue: knownvalue.StringExact("cus_full")},
			{Path: tfjsonpath.New("dev_mode"), KnownValue: knownvalue.Bool(false)},
			{Path: tfjsonpath.New("deletion_protection"), KnownValue: knownvalue.Bool(false)},
			{Path: tfjsonpath.New("created"), KnownValue: knownvalue.StringRegexp(rfc3339)},
			{Path: tfjsonpath.New("org_ids"), KnownValue: knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(org.ID)})},
			{Path: tfjsonpath.New("updated"), KnownValue: knownvalue.StringRegexp(rfc3339)},
			{Path: tfjsonpath.New("products"), KnownValue: knownvalue.NotNull()},
			// Left out, as after an import.
			{Path: tfjsonpath.New("timeouts"), KnownValue: knownvalue.Null()},
		}),
	)))
}

// An account deleted while the query pages through the list is simply not
// found; the query does not fail.
func TestAccBillingAccountList_accountDeletedBetweenPages(t *testing.T) {
	if !newerAPI(t) {
		t.Skip("the older API answers the account list in one piece")
	}
	var once sync.Once
	var api *testAPI
	var last string
	deleteAfterFirstPage := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			if r.Method == http.MethodGet && r.URL.Path == "/v1/billing_accounts" && r.URL.Query().Get("page_at_id") == "" {
				once.Do(func() { api.DeleteAccount(last) })
			}
		})
	}
	api = newWrappedTestAPI(t, testMockOptions(t), deleteAfterFirstPage)
	var kept []string
	for i := range 5 {
		kept = append(kept, api.createAccount(t, fmt.Sprintf("cus_paged_%d", i)))
	}
	last, kept = kept[len(kept)-1], kept[:len(kept)-1]
	checks := []querycheck.QueryResultCheck{querycheck.ExpectLength("agilicus_billing_account.all", len(kept))}
	for _, id := range kept {
		checks = append(checks, accountIdentity("agilicus_billing_account.all", id))
	}
	resource.ParallelTest(t, queryCase(api, queryStep(`
list "agilicus_billing_account" "all" {
  provider = agilicus
}
`, checks...)))
}

// Bad filters are refused before anything is listed.
func TestAccBillingAccountList_invalidFilter(t *testing.T) {
	api := newTestAPI(t)
	step := queryStep(`
list "agilicus_billing_account" "bad" {
  provider = agilicus
  config {
    org_id = "a/b"
  }
}
`)
	step.ExpectError = regexp.MustCompile(`Invalid id`)
	resource.ParallelTest(t, queryCase(api, step))
}

// The examples/adopt-with-query recipe: `terraform query
// -generate-config-out` finds an estate of more than one page of accounts
// and writes a resource and an import block for each account and
// attachment, which then import with nothing created, changed or destroyed.
func TestAccBillingAccountList_adoptExistingEstate(t *testing.T) {
	skipUnlessAcceptance(t)
	skipUnlessCLISupports(t, featureListResources)
	api, want := newEstate(t, estateSize{accounts: 52, attachments: 104})
	work := t.TempDir()
	copyExample(t, filepath.Join(moduleRoot(t), "examples", "adopt-with-query"), work, currentTestCLI(t))
	d := newTerraformDir(t, work, devOverridesConfig(t, moduleRoot(t)))
	api.ResetStats()
	d.query(tfexec.GenerateConfigOut("generated.tf"))
	generated, err := os.ReadFile(filepath.Join(work, "generated.tf"))
	if err != nil {
		t.Fatalf("terraform query wrote no configuration: %v", err)
	}
	if got := strings.Count(string(generated), "\nimport {"); got != want.accounts+want.attachments {
		t.Fatalf("generated.tf holds %d import blocks, want %d:\n%s", got, want.accounts+want.attachments, generated)
	}
	noChangesSent(t, api)
	adoptEstate(t, api, work, want, false)
}

// `terraform plan -generate-config-out` with an import block for each
// importable resource writes configuration that the next apply accepts as
// it is: the apply imports both resources and changes nothing in the API,
// and the plan after it is empty.
func TestAccBillingAccountList_generatedConfigApplies(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	api := newTestAPI(t)
	accountID := api.createAccount(t, "cus_generated")
	on := true
	cid := "cus_generated"
	if !api.SetAccountSpec(accountID, mockapi.BillingAccountSpec{CustomerID: &cid, DevMode: &on}) {
		t.Fatal("setting dev_mode failed")
	}
	org := api.CreateOrg(mockapi.Organisation{Organisation: "Generated Org", Subdomain: "generated"})
	if err := api.AttachOrg(accountID, org.ID); err != nil {
		t.Fatal(err)
	}

	work := t.TempDir()
	main := exampleRequiredProviders + fmt.Sprintf(`
provider "agilicus" {
  host         = %q
  access_token = %q
}

import {
  to = agilicus_billing_account.imported
  id = %q
}

import {
  to = agilicus_billing_org_attachment.imported
  id = %q
}
`, api.URL, testToken, accountID, attachmentID(accountID, org.ID))
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
	d := newTerraformDir(t, work, devOverridesConfig(t, moduleRoot(t)))
	d.plan(tfexec.GenerateConfigOut("generated.tf"))
	generated, err := os.ReadFile(filepath.Join(work, "generated.tf"))
	if err != nil {
		t.Fatalf("no configuration was generated: %v", err)
	}
	for _, want := range []string{
		`resource "agilicus_billing_account" "imported"`, `customer_id         = "cus_generated"`, `dev_mode            = true`,
		`resource "agilicus_billing_org_attachment" "imported"`, fmt.Sprintf(`org_id             = %q`, org.ID),
	} {
		if !strings.Contains(string(generated), want) {
			t.Fatalf("the generated configuration lacks %q:\n%s", want, generated)
		}
	}

	api.ResetStats()
	out := d.apply()
	if !strings.Contains(out, "2 imported, 0 added, 0 changed, 0 destroyed") {
		t.Fatalf("apply of the generated configuration:\n%s", out)
	}
	noChangesSent(t, api)
	d.mustPlanNothing("after applying the generated configuration")
	t.Logf("generated configuration:\n%s", generated)
}
