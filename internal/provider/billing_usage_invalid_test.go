package provider

import (
	"fmt"
	"regexp"
	"testing"
)

func usageRecordsLimitConfig(limit int) string {
	return fmt.Sprintf(`
data "agilicus_billing_usage_records" "x" {
  billing_account_id = "acc"
  limit              = %d
}`, limit)
}

func TestAccInvalidConfig_billingUsage(t *testing.T) {
	cases := []invalidConfigCase{
		{
			name:    "usage records limit 0",
			config:  usageRecordsLimitConfig(0),
			wantErr: regexp.MustCompile(`Attribute limit value must be between 1 and 500, got: 0`),
		},
		{
			name:    "usage records limit -1",
			config:  usageRecordsLimitConfig(-1),
			wantErr: regexp.MustCompile(`Attribute limit value must be between 1 and 500, got: -1`),
		},
		{
			name:    "usage records limit 501",
			config:  usageRecordsLimitConfig(501),
			wantErr: regexp.MustCompile(`Attribute limit value must be between 1 and 500, got: 501`),
		},
		{
			name:    "usage record without account",
			config:  `resource "agilicus_billing_usage_record" "x" {}`,
			wantErr: errorText(`The argument "billing_account_id" is required`),
		},
		{
			name: "usage record triggers of the wrong type",
			config: `
resource "agilicus_billing_usage_record" "x" {
  billing_account_id = "acc"
  triggers           = ["a"]
}`,
			wantErr: errorText(`Inappropriate value for attribute "triggers"`),
		},
	}
	// Each bad id, in HCL, with the end of the message it must produce.
	badIDs := []struct{ name, hcl, msg string }{
		{"empty", `""`, `billing_account_id "" must not be empty.`},
		{"slash", `"/"`, `billing_account_id "/" must not contain '/'.`},
		{"dot dot", `".."`, `billing_account_id ".." must not be "..".`},
		{"percent", `"%"`, `billing_account_id "%" must not contain '%'.`},
		{"space", `" "`, `billing_account_id " " must not contain white space.`},
		{"control char", `"a\u0001b"`, `billing_account_id "a\x01b" must not contain control or non-printable characters.`},
	}
	kinds := []struct{ name, block string }{
		{"usage records", `data "agilicus_billing_usage_records" "x"`},
		{"usage record preview", `data "agilicus_billing_usage_record_preview" "x"`},
		{"usage record", `resource "agilicus_billing_usage_record" "x"`},
	}
	for _, k := range kinds {
		for _, id := range badIDs {
			cases = append(cases, invalidConfigCase{
				name:    fmt.Sprintf("%s id %s", k.name, id.name),
				config:  fmt.Sprintf("%s {\n  billing_account_id = %s\n}", k.block, id.hcl),
				wantErr: errorText(id.msg),
			})
		}
	}
	runInvalidConfigCases(t, cases)
}
