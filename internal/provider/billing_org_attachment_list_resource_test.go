package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// attachmentEstate is a mock holding accounts with organisations attached
// round-robin, over several pages of the paging API's account list.
type attachmentEstate struct {
	api      *testAPI
	accounts []string
	// orgsOf maps an account id to the ids of its organisations.
	orgsOf map[string][]string
}

func newAttachmentEstate(t *testing.T, accounts, orgs int) attachmentEstate {
	t.Helper()
	e := attachmentEstate{api: newTestAPI(t), orgsOf: map[string][]string{}}
	for i := range accounts {
		e.accounts = append(e.accounts, e.api.createAccount(t, fmt.Sprintf("cus_attach_%02d", i)))
	}
	for i := range orgs {
		org := e.api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Attached Org %02d", i)})
		acc := e.accounts[i%accounts]
		if err := e.api.AttachOrg(acc, org.ID); err != nil {
			t.Fatal(err)
		}
		e.orgsOf[acc] = append(e.orgsOf[acc], org.ID)
	}
	return e
}

// attachmentIdentity is a query check of one found attachment's identity.
func attachmentIdentity(address, accountID, orgID string) querycheck.QueryResultCheck {
	return querycheck.ExpectIdentity(address, map[string]knownvalue.Check{
		"billing_account_id": knownvalue.StringExact(accountID),
		"org_id":             knownvalue.StringExact(orgID),
	})
}

// attachmentFilter picks the found attachment of orgID to accountID.
func attachmentFilter(accountID, orgID string) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
		"billing_account_id": knownvalue.StringExact(accountID),
		"org_id":             knownvalue.StringExact(orgID),
	})
}

// Without filters the query finds every attachment of every account,
// across the pages of the account list; accounts without organisations
// add nothing.
func TestAccBillingOrgAttachmentList_everyAttachment(t *testing.T) {
	e := newAttachmentEstate(t, 5, 8)
	e.api.createAccount(t, "cus_no_orgs")
	var checks []querycheck.QueryResultCheck
	for acc, orgs := range e.orgsOf {
		for _, org := range orgs {
			checks = append(checks, attachmentIdentity("agilicus_billing_org_attachment.all", acc, org))
		}
	}
	checks = append(checks, querycheck.ExpectLength("agilicus_billing_org_attachment.all", 8))
	resource.ParallelTest(t, queryCase(e.api, queryStep(`
list "agilicus_billing_org_attachment" "all" {
  provider = agilicus
}
`, checks...)))
}

// billing_account_id finds that account's attachments, org_id the one
// attachment of the organisation, and both together that attachment or
// nothing. Display names name the organisation and the account.
func TestAccBillingOrgAttachmentList_filters(t *testing.T) {
	e := newAttachmentEstate(t, 3, 7)
	acc := e.accounts[0]
	org := e.orgsOf[e.accounts[1]][0]
	var accountChecks []querycheck.QueryResultCheck
	for _, o := range e.orgsOf[acc] {
		accountChecks = append(accountChecks, attachmentIdentity("agilicus_billing_org_attachment.account", acc, o))
	}
	byOrg := attachmentFilter(e.accounts[1], org)
	checks := append(accountChecks,
		querycheck.ExpectLength("agilicus_billing_org_attachment.account", len(e.orgsOf[acc])),
		querycheck.ExpectLength("agilicus_billing_org_attachment.org", 1),
		attachmentIdentity("agilicus_billing_org_attachment.org", e.accounts[1], org),
		querycheck.ExpectResourceDisplayName("agilicus_billing_org_attachment.org", byOrg, knownvalue.StringExact(
			fmt.Sprintf("Attached Org 01 (%s) on billing account %s (cus_attach_01)", org, e.accounts[1]))),
		querycheck.ExpectLength("agilicus_billing_org_attachment.elsewhere", 0),
	)
	resource.ParallelTest(t, queryCase(e.api, queryStep(fmt.Sprintf(`
list "agilicus_billing_org_attachment" "account" {
  provider = agilicus
  config {
    billing_account_id = %[1]q
  }
}

list "agilicus_billing_org_attachment" "org" {
  provider = agilicus
  config {
    org_id = %[2]q
  }
}

list "agilicus_billing_org_attachment" "elsewhere" {
  provider = agilicus
  config {
    billing_account_id = %[1]q
    org_id             = %[2]q
  }
}
`, acc, org), checks...)))
}

// limit is honoured across accounts, and include_resource fills the
// resource as a refresh after an import would.
func TestAccBillingOrgAttachmentList_limitAndResource(t *testing.T) {
	e := newAttachmentEstate(t, 4, 9)
	acc := e.accounts[2]
	org := e.orgsOf[acc][0]
	byOrg := attachmentFilter(acc, org)
	resource.ParallelTest(t, queryCase(e.api, queryStep(fmt.Sprintf(`
list "agilicus_billing_org_attachment" "some" {
  provider = agilicus
  limit    = 4
}

list "agilicus_billing_org_attachment" "full" {
  provider         = agilicus
  include_resource = true
  config {
    org_id = %q
  }
}
`, org),
		querycheck.ExpectLength("agilicus_billing_org_attachment.some", 4),
		querycheck.ExpectResourceKnownValues("agilicus_billing_org_attachment.full", byOrg, []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(acc + "/" + org)},
			{Path: tfjsonpath.New("billing_account_id"), KnownValue: knownvalue.StringExact(acc)},
			{Path: tfjsonpath.New("org_id"), KnownValue: knownvalue.StringExact(org)},
			{Path: tfjsonpath.New("organisation"), KnownValue: knownvalue.StringExact("Attached Org 02")},
		}),
	)))
}

// Listing the attachments of an account that does not exist fails and
// says which account.
func TestAccBillingOrgAttachmentList_missingAccount(t *testing.T) {
	api := newTestAPI(t)
	step := queryStep(`
list "agilicus_billing_org_attachment" "gone" {
  provider = agilicus
  config {
    billing_account_id = "no-such-account"
  }
}
`)
	step.ExpectError = regexp.MustCompile(`billing account "no-such-account" does not exist`)
	resource.ParallelTest(t, queryCase(api, step))
}
