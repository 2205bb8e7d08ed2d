package provider

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestMain(m *testing.M) {
	// A CLI config path that does not exist makes terraform warn on every
	// command; tests need no CLI config at all.
	if p := os.Getenv("TF_CLI_CONFIG_FILE"); p != "" {
		if _, err := os.Stat(p); err != nil {
			_ = os.Unsetenv("TF_CLI_CONFIG_FILE")
		}
	}
	configureForOpenTofu()
	// Tests configure the provider explicitly; settings from the developer's
	// environment must not leak in.
	for _, env := range []string{EnvHost, EnvAccessToken, EnvAuthenticationDocument, EnvScopes, EnvAPIKey, EnvAPIKeyUser, EnvMaxRetries, EnvRequestTimeout} {
		_ = os.Unsetenv(env)
	}
	os.Exit(m.Run())
}

// Fifty accounts and fifty attachments are applied while the API answers
// 30 % of requests with 429 or 503 (with Retry-After) or a reset
// connection. The apply succeeds with exactly what was asked for: no
// duplicate, no orphan, state equal to the API, and an empty plan after.
func TestAccProvider_fleetUnderErrorsAndResets(t *testing.T) {
	const n = 50
	api := newTestAPI(t)
	config := faultFleetConfig(api, api.createOrgs(n, "Fleet"))
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
func TestAccProvider_commitThenDropTheAnswer(t *testing.T) {
	const n = 10
	api := newTestAPI(t)
	config := faultFleetConfig(api, api.createOrgs(n, "Drop"))
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

func TestAccProvider_invalidIDsAndFilters(t *testing.T) {
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

// Retries stop at max_retries, and the error says how many attempts were
// made and what the last answer was.
func TestAccProvider_retriesStopAtTheBound(t *testing.T) {
	api := newTestAPI(t)
	api.SetFaults(mockapi.Faults{ErrorRate: 1})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// providerConfig sets max_retries = 2: three attempts in all.
			Config:      accountConfig(api, `customer_id = "cus_never"`),
			ExpectError: errorText(`(after 3 attempts)`),
		}},
	})
	st := api.Stats()
	if got := st.Routes["POST /v1/billing_accounts"]; got != 3 {
		t.Fatalf("the API saw %d create attempts, want 3", got)
	}
	if got := st.Faults.TooManyRequests + st.Faults.Unavailable; got != st.Total {
		t.Fatalf("%d of %d requests were faults; every request should have been", got, st.Total)
	}
	if n := len(api.Accounts()); n != 0 {
		t.Fatalf("the API holds %d accounts, want none", n)
	}
}

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

// configureForOpenTofu points terraform-plugin-testing at OpenTofu's
// registry host when the acceptance tests run on OpenTofu. The testing
// library reattaches the in-process provider under the namespaces "-" and
// "hashicorp" of registry.terraform.io by default; OpenTofu refuses the
// legacy namespace "-" on any host but its own, and looks up a
// configuration without required_providers as
// registry.opentofu.org/hashicorp/agilicus. A value already set in the
// environment wins.
func configureForOpenTofu() {
	if !testCLIIsOpenTofu() || os.Getenv("TF_ACC_PROVIDER_HOST") != "" {
		return
	}
	_ = os.Setenv("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
}
