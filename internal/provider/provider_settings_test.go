package provider

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

func TestResolveSettings(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	nullCfg := AgilicusProviderModel{
		Host: types.StringNull(), AccessToken: types.StringNull(),
		AuthenticationDocument: types.StringNull(), Scopes: types.ListNull(types.StringType),
		APIKey: types.StringNull(), APIKeyUser: types.StringNull(),
		MaxRetries: types.Int64Null(), RequestTimeout: types.StringNull(),
	}
	withCfg := func(f func(*AgilicusProviderModel)) AgilicusProviderModel {
		c := nullCfg
		f(&c)
		return c
	}
	tests := []struct {
		name    string
		cfg     AgilicusProviderModel
		getenv  func(string) string
		want    providerSettings
		wantErr string
	}{
		{
			name:   "defaults with a token from the environment",
			cfg:    nullCfg,
			getenv: env(EnvAccessToken, "tok"),
			want:   providerSettings{host: "https://api.agilicus.com", token: "tok", maxRetries: 10, requestTimeout: 60 * time.Second},
		},
		{
			name: "the block wins over the environment",
			cfg: withCfg(func(c *AgilicusProviderModel) {
				c.Host = types.StringValue("https://example.test")
				c.AccessToken = types.StringValue("block")
				c.MaxRetries = types.Int64Value(0)
				c.RequestTimeout = types.StringValue("5s")
			}),
			getenv: env(EnvHost, "https://env.test", EnvAccessToken, "env", EnvMaxRetries, "7", EnvRequestTimeout, "9s"),
			want:   providerSettings{host: "https://example.test", token: "block", maxRetries: 0, requestTimeout: 5 * time.Second},
		},
		{
			name:   "all from the environment",
			cfg:    nullCfg,
			getenv: env(EnvHost, "http://127.0.0.1:8080", EnvAccessToken, "env", EnvMaxRetries, "3", EnvRequestTimeout, "2m"),
			want:   providerSettings{host: "http://127.0.0.1:8080", token: "env", maxRetries: 3, requestTimeout: 2 * time.Minute},
		},
		{name: "missing token", cfg: nullCfg, getenv: env(), wantErr: "Missing Agilicus access token"},
		{
			name:    "two ways in the environment",
			cfg:     nullCfg,
			getenv:  env(EnvAccessToken, "tok", EnvAPIKey, "key", EnvAPIKeyUser, "me@example.com"),
			wantErr: "Both " + EnvAccessToken + " and " + EnvAPIKey + " are set",
		},
		{
			name: "the block's way wins over the environment's",
			cfg: withCfg(func(c *AgilicusProviderModel) {
				c.APIKey = types.StringValue("key")
				c.APIKeyUser = types.StringValue("me@example.com")
			}),
			getenv: env(EnvAccessToken, "tok"),
			want: providerSettings{host: "https://api.agilicus.com", apiKey: client.APIKey{Key: "key", User: "me@example.com"},
				maxRetries: 10, requestTimeout: 60 * time.Second},
		},
		{name: "API key without its user", cfg: nullCfg, getenv: env(EnvAPIKey, "key"), wantErr: "Missing Agilicus API key user"},
		{name: "document that is not JSON", cfg: nullCfg, getenv: env(EnvAuthenticationDocument, "{not json"), wantErr: "authentication document is not JSON"},
		{name: "token from a file with its line break", cfg: nullCfg, getenv: env(EnvAccessToken, "tok\n"), wantErr: "access token from " + EnvAccessToken + " contains a line break"},
		{
			name:    "token in the block with a line break",
			cfg:     withCfg(func(c *AgilicusProviderModel) { c.AccessToken = types.StringValue("tok\r\n") }),
			getenv:  env(),
			wantErr: "trimspace(file(",
		},
		{name: "blank token", cfg: nullCfg, getenv: env(EnvAccessToken, "  "), wantErr: "Missing Agilicus access token"},
		{name: "plain http to a remote host", cfg: nullCfg, getenv: env(EnvAccessToken, "t", EnvHost, "http://api.agilicus.com"), wantErr: "plain http is only allowed for loopback"},
		{name: "relative host", cfg: nullCfg, getenv: env(EnvAccessToken, "t", EnvHost, "api.agilicus.com"), wantErr: "must be an absolute URL"},
		{name: "bad retries in env", cfg: nullCfg, getenv: env(EnvAccessToken, "t", EnvMaxRetries, "many"), wantErr: "Invalid " + EnvMaxRetries},
		{name: "too many retries in env", cfg: nullCfg, getenv: env(EnvAccessToken, "t", EnvMaxRetries, "51"), wantErr: "Invalid " + EnvMaxRetries},
		{name: "bad timeout in env", cfg: nullCfg, getenv: env(EnvAccessToken, "t", EnvRequestTimeout, "-1s"), wantErr: "Invalid " + EnvRequestTimeout},
		{
			name:    "unknown host",
			cfg:     withCfg(func(c *AgilicusProviderModel) { c.Host = types.StringUnknown() }),
			getenv:  env(EnvAccessToken, "t"),
			wantErr: "Unknown Agilicus provider setting",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := resolveSettings(tt.cfg, tt.getenv)
			if tt.wantErr != "" {
				if !diags.HasError() {
					t.Fatalf("want an error containing %q, got none", tt.wantErr)
				}
				var all []string
				for _, d := range diags.Errors() {
					all = append(all, d.Summary()+": "+d.Detail())
				}
				if joined := strings.Join(all, "\n"); !strings.Contains(joined, tt.wantErr) {
					t.Fatalf("errors %q do not mention %q", joined, tt.wantErr)
				}
				return
			}
			if diags.HasError() {
				t.Fatalf("unexpected errors: %v", diags)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// An account made with a service account's document, refreshed with an API
// key, and a key that is refused with an error that names the key's user.
func TestAccProvider_authenticationDocumentAndAPIKey(t *testing.T) {
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

// A document revoked (deleted on the API) fails at the first request with
// the issuer's answer.
func TestAccProvider_revokedAuthenticationDocument(t *testing.T) {
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
func TestAccProvider_staticTokenExpiresMidApply(t *testing.T) {
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
func TestAccProvider_invalidAuthenticationSettings(t *testing.T) {
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
func TestAccProvider_longApplyOutlivesItsTokens(t *testing.T) {
	skipUnlessAcceptance(t)
	const n, lifetime = 50, 5 * time.Second
	api, document := newIssuingAPI(t, lifetime)
	// As a CI job would: the document in an environment variable.
	t.Setenv(EnvHost, api.URL)
	t.Setenv(EnvAuthenticationDocument, document)
	d := newFleetDir(t, api, n, "Long")
	api.SetFaults(mockapi.Faults{Latency: 1200 * time.Millisecond})
	api.ResetStats()
	before := api.TokenExchanges()
	start := time.Now()
	printed := d.apply(tfexec.Parallelism(10))
	elapsed := time.Since(start)
	exchanges := api.TokenExchanges() - before
	accounts, attachments := d.stateCounts()
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
	if strings.Contains(printed, "BEGIN EC PRIVATE KEY") {
		t.Fatal("terraform printed the document's key")
	}
}

func TestAccProvider_invalidProviderAndAccountConfig(t *testing.T) {
	runInvalidConfigCases(t, []invalidConfigCase{
		{
			name:    "empty customer_id",
			config:  `resource "agilicus_billing_account" "x" { customer_id = "" }`,
			wantErr: errorText(`customer_id must not be empty; leave it out instead.`),
		},
		{
			name:    "blank customer_id",
			config:  `resource "agilicus_billing_account" "x" { customer_id = "   " }`,
			wantErr: errorText(`customer_id must not be empty`),
		},
		{
			name:        "missing token",
			rawProvider: true,
			config: `
provider "agilicus" {
  host = %q
}
resource "agilicus_billing_account" "x" {}`,
			wantErr: errorText(`Missing Agilicus access token`),
		},
		{
			name:        "empty token",
			rawProvider: true,
			config: `
provider "agilicus" {
  host         = %q
  access_token = ""
}
resource "agilicus_billing_account" "x" {}`,
			wantErr: errorText(`access_token must not be empty`),
		},
		{
			// As file("token.txt") gives it: reported against access_token,
			// with the way out.
			name:        "token with a line break",
			rawProvider: true,
			config: `
provider "agilicus" {
  host         = %q
  access_token = "t0ken\n"
}
resource "agilicus_billing_account" "x" {}`,
			wantErr: regexp.MustCompile(`(?s)Invalid Agilicus access token.*access_token = .*trimspace\(file\("token.txt"\)\)`),
		},
		{
			name:        "host without scheme",
			rawProvider: true,
			config: `
provider "agilicus" {
  host         = "api.agilicus.com"
  access_token = "t"
}
resource "agilicus_billing_account" "x" {}
# %s`,
			wantErr: errorText(`must be an absolute URL starting with https://`),
		},
		{
			name:        "plain http to a remote host",
			rawProvider: true,
			config: `
provider "agilicus" {
  host         = "http://api.agilicus.com"
  access_token = "t"
}
resource "agilicus_billing_account" "x" {}
# %s`,
			wantErr: errorText(`plain http is only allowed for loopback addresses`),
		},
		{
			name:    "accounts list limit 0",
			config:  `data "agilicus_billing_accounts" "x" { limit = 0 }`,
			wantErr: regexp.MustCompile(`Attribute limit value must be at least 1, got: 0`),
		},
		{
			name:    "account data source id with a slash",
			config:  `data "agilicus_billing_account" "x" { id = "a/b" }`,
			wantErr: errorText(`id "a/b" must not contain '/'.`),
		},
	})
}

func TestAccProvider_invalidSettings(t *testing.T) {
	provider := func(settings string) string {
		return `
provider "agilicus" {
  access_token = "t"
` + settings + `
}
resource "agilicus_billing_account" "x" {}
# %s`
	}
	cases := []invalidConfigCase{
		{name: "ftp scheme", config: provider(`host = "ftp://api.agilicus.com"`), wantErr: errorText(`must be an absolute URL starting with https://`)},
		{name: "empty host", config: provider(`host = ""`), wantErr: errorText(`must be an absolute URL starting with https://`)},
		{name: "host with credentials", config: provider(`host = "https://user:pw@api.agilicus.com"`), wantErr: errorText(`must not contain credentials`)},
		{name: "host with query", config: provider(`host = "https://api.agilicus.com?x=1"`), wantErr: errorText(`must not have a query or fragment`)},
		{name: "host without name", config: provider(`host = "https://"`), wantErr: errorText(`no host name`)},
		{name: "plain http to a private address", config: provider(`host = "http://10.0.0.1:8080"`), wantErr: errorText(`plain http is only allowed for loopback addresses`)},
		{name: "negative max_retries", config: provider(`max_retries = -1`), wantErr: regexp.MustCompile(`max_retries value must be between 0 and 50, got: -1`)},
		{name: "too many max_retries", config: provider(`max_retries = 51`), wantErr: regexp.MustCompile(`max_retries value must be between 0 and 50, got: 51`)},
		{name: "request_timeout not a duration", config: provider(`request_timeout = "soon"`), wantErr: errorText(`"soon" is not a duration`)},
		{name: "request_timeout zero", config: provider(`request_timeout = "0s"`), wantErr: errorText(`"0s" must be longer than zero`)},
		{name: "request_timeout negative", config: provider(`request_timeout = "-5s"`), wantErr: errorText(`"-5s" must be longer than zero`)},
		{name: "request_timeout too long", config: provider(`request_timeout = "11m"`), wantErr: errorText(`"11m" must be at most 10m0s`)},
	}
	for i := range cases {
		cases[i].rawProvider = true
	}
	runInvalidConfigCases(t, cases)
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
