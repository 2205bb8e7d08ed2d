package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// tfLogger sends the client's request lines to Terraform's log, masking
// every secret it was told of: the configured token, document key or API
// key, and each assertion and access token an exchange makes. The client
// never puts one in a line; masking them anyway guards against a future
// field that would.
type tfLogger struct {
	mu      *sync.RWMutex
	secrets *[]string
}

var _ client.Logger = tfLogger{}

func newTFLogger() tfLogger { return tfLogger{mu: &sync.RWMutex{}, secrets: &[]string{}} }

// addSecret masks s in every later line.
func (l tfLogger) addSecret(s string) {
	if s == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	*l.secrets = append(*l.secrets, s)
}

func (l tfLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(l.mask(ctx), msg, fields)
}

func (l tfLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(l.mask(ctx), msg, fields)
}

func (l tfLogger) mask(ctx context.Context) context.Context {
	l.mu.RLock()
	defer l.mu.RUnlock()
	secrets := *l.secrets
	return tflog.MaskAllFieldValuesStrings(tflog.MaskMessageStrings(ctx, secrets...), secrets...)
}
