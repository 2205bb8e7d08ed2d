package provider

import (
	"context"
	"fmt"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// findAccountByCustomerID returns the account whose spec.customer_id is
// customerID, or nil when there is none.
// It reads page after page until it finds the account.
func findAccountByCustomerID(ctx context.Context, c *client.Client, customerID string) (*client.BillingAccount, error) {
	var found *client.BillingAccount
	err := c.EachBillingAccount(ctx, client.ListBillingAccountsParams{CustomerID: customerID}, func(page *client.ListBillingAccountsResponse) bool {
		for i := range page.BillingAccounts {
			a := &page.BillingAccounts[i]
			// The filter is the server's; check it so a server that ignores
			// the parameter cannot make us name the wrong account.
			if a.Spec != nil && a.Spec.CustomerID == customerID {
				found = a
				return false
			}
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("looking up the billing account with customer_id %q: %w", customerID, err)
	}
	return found, nil
}
