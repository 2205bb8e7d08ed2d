package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
)

// testAccProtoV6ProviderFactories serves the provider in-process to the
// terraform CLI that acceptance tests drive.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"agilicus": func() (tfprotov6.ProviderServer, error) { return NewProtocol6Server("test")(), nil },
}

// testToken is the bearer token every test mock requires, so every
// acceptance test also proves the provider sends it.
const testToken = "test-token-7Qm2vX9pLw"

func TestMain(m *testing.M) {
	// A CLI config path that does not exist makes terraform warn on every
	// command; tests need no CLI config at all.
	if p := os.Getenv("TF_CLI_CONFIG_FILE"); p != "" {
		if _, err := os.Stat(p); err != nil {
			_ = os.Unsetenv("TF_CLI_CONFIG_FILE")
		}
	}
	configureForOpenTofu()
	// Tests configure the provider explicitly; settings from the developer's
	// environment must not leak in.
	for _, env := range []string{EnvHost, EnvAccessToken, EnvAuthenticationDocument, EnvScopes, EnvAPIKey, EnvAPIKeyUser, EnvMaxRetries, EnvRequestTimeout} {
		_ = os.Unsetenv(env)
	}
	os.Exit(m.Run())
}

// testAPI is a mock Agilicus API serving one test.
type testAPI struct {
	*mockapi.Server
	URL string
}

// newTestAPI starts a mock API for t and stops it when t ends.
func newTestAPI(t *testing.T) *testAPI {
	t.Helper()
	return newWrappedTestAPI(t, testMockOptions(t), nil)
}

// newWrappedTestAPI starts a mock API with opts. wrap, when not nil, sits
// between the test server and the mock, to alter its answers.
func newWrappedTestAPI(t testing.TB, opts mockapi.Options, wrap func(http.Handler) http.Handler) *testAPI {
	t.Helper()
	srv := mockapi.New(opts)
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(srv)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return &testAPI{Server: srv, URL: ts.URL}
}

// providerConfig is the provider block pointing at the mock, followed by
// the test's own configuration. Two retries keep fault tests of the retry
// bound short.
func (a *testAPI) providerConfig(rest string) string {
	return a.providerConfigWithRetries(2, rest)
}

// providerConfigWithRetries is providerConfig with another max_retries.
func (a *testAPI) providerConfigWithRetries(maxRetries int, rest string) string {
	return fmt.Sprintf(`
provider "agilicus" {
  host         = %q
  access_token = %q
  max_retries  = %d
}
%s`, a.URL, testToken, maxRetries, rest)
}

// client returns an API client of the mock, for setting up data the way a
// user outside Terraform would.
func (a *testAPI) client(t *testing.T) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{BaseURL: a.URL, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// createAccount creates an account through the API and returns its id.
func (a *testAPI) createAccount(t *testing.T, customerID string) string {
	t.Helper()
	acc, err := a.client(t).CreateBillingAccount(t.Context(), client.BillingAccountSpec{CustomerID: customerID})
	if err != nil {
		t.Fatal(err)
	}
	return acc.ID()
}
