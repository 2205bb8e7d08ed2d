package provider

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// faultFleetConfig is n accounts, each with one organisation attached.
func faultFleetConfig(api *testAPI, orgIDs []string) string {
	quoted := make([]string, len(orgIDs))
	for i, id := range orgIDs {
		quoted[i] = fmt.Sprintf("%q", id)
	}
	return api.providerConfigWithRetries(10, fmt.Sprintf(`
locals {
  org_ids = [%s]
}

resource "agilicus_billing_account" "fleet" {
  count       = length(local.org_ids)
  customer_id = "cus_fleet_${count.index}"
}

resource "agilicus_billing_org_attachment" "fleet" {
  count              = length(local.org_ids)
  billing_account_id = agilicus_billing_account.fleet[count.index].id
  org_id             = local.org_ids[count.index]
}
`, strings.Join(quoted, ", ")))
}

// stateMatchesMock checks that the state and the API agree exactly: every
// account in state exists with its customer id, no account exists that the
// state does not know (no duplicate, no orphan), and every attachment in
// state is an attachment in the API.
func stateMatchesMock(api *testAPI, n int) apiCheck {
	return func(state *tfjson.State) error {
		stateAccounts := map[string]string{}
		var stateAttachments []string
		for _, r := range state.Values.RootModule.Resources {
			switch r.Type {
			case "agilicus_billing_account":
				id, _ := r.AttributeValues["id"].(string)
				cid, _ := r.AttributeValues["customer_id"].(string)
				stateAccounts[id] = cid
			case "agilicus_billing_org_attachment":
				id, _ := r.AttributeValues["id"].(string)
				stateAttachments = append(stateAttachments, id)
			}
		}
		var apiAttachments []string
		accounts := api.Accounts()
		for _, a := range accounts {
			cid := ""
			if a.Spec.CustomerID != nil {
				cid = *a.Spec.CustomerID
			}
			if stateAccounts[a.Metadata.ID] != cid {
				return fmt.Errorf("API account %s (customer %q) is not in state as such", a.Metadata.ID, cid)
			}
			for _, o := range a.Status.Orgs {
				apiAttachments = append(apiAttachments, a.Metadata.ID+"/"+o.ID)
			}
		}
		if len(accounts) != n || len(stateAccounts) != n {
			return fmt.Errorf("API holds %d accounts and state %d, want %d each", len(accounts), len(stateAccounts), n)
		}
		sort.Strings(apiAttachments)
		sort.Strings(stateAttachments)
		if strings.Join(apiAttachments, ",") != strings.Join(stateAttachments, ",") || len(apiAttachments) != n {
			return fmt.Errorf("attachments differ: API %d %v, state %d %v", len(apiAttachments), apiAttachments, len(stateAttachments), stateAttachments)
		}
		return nil
	}
}

// Fifty accounts and fifty attachments are applied while the API answers
// 30 % of requests with 429 or 503 (with Retry-After) or a reset
// connection. The apply succeeds with exactly what was asked for: no
// duplicate, no orphan, state equal to the API, and an empty plan after.
func TestAccFaults_fleetUnderErrorsAndResets(t *testing.T) {
	const n = 50
	api := newTestAPI(t)
	var orgIDs []string
	for i := range n {
		orgIDs = append(orgIDs, api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Fleet %d", i), Subdomain: fmt.Sprintf("fleet-%d", i)}).ID)
	}
	config := faultFleetConfig(api, orgIDs)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { api.SetFaults(mockapi.Faults{ErrorRate: 0.2, ResetRate: 0.1}) },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					stateMatchesMock(api, n),
					apiCheck(func(*tfjson.State) error {
						st := api.Stats()
						t.Logf("apply under faults: %d requests, %d answered 429, %d answered 503, %d connections reset",
							st.Total, st.Faults.TooManyRequests, st.Faults.Unavailable, st.Faults.Reset)
						if st.Faults.TooManyRequests == 0 || st.Faults.Unavailable == 0 || st.Faults.Reset == 0 {
							return fmt.Errorf("not every kind of fault was injected: %+v", st.Faults)
						}
						return nil
					}),
				},
			},
			{
				// With the faults still on, a refresh and plan find nothing to do.
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
		CheckDestroy: checkMockAccountCount(api, 0),
	})
}

// When the API creates an account and the answer is lost, the provider
// finds the account by its customer id instead of creating a second one;
// attachments whose answers are lost are sent again, which is harmless
// because attaching is idempotent.
func TestAccFaults_commitThenDropTheAnswer(t *testing.T) {
	const n = 10
	api := newTestAPI(t)
	var orgIDs []string
	for i := range n {
		orgIDs = append(orgIDs, api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Drop %d", i), Subdomain: fmt.Sprintf("drop-%d", i)}).ID)
	}
	config := faultFleetConfig(api, orgIDs)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { api.SetFaults(mockapi.Faults{DropAfterCommitRate: 0.3}) },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					stateMatchesMock(api, n),
					apiCheck(func(*tfjson.State) error {
						st := api.Stats()
						t.Logf("apply with lost answers: %d requests, %d answers dropped after commit, %d creates",
							st.Total, st.Faults.DropAfterCommit, st.Routes["POST /v1/billing_accounts"])
						if st.Faults.DropAfterCommit == 0 {
							return fmt.Errorf("no answer was dropped")
						}
						return nil
					}),
				},
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
		CheckDestroy: checkMockAccountCount(api, 0),
	})
}

// An account without customer id whose create answer is lost cannot be
// found again; the error says so and when it happened.
func TestAccFaults_lostCreateWithoutCustomerID(t *testing.T) {
	api := newTestAPI(t)
	api.SetFaults(mockapi.Faults{DropAfterCommitRate: 1})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      accountConfig(api, ``),
			ExpectError: errorText(`The billing account may have been created. It has no customer_id, so it cannot be found again automatically`),
		}},
	})
	if got := api.Stats().Routes["POST /v1/billing_accounts"]; got != 1 {
		t.Fatalf("the create was sent %d times, want exactly once", got)
	}
}

// When every answer to an attach is lost, the provider checks the account's
// organisations before giving up, and adopts the attachment it finds.
func TestAccFaults_attachWithEveryAnswerLost(t *testing.T) {
	api := newTestAPI(t)
	accountID := api.createAccount(t, "cus_lost_attach")
	orgID := api.CreateOrg(mockapi.Organisation{Organisation: "Lost", Subdomain: "lost"}).ID
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() { api.SetFaults(mockapi.Faults{DropAfterCommitRate: 1}) },
			Config: api.providerConfig(fmt.Sprintf(`
resource "agilicus_billing_org_attachment" "lost" {
  billing_account_id = %q
  org_id             = %q
}`, accountID, orgID)),
			ConfigStateChecks: []statecheck.StateCheck{apiCheck(func(*tfjson.State) error {
				if o, _ := api.Org(orgID); o.BillingAccountID != accountID {
					return fmt.Errorf("org is on %q, want %q", o.BillingAccountID, accountID)
				}
				// max_retries = 2: three attempts, every answer dropped.
				if got := api.Stats().Routes["POST /v1/billing_accounts/{billing_account_id}/orgs"]; got != 3 {
					return fmt.Errorf("attach sent %d times, want 3", got)
				}
				return nil
			})},
		}, {
			PreConfig:        func() { api.SetFaults(mockapi.Faults{}) },
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Config: api.providerConfig(fmt.Sprintf(`
resource "agilicus_billing_org_attachment" "lost" {
  billing_account_id = %q
  org_id             = %q
}`, accountID, orgID)),
		}},
	})
}
