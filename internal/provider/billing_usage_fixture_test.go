package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// Route keys of the usage-record endpoints in the mock's Stats.
const (
	usagePostRoute = "POST /v1/billing_accounts/{billing_account_id}/usage_records"
	usageListRoute = "GET /v1/billing_accounts/{billing_account_id}/usage_records"
)

// nonEmpty matches a value with no white space in it, at least one character.
var nonEmpty = regexp.MustCompile(`^\S+$`)

// testClock is a settable clock for the mock, so usage timestamps and
// billing periods are known in advance. The mock reads it from its own
// goroutines while tests move it, hence the atomic.
type testClock struct{ unix atomic.Int64 }

func newTestClock(t time.Time) *testClock {
	c := &testClock{}
	c.set(t)
	return c
}

func (c *testClock) now() time.Time  { return time.Unix(c.unix.Load(), 0).UTC() }
func (c *testClock) set(t time.Time) { c.unix.Store(t.Unix()) }
func (c *testClock) seconds() int64  { return c.unix.Load() }

// newUsageTestAPI starts a mock API whose clock is clock. wrap, when not
// nil, sits between the test server and the mock, to alter its answers.
func newUsageTestAPI(t *testing.T, clock *testClock, wrap func(http.Handler) http.Handler) *testAPI {
	t.Helper()
	opts := testMockOptions(t)
	opts.Now = clock.now
	return newWrappedTestAPI(t, opts, wrap)
}

// attachNewOrgs creates n organisations and attaches them to the account.
// The mock counts attached organisations as the account's usage.
func attachNewOrgs(t *testing.T, api *testAPI, accountID string, n int) {
	t.Helper()
	for range n {
		org := api.CreateOrg(mockapi.Organisation{Organisation: fmt.Sprintf("Org %d", len(api.Orgs())+1)})
		if err := api.AttachOrg(accountID, org.ID); err != nil {
			t.Fatal(err)
		}
	}
}

// recordUsage stores one usage record through the API, as another client
// of the billing API would.
func recordUsage(t *testing.T, api *testAPI, accountID string) {
	t.Helper()
	if _, err := api.client(t).AddUsageRecord(t.Context(), accountID, false); err != nil {
		t.Fatal(err)
	}
}

// wantUsageRecords checks the records the mock has stored for an account.
func wantUsageRecords(api *testAPI, accountID string, want ...mockapi.UsageRecord) error {
	got := api.UsageRecords(accountID)
	if len(got) != len(want) {
		return fmt.Errorf("the mock holds %d usage records for %s (%v), want %d (%v)", len(got), accountID, got, len(want), want)
	}
	for i := range want {
		if got[i] != want[i] {
			return fmt.Errorf("usage record %d in the mock is %+v, want %+v", i, got[i], want[i])
		}
	}
	return nil
}
