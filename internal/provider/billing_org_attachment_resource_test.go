package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// attachmentConfig is one account managed by Terraform and the attachment
// of orgID to it.
func attachmentConfig(api *testAPI, orgID string) string {
	return api.providerConfig(fmt.Sprintf(`
resource "agilicus_billing_account" "a" {
  customer_id = "cus_attach"
}

resource "agilicus_billing_org_attachment" "test" {
  billing_account_id = agilicus_billing_account.a.id
  org_id             = %q
}
`, orgID))
}

// checkMockOrgDetached checks, after destroy, that the org still exists and
// is attached to no account.
func checkMockOrgDetached(api *testAPI, orgID string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		o, ok := api.Org(orgID)
		if !ok {
			return fmt.Errorf("org %s was deleted from the API; only its attachment should be", orgID)
		}
		if o.BillingAccountID != "" {
			return fmt.Errorf("org %s is still attached to %s after destroy", orgID, o.BillingAccountID)
		}
		return nil
	}
}

// attachmentIDIs checks the id in state against the ids of the account and
// the org it joins.
func attachmentIDIs(accountID *string, orgID string) apiCheck {
	return func(state *tfjson.State) error {
		got, err := stateString(state, attachmentAddr, "id")
		if err != nil {
			return err
		}
		if want := *accountID + "/" + orgID; got != want {
			return fmt.Errorf("id is %q, want %q", got, want)
		}
		return nil
	}
}

func TestAccBillingOrgAttachment_basic(t *testing.T) {
	api := newTestAPI(t)
	org := api.CreateOrg(mockapi.Organisation{Organisation: "Acme Corp", Subdomain: "acme"})
	config := attachmentConfig(api, org.ID)
	var accountID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(attachmentAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectUnknownValue(attachmentAddr, tfjsonpath.New("organisation")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					captureString(accountAAddr, "id", &accountID),
					attachmentIDIs(&accountID, org.ID),
					statecheck.ExpectKnownValue(attachmentAddr, tfjsonpath.New("org_id"), knownvalue.StringExact(org.ID)),
					statecheck.ExpectKnownValue(attachmentAddr, tfjsonpath.New("organisation"), knownvalue.StringExact("Acme Corp")),
					statecheck.ExpectKnownValue(attachmentAddr, tfjsonpath.New("subdomain"), knownvalue.StringExact("acme")),
					mockOrgOnlyOn(api, org.ID, &accountID),
				},
			},
			{
				// The account's org_ids is read from the API, so it shows the
				// attachment once the account is refreshed after it was made.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(accountAAddr, tfjsonpath.New("org_ids"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(org.ID)})),
					mockOrgOnlyOn(api, org.ID, &accountID),
				},
			},
			{
				// Changing only the timeouts updates nothing in the API and keeps
				// the computed values known in the plan.
				PreConfig: api.ResetStats,
				Config: api.providerConfig(fmt.Sprintf(`
resource "agilicus_billing_account" "a" {
  customer_id = "cus_attach"
}

resource "agilicus_billing_org_attachment" "test" {
  billing_account_id = agilicus_billing_account.a.id
  org_id             = %q

  timeouts {
    create = "2m"
    delete = "3m"
  }
}
`, org.ID)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(attachmentAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(attachmentAddr, tfjsonpath.New("organisation"), knownvalue.StringExact("Acme Corp")),
						plancheck.ExpectKnownValue(attachmentAddr, tfjsonpath.New("subdomain"), knownvalue.StringExact("acme")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					attachmentIDIs(&accountID, org.ID),
					statecheck.ExpectKnownValue(attachmentAddr, tfjsonpath.New("timeouts"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"create": knownvalue.StringExact("2m"),
						"delete": knownvalue.StringExact("3m"),
					})),
					apiCheck(func(*tfjson.State) error {
						routes := api.Stats().Routes
						if n := routeCount(routes, "POST ") + routeCount(routes, "DELETE ") + routeCount(routes, "PUT "); n != 0 {
							return fmt.Errorf("changing timeouts sent %d changing requests: %v", n, routes)
						}
						return nil
					}),
				},
			},
		},
		CheckDestroy: resource.ComposeTestCheckFunc(checkMockAccountCount(api, 0), checkMockOrgDetached(api, org.ID)),
	})
}

