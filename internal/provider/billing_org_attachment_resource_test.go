package provider

import (
	"fmt"
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

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

const (
	attachmentAddr = "agilicus_billing_org_attachment.test"
	accountAAddr   = "agilicus_billing_account.a"
	accountBAddr   = "agilicus_billing_account.b"
)

// Route keys of the mock's request counters used by the read assertions.
const (
	routeListAccountOrgs = "GET /v1/billing_accounts/{billing_account_id}/orgs"
	routeListAccounts    = "GET /v1/billing_accounts"
	routeGetAccount      = "GET /v1/billing_accounts/{billing_account_id}"
	routeDetachOrg       = "DELETE /v1/billing_accounts/{billing_account_id}/orgs/{org_id}"
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

// accountHasOrg reports whether the account's status.orgs lists the org.
func accountHasOrg(a mockapi.BillingAccount, orgID string) bool {
	return slices.ContainsFunc(a.Status.Orgs, func(o mockapi.Organisation) bool { return o.ID == orgID })
}

// mockOrgOnlyOn checks that the mock has the org attached to *accountID and
// listed by no other account. accountID is read when the check runs, so it
// may be captured by an earlier check of the same step.
func mockOrgOnlyOn(api *testAPI, orgID string, accountID *string) apiCheck {
	return func(*tfjson.State) error {
		o, ok := api.Org(orgID)
		if !ok {
			return fmt.Errorf("org %s is not in the API", orgID)
		}
		if o.BillingAccountID != *accountID {
			return fmt.Errorf("org %s has billing_account_id %q in the API, want %q", orgID, o.BillingAccountID, *accountID)
		}
		found := false
		for _, a := range api.Accounts() {
			has := accountHasOrg(a, orgID)
			switch {
			case a.Metadata.ID == *accountID:
				found = has
			case has:
				return fmt.Errorf("org %s is still listed in status.orgs of account %s", orgID, a.Metadata.ID)
			}
		}
		if !found {
			return fmt.Errorf("account %q does not list org %s in status.orgs", *accountID, orgID)
		}
		return nil
	}
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
	orgIDs := make([]string, 0, n)
	for i := range n {
		orgIDs = append(orgIDs, api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Batch %d", i)}).ID)
	}
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

// setDetachAnyAccount switches the mock's detach rule for one test.
func setDetachAnyAccount(t *testing.T, api *testAPI, on bool) {
	t.Helper()
	b := api.Behaviour()
	b.DetachAnyAccount = on
	if err := api.SetBehaviour(b); err != nil {
		t.Fatal(err)
	}
}
