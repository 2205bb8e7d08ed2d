package provider

import (
	"net/http"
	"net/http/httptest"
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
