package provider

import (
	"context"
	"fmt"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// findAccountByCustomerID returns the account whose spec.customer_id is
// customerID, or nil when there is none.
func findAccountByCustomerID(ctx context.Context, c *client.Client, customerID string) (*client.BillingAccount, error) {
	list, err := c.ListBillingAccounts(ctx, client.ListBillingAccountsParams{CustomerID: customerID})
	if err != nil {
		return nil, fmt.Errorf("looking up the billing account with customer_id %q: %w", customerID, err)
	}
	for i := range list.BillingAccounts {
		a := &list.BillingAccounts[i]
		// The filter is the server's; check it so a server that ignores the
		// parameter cannot make us name the wrong account.
		if a.Spec != nil && a.Spec.CustomerID == customerID {
			return a, nil
		}
	}
	return nil, nil
}
