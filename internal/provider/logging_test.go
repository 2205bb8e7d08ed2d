package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agilicus/terraform-provider-agilicus/internal/mockapi"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// The client never puts the token in a log line today, so this test makes
// one that does: the masks must hide it in the message and in every field,
// at every level the client logs at, including secrets added later (the
// tokens an authentication document's exchanges make).
func TestTFLoggerMasksTheToken(t *testing.T) {
	const token = "eyJhbGciOi.secret-token-Zq81"
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(t.Context(), &out)
	logger := newTFLogger()
	logger.addSecret(token)
	logger.Debug(ctx, "request with Bearer "+token, map[string]any{"authorization": "Bearer " + token, "path": "/v1/x"})
	logger.Warn(ctx, "retrying "+token, map[string]any{"header": token})

	log := out.String()
	if strings.Count(log, "\n") != 2 || !strings.Contains(log, "/v1/x") {
		t.Fatalf("the two lines were not logged: %q", log)
	}
	if strings.Contains(log, token) || strings.Contains(log, "secret-token") {
		t.Fatalf("the token reached the log: %s", log)
	}
	if n := strings.Count(log, "***"); n < 4 {
		t.Fatalf("want the token masked in both messages and both fields, found %d masks: %s", n, log)
	}
}

func TestTFLoggerMasksSecretsAddedLater(t *testing.T) {
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(t.Context(), &out)
	logger := newTFLogger()
	logger.Debug(ctx, "before", nil)
	logger.addSecret("issued-token-1")
	logger.Debug(ctx, "after issued-token-1", map[string]any{"token": "issued-token-1"})
	if strings.Contains(out.String(), "issued-token-1") {
		t.Fatalf("a secret added after the logger was made reached the log: %s", out.String())
	}
}

// A full create, refresh, update and destroy with every log at TRACE must
// not write the access token anywhere: not in terraform's log, not in the
// provider's, and not in state outside the sensitive provider setting
// (which terraform never stores).
func TestAccProvider_accessTokenNeverLogged(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG_PROVIDER", "TRACE")

	// The token comes from the environment, as the docs recommend, so that
	// the test harness's own copy of the configuration does not hold it.
	t.Setenv(EnvAccessToken, testToken)
	api := newTestAPI(t)
	config := func(customerID string) string {
		return fmt.Sprintf(`
provider "agilicus" {
  host = %q
}

resource "agilicus_billing_account" "test" {
  customer_id = %q
}

data "agilicus_billing_accounts" "all" {
  include_customer_data = true
  depends_on            = [agilicus_billing_account.test]
}`, api.URL, customerID)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config("cus_trace")},
			{
				Config: config("cus_trace_2"),
				ConfigStateChecks: []statecheck.StateCheck{apiCheck(func(state *tfjson.State) error {
					raw, err := json.Marshal(state)
					if err != nil {
						return err
					}
					if strings.Contains(string(raw), testToken) {
						return fmt.Errorf("the access token is in the state")
					}
					return nil
				})},
			},
		},
	})

	data, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("no trace log was written: %v", err)
	}
	log := string(data)
	// The log must really hold terraform's and the provider's own lines, or
	// the absence of the token proves nothing.
	for _, want := range []string{"Agilicus API response", "path=/v1/billing_accounts", "ConfigureProvider"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the trace log (%d bytes) lacks %q: logging was not captured", len(log), want)
		}
	}
	if n := strings.Count(log, testToken); n != 0 {
		t.Fatalf("the access token appears %d times in the trace log", n)
	}
	t.Logf("trace log: %d bytes, %d lines, 0 token occurrences", len(log), strings.Count(log, "\n"))
}

// The same with a service account's document: neither the document's
// private key, nor the identity assertions signed with it, nor the access
// tokens they are exchanged for reach the TRACE log or the state.
func TestAccProvider_authenticationDocumentSecretsNeverLogged(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG_PROVIDER", "TRACE")
	api, document := newIssuingAPI(t, time.Hour)
	t.Setenv(EnvAuthenticationDocument, document)
	config := fmt.Sprintf(`
provider "agilicus" {
  host = %q
}

resource "agilicus_billing_account" "test" {
  customer_id = "cus_document_trace"
}`, api.URL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: []statecheck.StateCheck{exchanged(api)}}},
	})
	data, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("no trace log was written: %v", err)
	}
	log := string(data)
	if !strings.Contains(log, "Agilicus API response") {
		t.Fatalf("the trace log (%d bytes) lacks the provider's lines: logging was not captured", len(log))
	}
	var doc mockapi.AuthenticationDocument
	if err := json.Unmarshal([]byte(document), &doc); err != nil {
		t.Fatal(err)
	}
	keyBody := strings.Join(strings.Split(doc.Status.Key, "\n")[1:3], "")
	secrets := append(api.IssuedSecrets(), keyBody)
	if len(secrets) < 3 {
		t.Fatalf("only %d secrets to look for: no exchange happened", len(secrets))
	}
	for _, secret := range secrets {
		if strings.Contains(log, secret) {
			t.Fatalf("a secret of the document reached the trace log: %.20s...", secret)
		}
	}
	t.Logf("trace log: %d bytes, none of %d secrets (key, assertions, tokens) in it", len(log), len(secrets))
}
