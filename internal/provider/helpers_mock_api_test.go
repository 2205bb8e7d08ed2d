// The mock Agilicus API each acceptance test starts for itself, the provider
// configured against it, and the fixtures tests build in it (accounts,
// organisations, usage, a settable clock, a token issuer).
package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// estateSize is how many accounts and attachments newEstate makes.
type estateSize struct{ accounts, attachments int }

// newEstate fills a mock with accounts and attachments made outside
// Terraform, over several pages of the account list, and points the
// provider's environment settings at it, as users of the recipes are
// advised to configure it.
func newEstate(t *testing.T, size estateSize) (*testAPI, estateSize) {
	t.Helper()
	api := newTestAPI(t)
	var ids []string
	for i := range size.accounts {
		ids = append(ids, api.createAccount(t, fmt.Sprintf("cus_estate_%02d", i)))
	}
	for i := range size.attachments {
		org := api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Estate Org %02d", i)})
		if err := api.AttachOrg(ids[i%size.accounts], org.ID); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv(EnvHost, api.URL)
	t.Setenv(EnvAccessToken, testToken)
	return api, size
}

// envTestAPIVersion selects the API generation the acceptance tests' mock
// serves: mockapi.APIVersion1125 (the default) or mockapi.APIVersion1405.
// `make test` runs the suite once with each.
const envTestAPIVersion = "AGILICUS_TEST_API_VERSION"

// testPageSize is the account-list page size of the newer generation's
// mock: small, so that every listing in the suite crosses page boundaries.
const testPageSize = 2

// testMockOptions are the mock options every acceptance test starts from.
func testMockOptions(t testing.TB) mockapi.Options {
	t.Helper()
	opts := mockapi.Options{Token: testToken, APIVersion: testAPIVersion(t)}
	if opts.APIVersion == mockapi.APIVersion1405 {
		opts.PageSize = testPageSize
	}
	return opts
}

// testAPIVersion is the generation named by envTestAPIVersion.
func testAPIVersion(t testing.TB) string {
	t.Helper()
	switch v := os.Getenv(envTestAPIVersion); v {
	case "", mockapi.APIVersion1125:
		return mockapi.APIVersion1125
	case mockapi.APIVersion1405:
		return v
	default:
		t.Fatalf("%s=%q: want %s or %s", envTestAPIVersion, v, mockapi.APIVersion1125, mockapi.APIVersion1405)
		return ""
	}
}

// newerAPI reports whether the tests run against the newer generation.
func newerAPI(t *testing.T) bool {
	t.Helper()
	return testAPIVersion(t) == mockapi.APIVersion1405
}

// newIssuingAPI is a mock API whose issuer makes tokens living lifetime,
// and an authentication document of it, as JSON.
func newIssuingAPI(t *testing.T, lifetime time.Duration) (*testAPI, string) {
	t.Helper()
	opts := testMockOptions(t)
	opts.TokenLifetime = lifetime
	api := newWrappedTestAPI(t, opts, nil)
	doc, err := json.Marshal(api.CreateAuthenticationDocument(api.URL, "svc-terraform", "org-billing", time.Time{}))
	if err != nil {
		t.Fatal(err)
	}
	return api, string(doc)
}

// accountFixture is two accounts in the mock, the first with an organisation
// attached and a product, made outside Terraform as a user's would be.
type accountFixture struct {
	withOrg, plain, orgID string
}

func newAccountFixture(t *testing.T, api *testAPI) accountFixture {
	t.Helper()
	f := accountFixture{withOrg: api.createAccount(t, "cus_alpha"), plain: api.createAccount(t, "cus_beta")}
	f.orgID = api.CreateOrg(mockapi.Organisation{Organisation: "Alpha Org", Subdomain: "alpha"}).ID
	if err := api.AttachOrg(f.withOrg, f.orgID); err != nil {
		t.Fatal(err)
	}
	if !api.SetAccountProducts(f.withOrg, []string{"Zero Trust", "Access"}) {
		t.Fatal("setting products failed")
	}
	return f
}

// subscriptionsOf is how many subscriptions the mock's customer of an
// account with that many products has: one in the older API generation,
// one per product (at least one) in the newer.
func subscriptionsOf(t *testing.T, products int) int {
	t.Helper()
	if newerAPI(t) && products > 1 {
		return products
	}
	return 1
}

const accountAddr = "agilicus_billing_account.test"

func accountConfig(api *testAPI, body string) string {
	return api.providerConfig(fmt.Sprintf(`
resource "agilicus_billing_account" "test" {
%s
}
`, body))
}

const (
	attachmentAddr = "agilicus_billing_org_attachment.test"
	accountAAddr   = "agilicus_billing_account.a"
	accountBAddr   = "agilicus_billing_account.b"
)

// Route keys of the mock's request counters used by the read assertions.
const (
	routeListAccountOrgs = "GET /v1/billing_accounts/{billing_account_id}/orgs"
	routeListAccounts    = "GET /v1/billing_accounts"
	routeGetAccount      = "GET /v1/billing_accounts/{billing_account_id}"
	routeDetachOrg       = "DELETE /v1/billing_accounts/{billing_account_id}/orgs/{org_id}"
)

// setDetachAnyAccount switches the mock's detach rule for one test.
func setDetachAnyAccount(t *testing.T, api *testAPI, on bool) {
	t.Helper()
	b := api.Behaviour()
	b.DetachAnyAccount = on
	if err := api.SetBehaviour(b); err != nil {
		t.Fatal(err)
	}
}

// Route keys of the usage-record endpoints in the mock's Stats.
const (
	usagePostRoute = "POST /v1/billing_accounts/{billing_account_id}/usage_records"
	usageListRoute = "GET /v1/billing_accounts/{billing_account_id}/usage_records"
)

// testClock is a settable clock for the mock, so usage timestamps and
// billing periods are known in advance. The mock reads it from its own
// goroutines while tests move it, hence the atomic.
type testClock struct{ unix atomic.Int64 }

func newTestClock(t time.Time) *testClock {
	c := &testClock{}
	c.set(t)
	return c
}

func (c *testClock) now() time.Time { return time.Unix(c.unix.Load(), 0).UTC() }

func (c *testClock) set(t time.Time) { c.unix.Store(t.Unix()) }

func (c *testClock) seconds() int64 { return c.unix.Load() }

// newUsageTestAPI starts a mock API whose clock is clock. wrap, when not
// nil, sits between the test server and the mock, to alter its answers.
func newUsageTestAPI(t *testing.T, clock *testClock, wrap func(http.Handler) http.Handler) *testAPI {
	t.Helper()
	opts := testMockOptions(t)
	opts.Now = clock.now
	return newWrappedTestAPI(t, opts, wrap)
}

// attachNewOrgs creates n organisations and attaches them to the account.
// The mock counts attached organisations as the account's usage.
func attachNewOrgs(t *testing.T, api *testAPI, accountID string, n int) {
	t.Helper()
	for range n {
		org := api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Org %d", len(api.Orgs())+1)})
		if err := api.AttachOrg(accountID, org.ID); err != nil {
			t.Fatal(err)
		}
	}
}

const usageRecordsAddr = "data.agilicus_billing_usage_records.test"

func usageRecordsConfig(api *testAPI, accountID, extra string) string {
	return api.providerConfig(fmt.Sprintf(`
data "agilicus_billing_usage_records" "test" {
  billing_account_id = %q
%s
}`, accountID, extra))
}

// fleetConfig is one account per organisation, each with its organisation
// attached, host and credentials from the environment.
func fleetConfig(orgIDs []string) string {
	ids, _ := json.Marshal(orgIDs)
	return fmt.Sprintf(`terraform {
  required_providers {
    agilicus = {
      source = "agilicus/agilicus"
    }
  }
}

provider "agilicus" {}

locals {
  org_ids = %s
}

resource "agilicus_billing_account" "team" {
  count       = length(local.org_ids)
  customer_id = "cus_team_${count.index}"
}

resource "agilicus_billing_org_attachment" "team" {
  count              = length(local.org_ids)
  billing_account_id = agilicus_billing_account.team[count.index].id
  org_id             = local.org_ids[count.index]
}
`, ids)
}

// attachedOrgs counts the organisations attached to any account.
func attachedOrgs(api *testAPI) int {
	n := 0
	for _, o := range api.Orgs() {
		if o.BillingAccountID != "" {
			n++
		}
	}
	return n
}

// testAccProtoV6ProviderFactories serves the provider in-process to the
// terraform CLI that acceptance tests drive.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"agilicus": func() (tfprotov6.ProviderServer, error) { return NewProtocol6Server("test")(), nil },
}

