package provider

import (
	"strings"
	"testing"
)

func TestParseAttachmentID(t *testing.T) {
	for _, tc := range []struct {
		id               string
		account, org     string
		wantErrSubstring string
	}{
		{id: "acc1/org1", account: "acc1", org: "org1"},
		{id: "aB29sdkD3jlaAbl7/1234", account: "aB29sdkD3jlaAbl7", org: "1234"},
		{id: "a.b/c-d_e", account: "a.b", org: "c-d_e"},
		{id: "", wantErrSubstring: `it has no "/"`},
		{id: "acc1", wantErrSubstring: `it has no "/"`},
		{id: "/", wantErrSubstring: `billing_account_id "" must not be empty`},
		{id: "acc1/", wantErrSubstring: `org_id "" must not be empty`},
		{id: "/org1", wantErrSubstring: `billing_account_id "" must not be empty`},
		{id: "a/b/c", wantErrSubstring: `it has 2 "/" characters, want exactly one`},
		{id: "a//b", wantErrSubstring: `it has 2 "/" characters, want exactly one`},
		{id: "//", wantErrSubstring: `it has 2 "/" characters, want exactly one`},
		{id: "../org1", wantErrSubstring: `billing_account_id ".." must not be ".."`},
		{id: "acc1/.", wantErrSubstring: `org_id "." must not be "."`},
		{id: "acc1/org 1", wantErrSubstring: `org_id "org 1" must not contain white space`},
		{id: "acc1/org1\n", wantErrSubstring: `org_id "org1\n" must not contain white space`},
		{id: "acc1/o%2F", wantErrSubstring: `org_id "o%2F" must not contain '%'`},
		{id: "acc1/o?x", wantErrSubstring: `org_id "o?x" must not contain '?'`},
		{id: "acc1/o#x", wantErrSubstring: `org_id "o#x" must not contain '#'`},
		{id: `a\b/org1`, wantErrSubstring: `billing_account_id "a\\b" must not contain '\\'`},
		{id: "acc1/o\x00", wantErrSubstring: `must not contain control or non-printable characters`},
		{id: "acc1/" + strings.Repeat("x", 257), wantErrSubstring: `must be at most 256 characters long`},
	} {
		account, org, err := parseAttachmentID(tc.id)
		if tc.wantErrSubstring != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErrSubstring) {
				t.Errorf("parseAttachmentID(%q) error = %v, want one containing %q", tc.id, err, tc.wantErrSubstring)
			}
			if account != "" || org != "" {
				t.Errorf("parseAttachmentID(%q) returned %q, %q with an error", tc.id, account, org)
			}
			continue
		}
		if err != nil || account != tc.account || org != tc.org {
			t.Errorf("parseAttachmentID(%q) = %q, %q, %v; want %q, %q, nil", tc.id, account, org, err, tc.account, tc.org)
			continue
		}
		if back := attachmentID(account, org); back != tc.id {
			t.Errorf("attachmentID(parseAttachmentID(%q)) = %q", tc.id, back)
		}
	}
}
