package provider

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

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

// documentProviderConfig is a provider block that authenticates with the
// document (given through base64decode, as any JSON string would do).
func documentProviderConfig(api *testAPI, document, rest string) string {
	return fmt.Sprintf(`
provider "agilicus" {
  host                    = %q
  authentication_document = base64decode(%q)
  max_retries             = 2
}
%s`, api.URL, base64.StdEncoding.EncodeToString([]byte(document)), rest)
}

// An account made with a service account's document, refreshed with an API
// key, and a key that is refused with an error that names the key's user.
func TestAccAuthentication_documentAndAPIKey(t *testing.T) {
	api, document := newIssuingAPI(t, time.Hour)
	key := api.CreateAPIKey("billing-bot@example.com")
	account := `
resource "agilicus_billing_account" "test" {
  customer_id = "cus_document"
}
`
	apiKeyConfig := func(user, key string) string {
		return fmt.Sprintf(`
provider "agilicus" {
  host         = %q
  api_key      = %q
  api_key_user = %q
  max_retries  = 2
}
%s`, api.URL, key, user, account)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            documentProviderConfig(api, document, account),
				ConfigStateChecks: []statecheck.StateCheck{mockAccountMatches(api, "cus_document", false), exchanged(api)},
			},
			{
				Config: apiKeyConfig("billing-bot@example.com", key),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config:      apiKeyConfig("billing-bot@example.com", "not-the-key"),
				ExpectError: errorText(`the API key of "billing-bot@example.com" was refused`),
			},
			// The right key again, for the destroy at the end.
			{Config: apiKeyConfig("billing-bot@example.com", key)},
		},
		CheckDestroy: checkMockAccountCount(api, 0),
	})
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

// A document revoked (deleted on the API) fails at the first request with
// the issuer's answer.
func TestAccAuthentication_revokedDocument(t *testing.T) {
	api, document := newIssuingAPI(t, time.Hour)
	var doc struct {
		Metadata struct{ ID string } `json:"metadata"`
	}
	if err := json.Unmarshal([]byte(document), &doc); err != nil {
		t.Fatal(err)
	}
	api.RevokeAuthenticationDocument(doc.Metadata.ID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      documentProviderConfig(api, document, `data "agilicus_billing_accounts" "all" {}`),
			ExpectError: regexp.MustCompile(`(?s)refused authentication document.*does not exist or was revoked`),
		}},
	})
}

// A static token that expires during an apply: the error says when it
// expired and what to use for long runs.
func TestAccAuthentication_staticTokenExpiresMidApply(t *testing.T) {
	api, document := newIssuingAPI(t, 2*time.Second)
	var doc struct {
		Metadata struct{ ID string } `json:"metadata"`
	}
	if err := json.Unmarshal([]byte(document), &doc); err != nil {
		t.Fatal(err)
	}
	token, err := api.IssueAccessToken(doc.Metadata.ID)
	if err != nil {
		t.Fatal(err)
	}
	api.SetFaults(mockapi.Faults{Latency: 700 * time.Millisecond})
	accounts := `
resource "agilicus_billing_account" "many" {
  count       = 12
  customer_id = "cus_expiring_${count.index}"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
provider "agilicus" {
  host         = %q
  access_token = %q
}
%s`, api.URL, token, accounts),
				ExpectError: regexp.MustCompile(`(?s)the\s+access\s+token\s+expired\s+at\s+\d{4}-\d\d-\d\dT[\d:]+Z;\s+for\s+runs\s+longer\s+than\s+a\s+token\s+lives,\s+configure\s+authentication_document`),
			},
			// A token that does not expire finishes the work, and the destroy.
			{Config: api.providerConfig(accounts)},
		},
	})
}

