package provider

import (
	"regexp"
	"testing"
)

func TestAccBillingOrgAttachment_invalidConfig(t *testing.T) {
	attachment := func(accountID, orgID string) string {
		return `
resource "agilicus_billing_org_attachment" "x" {
  billing_account_id = "` + accountID + `"
  org_id             = "` + orgID + `"
}`
	}
	runInvalidConfigCases(t, []invalidConfigCase{
		{
			name:    "empty billing_account_id",
			config:  attachment("", "org1"),
			wantErr: errorText(`billing_account_id "" must not be empty.`),
		},
		{
			name:    "empty org_id",
			config:  attachment("acc1", ""),
			wantErr: errorText(`org_id "" must not be empty.`),
		},
		{
			name:    "org_id with a slash",
			config:  attachment("acc1", "a/b"),
			wantErr: errorText(`org_id "a/b" must not contain '/'.`),
		},
		{
			name:    "org_id dot dot",
			config:  attachment("acc1", ".."),
			wantErr: errorText(`org_id ".." must not be "..".`),
		},
		{
			name:    "org_id with a percent sign",
			config:  attachment("acc1", "a%2Fb"),
			wantErr: errorText(`org_id "a%2Fb" must not contain '%'.`),
		},
		{
			name:    "org_id with a space",
			config:  attachment("acc1", "a b"),
			wantErr: errorText(`org_id "a b" must not contain white space.`),
		},
		{
			name:    "billing_account_id with a question mark",
			config:  attachment("acc?x=1", "org1"),
			wantErr: errorText(`billing_account_id "acc?x=1" must not contain '?'.`),
		},
		{
			name: "missing org_id",
			config: `
resource "agilicus_billing_org_attachment" "x" {
  billing_account_id = "acc1"
}`,
			wantErr: regexp.MustCompile(`The argument "org_id" is required`),
		},
		{
			name: "bad timeout",
			config: `
resource "agilicus_billing_org_attachment" "x" {
  billing_account_id = "acc1"
  org_id             = "org1"
  timeouts {
    create = "soon"
  }
}`,
			wantErr: errorText(`"soon" must be a string containing a sequence of decimal numbers`),
		},
		{
			name: "orgs list limit 0",
			config: `
data "agilicus_billing_account_orgs" "x" {
  billing_account_id = "acc1"
  limit              = 0
}`,
			wantErr: regexp.MustCompile(`Attribute limit value must be between 1 and 500, got: 0`),
		},
		{
			name: "orgs list limit 501",
			config: `
data "agilicus_billing_account_orgs" "x" {
  billing_account_id = "acc1"
  limit              = 501
}`,
			wantErr: regexp.MustCompile(`Attribute limit value must be between 1 and 500, got: 501`),
		},
		{
			name:    "orgs list empty billing_account_id",
			config:  `data "agilicus_billing_account_orgs" "x" { billing_account_id = "" }`,
			wantErr: errorText(`billing_account_id "" must not be empty.`),
		},
		{
			name:    "orgs list billing_account_id with a slash",
			config:  `data "agilicus_billing_account_orgs" "x" { billing_account_id = "a/../b" }`,
			wantErr: errorText(`billing_account_id "a/../b" must not contain '/'.`),
		},
	})
}
