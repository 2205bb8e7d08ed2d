package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
	"github.com/hashicorp/go-version"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// apiCheck is a state check that compares Terraform's state with what the
// mock API holds, so tests prove the API was changed and not only the state.
type apiCheck func(state *tfjson.State) error

func (c apiCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	resp.Error = c(req.State)
}

// stateResource finds a resource or data source in the state by address.
func stateResource(state *tfjson.State, address string) (*tfjson.StateResource, error) {
	if state.Values == nil || state.Values.RootModule == nil {
		return nil, fmt.Errorf("state has no root module")
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Address == address {
			return r, nil
		}
	}
	return nil, fmt.Errorf("%s not in state", address)
}

// stateString reads a string attribute of a resource in the state.
func stateString(state *tfjson.State, address, attr string) (string, error) {
	r, err := stateResource(state, address)
	if err != nil {
		return "", err
	}
	v, ok := r.AttributeValues[attr].(string)
	if !ok {
		return "", fmt.Errorf("%s.%s is %T, not a string", address, attr, r.AttributeValues[attr])
	}
	return v, nil
}

// captureString is a state check that stores a string attribute in *dst for
// later steps, e.g. to act on the object out of band.
func captureString(address, attr string, dst *string) apiCheck {
	return func(state *tfjson.State) error {
		v, err := stateString(state, address, attr)
		*dst = v
		return err
	}
}

// routeCount sums the mock's request counts of the routes whose key
// contains substr.
func routeCount(routes map[string]int, substr string) int {
	n := 0
	for k, v := range routes {
		if strings.Contains(k, substr) {
			n += v
		}
	}
	return n
}

// errorText matches an error message literally while allowing terraform to
// wrap it at any space.
func errorText(msg string) *regexp.Regexp {
	parts := strings.Fields(msg)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}

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

