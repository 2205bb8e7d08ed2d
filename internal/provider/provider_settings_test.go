package provider

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

func TestResolveSettings(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	nullCfg := AgilicusProviderModel{
		Host: types.StringNull(), AccessToken: types.StringNull(),
		AuthenticationDocument: types.StringNull(), Scopes: types.ListNull(types.StringType),
		APIKey: types.StringNull(), APIKeyUser: types.StringNull(),
		MaxRetries: types.Int64Null(), RequestTimeout: types.StringNull(),
	}
	withCfg := func(f func(*AgilicusProviderModel)) AgilicusProviderModel {
		c := nullCfg
		f(&c)
		return c
	}
	tests := []struct {
		name    string
		cfg     AgilicusProviderModel
		getenv  func(string) string
		want    providerSettings
		wantErr string
	}{
		{
			name:   "defaults with a token from the environment",
			cfg:    nullCfg,
			getenv: env(EnvAccessToken, "tok"),
			want:   providerSettings{host: "https://api.agilicus.com", token: "tok", maxRetries: 10, requestTimeout: 60 * time.Second},
		},
		{
			name: "the block wins over the environment",
			cfg: withCfg(func(c *AgilicusProviderModel) {
				c.Host = types.StringValue("https://example.test")
				c.AccessToken = types.StringValue("block")
				c.MaxRetries = types.Int64Value(0)
				c.RequestTimeout = types.StringValue("5s")
			}),
			getenv: env(EnvHost, "https://env.test", EnvAccessToken, "env", EnvMaxRetries, "7", EnvRequestTimeout, "9s"),
			want:   providerSettings{host: "https://example.test", token: "block", maxRetries: 0, requestTimeout: 5 * time.Second},
		},
		{
			name:   "all from the environment",
			cfg:    nullCfg,
			getenv: env(EnvHost, "http://127.0.0.1:8080", EnvAccessToken, "env", EnvMaxRetries, "3", EnvRequestTimeout, "2m"),
			want:   providerSettings{host: "http://127.0.0.1:8080", token: "env", maxRetries: 3, requestTimeout: 2 * time.Minute},
		},
		{name: "missing token", cfg: nullCfg, getenv: env(), wantErr: "Missing Agilicus access token"},
		{
			name:    "two ways in the environment",
			cfg:     nullCfg,
			getenv:  env(EnvAccessToken, "tok", EnvAPIKey, "key", EnvAPIKeyUser, "me@example.com"),
			wantErr: "Both " + EnvAccessToken + " and " + EnvAPIKey + " are set",
		},
		{
			name: "the block's way wins over the environment's",
			cfg: withCfg(func(c *AgilicusProviderModel) {
				c.APIKey = types.StringValue("key")
				c.APIKeyUser = types.StringValue("me@example.com")
			}),
			getenv: env(EnvAccessToken, "tok"),
			want: providerSettings{host: "https://api.agilicus.com", apiKey: client.APIKey{Key: "key", User: "me@example.com"},
				maxRetries: 10, requestTimeout: 60 * time.Second},
		},
		{name: "API key without its user", cfg: nullCfg, getenv: env(EnvAPIKey, "key"), wantErr: "Missing Agilicus API key user"},
		{name: "document that is not JSON", cfg: nullCfg, getenv: env(EnvAuthenticationDocument, "{not json"), wantErr: "authentication document is not JSON"},
		{name: "token from a file with its line break", cfg: nullCfg, getenv: env(EnvAccessToken, "tok\n"), wantErr: "access token from " + EnvAccessToken + " contains a line break"},
		{
			name:    "token in the block with a line break",
			cfg:     withCfg(func(c *AgilicusProviderModel) { c.AccessToken = types.StringValue("tok\r\n") }),
			getenv:  env(),
			wantErr: "trimspace(file(",
		},
		{name: "blank token", cfg: nullCfg, getenv: env(EnvAccessToken, "  "), wantErr: "Missing Agilicus access token"},
		{name: "plain http to a remote host", cfg: nullCfg, getenv: env(EnvAccessToken, "t", EnvHost, "http://api.agilicus.com"), wantErr: "plain http is only allowed for loopback"},
		{name: "relative host", cfg: nullCfg, getenv: env(EnvAccessToken, "t", EnvHost, "api.agilicus.com"), wantErr: "must be an absolute URL"},
		{name: "bad retries in env", cfg: nullCfg, getenv: env(EnvAccessToken, "t", EnvMaxRetries, "many"), wantErr: "Invalid " + EnvMaxRetries},
		{name: "too many retries in env", cfg: nullCfg, getenv: env(EnvAccessToken, "t", EnvMaxRetries, "51"), wantErr: "Invalid " + EnvMaxRetries},
		{name: "bad timeout in env", cfg: nullCfg, getenv: env(EnvAccessToken, "t", EnvRequestTimeout, "-1s"), wantErr: "Invalid " + EnvRequestTimeout},
		{
			name:    "unknown host",
			cfg:     withCfg(func(c *AgilicusProviderModel) { c.Host = types.StringUnknown() }),
			getenv:  env(EnvAccessToken, "t"),
			wantErr: "Unknown Agilicus provider setting",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := resolveSettings(tt.cfg, tt.getenv)
			if tt.wantErr != "" {
				if !diags.HasError() {
					t.Fatalf("want an error containing %q, got none", tt.wantErr)
				}
				var all []string
				for _, d := range diags.Errors() {
					all = append(all, d.Summary()+": "+d.Detail())
				}
				if joined := strings.Join(all, "\n"); !strings.Contains(joined, tt.wantErr) {
					t.Fatalf("errors %q do not mention %q", joined, tt.wantErr)
				}
				return
			}
			if diags.HasError() {
				t.Fatalf("unexpected errors: %v", diags)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
