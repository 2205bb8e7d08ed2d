package mockapi

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// The mock has no payment backend. The customer and subscription data the
// real service fetches on request are synthesised from the customer id, so
// the same id always yields the same data.

// customerFor returns the payment-backend customer behind a customer id.
func customerFor(customerID string) *BillingCustomer {
	return &BillingCustomer{
		Name:  "Customer " + customerID,
		Email: "billing+" + emailSafe(customerID) + "@example.com",
	}
}

// subscriptionsFor returns the customer's subscriptions: one active
// subscription for a customer id, none without one. The list is never nil,
// so it is encoded as [] rather than omitted.
func subscriptionsFor(customerID string) []map[string]any {
	if customerID == "" {
		return []map[string]any{}
	}
	return []map[string]any{{
		"id":       "sub_" + digest(customerID, 24),
		"object":   "subscription",
		"customer": customerID,
		"status":   "active",
	}}
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