// adoptEstate plans and applies the configuration in work (after
// `terraform init` when it calls modules), checks that everything is
// imported and nothing created, changed or destroyed, that the plan after
// it is empty, and returns the apply's output.
func adoptEstate(t *testing.T, api *testAPI, work string, want estateSize, callsModules bool) string {
	t.Helper()
	tf := terraformBinary(t)
	cliConfig := devOverridesConfig(t, moduleRoot(t))
	run := func(args ...string) string { return mustRunTerraform(t, tf, cliConfig, work, args...) }
	if callsModules {
		// Module calls need init; the provider itself comes from
		// dev_overrides.
		run("init", "-backend=false", "-input=false")
	}

	total := want.accounts + want.attachments
	if out := run("plan"); !strings.Contains(out, fmt.Sprintf("%d to import, 0 to add, 0 to change, 0 to destroy", total)) {
		t.Fatalf("the adoption plan does not import %d objects:\n%s", total, out)
	}
	api.ResetStats()
	out := run("apply", "-auto-approve")
	if !strings.Contains(out, fmt.Sprintf("%d imported, 0 added, 0 changed, 0 destroyed", total)) {
		t.Fatalf("adoption apply:\n%s", out)
	}
	noChangesSent(t, api)
	stdout, stderr, err := runTerraform(t, tf, cliConfig, work, "plan", "-detailed-exitcode", "-no-color")
	if err != nil {
		t.Fatalf("the plan after adoption is not empty (%v):\n%s%s", err, stdout, stderr)
	}
	if n := len(api.Accounts()); n != want.accounts {
		t.Fatalf("the API holds %d accounts after adoption, want %d", n, want.accounts)
	}
	return out
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

// exchanged is a state check that the document was exchanged for tokens
// and that no request was refused.
func exchanged(api *testAPI) apiCheck {
	return func(*tfjson.State) error {
		if api.TokenExchanges() == 0 {
			return fmt.Errorf("the document was never exchanged for a token")
		}
		if n := api.Stats().Unauthorized; n != 0 {
			return fmt.Errorf("%d requests were refused", n)
		}
		return nil
	}
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

// queryCase is a test case of `terraform query` against api: a first step
// that only configures the provider (the query reads its provider block
// from the .tf files), then the query steps.
func queryCase(api *testAPI, steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{requireCLIFeature(featureListResources)},
		Steps:                    append([]resource.TestStep{{Config: api.providerConfig(``)}}, steps...),
	}
}

// queryStep is a query step of the given .tfquery.hcl content.
func queryStep(query string, checks ...querycheck.QueryResultCheck) resource.TestStep {
	return resource.TestStep{Query: true, Config: query, QueryResultChecks: checks}
}

const accountAddr = "agilicus_billing_account.test"

var rfc3339 = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$`)

func accountConfig(api *testAPI, body string) string {
	return api.providerConfig(fmt.Sprintf(`
resource "agilicus_billing_account" "test" {
%s
}
`, body))
}

// mockAccountMatches checks that the mock holds the account in state with
// the given spec.
func mockAccountMatches(api *testAPI, customerID string, devMode bool) apiCheck {
	return func(state *tfjson.State) error {
		id, err := stateString(state, accountAddr, "id")
		if err != nil {
			return err
		}
		a, ok := api.Account(id)
		if !ok {
			return fmt.Errorf("account %s is in state but not in the API", id)
		}
		gotCustomer := ""
		if a.Spec.CustomerID != nil {
			gotCustomer = *a.Spec.CustomerID
		}
		gotDev := a.Spec.DevMode != nil && *a.Spec.DevMode
		if gotCustomer != customerID || gotDev != devMode {
			return fmt.Errorf("API holds customer_id=%q dev_mode=%v, want %q %v", gotCustomer, gotDev, customerID, devMode)
		}
		if n := len(api.Accounts()); n != 1 {
			return fmt.Errorf("API holds %d accounts, want 1", n)
		}
		return nil
	}
}

// checkMockAccountCount checks, after destroy, how many accounts the API
// still holds.
func checkMockAccountCount(api *testAPI, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := len(api.Accounts()); n != want {
			return fmt.Errorf("API holds %d accounts after destroy, want %d", n, want)
		}
		return nil
	}
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

// mockOrgOnlyOn checks that the mock has the org attached to *accountID and
// listed by no other account. accountID is read when the check runs, so it
// may be captured by an earlier check of the same step.
func mockOrgOnlyOn(api *testAPI, orgID string, accountID *string) apiCheck {
	return func(*tfjson.State) error {
		o, ok := api.Org(orgID)
		if !ok {
			return fmt.Errorf("org %s is not in the API", orgID)
		}
		if o.BillingAccountID != *accountID {
			return fmt.Errorf("org %s has billing_account_id %q in the API, want %q", orgID, o.BillingAccountID, *accountID)
		}
		found := false
		for _, a := range api.Accounts() {
			has := accountHasOrg(a, orgID)
			switch {
			case a.Metadata.ID == *accountID:
				found = has
			case has:
				return fmt.Errorf("org %s is still listed in status.orgs of account %s", orgID, a.Metadata.ID)
			}
		}
		if !found {
			return fmt.Errorf("account %q does not list org %s in status.orgs", *accountID, orgID)
		}
		return nil
	}
}

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

// nonEmpty matches a value with no white space in it, at least one character.
var nonEmpty = regexp.MustCompile(`^\S+$`)

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

// wantUsageRecords checks the records the mock has stored for an account.
func wantUsageRecords(api *testAPI, accountID string, want ...mockapi.UsageRecord) error {
	got := api.UsageRecords(accountID)
	if len(got) != len(want) {
		return fmt.Errorf("the mock holds %d usage records for %s (%v), want %d (%v)", len(got), accountID, got, len(want), want)
	}
	for i := range want {
		if got[i] != want[i] {
			return fmt.Errorf("usage record %d in the mock is %+v, want %+v", i, got[i], want[i])
		}
	}
	return nil
}

func diagsHaveError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

const usageRecordsAddr = "data.agilicus_billing_usage_records.test"

func usageRecordsConfig(api *testAPI, accountID, extra string) string {
	return api.providerConfig(fmt.Sprintf(`
data "agilicus_billing_usage_records" "test" {
  billing_account_id = %q
%s
}`, accountID, extra))
}

// testCLI describes the CLI the acceptance tests drive: its family
// (Terraform or OpenTofu, which number their releases independently) and
// its version.
type testCLI struct {
	OpenTofu bool
	Version  *version.Version
}

func (c testCLI) String() string {
	if c.OpenTofu {
		return "OpenTofu " + c.Version.String()
	}
	return "Terraform " + c.Version.String()
}

// cliFeature is something only some CLI releases do, with the first
// release of each family that does it. An empty version means that no
// release of that family the suite runs on does it.
type cliFeature struct {
	what      string
	terraform string
	opentofu  string
}

var (
	featureImportForEach = cliFeature{
		what: "import blocks with for_each", terraform: "1.7.0", opentofu: "1.7.0",
	}
	featureRemovedDestroyFalse = cliFeature{
		what: "removed blocks with lifecycle { destroy = false }", terraform: "1.7.0", opentofu: "1.10.0",
	}
	featureResourceIdentity = cliFeature{
		what: "resource identity (import blocks with identity)", terraform: "1.12.0", opentofu: "1.12.0",
	}
	featureLifecycleDestroyFalse = cliFeature{
		what: "lifecycle { destroy = false } on a resource", terraform: "1.16.0", opentofu: "1.12.0",
	}
	featureImportInModules = cliFeature{
		what: "import blocks inside modules", terraform: "1.16.0",
	}
	featureListResources = cliFeature{
		what: "list resources and terraform query", terraform: "1.14.0",
	}
	featureActions = cliFeature{
		what: "actions", terraform: "1.14.0",
	}
	featureActionDestroyEvents = cliFeature{
		what: "action triggers on before_destroy and after_destroy", terraform: "1.16.0",
	}
)

// supportedBy reports whether cli has the feature.
func (f cliFeature) supportedBy(cli testCLI) bool {
	least := f.terraform
	if cli.OpenTofu {
		least = f.opentofu
	}
	if least == "" {
		return false
	}
	// Pre-releases of a version count as that version.
	return cli.Version.Core().GreaterThanOrEqual(version.Must(version.NewVersion(least)))
}

// skipReason says why cli cannot run a test that needs f.
func (f cliFeature) skipReason(cli testCLI) string {
	least := f.terraform
	if cli.OpenTofu {
		least = f.opentofu
	}
	if least == "" {
		return fmt.Sprintf("%s: no %s release the suite knows of has it (this is %s)", f.what, cliFamily(cli), cli)
	}
	return fmt.Sprintf("%s: needs %s %s or later, this is %s", f.what, cliFamily(cli), least, cli)
}

func cliFamily(cli testCLI) string {
	if cli.OpenTofu {
		return "OpenTofu"
	}
	return "Terraform"
}

// skipUnlessCLISupports skips t when the CLI of the acceptance tests lacks f.
func skipUnlessCLISupports(t *testing.T, f cliFeature) {
	t.Helper()
	if cli := currentTestCLI(t); !f.supportedBy(cli) {
		t.Skip(f.skipReason(cli))
	}
}

// requireCLIFeature is the TerraformVersionChecks form of
// skipUnlessCLISupports, for resource.TestCase. The testing library gives
// the check the CLI's version; the family comes from currentTestCLI.
func requireCLIFeature(f cliFeature) tfversion.TerraformVersionCheck {
	return cliFeatureCheck{feature: f}
}

type cliFeatureCheck struct{ feature cliFeature }

func (c cliFeatureCheck) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	cli := testCLI{OpenTofu: testCLIIsOpenTofu(), Version: req.TerraformVersion}
	if !c.feature.supportedBy(cli) {
		resp.Skip = c.feature.skipReason(cli)
	}
}

var (
	testCLIOnce sync.Once
	testCLIInfo testCLI
	testCLIErr  error
)

// currentTestCLI is the CLI the acceptance tests drive, asked once.
func currentTestCLI(t *testing.T) testCLI {
	t.Helper()
	tf := terraformBinary(t)
	testCLIOnce.Do(func() {
		stdout, stderr, err := runTerraform(t, tf, os.DevNull, t.TempDir(), "version", "-json")
		if err != nil {
			testCLIErr = fmt.Errorf("%s version -json: %v\n%s", tf, err, stderr)
			return
		}
		// OpenTofu prints the same JSON document, its own version under
		// the same key.
		var v struct {
			Version string `json:"terraform_version"`
		}
		if err := json.Unmarshal(stdout, &v); err != nil {
			testCLIErr = fmt.Errorf("%s version -json printed %q: %v", tf, stdout, err)
			return
		}
		parsed, err := version.NewVersion(v.Version)
		if err != nil {
			testCLIErr = fmt.Errorf("%s version -json: %v", tf, err)
			return
		}
		testCLIInfo = testCLI{OpenTofu: testCLIIsOpenTofu(), Version: parsed}
	})
	if testCLIErr != nil {
		t.Fatal(testCLIErr)
	}
	return testCLIInfo
}

// requiredVersionRE finds a configuration's required_version constraint.
var requiredVersionRE = regexp.MustCompile(`required_version\s*=\s*"([^"]+)"`)

