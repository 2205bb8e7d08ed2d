package provider

import (
	"strings"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// FuzzParseAttachmentID checks that an accepted import id always splits
// into two valid API ids that rebuild the same id, and that no input
// panics.
func FuzzParseAttachmentID(f *testing.F) {
	for _, seed := range []string{"acc/org", "a/b/c", "/org", "acc/", "", "acc//org", "a%2Fb/c", "../x", "a b/c", "é/ü"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		accountID, orgID, err := parseAttachmentID(id)
		if err != nil {
			if accountID != "" || orgID != "" {
				t.Fatalf("rejected %q but returned parts %q, %q", id, accountID, orgID)
			}
			return
		}
		if client.ValidateID(accountID) != nil || client.ValidateID(orgID) != nil {
			t.Fatalf("accepted %q with an invalid part: %q, %q", id, accountID, orgID)
		}
		if strings.Contains(accountID, "/") || attachmentID(accountID, orgID) != id {
			t.Fatalf("%q does not round-trip: %q + %q", id, accountID, orgID)
		}
	})
}
