package mockapi

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// The mock has no payment backend. The customer and subscription data the
// real service fetches on request are synthesised from the customer id (and,
// in generation 1.405.8, the account's products and dev_mode), so the same
// inputs always yield the same data.

// customerEpoch is the earliest creation time of a synthesised customer
// (2020-01-01T00:00:00Z); created falls within the five years after it.
const (
	customerEpoch  = 1577836800
	customerSpread = 5 * 365 * 24 * 60 * 60
)

// customerCurrencies are the currencies a synthesised customer may use.
var customerCurrencies = []string{"cad", "usd", "eur"}

// customerFor returns the payment-backend customer behind a customer id.
// Generation 1.125.2 knows only name and email; 1.405.8 mirrors more of
// Stripe's customer object, and livemode follows the account's dev_mode.
func customerFor(customerID string, devMode, later bool) *BillingCustomer {
	c := &BillingCustomer{
		Name:  "Customer " + customerID,
		Email: "billing+" + emailSafe(customerID) + "@example.com",
	}
	if !later {
		return c
	}
	h := digestUint(customerID)
	c.ID = customerID
	c.Balance = ptr(int64(h%10000) - 5000) // negative is a credit
	c.Created = ptr(int64(customerEpoch + (h>>16)%customerSpread))
	c.Currency = customerCurrencies[(h>>8)%uint64(len(customerCurrencies))]
	c.Description = "Mock customer " + customerID
	c.InvoicePrefix = strings.ToUpper(digest("invoice/"+customerID, 8))
	c.Livemode = ptr(!devMode)
	c.Metadata = map[string]string{"customer_id": customerID, "source": "mockapi"}
	c.Phone = fmt.Sprintf("+1555%07d", (h>>32)%10000000)
	return c
}

// subscriptionsFor returns the customer's subscriptions; none without a
// customer id. The list is never nil, so it is encoded as [] rather than
// omitted. Generation 1.125.2 gives one subscription per customer;
// 1.405.8 gives one per product of the account, or one when the account has
// no products, and usage records follow the same list.
func subscriptionsFor(customerID string, products []string, later bool) []map[string]any {
	if customerID == "" {
		return []map[string]any{}
	}
	if !later || len(products) == 0 {
		return []map[string]any{subscription("sub_"+digest(customerID, 24), customerID)}
	}
	out := make([]map[string]any, 0, len(products))
	seen := map[string]int{}
	for _, name := range products {
		// Counting repeats keeps ids distinct when two products share a
		// name, and stable when products are appended.
		n := seen[name]
		seen[name]++
		sub := subscription("sub_"+digest(fmt.Sprintf("%s/%s/%d", customerID, name, n), 24), customerID)
		sub["product"] = name
		out = append(out, sub)
	}
	return out
}

// subscription is one BillingSubscription: its id, plus some of the
// undeclared keys a Stripe subscription carries.
func subscription(id, customerID string) map[string]any {
	return map[string]any{
		"id":       id,
		"object":   "subscription",
		"customer": customerID,
		"status":   "active",
	}
}

// emailSafe maps a customer id onto characters valid in an email local part.
func emailSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		}
		return '-'
	}, s)
}

// digest returns the first n hex digits of the SHA-256 of s: a stable,
// opaque token for derived ids.
func digest(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:n]
}

// digestUint returns 64 bits of the SHA-256 of s, for derived numbers.
func digestUint(s string) uint64 {
	sum := sha256.Sum256([]byte(s))
	return binary.BigEndian.Uint64(sum[:8])
}