// skipUnlessAcceptance skips a test that drives the CLI itself, outside
// resource.Test, unless TF_ACC is set as for every acceptance test.
func skipUnlessAcceptance(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
}

const exampleRequiredProviders = `terraform {
  required_providers {
    agilicus = {
      source = "agilicus/agilicus"
    }
  }
}
`

// moduleRoot is the directory of go.mod, found upwards from the test's
// working directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's working directory")
		}
		dir = parent
	}
}

// terraformBinary is TF_ACC_TERRAFORM_PATH, as for the acceptance tests,
// or else the terraform on PATH.
func terraformBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("TF_ACC is set but there is no terraform: put it on PATH or set TF_ACC_TERRAFORM_PATH")
	}
	return p
}

// devOverridesConfig builds the provider from the module at root into a
// temporary directory and returns a terraform CLI config that makes
// terraform use that build for agilicus/agilicus without `terraform init`.
func devOverridesConfig(t *testing.T, root string) string {
	t.Helper()
	binDir := t.TempDir()
	build := exec.CommandContext(t.Context(), "go", "build", "-o", filepath.Join(binDir, "terraform-provider-agilicus"), ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	config := filepath.Join(t.TempDir(), "terraform.rc")
	content := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "agilicus/agilicus" = %q
  }
  direct {}
}
`, binDir)
	if err := os.WriteFile(config, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return config
}

// copyExample copies the .tf and .tfquery.hcl files of dir into work, so that terraform
// writes nothing into examples/, leaving out those that cli does not
// accept, and adds the provider's source address when the
// example does not declare required_providers itself.
func copyExample(t *testing.T, dir, work string, cli testCLI) copiedExample {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	declared := false
	var copied copiedExample
	for _, e := range entries {
		if !e.Type().IsRegular() || !isConfigFile(e.Name()) {
			continue
		}
		if f, ok := exampleFileNeeds(e.Name()); ok && !f.supportedBy(cli) {
			continue
		}
		if e.Name() == exampleSourceFile {
			t.Fatalf("%s: the file name %s is reserved by this test", dir, exampleSourceFile)
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		declared = declared || requiredProvidersRE.Match(data)
		if err := os.WriteFile(filepath.Join(work, e.Name()), data, 0o600); err != nil {
			t.Fatal(err)
		}
		copied.files++
		if isQueryFile(e.Name()) {
			copied.queries++
		}
	}
	if !declared {
		if err := os.WriteFile(filepath.Join(work, exampleSourceFile), []byte(exampleRequiredProviders), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return copied
}

// runTerraform runs terraform in dir with the given CLI config, isolated
// from settings in the environment that would change what it does, and
// returns what it printed. The error is non-nil when terraform exited
// non-zero; a terraform that cannot be started fails the test.
func runTerraform(t *testing.T, tf, cliConfig, dir string, args ...string) (stdout, stderr []byte, err error) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), tf, args...)
	cmd.Dir = dir
	cmd.Env = append(terraformEnviron(),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
	)
	var outBuf, errBuf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &outBuf, &errBuf
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running %s: %v", tf, err)
	}
	return outBuf.Bytes(), errBuf.Bytes(), err
}

// mustRunTerraform runs terraform like runTerraform, with -no-color, fails
// the test when it exits non-zero, and returns what it printed.
func mustRunTerraform(t *testing.T, tf, cliConfig, dir string, args ...string) string {
	t.Helper()
	stdout, stderr, err := runTerraform(t, tf, cliConfig, dir, append(args, "-no-color")...)
	if err != nil {
		t.Fatalf("terraform %s: %v\n%s%s", strings.Join(args, " "), err, stdout, stderr)
	}
	return string(stdout)
}

// noChangesSent fails when the mock received any request that changes
// something.
func noChangesSent(t *testing.T, api *testAPI) {
	t.Helper()
	if routes := api.Stats().Routes; routeCount(routes, "PUT ") != 0 || routeCount(routes, "POST ") != 0 || routeCount(routes, "DELETE ") != 0 {
		t.Fatalf("importing sent changes to the API: %v", routes)
	}
}

// terraformEnviron is the process environment without the variables that
// point terraform at other CLI configs, data directories or extra
// arguments.
func terraformEnviron() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "TF_CLI_CONFIG_FILE", name == "TF_DATA_DIR", name == "TF_WORKSPACE",
			strings.HasPrefix(name, "TF_CLI_ARGS"):
			continue
		}
		env = append(env, kv)
	}
	return env
}

// interruptedConfig is n accounts, each with one organisation attached,
// host and token from the environment.
func interruptedConfig(orgIDs []string) string {
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

// applyInterrupted starts terraform apply in its own process group and
// sends the group SIGINT once ready reports true, as Ctrl-C in a terminal
// does; it returns what terraform printed and how it exited.
func applyInterrupted(t *testing.T, tf, cliConfig, dir string, ready func() bool) (string, error) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), tf, "apply", "-auto-approve", "-no-color", "-parallelism=10")
	cmd.Dir = dir
	cmd.Env = append(terraformEnviron(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	var err error
wait:
	for {
		select {
		case err = <-exited:
			break wait
		case <-tick.C:
			if ready() {
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
				err = <-exited
				break wait
			}
		}
	}
	if !strings.Contains(out.String(), "Interrupt received") {
		t.Logf("terraform did not report the interrupt:\n%s", out.String())
	}
	return out.String(), err
}

// stateCounts counts the accounts and attachments in the state of dir.
func stateCounts(t *testing.T, tf, cliConfig, dir string) (accounts, attachments int) {
	t.Helper()
	stdout, stderr, err := runTerraform(t, tf, cliConfig, dir, "state", "list")
	if err != nil {
		t.Fatalf("terraform state list: %v\n%s", err, stderr)
	}
	for line := range strings.Lines(string(stdout)) {
		switch {
		case strings.HasPrefix(line, "agilicus_billing_account."):
			accounts++
		case strings.HasPrefix(line, "agilicus_billing_org_attachment."):
			attachments++
		}
	}
	return accounts, attachments
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

// invalidConfigCase is a configuration that must fail at validate or plan
// time with a clear diagnostic and without a single API request.
type invalidConfigCase struct {
	name string
	// config follows the provider block that points at the mock; with
	// rawProvider it replaces the provider block too (%s is the mock's URL).
	config      string
	rawProvider bool
	wantErr     *regexp.Regexp
}

// runInvalidConfigCases plans each case against a fresh mock and checks
// that the mock saw no request at all.
func runInvalidConfigCases(t *testing.T, cases []invalidConfigCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api := newTestAPI(t)
			config := api.providerConfig(tc.config)
			if tc.rawProvider {
				config = fmt.Sprintf(tc.config, api.URL)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      config,
					PlanOnly:    true,
					ExpectError: tc.wantErr,
				}},
			})
			if st := api.Stats(); st.Total != 0 {
				t.Fatalf("the mock API saw %d requests (%v), want none", st.Total, st.Routes)
			}
		})
	}
}

// testCLIIsOpenTofu reports whether the acceptance tests run on OpenTofu.
func testCLIIsOpenTofu() bool {
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || tf == "" {
		return false
	}
	out, err := exec.Command(tf, "version").Output()
	return err == nil && bytes.HasPrefix(out, []byte("OpenTofu "))
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

// createAccount creates an account through the API and returns its id.
func (a *testAPI) createAccount(t *testing.T, customerID string) string {
	t.Helper()
	acc, err := a.client(t).CreateBillingAccount(t.Context(), client.BillingAccountSpec{CustomerID: customerID})
	if err != nil {
		t.Fatal(err)
	}
	return acc.ID()
}

// protoHarness drives the provider's protocol server as Terraform does,
// without Terraform: schemas, configure, then plan and apply of single
// resources. Terraform's interrupt is what terraform-plugin-go does on
// StopProvider: it cancels the context of every request in flight.
type protoHarness struct {
	srv     tfprotov6.ProviderServer
	schemas map[string]*tfprotov6.Schema
}

// objectValue is a DynamicValue of schema's object type with the given
// attributes set and every other attribute null.
func objectValue(t testing.TB, schema *tfprotov6.Schema, attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	typ, ok := schema.ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("schema type %s is not an object", schema.ValueType())
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// create plans and applies the creation of one resource, the plan with
// ctx's values but not its cancellation (Terraform plans before it
// applies), the apply with ctx.
func (h *protoHarness) create(t *testing.T, ctx context.Context, typeName string, attrs map[string]tftypes.Value) applied {
	schema := h.schemas[typeName]
	typ := schema.ValueType()
	config := objectValue(t, schema, attrs)
	prior, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Error(err)
		return applied{typeName: typeName}
	}
	plan, err := h.srv.PlanResourceChange(context.WithoutCancel(ctx), &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: &prior, ProposedNewState: config, Config: config,
	})
	if err != nil || diagsHaveError(plan.Diagnostics) {
		t.Errorf("plan %s: %v %v", typeName, err, plan.Diagnostics)
		return applied{typeName: typeName}
	}
	resp, err := h.srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, PriorState: &prior, PlannedState: plan.PlannedState, Config: config,
		PlannedPrivate: plan.PlannedPrivate, PlannedIdentity: plan.PlannedIdentity,
	})
	if err != nil {
		t.Errorf("apply %s: %v", typeName, err)
		return applied{typeName: typeName}
	}
	out := applied{typeName: typeName, diags: resp.Diagnostics}
	if resp.NewState != nil {
		v, err := resp.NewState.Unmarshal(typ)
		if err != nil {
			t.Errorf("apply %s: new state: %v", typeName, err)
			return out
		}
		if !v.IsNull() {
			_ = v.As(&out.state)
		}
	}
	return out
}

// accountHasOrg reports whether the account's status.orgs lists the org.
func accountHasOrg(a mockapi.BillingAccount, orgID string) bool {
	return slices.ContainsFunc(a.Status.Orgs, func(o mockapi.Organisation) bool { return o.ID == orgID })
}

// exampleSourceFile is added to a copied example that declares no
// required_providers, the way the root module of a user would map the
// provider's local name to its registry address.
const exampleSourceFile = "examples_test_required_providers.tf"

var requiredProvidersRE = regexp.MustCompile(`(?m)^\s*required_providers\s*\{`)

// isConfigFile reports whether name is a configuration file terraform
// reads: .tf, or .tfquery.hcl for `terraform query`.
func isConfigFile(name string) bool {
	return strings.HasSuffix(name, ".tf") || isQueryFile(name)
}

func isQueryFile(name string) bool { return strings.HasSuffix(name, ".tfquery.hcl") }

// exampleFileNeeds is what the CLI needs to accept the example file name.
func exampleFileNeeds(name string) (cliFeature, bool) {
	if isQueryFile(name) {
		return featureListResources, true
	}
	f, ok := exampleFileFeature[name]
	return f, ok
}

// copiedExample counts what copyExample copied.
type copiedExample struct {
	// files counts the example's own files; queries, its .tfquery.hcl files.
	files, queries int
}

// applied is the outcome of one create.
type applied struct {
	typeName string
	state    map[string]tftypes.Value
	diags    []*tfprotov6.Diagnostic
}

// stateString reads a string attribute of an applied state.
func (a applied) stateString(name string) string {
	var s string
	if v, ok := a.state[name]; ok && v.IsKnown() && !v.IsNull() {
		_ = v.As(&s)
	}
	return s
}

// exampleFileFeature names example files that only newer CLIs accept, with
// what they need: older CLIs validate the example without them.
var exampleFileFeature = map[string]cliFeature{
	"import-by-identity.tf":    featureResourceIdentity,
	"action.tf":                featureActions,
	"action-before-destroy.tf": featureActionDestroyEvents,
}
