package mockapi

import (
	"fmt"
	"slices"
)

// Generation 1.405.8 pages GET /v1/billing_accounts. The cursor is an
// account id: page_at_id asks for the page that starts at that account, and
// the answer's page_at_id and previous_id name the first accounts of the
// next and the previous page. Pages are cut from the accounts that pass the
// filters, in list order (creation time, then id).
//
// A cursor may name any existing account, even one the filters leave out:
// the page then starts at the first matching account that comes after it
// in list order. This keeps paging going when an account changes between
// two requests. A cursor naming no account (never issued, or deleted since)
// cannot be placed and is rejected.

// accountPage is one page of the account list.
type accountPage struct {
	accounts []*account
	// next is the cursor of the next page; "" on the last page.
	next string
	// previous is the cursor of the previous page: the account one page
	// size before this page's first; "" on the first page.
	previous string
}

// pageSize is the number of accounts on a page: the limit the client asked
// for, capped by the server's page size when it has one.
func pageSize(limit, capacity int) int {
	if capacity > 0 && capacity < limit {
		return capacity
	}
	return limit
}

// pageAccounts cuts the page starting at cursor ("" for the first page) out
// of matched, the accounts that pass the filters, in list order.
func (st *store) pageAccounts(matched []*account, cursor string, size int) (accountPage, error) {
	start := 0
	if cursor != "" {
		at, ok := st.accounts[cursor]
		if !ok {
			return accountPage{}, fmt.Errorf("page_at_id %q names no billing account: pass the page_at_id of the previous answer, or none for the first page", cursor)
		}
		start, _ = slices.BinarySearchFunc(matched, at, compareAccounts)
	}
	end := min(start+size, len(matched))
	p := accountPage{accounts: matched[start:end]}
	if end < len(matched) {
		p.next = matched[end].id
	}
	if start > 0 {
		p.previous = matched[max(0, start-size)].id
	}
	return p, nil
}
