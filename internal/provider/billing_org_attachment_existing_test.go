package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// An attach of an organisation that is already on this very account (as
// after an attach whose answer was lost, or an interrupted apply) is the
// same attachment: it goes into the state without an error, whether the
// API answers such an attach with success or, as this mock is made to
// here, with 409 Conflict.
func TestAccBillingOrgAttachment_alreadyOnThisAccount(t *testing.T) {
	var api *testAPI
	conflictIfAttached := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			accountID, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/v1/billing_accounts/"), "/orgs")
			if r.Method == http.MethodPost && ok && !strings.Contains(accountID, "/") {
				var body struct {
					OrgID string `json:"org_id"`
				}
				raw, _ := io.ReadAll(r.Body)
				_ = json.Unmarshal(raw, &body)
				if o, found := api.Org(body.OrgID); found && o.BillingAccountID == accountID {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusConflict)
					_, _ = fmt.Fprintf(w, `{"error_code":"ORG_ALREADY_ATTACHED","error_message":"org %s is already attached"}`, body.OrgID)
					return
				}
				r.Body = io.NopCloser(bytes.NewReader(raw))
			}
			next.ServeHTTP(w, r)
		})
	}
	api = newWrappedTestAPI(t, testMockOptions(t), conflictIfAttached)
	accountID := api.createAccount(t, "cus_already")
	org := api.CreateOrg(mockapi.Organisation{Organisation: "Already There", Subdomain: "already"})
	if err := api.AttachOrg(accountID, org.ID); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: api.providerConfig(fmt.Sprintf(`
resource "agilicus_billing_org_attachment" "test" {
  billing_account_id = %q
  org_id             = %q
}
`, accountID, org.ID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(attachmentAddr, tfjsonpath.New("id"), knownvalue.StringExact(accountID+"/"+org.ID)),
				statecheck.ExpectKnownValue(attachmentAddr, tfjsonpath.New("organisation"), knownvalue.StringExact("Already There")),
				mockOrgOnlyOn(api, org.ID, &accountID),
			},
		}},
		CheckDestroy: checkMockOrgDetached(api, org.ID),
	})
}
