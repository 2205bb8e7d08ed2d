package provider

// How a billing account is created safely, found again by its customer id,
// and mapped from the API's fields to Terraform values: shared by the
// resource, the data sources and the list resource.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// adoptWindow is how long before our create request an account found by
// customer_id may have been created and still count as the one our request
// made. It absorbs clock skew between this machine and the API.
const adoptWindow = 5 * time.Minute

// errAccountExists is a 409 on create, with the existing account's id when
// it could be looked up.
type errAccountExists struct {
	customerID string
	existingID string
}

func (e *errAccountExists) Error() string {
	if e.existingID == "" {
		return fmt.Sprintf("a billing account with customer_id %q already exists", e.customerID)
	}
	return fmt.Sprintf("billing account %q already has customer_id %q", e.existingID, e.customerID)
}

// createAccount creates an account and makes sure a lost or ambiguous answer
// (client.MayHaveActed) neither duplicates nor orphans it. The API refuses a
// second account with the same customer_id, so when the answer to a create
// is lost or is a server error that may follow a commit, the account is looked
// up by customer_id: if one created around our request exists it is ours;
// if none exists the request did not take effect and is sent again, at most
// max_retries times. An account without customer_id cannot be found again,
// so that case is an error that tells the user what to check.
func createAccount(ctx context.Context, c *client.Client, spec client.BillingAccountSpec) (*client.BillingAccount, error) {
	for replay := 0; ; replay++ {
		start := time.Now()
		created, err := c.CreateBillingAccount(ctx, spec)
		switch {
		case err == nil:
			return created, nil
		case client.IsConflict(err) && spec.CustomerID != "":
			existing, lookupErr := lookUpAfterCreate(ctx, c, spec.CustomerID)
			if lookupErr != nil || existing == nil {
				return nil, &errAccountExists{customerID: spec.CustomerID}
			}
			return nil, &errAccountExists{customerID: spec.CustomerID, existingID: existing.ID()}
		case !client.MayHaveActed(err):
			return nil, err
		case spec.CustomerID == "":
			return nil, fmt.Errorf("%w\n\nThe billing account may have been created. It has no customer_id, so it cannot be "+
				"found again automatically: list the billing accounts and import the one created at %s, if any",
				err, start.UTC().Format(time.RFC3339))
		}

		existing, lookupErr := lookUpAfterCreate(ctx, c, spec.CustomerID)
		if lookupErr != nil {
			return nil, errors.Join(err, lookupErr)
		}
		if existing != nil {
			if createdAround(existing, start) {
				return existing, nil
			}
			return nil, &errAccountExists{customerID: spec.CustomerID, existingID: existing.ID()}
		}
		// A replay is a retry of the create, so max_retries bounds it: a
		// user who turned retries off gets the first failure.
		if replay >= c.MaxRetries() {
			return nil, err
		}
	}
}

// lookUpAfterCreate finds the account with customerID after a create. It
// runs even when Terraform has stopped the provider meanwhile (the create
// was already sent, so what it did must reach the state); a replay of the
// create, by contrast, is not sent after a stop.
func lookUpAfterCreate(ctx context.Context, c *client.Client, customerID string) (*client.BillingAccount, error) {
	ctx, cancel := c.RecoveryContext(ctx)
	defer cancel()
	return findAccountByCustomerID(ctx, c, customerID)
}

// createdAround reports whether a was created no earlier than adoptWindow
// before start.
func createdAround(a *client.BillingAccount, start time.Time) bool {
	if a.Metadata == nil {
		return false
	}
	created, err := time.Parse(time.RFC3339Nano, a.Metadata.Created)
	return err == nil && !created.Before(start.Add(-adoptWindow))
}

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

// Conversions of a billing account's API fields to Terraform values, shared
// by the resource and the data sources.

func accountCustomerID(a *client.BillingAccount) types.String {
	if a.Spec == nil || a.Spec.CustomerID == "" {
		return types.StringNull()
	}
	return types.StringValue(a.Spec.CustomerID)
}

// accountDevMode reads dev_mode; the API leaves it out when false.
func accountDevMode(a *client.BillingAccount) types.Bool {
	return types.BoolValue(a.Spec != nil && a.Spec.DevMode != nil && *a.Spec.DevMode)
}

func accountCreated(a *client.BillingAccount) types.String {
	if a.Metadata == nil {
		return types.StringNull()
	}
	return stringOrNull(a.Metadata.Created)
}

func accountUpdated(a *client.BillingAccount) types.String {
	if a.Metadata == nil {
		return types.StringNull()
	}
	return stringOrNull(a.Metadata.Updated)
}

// accountOrgIDs is the set of ids of the attached organisations.
func accountOrgIDs(a *client.BillingAccount) types.Set {
	var ids []attr.Value
	if a.Status != nil {
		for _, o := range a.Status.Orgs {
			if o.ID != "" {
				ids = append(ids, types.StringValue(o.ID))
			}
		}
	}
	return types.SetValueMust(types.StringType, ids)
}

// accountProducts lists product names in a stable order so that a server
// that reorders them does not produce a diff.
func accountProducts(a *client.BillingAccount) types.List {
	var names []string
	if a.Status != nil {
		for _, p := range a.Status.Products {
			if p.Name != "" {
				names = append(names, p.Name)
			}
		}
	}
	sort.Strings(names)
	vals := make([]attr.Value, 0, len(names))
	for _, n := range names {
		vals = append(vals, types.StringValue(n))
	}
	return types.ListValueMust(types.StringType, vals)
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