func TestAccBillingOrgAttachment_import(t *testing.T) {
	api := newTestAPI(t)
	org := api.CreateOrg(mockapi.Organisation{Organisation: "Import Org", Subdomain: "import"})
	loose := api.CreateOrg(mockapi.Organisation{Organisation: "Loose Org", Subdomain: "loose"})
	elsewhere := api.CreateOrg(mockapi.Organisation{Organisation: "Elsewhere Org", Subdomain: "elsewhere"})
	var accountID string
	formatError := func(id, reason string) *regexp.Regexp {
		return errorText(fmt.Sprintf(`Expected an id of the form "<billing_account_id>/<org_id>", got %q: %s.`, id, reason))
	}
	importWith := func(id string, want *regexp.Regexp) resource.TestStep {
		return resource.TestStep{
			ResourceName:  attachmentAddr,
			ImportState:   true,
			ImportStateId: id,
			ExpectError:   want,
		}
	}
	steps := []resource.TestStep{
		{
			Config:            attachmentConfig(api, org.ID),
			ConfigStateChecks: []statecheck.StateCheck{captureString(attachmentAddr, "billing_account_id", &accountID)},
		},
		{
			ResourceName:      attachmentAddr,
			ImportState:       true,
			ImportStateKind:   resource.ImportCommandWithID,
			ImportStateVerify: true,
		},
		{
			ResourceName:    attachmentAddr,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportPlanChecks: resource.ImportPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(attachmentAddr, plancheck.ResourceActionNoop),
					plancheck.ExpectKnownValue(attachmentAddr, tfjsonpath.New("organisation"), knownvalue.StringExact("Import Org")),
					plancheck.ExpectKnownValue(attachmentAddr, tfjsonpath.New("subdomain"), knownvalue.StringExact("import")),
				},
			},
		},
		// A well-formed id of an organisation that is not attached to the
		// account imports nothing, and says so.
		{
			ResourceName: attachmentAddr,
			ImportState:  true,
			ImportStateIdFunc: func(*terraform.State) (string, error) {
				return accountID + "/" + loose.ID, nil
			},
			ExpectError: errorText(`is not attached to billing account`),
		},
		// One of an organisation attached to another account names that
		// account and the import id to use.
		{
			PreConfig: func() {
				if err := api.AttachOrg(api.createAccount(t, "cus_other_holder"), elsewhere.ID); err != nil {
					t.Fatal(err)
				}
			},
			ResourceName: attachmentAddr,
			ImportState:  true,
			ImportStateIdFunc: func(*terraform.State) (string, error) {
				return accountID + "/" + elsewhere.ID, nil
			},
			ExpectError: regexp.MustCompile(`(?s)is attached to billing account\s+"[^"]+", not to "[^"]+".*import it as\s+"[^"]+/` + elsewhere.ID + `"`),
		},
	}
	for _, tc := range []struct{ id, reason string }{
		{"justone", `it has no "/"`},
		{"acct/", `org_id "" must not be empty`},
		{"/org", `billing_account_id "" must not be empty`},
		{"a/b/c", `it has 2 "/" characters, want exactly one`},
		{"a//b", `it has 2 "/" characters, want exactly one`},
		{"acct/org id", `org_id "org id" must not contain white space`},
		{"acct/o%2Fg", `org_id "o%2Fg" must not contain '%'`},
		{"../org", `billing_account_id ".." must not be ".."`},
		{`acct\x/org`, `billing_account_id "acct\\x" must not contain '\\'`},
	} {
		steps = append(steps, importWith(tc.id, formatError(tc.id, tc.reason)))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
		CheckDestroy:             checkMockOrgDetached(api, org.ID),
	})
	if o, _ := api.Org(loose.ID); o.BillingAccountID != "" {
		t.Fatalf("the failed import attached org %s to %s", loose.ID, o.BillingAccountID)
	}
}

// An organisation detached outside Terraform is planned to be attached again.
func TestAccBillingOrgAttachment_detachedOutOfBand(t *testing.T) {
	api := newTestAPI(t)
	org := api.CreateOrg(mockapi.Organisation{Organisation: "Drift Org", Subdomain: "drift"})
	config := attachmentConfig(api, org.ID)
	var accountID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					captureString(accountAAddr, "id", &accountID),
					mockOrgOnlyOn(api, org.ID, &accountID),
				},
			},
			{
				PreConfig: func() {
					if !api.DetachOrg(accountID, org.ID) {
						t.Fatalf("org %s was not attached to %s", org.ID, accountID)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(attachmentAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(accountAAddr, plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					attachmentIDIs(&accountID, org.ID),
					mockOrgOnlyOn(api, org.ID, &accountID),
				},
			},
		},
		CheckDestroy: checkMockOrgDetached(api, org.ID),
	})
}

