package client

import (
	"fmt"
	"net/url"
)

// maxPages bounds how many pages one listing follows: with 500 items a page,
// far beyond any real billing estate, while a server that hands out new
// cursors forever still ends.
const maxPages = 10000

// pageQueryParam is the query parameter (and answer key) that newer API
// versions use to page lists. Versions that do not page ignore the
// parameter and never send the key.
const pageQueryParam = "page_at_id"

// cursors follows the page_at_id cursors of one listing and stops a server
// that sends a cursor twice or never stops.
type cursors struct {
	method, path string
	seen         map[string]bool
	pages        int
}

func newCursors(method, path string) *cursors {
	return &cursors{method: method, path: path, seen: map[string]bool{}}
}

// next reports whether another page should be requested after a page that
// ended with cursor, and sets it in q. An empty cursor ends the listing.
func (c *cursors) next(q url.Values, cursor string) (bool, error) {
	if cursor == "" {
		return false, nil
	}
	c.pages++
	switch {
	case c.seen[cursor]:
		return false, fmt.Errorf("%s %s: the API sent page cursor %q twice, so its paging does not advance", c.method, c.path, cursor)
	case c.pages >= maxPages:
		return false, fmt.Errorf("%s %s: more than %d pages; stopping", c.method, c.path, maxPages)
	}
	c.seen[cursor] = true
	q.Set(pageQueryParam, cursor)
	return true, nil
}

// pageLimit is the limit to ask for when want more items are wanted (0:
// all of them).
func pageLimit(want, have int) int {
	if want == 0 {
		return MaxLimit
	}
	return min(want-have, MaxLimit)
}
