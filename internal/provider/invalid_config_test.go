package provider

import (
	"fmt"
	"regexp"
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
			resource.Test(t, resource.TestCase{
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
			wantErr: regexp.MustCompile(`Attribute limit value must be between 1 and 500, got: 0`),
		},
		{
			name:    "accounts list limit 501",
			config:  `data "agilicus_billing_accounts" "x" { limit = 501 }`,
			wantErr: regexp.MustCompile(`Attribute limit value must be between 1 and 500, got: 501`),
		},
		{
			name:    "account data source id with a slash",
			config:  `data "agilicus_billing_account" "x" { id = "a/b" }`,
			wantErr: errorText(`id "a/b" must not contain '/'.`),
		},
	})
}