// A billing account deleted outside Terraform takes its attachments out of
// the state without an error; the next apply creates both again.
func TestAccBillingOrgAttachment_accountDeletedOutOfBand(t *testing.T) {
	api := newTestAPI(t)
	org := api.CreateOrg(mockapi.Organisation{Organisation: "Orphan Org", Subdomain: "orphan"})
	config := attachmentConfig(api, org.ID)
	var firstID, secondID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{captureString(accountAAddr, "id", &firstID)},
			},
			{
				PreConfig: func() {
					if !api.DeleteAccount(firstID) {
						t.Fatalf("account %s was not in the API", firstID)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{
					PostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(accountAAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(attachmentAddr, plancheck.ResourceActionCreate),
					},
				},
				Check: func(s *terraform.State) error {
					for _, addr := range []string{attachmentAddr, accountAAddr} {
						if _, ok := s.RootModule().Resources[addr]; ok {
							return fmt.Errorf("%s is still in state after its account was deleted", addr)
						}
					}
					return nil
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(accountAAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(attachmentAddr, plancheck.ResourceActionCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					captureString(accountAAddr, "id", &secondID),
					apiCheck(func(*tfjson.State) error {
						if secondID == firstID {
							return fmt.Errorf("account id %s was not replaced", firstID)
						}
						return nil
					}),
					attachmentIDIs(&secondID, org.ID),
					mockOrgOnlyOn(api, org.ID, &secondID),
				},
			},
		},
		CheckDestroy: resource.ComposeTestCheckFunc(checkMockAccountCount(api, 0), checkMockOrgDetached(api, org.ID)),
	})
}

// Moving an organisation to another account ends with it on the new account
// only, whether the old attachment is destroyed first or last.
func TestAccBillingOrgAttachment_moveBetweenAccounts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cbd    bool
		action plancheck.ResourceActionType
		// detachAny makes the mock's detach take the organisation off
		// whichever account holds it, the less forgiving reading of the
		// API documentation.
		detachAny bool
		// detaches is how many detach requests the move sends: with
		// create_before_destroy, the old attachment's delete finds the
		// organisation already on the new account and sends none.
		detaches int
	}{
		{"destroy before create", false, plancheck.ResourceActionDestroyBeforeCreate, false, 1},
		{"create before destroy", true, plancheck.ResourceActionCreateBeforeDestroy, false, 0},
		{"destroy before create, detach from any account", false, plancheck.ResourceActionDestroyBeforeCreate, true, 1},
		{"create before destroy, detach from any account", true, plancheck.ResourceActionCreateBeforeDestroy, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := newTestAPI(t)
			setDetachAnyAccount(t, api, tc.detachAny)
			org := api.CreateOrg(mockapi.Organisation{Organisation: "Mover Org", Subdomain: "mover"})
			lifecycle := ""
			if tc.cbd {
				lifecycle = `
  lifecycle {
    create_before_destroy = true
  }`
			}
			config := func(target string) string {
				return api.providerConfig(fmt.Sprintf(`
resource "agilicus_billing_account" "a" {
  customer_id = "cus_move_a"
}

resource "agilicus_billing_account" "b" {
  customer_id = "cus_move_b"
}

resource "agilicus_billing_org_attachment" "test" {
  billing_account_id = agilicus_billing_account.%s.id
  org_id             = %q
%s
}
`, target, org.ID, lifecycle))
			}
			var accountA, accountB string
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: config("a"),
						ConfigStateChecks: []statecheck.StateCheck{
							captureString(accountAAddr, "id", &accountA),
							captureString(accountBAddr, "id", &accountB),
							mockOrgOnlyOn(api, org.ID, &accountA),
						},
					},
					{
						PreConfig: api.ResetStats,
						Config:    config("b"),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction(attachmentAddr, tc.action),
								plancheck.ExpectResourceAction(accountAAddr, plancheck.ResourceActionNoop),
								plancheck.ExpectResourceAction(accountBAddr, plancheck.ResourceActionNoop),
							},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							attachmentIDIs(&accountB, org.ID),
							mockOrgOnlyOn(api, org.ID, &accountB),
							apiCheck(func(*tfjson.State) error {
								if n := api.Stats().Routes[routeDetachOrg]; n != tc.detaches {
									return fmt.Errorf("the move sent %d detach requests, want %d", n, tc.detaches)
								}
								return nil
							}),
						},
					},
				},
				CheckDestroy: resource.ComposeTestCheckFunc(checkMockAccountCount(api, 0), checkMockOrgDetached(api, org.ID)),
			})
		})
	}
}

