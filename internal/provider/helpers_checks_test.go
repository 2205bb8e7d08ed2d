// Checks the acceptance tests share: of the state terraform wrote, of what
// the mock API holds and was asked, of error messages; and the table-driven
// run of configurations that must fail before any request.
package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// apiCheck is a state check that compares Terraform's state with what the
// mock API holds, so tests prove the API was changed and not only the state.
type apiCheck func(state *tfjson.State) error

func (c apiCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	resp.Error = c(req.State)
}

// stateResource finds a resource or data source in the state by address.
func stateResource(state *tfjson.State, address string) (*tfjson.StateResource, error) {
	if state.Values == nil || state.Values.RootModule == nil {
		return nil, fmt.Errorf("state has no root module")
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Address == address {
			return r, nil
		}
	}
	return nil, fmt.Errorf("%s not in state", address)
}

// stateString reads a string attribute of a resource in the state.
func stateString(state *tfjson.State, address, attr string) (string, error) {
	r, err := stateResource(state, address)
	if err != nil {
		return "", err
	}
	v, ok := r.AttributeValues[attr].(string)
	if !ok {
		return "", fmt.Errorf("%s.%s is %T, not a string", address, attr, r.AttributeValues[attr])
	}
	return v, nil
}

// captureString is a state check that stores a string attribute in *dst for
// later steps, e.g. to act on the object out of band.
func captureString(address, attr string, dst *string) apiCheck {
	return func(state *tfjson.State) error {
		v, err := stateString(state, address, attr)
		*dst = v
		return err
	}
}

// routeCount sums the mock's request counts of the routes whose key
// contains substr.
func routeCount(routes map[string]int, substr string) int {
	n := 0
	for k, v := range routes {
		if strings.Contains(k, substr) {
			n += v
		}
	}
	return n
}

// errorText matches an error message literally while allowing terraform to
// wrap it at any space.
func errorText(msg string) *regexp.Regexp {
	parts := strings.Fields(msg)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}

// exchanged is a state check that the document was exchanged for tokens
// and that no request was refused.
func exchanged(api *testAPI) apiCheck {
	return func(*tfjson.State) error {
		if api.TokenExchanges() == 0 {
			return fmt.Errorf("the document was never exchanged for a token")
		}
		if n := api.Stats().Unauthorized; n != 0 {
			return fmt.Errorf("%d requests were refused", n)
		}
		return nil
	}
}

// queryCase is a test case of `terraform query` against api: a first step
// that only configures the provider (the query reads its provider block
// from the .tf files), then the query steps.
func queryCase(api *testAPI, steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{requireCLIFeature(featureListResources)},
		Steps:                    append([]resource.TestStep{{Config: api.providerConfig(``)}}, steps...),
	}
}

// queryStep is a query step of the given .tfquery.hcl content.
func queryStep(query string, checks ...querycheck.QueryResultCheck) resource.TestStep {
	return resource.TestStep{Query: true, Config: query, QueryResultChecks: checks}
}

var rfc3339 = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$`)

// mockAccountMatches checks that the mock holds the account in state with
// the given spec.
func mockAccountMatches(api *testAPI, customerID string, devMode bool) apiCheck {
	return func(state *tfjson.State) error {
		id, err := stateString(state, accountAddr, "id")
		if err != nil {
			return err
		}
		a, ok := api.Account(id)
		if !ok {
			return fmt.Errorf("account %s is in state but not in the API", id)
		}
		gotCustomer := ""
		if a.Spec.CustomerID != nil {
			gotCustomer = *a.Spec.CustomerID
		}
		gotDev := a.Spec.DevMode != nil && *a.Spec.DevMode
		if gotCustomer != customerID || gotDev != devMode {
			return fmt.Errorf("API holds customer_id=%q dev_mode=%v, want %q %v", gotCustomer, gotDev, customerID, devMode)
		}
		if n := len(api.Accounts()); n != 1 {
			return fmt.Errorf("API holds %d accounts, want 1", n)
		}
		return nil
	}
}

// checkMockAccountCount checks, after destroy, how many accounts the API
// still holds.
func checkMockAccountCount(api *testAPI, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := len(api.Accounts()); n != want {
			return fmt.Errorf("API holds %d accounts after destroy, want %d", n, want)
		}
		return nil
	}
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

// nonEmpty matches a value with no white space in it, at least one character.
var nonEmpty = regexp.MustCompile(`^\S+$`)

// wantUsageRecords checks the records the mock has stored for an account.
func wantUsageRecords(api *testAPI, accountID string, want ...mockapi.UsageRecord) error {
	got := api.UsageRecords(accountID)
	if len(got) != len(want) {
		return fmt.Errorf("the mock holds %d usage records for %s (%v), want %d (%v)", len(got), accountID, got, len(want), want)
	}
	for i := range want {
		if got[i] != want[i] {
			return fmt.Errorf("usage record %d in the mock is %+v, want %+v", i, got[i], want[i])
		}
	}
	return nil
}

// noChangesSent fails when the mock received any request that changes
// something.
func noChangesSent(t *testing.T, api *testAPI) {
	t.Helper()
	if routes := api.Stats().Routes; routeCount(routes, "PUT ") != 0 || routeCount(routes, "POST ") != 0 || routeCount(routes, "DELETE ") != 0 {
		t.Fatalf("importing sent changes to the API: %v", routes)
	}
}

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
			resource.ParallelTest(t, resource.TestCase{
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
