package mockapi_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// pagingFixture creates seven accounts a0 ... a6 (customer ids cus_0 ...
// cus_6), in that order, and returns their ids by name.
func pagingFixture(t *testing.T, opts mockapi.Options) (*fixture, map[string]string) {
	t.Helper()
	f := newFixtureWith(t, opts)
	ids := map[string]string{}
	for i := range 7 {
		ids[fmt.Sprintf("a%d", i)] = f.createAccount(fmt.Sprintf("cus_%d", i)).Metadata.ID
	}
	return f, ids
}

// page is one answer of the paged list.
type page struct {
	ids              []string
	limit            int
	next, previous   string
	hasNext, hasPrev bool
}

func (f *fixture) listPage(query url.Values) page {
	f.t.Helper()
	r := f.do(http.MethodGet, "/v1/billing_accounts?"+query.Encode(), nil).expect(f.t, http.StatusOK)
	got := decode[mockapi.ListBillingAccountsResponse](f.t, r)
	p := page{ids: accountIDs(got.BillingAccounts), limit: got.Limit}
	if got.PageAtID != nil {
		p.next, p.hasNext = *got.PageAtID, true
	}
	if got.PreviousID != nil {
		p.previous, p.hasPrev = *got.PreviousID, true
	}
	return p
}

func TestPagingWalk(t *testing.T) {
	f, ids := pagingFixture(t, mockapi.Options{APIVersion: mockapi.APIVersion1405, PageSize: 2})
	name := map[string]string{"": ""}
	for k, v := range ids {
		name[v] = k
	}
	names := func(list []string) []string {
		out := []string{}
		for _, id := range list {
			out = append(out, name[id])
		}
		return out
	}
	// Both filters keep at most one account (an org is on one account, a
	// customer id on one account), so filtered pages show where a cursor
	// lands rather than long walks.
	org := f.createOrg("org")
	if err := f.srv.AttachOrg(ids["a3"], org.ID); err != nil {
		t.Fatal(err)
	}

	type step struct {
		cursor         string // account name, "" for the first page
		want           []string
		next, previous string
	}
	tests := []struct {
		name  string
		query url.Values
		limit int
		steps []step
	}{
		{"all, page size 2", url.Values{}, 500, []step{
			{"", []string{"a0", "a1"}, "a2", ""},
			{"a2", []string{"a2", "a3"}, "a4", "a0"},
			{"a4", []string{"a4", "a5"}, "a6", "a2"},
			{"a6", []string{"a6"}, "", "a4"},
		}},
		{"limit below the page size", url.Values{"limit": {"1"}}, 1, []step{
			{"", []string{"a0"}, "a1", ""},
			{"a1", []string{"a1"}, "a2", "a0"},
			{"a5", []string{"a5"}, "a6", "a4"},
			{"a6", []string{"a6"}, "", "a5"},
		}},
		{"limit above the page size", url.Values{"limit": {"3"}}, 3, []step{
			{"", []string{"a0", "a1"}, "a2", ""},
		}},
		{"org filter, one match", url.Values{"org_id": {org.ID}}, 500, []step{
			{"", []string{"a3"}, "", ""},
			{"a3", []string{"a3"}, "", ""},
			// A cursor the filter leaves out starts at the next match.
			{"a1", []string{"a3"}, "", ""},
			{"a4", []string{}, "", "a3"},
		}},
		{"customer filter", url.Values{"customer_id": {"cus_5"}}, 500, []step{
			{"", []string{"a5"}, "", ""},
			{"a0", []string{"a5"}, "", ""},
			{"a6", []string{}, "", "a5"},
		}},
		{"customer filter, no match", url.Values{"customer_id": {"nobody"}}, 500, []step{
			{"", []string{}, "", ""},
		}},
		{"org and customer filters", url.Values{"org_id": {org.ID}, "customer_id": {"cus_3"}, "limit": {"1"}}, 1, []step{
			{"", []string{"a3"}, "", ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range tt.steps {
				q := url.Values{}
				for k, v := range tt.query {
					q[k] = v
				}
				if s.cursor != "" {
					q.Set("page_at_id", ids[s.cursor])
				}
				got := f.listPage(q)
				if !slices.Equal(names(got.ids), s.want) || name[got.next] != s.next || name[got.previous] != s.previous {
					t.Errorf("at %q: accounts %v next %q previous %q; want %v %q %q",
						s.cursor, names(got.ids), name[got.next], name[got.previous], s.want, s.next, s.previous)
				}
				if !got.hasNext || !got.hasPrev || got.limit != tt.limit {
					t.Errorf("at %q: page_at_id present %v, previous_id present %v, limit %d (want %d)",
						s.cursor, got.hasNext, got.hasPrev, got.limit, tt.limit)
				}
			}
		})
	}
}

// A client walks forwards by page_at_id to the end, then backwards by
// previous_id to the start, over a list with gaps left by deleted accounts.
func TestPagingForwardAndBack(t *testing.T) {
	f := newFixtureWith(t, mockapi.Options{APIVersion: mockapi.APIVersion1405, PageSize: 2})
	var kept []string
	for i := range 9 {
		id := f.createAccount(fmt.Sprintf("cus_%d", i)).Metadata.ID
		if i%3 != 1 {
			kept = append(kept, id)
		} else if !f.srv.DeleteAccount(id) {
			t.Fatal("DeleteAccount failed")
		}
	}

	var forward [][]string
	cursor := ""
	for range 10 {
		q := url.Values{"limit": {"500"}}
		if cursor != "" {
			q.Set("page_at_id", cursor)
		}
		p := f.listPage(q)
		forward = append(forward, p.ids)
		if p.next == "" {
			break
		}
		cursor = p.next
	}
	want := [][]string{kept[0:2], kept[2:4], kept[4:6]}
	if !slices.EqualFunc(forward, want, slices.Equal) {
		t.Fatalf("forward pages = %v, want %v", forward, want)
	}

	var backward [][]string
	for cursor = kept[4]; ; {
		p := f.listPage(url.Values{"page_at_id": {cursor}})
		backward = append(backward, p.ids)
		if p.previous == "" {
			break
		}
		cursor = p.previous
	}
	if want := [][]string{kept[4:6], kept[2:4], kept[0:2]}; !slices.EqualFunc(backward, want, slices.Equal) {
		t.Errorf("backward pages = %v, want %v", backward, want)
	}
}

func TestPagingBadCursor(t *testing.T) {
	f := newFixtureWith(t, mockapi.Options{APIVersion: mockapi.APIVersion1405, PageSize: 1})
	a := f.createAccount("cus_1")
	gone := f.createAccount("cus_2")
	f.srv.DeleteAccount(gone.Metadata.ID)
	org := f.createOrg("org")
	for name, cursor := range map[string]string{
		"never issued":      "nope",
		"deleted account":   gone.Metadata.ID,
		"an org, not an id": org.ID,
	} {
		t.Run(name, func(t *testing.T) {
			e := f.do(http.MethodGet, "/v1/billing_accounts?page_at_id="+cursor, nil).expectError(t, http.StatusBadRequest, mockapi.CodeInvalidQuery)
			if !strings.Contains(e.Message, "page_at_id") || !strings.Contains(e.Message, cursor) {
				t.Errorf("message %q does not name the cursor", e.Message)
			}
		})
	}
	// An empty cursor is the first page.
	if p := f.listPage(url.Values{"page_at_id": {""}}); !slices.Equal(p.ids, []string{a.Metadata.ID}) {
		t.Errorf("empty page_at_id: %v", p.ids)
	}
}

func TestPagingByGeneration(t *testing.T) {
	f := newFixtureWith(t, mockapi.Options{PageSize: 2})
	for i := range 3 {
		f.createAccount(fmt.Sprintf("cus_%d", i))
	}
	// 1.125.2 does not page: the page size and any cursor are ignored, and
	// the answer has no paging keys.
	r := f.do(http.MethodGet, "/v1/billing_accounts?page_at_id=nope", nil).expect(t, http.StatusOK)
	body := keys(t, r.body)
	if _, ok := body["page_at_id"]; ok {
		t.Errorf("1.125.2 answer has page_at_id: %s", r.body)
	}
	if _, ok := body["previous_id"]; ok {
		t.Errorf("1.125.2 answer has previous_id: %s", r.body)
	}
	if p := f.listPage(url.Values{}); len(p.ids) != 3 {
		t.Errorf("1.125.2 listed %d accounts, want 3", len(p.ids))
	}

	// Switched at run time to 1.405.8, the same list is paged; without a
	// page size only the limit cuts it.
	if err := f.srv.SetBehaviour(mockapi.Behaviour{APIVersion: mockapi.APIVersion1405, PageSize: 2}); err != nil {
		t.Fatal(err)
	}
	if p := f.listPage(url.Values{}); len(p.ids) != 2 || p.next == "" || !p.hasPrev || p.previous != "" {
		t.Errorf("1.405.8 first page: %+v", p)
	}
	if err := f.srv.SetBehaviour(mockapi.Behaviour{APIVersion: mockapi.APIVersion1405}); err != nil {
		t.Fatal(err)
	}
	r = f.do(http.MethodGet, "/v1/billing_accounts", nil).expect(t, http.StatusOK)
	if body := keys(t, r.body); body["page_at_id"] != "" || body["previous_id"] != "" || len(decode[mockapi.ListBillingAccountsResponse](t, r).BillingAccounts) != 3 {
		t.Errorf("1.405.8 without page size: %s", r.body)
	}
}