// Attaching to an account or an organisation that does not exist fails
// with an error naming the one that is missing.
func TestAccBillingOrgAttachment_missingAccountOrOrg(t *testing.T) {
	api := newTestAPI(t)
	org := api.CreateOrg(mockapi.Organisation{Organisation: "Real Org", Subdomain: "real"})
	const noAccount, noOrg = "noSuchAccount42", "noSuchOrg42"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: api.providerConfig(fmt.Sprintf(`
resource "agilicus_billing_org_attachment" "test" {
  billing_account_id = %q
  org_id             = %q
}
`, noAccount, org.ID)),
				ExpectError: regexp.MustCompile(`Billing account not found(?s:.*)` + errorText(fmt.Sprintf(
					`Billing account %q does not exist, so organisation %q cannot be attached to it.`, noAccount, org.ID)).String()),
			},
			{
				Config: attachmentConfig(api, noOrg),
				ExpectError: regexp.MustCompile(`Organisation not found(?s:.*)` + errorText(fmt.Sprintf(
					`Organisation %q does not exist, so it cannot be attached to billing account`, noOrg)).String()),
			},
		},
		CheckDestroy: checkMockAccountCount(api, 0),
	})
	if o, _ := api.Org(org.ID); o.BillingAccountID != "" {
		t.Fatalf("org %s ended attached to %s", org.ID, o.BillingAccountID)
	}
}

// An account with more organisations than one org list holds: the attachment
// of an organisation beyond the first 500 is still read correctly, through
// the lookup of accounts by organisation.
func TestAccBillingOrgAttachment_beyondListLimit(t *testing.T) {
	api := newTestAPI(t)
	accountID := api.createAccount(t, "cus_big")
	const fillers = 501
	for i := range fillers {
		o := api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Filler %d", i)})
		if err := api.AttachOrg(accountID, o.ID); err != nil {
			t.Fatal(err)
		}
	}
	target := api.CreateOrg(mockapi.Organisation{Organisation: "Late Org", Subdomain: "late"})
	config := api.providerConfig(fmt.Sprintf(`
resource "agilicus_billing_org_attachment" "test" {
  billing_account_id = %q
  org_id             = %q
}
`, accountID, target.ID))
	// targetBeyondLimit proves the test exercises what it claims: the org
	// is attached, but not within the first page of the account's orgs.
	targetBeyondLimit := apiCheck(func(*tfjson.State) error {
		a, _ := api.Account(accountID)
		i := slices.IndexFunc(a.Status.Orgs, func(o mockapi.Organisation) bool { return o.ID == target.ID })
		if i < 500 {
			return fmt.Errorf("org %s is at position %d of %d in the account, want beyond the first 500", target.ID, i, len(a.Status.Orgs))
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(attachmentAddr, tfjsonpath.New("organisation"), knownvalue.StringExact("Late Org")),
					statecheck.ExpectKnownValue(attachmentAddr, tfjsonpath.New("subdomain"), knownvalue.StringExact("late")),
					mockOrgOnlyOn(api, target.ID, &accountID),
					targetBeyondLimit,
				},
			},
			{
				// One refresh of the one attachment: a full org list that
				// does not contain the org, then the lookup by org.
				PreConfig:    api.ResetStats,
				RefreshState: true,
				Check: func(s *terraform.State) error {
					if _, ok := s.RootModule().Resources[attachmentAddr]; !ok {
						return fmt.Errorf("the attachment left the state on refresh")
					}
					st := api.Stats()
					t.Logf("requests of one refresh beyond the list limit: %v", st.Routes)
					if st.Routes[routeListAccountOrgs] != 1 || st.Routes[routeListAccounts] != 1 || st.Total != 2 {
						return fmt.Errorf("refresh sent %v, want one org list and one account list by org", st.Routes)
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					if !api.DetachOrg(accountID, target.ID) {
						t.Fatalf("org %s was not attached to %s", target.ID, accountID)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(attachmentAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					mockOrgOnlyOn(api, target.ID, &accountID),
					targetBeyondLimit,
				},
			},
		},
		// The account was made outside Terraform and must outlive the
		// attachment.
		CheckDestroy: resource.ComposeTestCheckFunc(checkMockAccountCount(api, 1), checkMockOrgDetached(api, target.ID)),
	})
}

// Concurrent reads of attachments to one account share org-list requests.
//
// Whether two reads share a request depends on them overlapping in time,
// which terraform's scheduling alone does not guarantee. The refresh below
// therefore runs with 500ms of latency on every API request: terraform
// starts up to 10 reads at once (its default parallelism) as soon as the
// account is read, so each batch starts within a few milliseconds and
// finds the first read's request still in flight. That makes overlap
// certain in practice; the assertion only needs one shared request (fewer
// lists than reads), far below what the latency allows.
func TestAccBillingOrgAttachment_coalescedReads(t *testing.T) {
	api := newTestAPI(t)
	// Fewer reads than the account listing's threshold, so that org lists,
	// not a listing of the accounts, serve them.
	const n = listingThreshold - 2
	orgIDs := api.createOrgs(n, "Batch")
	config := api.providerConfig(fmt.Sprintf(`
locals {
  org_ids = %s
}

resource "agilicus_billing_account" "a" {
  customer_id = "cus_batch"
}

# count, not for_each: the state the refresh step hands to Check cannot
# represent string instance keys.
resource "agilicus_billing_org_attachment" "many" {
  count              = length(local.org_ids)
  billing_account_id = agilicus_billing_account.a.id
  org_id             = local.org_ids[count.index]
}
`, hclStringList(orgIDs)))
	var accountID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					captureString(accountAAddr, "id", &accountID),
					apiCheck(func(*tfjson.State) error {
						a, _ := api.Account(accountID)
						if len(a.Status.Orgs) != n {
							return fmt.Errorf("account %s has %d orgs in the API, want %d", accountID, len(a.Status.Orgs), n)
						}
						return nil
					}),
				},
			},
			{
				PreConfig: func() {
					api.ResetStats()
					api.SetFaults(mockapi.Faults{Latency: 500 * time.Millisecond})
				},
				RefreshState: true,
				Check: func(s *terraform.State) error {
					api.SetFaults(mockapi.Faults{})
					st := api.Stats()
					lists := st.Routes[routeListAccountOrgs]
					t.Logf("one refresh of %d attachments sent %d org-list requests (all requests: %v)", n, lists, st.Routes)
					attached := 0
					for addr := range s.RootModule().Resources {
						if strings.HasPrefix(addr, "agilicus_billing_org_attachment.many.") {
							attached++
						}
					}
					switch {
					case attached != n:
						return fmt.Errorf("%d attachments in state after refresh, want %d", attached, n)
					case lists < 1 || lists >= n:
						return fmt.Errorf("%d reads sent %d org-list requests, want at least 1 and fewer than %d", n, lists, n)
					case st.Routes[routeListAccounts] != 0:
						return fmt.Errorf("an account below the list limit was looked up by org: %v", st.Routes)
					case st.Routes[routeGetAccount] != 1:
						return fmt.Errorf("the account was read %d times, want 1", st.Routes[routeGetAccount])
					}
					return nil
				},
			},
		},
	})
}