// Credentials that are wrong in the configuration fail at validate or plan
// time, naming the setting or the document's field, before any request.
func TestAccAuthentication_invalidConfig(t *testing.T) {
	docWith := func(change func(map[string]map[string]string)) string {
		_, valid := newIssuingAPI(t, time.Hour)
		var doc map[string]map[string]string
		if err := json.Unmarshal([]byte(valid), &doc); err != nil {
			t.Fatal(err)
		}
		change(doc)
		out, _ := json.Marshal(doc)
		return base64.StdEncoding.EncodeToString(out)
	}
	provider := func(settings string) string {
		return `
provider "agilicus" {
  host = %q
` + settings + `
}
resource "agilicus_billing_account" "x" {}`
	}
	documentSetting := func(b64 string) string {
		return fmt.Sprintf(`authentication_document = base64decode(%q)`, b64)
	}
	cases := []invalidConfigCase{
		{name: "token and document", config: provider(`access_token = "t"
  authentication_document = "{}"`), wantErr: regexp.MustCompile(`(?s)These attributes cannot be configured together:.*access_token.*authentication_document`)},
		{name: "api key without user", config: provider(`api_key = "k"`), wantErr: regexp.MustCompile(`(?s)These attributes must be configured together:.*api_key.*api_key_user`)},
		{name: "document not JSON", config: provider(`authentication_document = "nope"`), wantErr: errorText(`authentication document is not JSON`)},
		{name: "document without key", config: provider(documentSetting(docWith(func(d map[string]map[string]string) { delete(d["status"], "key") }))),
			wantErr: errorText(`status.key is missing`)},
		{name: "document without issuer", config: provider(documentSetting(docWith(func(d map[string]map[string]string) { delete(d["spec"], "auth_issuer_url") }))),
			wantErr: errorText(`spec.auth_issuer_url is missing`)},
		{name: "document with a key that is not EC", config: provider(documentSetting(docWith(func(d map[string]map[string]string) {
			d["status"]["key"] = "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n"
		}))), wantErr: errorText(`status.key is not an EC private key`)},
		{name: "document with a plain http issuer", config: provider(documentSetting(docWith(func(d map[string]map[string]string) {
			d["spec"]["auth_issuer_url"] = "http://auth.example.com"
		}))), wantErr: errorText(`plain http is only allowed for loopback addresses`)},
	}
	for i := range cases {
		cases[i].rawProvider = true
	}
	runInvalidConfigCases(t, cases)
}

// An apply that outlives several access tokens: 50 accounts and 50
// attachments against an API answering in 1.2 s, with 5-second tokens. The
// provider gets each new token before the last expires, once for all the
// requests in flight, so nothing is refused, lost or doubled.
func TestAccAuthentication_longApplyOutlivesItsTokens(t *testing.T) {
	skipUnlessAcceptance(t)
	const n, lifetime = 50, 5 * time.Second
	api, document := newIssuingAPI(t, lifetime)
	var orgIDs []string
	for i := range n {
		orgIDs = append(orgIDs, api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Long %02d", i)}).ID)
	}
	api.SetFaults(mockapi.Faults{Latency: 1200 * time.Millisecond})
	// As a CI job would: the document in an environment variable.
	t.Setenv(EnvHost, api.URL)
	t.Setenv(EnvAuthenticationDocument, document)
	work := t.TempDir()
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(interruptedConfig(orgIDs)), 0o600); err != nil {
		t.Fatal(err)
	}
	tf := terraformBinary(t)
	cliConfig := devOverridesConfig(t, moduleRoot(t))
	api.ResetStats()
	before := api.TokenExchanges()
	start := time.Now()
	stdout, stderr, err := runTerraform(t, tf, cliConfig, work, "apply", "-auto-approve", "-no-color", "-parallelism=10")
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("the long apply failed: %v\n%s%s", err, stdout, stderr)
	}
	exchanges := api.TokenExchanges() - before
	accounts, attachments := stateCounts(t, tf, cliConfig, work)
	st := api.Stats()
	t.Logf("apply: %s with %s tokens, %d exchanges, %d API requests, %d refused; %d accounts and %d attachments on the API, %d and %d in the state",
		elapsed.Round(time.Millisecond), lifetime, exchanges, st.Total, st.Unauthorized, len(api.Accounts()), attachedOrgs(api), accounts, attachments)
	if len(api.Accounts()) != n || attachedOrgs(api) != n || accounts != n || attachments != n {
		t.Fatalf("want %d accounts and attachments on the API and in the state", n)
	}
	if st.Unauthorized != 0 {
		t.Fatalf("%d requests were refused: a token was used past its expiry", st.Unauthorized)
	}
	// One exchange per token lifetime (less its refresh margin), and the
	// first: a few more than elapsed/lifetime at most, never one per request.
	most := int(elapsed/(lifetime*3/4)) + 2
	if least := int(elapsed / lifetime); exchanges < least || exchanges > most {
		t.Fatalf("%d exchanges in %s of 5-second tokens, want %d to %d", exchanges, elapsed, least, most)
	}
	if strings.Contains(string(stdout)+string(stderr), "BEGIN EC PRIVATE KEY") {
		t.Fatal("terraform printed the document's key")
	}
}
