package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

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

func TestAccInvalidConfig_providerAndAccounts(t *testing.T) {
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

func TestAccInvalidConfig_providerSettings(t *testing.T) {
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

func TestAccInvalidConfig_accountIDs(t *testing.T) {
	ds := func(id string) string { return `data "agilicus_billing_account" "x" { id = ` + id + ` }` }
	runInvalidConfigCases(t, []invalidConfigCase{
		{name: "empty id", config: ds(`""`), wantErr: errorText(`must not be empty`)},
		{name: "dot-dot id", config: ds(`".."`), wantErr: errorText(`must not be ".."`)},
		{name: "percent in id", config: ds(`"a%2Fb"`), wantErr: errorText(`must not contain '%'`)},
		{name: "space in id", config: ds(`"a b"`), wantErr: errorText(`must not contain white space`)},
		{name: "control character in id", config: ds(`"a\u0007b"`), wantErr: errorText(`must not contain control or non-printable characters`)},
		{name: "query in id", config: ds(`"a?b=1"`), wantErr: errorText(`must not contain '?'`)},
		{name: "org_id with a slash", config: `data "agilicus_billing_account" "x" {
  id     = "acc"
  org_id = "../orgs"
}`, wantErr: errorText(`must not contain '/'`)},
		{name: "accounts filter customer_id empty", config: `data "agilicus_billing_accounts" "x" { customer_id = "" }`, wantErr: errorText(`customer_id must not be empty`)},
		{name: "accounts filter org_id with space", config: `data "agilicus_billing_accounts" "x" { org_id = "a b" }`, wantErr: errorText(`must not contain white space`)},
		{name: "accounts list limit -1", config: `data "agilicus_billing_accounts" "x" { limit = -1 }`, wantErr: regexp.MustCompile(`limit value must be at least 1, got: -1`)},
		{name: "customer_id too long", config: `resource "agilicus_billing_account" "x" { customer_id = "` + strings.Repeat("c", 257) + `" }`, wantErr: regexp.MustCompile(`string length must be at most 256`)},
		{name: "create timeout not a duration", config: `resource "agilicus_billing_account" "x" {
  timeouts {
    create = "forever"
  }
}`, wantErr: errorText(`"forever" must be a string containing a sequence of decimal numbers`)},
	})
}
