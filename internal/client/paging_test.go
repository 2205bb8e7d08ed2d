package client

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// pagedAccounts answers GET /v1/billing_accounts with accounts acc1..accN,
// size per page, chaining pages with page_at_id as newer API versions do.
func pagedAccounts(n, size int, asked *[]string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		*asked = append(*asked, r.URL.RawQuery)
		start := 1
		if c := r.URL.Query().Get("page_at_id"); c != "" {
			_, _ = fmt.Sscanf(c, "acc%d", &start)
		}
		var items []string
		for i := start; i < start+size && i <= n; i++ {
			items = append(items, fmt.Sprintf(`{"metadata":{"id":"acc%d"}}`, i))
		}
		next := ""
		if start+size <= n {
			next = fmt.Sprintf("acc%d", start+size)
		}
		jsonBody(200, fmt.Sprintf(`{"limit":500,"billing_accounts":[%s],"page_at_id":%q}`, strings.Join(items, ","), next))(w, r)
	}
}

func TestListBillingAccountsFollowsPages(t *testing.T) {
	var asked []string
	c, _ := newScriptedClient(t, 0, pagedAccounts(7, 3, &asked))
	list, err := c.ListBillingAccounts(t.Context(), ListBillingAccountsParams{CustomerID: "c"})
	if err != nil || len(list.BillingAccounts) != 7 || list.BillingAccounts[6].ID() != "acc7" {
		t.Fatalf("all: %+v, %v", list, err)
	}
	want := []string{"customer_id=c&limit=500", "customer_id=c&limit=500&page_at_id=acc4", "customer_id=c&limit=500&page_at_id=acc7"}
	if fmt.Sprint(asked) != fmt.Sprint(want) {
		t.Fatalf("queries %q, want %q", asked, want)
	}

	asked = nil
	list, err = c.ListBillingAccounts(t.Context(), ListBillingAccountsParams{Limit: 4})
	if err != nil || len(list.BillingAccounts) != 4 || len(asked) != 2 || asked[1] != "limit=1&page_at_id=acc4" {
		t.Fatalf("limit 4: %d accounts, queries %q, %v", len(list.BillingAccounts), asked, err)
	}
}

func TestEachBillingAccountStopsWhenTold(t *testing.T) {
	var asked []string
	c, _ := newScriptedClient(t, 0, pagedAccounts(9, 3, &asked))
	pages := 0
	err := c.EachBillingAccount(t.Context(), ListBillingAccountsParams{}, func(*ListBillingAccountsResponse) bool {
		pages++
		return pages < 2
	})
	if err != nil || pages != 2 || len(asked) != 2 {
		t.Fatalf("pages %d, requests %d, %v", pages, len(asked), err)
	}
}

func TestPagingThatDoesNotAdvanceFails(t *testing.T) {
	c, srv := newScriptedClient(t, 0, jsonBody(200, `{"limit":500,"billing_accounts":[],"page_at_id":"same"}`))
	_, err := c.ListBillingAccounts(t.Context(), ListBillingAccountsParams{})
	if err == nil || !strings.Contains(err.Error(), `sent page cursor "same" twice`) || srv.calls.Load() != 2 {
		t.Fatalf("got %v after %d requests", err, srv.calls.Load())
	}
}

// Org and usage lists are not paged in any documented version; should the
// API start, the client follows them the same way.
func TestOrgAndUsageListsFollowPages(t *testing.T) {
	c, _ := newScriptedClient(t, 0,
		jsonBody(200, `{"limit":500,"orgs":[{"id":"o1"}],"page_at_id":"o2"}`),
		jsonBody(200, `{"limit":500,"orgs":[{"id":"o2"}]}`),
		jsonBody(200, `{"limit":500,"usage_records":[{"total_usage":1}],"page_at_id":"p2"}`),
		jsonBody(200, `{"limit":500,"usage_records":[{"total_usage":2}]}`))
	orgs, err := c.ListBillingAccountOrgs(t.Context(), "acc1", 0)
	if err != nil || len(orgs.Orgs) != 2 || orgs.Orgs[1].ID != "o2" {
		t.Fatalf("orgs: %+v, %v", orgs, err)
	}
	usage, err := c.ListUsageRecords(t.Context(), "acc1", 0)
	if err != nil || len(usage.UsageRecords) != 2 {
		t.Fatalf("usage: %+v, %v", usage, err)
	}
}