// testToken is the bearer token every test mock requires, so every
// acceptance test also proves the provider sends it.
const testToken = "test-token-7Qm2vX9pLw"

// testAPI is a mock Agilicus API serving one test.
type testAPI struct {
	*mockapi.Server
	URL string
}

// newTestAPI starts a mock API for t and stops it when t ends.
func newTestAPI(t *testing.T) *testAPI {
	t.Helper()
	return newWrappedTestAPI(t, testMockOptions(t), nil)
}

// newWrappedTestAPI starts a mock API with opts. wrap, when not nil, sits
// between the test server and the mock, to alter its answers.
func newWrappedTestAPI(t testing.TB, opts mockapi.Options, wrap func(http.Handler) http.Handler) *testAPI {
	t.Helper()
	srv := mockapi.New(opts)
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(srv)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return &testAPI{Server: srv, URL: ts.URL}
}

// providerConfig is the provider block pointing at the mock, followed by
// the test's own configuration. Two retries keep fault tests of the retry
// bound short.
func (a *testAPI) providerConfig(rest string) string {
	return a.providerConfigWithRetries(2, rest)
}

// providerConfigWithRetries is providerConfig with another max_retries.
func (a *testAPI) providerConfigWithRetries(maxRetries int, rest string) string {
	return fmt.Sprintf(`
provider "agilicus" {
  host         = %q
  access_token = %q
  max_retries  = %d
}
%s`, a.URL, testToken, maxRetries, rest)
}

// client returns an API client of the mock, for setting up data the way a
// user outside Terraform would.
func (a *testAPI) client(t *testing.T) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{BaseURL: a.URL, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// createOrgs creates n organisations named "<name> 00" onwards, each with a
// subdomain of the same shape, and returns their ids in order.
func (a *testAPI) createOrgs(n int, name string) []string {
	prefix := strings.ToLower(strings.ReplaceAll(name, " ", "-"))
	ids := make([]string, 0, n)
	for i := range n {
		ids = append(ids, a.CreateOrg(mockapi.Organisation{
			Organisation: fmt.Sprintf("%s %02d", name, i),
			Subdomain:    fmt.Sprintf("%s-%02d", prefix, i),
		}).ID)
	}
	return ids
}

// createAccount creates an account through the API and returns its id.
func (a *testAPI) createAccount(t *testing.T, customerID string) string {
	t.Helper()
	acc, err := a.client(t).CreateBillingAccount(t.Context(), client.BillingAccountSpec{CustomerID: customerID})
	if err != nil {
		t.Fatal(err)
	}
	return acc.ID()
}

// accountHasOrg reports whether the account's status.orgs lists the org.
func accountHasOrg(a mockapi.BillingAccount, orgID string) bool {
	return slices.ContainsFunc(a.Status.Orgs, func(o mockapi.Organisation) bool { return o.ID == orgID })
}
