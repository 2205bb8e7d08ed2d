package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
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

// eachPage GETs path page after page, following page_at_id cursors, and
// hands each page to visit, until the pages end, limit items were handed
// over (0: no limit), or visit returns false. count tells how many items a
// page holds and the cursor it ends with. It is the one paging loop of the
// client.
func eachPage[P any](ctx context.Context, c *Client, path string, q url.Values, limit int,
	count func(*P) (items int, cursor string), visit func(*P) bool,
) error {
	if limit < 0 {
		return &InvalidLimitError{Limit: limit}
	}
	pages := newCursors(http.MethodGet, path)
	for have := 0; ; {
		q.Set("limit", strconv.Itoa(pageLimit(limit, have)))
		var page P
		if _, err := c.do(ctx, request{method: http.MethodGet, path: path, query: q, idempotent: true}, &page); err != nil {
			return err
		}
		n, cursor := count(&page)
		have += n
		if !visit(&page) || (limit > 0 && have >= limit) {
			return nil
		}
		more, err := pages.next(q, cursor)
		if !more || err != nil {
			return err
		}
	}
}

// collectPages collects the items of every page of path (eachPage) until
// limit items are collected (0: all of them). page decodes one answer into
// its items, the limit it echoes and its cursor. The result holds the first
// answer's limit.
func collectPages[T, P any](ctx context.Context, c *Client, path string, limit int,
	page func(*P) (items []T, echoedLimit int, cursor string),
) (items []T, echoedLimit int, err error) {
	items = []T{}
	first := true
	err = eachPage(ctx, c, path, url.Values{}, limit,
		func(p *P) (int, string) {
			got, _, cursor := page(p)
			return len(got), cursor
		},
		func(p *P) bool {
			got, echoed, _ := page(p)
			if first {
				echoedLimit, first = echoed, false
			}
			items = append(items, got...)
			return true
		})
	if err != nil {
		return nil, 0, err
	}
	if limit > 0 && len(items) > limit {
		items = items[:limit]
	}
	return items, echoedLimit, nil
}
