package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// tfLogger sends the client's request lines to Terraform's log. The client
// never puts the token in a line; masking it anyway guards against a future
// field that would.
type tfLogger struct{ token string }

var _ client.Logger = tfLogger{}

func newTFLogger(token string) tfLogger { return tfLogger{token: token} }

func (l tfLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(l.mask(ctx), msg, fields)
}

func (l tfLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(l.mask(ctx), msg, fields)
}

func (l tfLogger) mask(ctx context.Context) context.Context {
	return tflog.MaskAllFieldValuesStrings(tflog.MaskMessageStrings(ctx, l.token), l.token)
}
