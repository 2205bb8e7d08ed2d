package provider

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
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
