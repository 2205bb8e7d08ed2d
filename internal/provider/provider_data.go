package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// providerData is what Configure hands to every resource and data source.
type providerData struct {
	client *client.Client
	// accountOrgs serves attachment reads, sharing org-list requests.
	accountOrgs *accountOrgs
	// accounts serves account reads of a large refresh from one listing.
	accounts *accountListing
}

func newProviderData(c *client.Client) *providerData {
	orgs := newAccountOrgs(c)
	accounts := newAccountListing(c, orgs)
	orgs.listing = accounts
	return &providerData{client: c, accountOrgs: orgs, accounts: accounts}
}

// providerDataFrom converts the framework's opaque provider data. It returns
// nil without a diagnostic while the provider is not configured yet (as
// during validation), which callers must tolerate.
func providerDataFrom(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return pd
}