// hclStringList renders strings as an HCL list literal.
func hclStringList(items []string) string {
	quoted := make([]string, 0, len(items))
	for _, s := range items {
		quoted = append(quoted, fmt.Sprintf("%q", s))
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

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

// When every answer to an attach is lost, the provider checks the account's
// organisations before giving up, and adopts the attachment it finds.
func TestAccBillingOrgAttachment_everyAttachAnswerLost(t *testing.T) {
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

// On CLIs with resource identity (Terraform 1.12, OpenTofu 1.12), both
// importable resources keep an identity in the state that matches their
// attributes, and an import block naming that identity imports each of
// them to the same state. Older CLIs skip the test; the string-id imports
// of the other tests run on every CLI.
func TestAccBillingOrgAttachment_importByIdentity(t *testing.T) {
	api := newTestAPI(t)
	org := api.CreateOrg(mockapi.Organisation{Organisation: "Identity Org", Subdomain: "identity"})
	config := attachmentConfig(api, org.ID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{requireCLIFeature(featureResourceIdentity)},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValueMatchesState(accountAAddr, tfjsonpath.New("id")),
					statecheck.ExpectIdentityValueMatchesState(attachmentAddr, tfjsonpath.New("billing_account_id")),
					statecheck.ExpectIdentity(attachmentAddr, map[string]knownvalue.Check{
						"billing_account_id": knownvalue.NotNull(),
						"org_id":             knownvalue.StringExact(org.ID),
					}),
				},
			},
			{
				ResourceName:    accountAAddr,
				Config:          config,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				ResourceName:    attachmentAddr,
				Config:          config,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
		CheckDestroy: checkMockOrgDetached(api, org.ID),
	})
}
