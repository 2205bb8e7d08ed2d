package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// On CLIs with resource identity (Terraform 1.12, OpenTofu 1.12), both
// importable resources keep an identity in the state that matches their
// attributes, and an import block naming that identity imports each of
// them to the same state. Older CLIs skip the test; the string-id imports
// of the other tests run on every CLI.
func TestAccResourceIdentity_importByIdentity(t *testing.T) {
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
