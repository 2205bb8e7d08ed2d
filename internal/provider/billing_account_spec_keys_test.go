package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// unmanagedSpecKeys are spec keys this provider does not manage: fields of
// newer API versions and a key no version declares. The values use
// characters a careless encoder would escape, so "kept" means byte for byte.
var unmanagedSpecKeys = map[string]string{
	"product_id":           `"prod_<enterprise>&co"`,
	"license_constraints":  `[{"name":"max_users","expression":"users <= 10 && sites > 0"}]`,
	"constraint_variables": `{"users":{"default":3},"sites":null}`,
	"x_not_declared":       `[1,"two",{"three":3.0}]`,
}

// An update changes only what the resource manages: the keys of the spec it
// does not manage go back to the API exactly as they were, after a dev_mode
// change and after a customer_id change.
func TestAccBillingAccount_updateKeepsUnmanagedSpecKeys(t *testing.T) {
	api := newTestAPI(t)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            accountConfig(api, `customer_id = "cus_keys"`),
				ConfigStateChecks: []statecheck.StateCheck{captureString(accountAddr, "id", &id)},
			},
			{
				// Someone else adds licence data to the account.
				PreConfig: func() { addUnmanagedSpecKeys(t, api, id) },
				Config: accountConfig(api, `
  customer_id = "cus_keys"
  dev_mode    = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					mockAccountMatches(api, "cus_keys", true),
					unmanagedSpecKeysKept(api, &id),
				},
			},
			{
				Config: accountConfig(api, `
  customer_id = "cus_keys_renamed"
  dev_mode    = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(accountAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					mockAccountMatches(api, "cus_keys_renamed", true),
					unmanagedSpecKeysKept(api, &id),
				},
			},
		},
		CheckDestroy: checkMockAccountCount(api, 0),
	})
}

// addUnmanagedSpecKeys adds unmanagedSpecKeys to the account's spec,
// keeping what it holds.
func addUnmanagedSpecKeys(t *testing.T, api *testAPI, id string) {
	t.Helper()
	raw, ok := api.AccountRawSpec(id)
	if !ok {
		t.Fatalf("account %s is not in the mock", id)
	}
	spec := map[string]json.RawMessage{}
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	for k, v := range unmanagedSpecKeys {
		spec[k] = json.RawMessage(v)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(spec); err != nil {
		t.Fatal(err)
	}
	if err := api.SetAccountRawSpec(id, buf.Bytes()); err != nil {
		t.Fatal(err)
	}
}

// unmanagedSpecKeysKept checks that the mock holds every unmanaged key with
// its value unchanged to the byte.
func unmanagedSpecKeysKept(api *testAPI, id *string) apiCheck {
	return func(*tfjson.State) error {
		raw, ok := api.AccountRawSpec(*id)
		if !ok {
			return fmt.Errorf("account %s is not in the mock", *id)
		}
		spec := map[string]json.RawMessage{}
		if err := json.Unmarshal(raw, &spec); err != nil {
			return err
		}
		for k, want := range unmanagedSpecKeys {
			if got, ok := spec[k]; !ok || string(got) != want {
				return fmt.Errorf("spec.%s is %s after the update, want %s (spec: %s)", k, got, want, raw)
			}
		}
		return nil
	}
}
