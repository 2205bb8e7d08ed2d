package provider

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// A create answered by a server error that may follow a commit is looked up
// by customer_id and adopted, not reported as a failure that would leave the
// account behind unmanaged.
func TestCreateAccountAdoptsAfterAmbiguousServerError(t *testing.T) {
	api := mockapi.New(testMockOptions(t))
	ts := httptest.NewServer(gatewayAfterCommit{api: api})
	t.Cleanup(ts.Close)
	c, err := client.New(client.Config{BaseURL: ts.URL, Token: testToken, MaxRetries: 2})
	if err != nil {
		t.Fatal(err)
	}
	got, err := createAccount(t.Context(), c, client.BillingAccountSpec{CustomerID: "cus_gateway"})
	if err != nil {
		t.Fatalf("createAccount: %v", err)
	}
	accounts := api.Accounts()
	if len(accounts) != 1 || accounts[0].Metadata.ID != got.ID() {
		t.Fatalf("adopted %q; the API holds %d accounts", got.ID(), len(accounts))
	}
	if n := api.Stats().Routes["POST /v1/billing_accounts"]; n != 1 {
		t.Fatalf("the create was sent %d times, want once", n)
	}
}

// A create that fails in a way that may follow a commit, and that a lookup
// then shows was not made, is sent again as often as max_retries allows and
// no more: turning retries off turns these replays off too.
func TestCreateAccountReplaysUpToMaxRetries(t *testing.T) {
	for _, maxRetries := range []int{0, 1, 5} {
		t.Run(fmt.Sprintf("max_retries=%d", maxRetries), func(t *testing.T) {
			api := mockapi.New(testMockOptions(t))
			gateway := gatewayBeforeCommit{api: api, creates: new(atomic.Int32)}
			ts := httptest.NewServer(gateway)
			t.Cleanup(ts.Close)
			c, err := client.New(client.Config{BaseURL: ts.URL, Token: testToken, MaxRetries: maxRetries})
			if err != nil {
				t.Fatal(err)
			}
			_, err = createAccount(t.Context(), c, client.BillingAccountSpec{CustomerID: "cus_unlucky"})
			var apiErr *client.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadGateway {
				t.Fatalf("createAccount: got %v, want the last 502", err)
			}
			if got, want := gateway.creates.Load(), int32(1+maxRetries); got != want {
				t.Fatalf("the create was sent %d times, want %d (once and max_retries replays)", got, want)
			}
			// Each replay followed a lookup that found nothing.
			if got, want := api.Stats().Routes["GET /v1/billing_accounts"], 1+maxRetries; got != want {
				t.Fatalf("%d lookups by customer_id, want %d", got, want)
			}
		})
	}
}

// gatewayBeforeCommit answers every account create with 502 without passing
// it on, as a gateway that cannot reach the backend would, and counts them.
type gatewayBeforeCommit struct {
	api     *mockapi.Server
	creates *atomic.Int32
}

func (g gatewayBeforeCommit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/v1/billing_accounts" {
		g.creates.Add(1)
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	g.api.ServeHTTP(w, r)
}

// gatewayAfterCommit lets the mock carry out every account create and then
// answers 502, as a gateway that lost the backend's answer would.
type gatewayAfterCommit struct{ api *mockapi.Server }

func (g gatewayAfterCommit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/v1/billing_accounts" {
		g.api.ServeHTTP(httptest.NewRecorder(), r)
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	g.api.ServeHTTP(w, r)
}
