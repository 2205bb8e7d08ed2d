package client

import "context"

// Logger receives one line per HTTP attempt and per retry. Fields never
// contain the access token or request bodies, so a Logger may write them
// anywhere.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}
func (nopLogger) Warn(context.Context, string, map[string]any)  {}
