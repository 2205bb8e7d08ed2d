package provider

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// providerSettings are the provider's settings once the provider block and
// the environment are merged.
type providerSettings struct {
	host           string
	token          string
	maxRetries     int
	requestTimeout time.Duration
}

// resolveSettings merges the provider block with the environment: a value in
// the block wins, then the environment variable, then the default. Values
// unknown at configure time are errors because the client cannot be built
// without them.
func resolveSettings(cfg AgilicusProviderModel, getenv func(string) string) (providerSettings, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := providerSettings{
		host:           client.DefaultBaseURL,
		maxRetries:     client.DefaultMaxRetries,
		requestTimeout: client.DefaultRequestTimeout,
	}
	unknown := func(attr string) {
		diags.AddAttributeError(path.Root(attr), "Unknown Agilicus provider setting",
			fmt.Sprintf("The provider cannot be configured because %q is not known until apply. "+
				"Set it to a static value or use the environment variable instead.", attr))
	}

	switch {
	case cfg.Host.IsUnknown():
		unknown("host")
	case !cfg.Host.IsNull():
		s.host = cfg.Host.ValueString()
	case getenv(EnvHost) != "":
		s.host = getenv(EnvHost)
	}
	if _, err := client.ParseBaseURL(s.host); err != nil {
		diags.AddAttributeError(path.Root("host"), "Invalid Agilicus API host", err.Error())
	}

	switch {
	case cfg.AccessToken.IsUnknown():
		unknown("access_token")
	case !cfg.AccessToken.IsNull():
		s.token = cfg.AccessToken.ValueString()
	default:
		s.token = getenv(EnvAccessToken)
	}
	switch {
	case strings.TrimSpace(s.token) == "" && !cfg.AccessToken.IsUnknown():
		diags.AddAttributeError(path.Root("access_token"), "Missing Agilicus access token",
			"The provider needs a bearer token for the Agilicus API. Set \"access_token\" in the provider "+
				"block or the "+EnvAccessToken+" environment variable.")
	case strings.ContainsAny(s.token, "\r\n"):
		source := "access_token"
		if cfg.AccessToken.IsNull() {
			source = EnvAccessToken
		}
		diags.AddAttributeError(path.Root("access_token"), "Invalid Agilicus access token", tokenLineBreakDetail(source))
	}

	switch {
	case cfg.MaxRetries.IsUnknown():
		unknown("max_retries")
	case !cfg.MaxRetries.IsNull():
		s.maxRetries = int(cfg.MaxRetries.ValueInt64())
	case getenv(EnvMaxRetries) != "":
		n, err := strconv.Atoi(strings.TrimSpace(getenv(EnvMaxRetries)))
		if err != nil || n < 0 || n > maxMaxRetries {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid "+EnvMaxRetries,
				fmt.Sprintf("%s must be a whole number between 0 and %d, got %q.", EnvMaxRetries, maxMaxRetries, getenv(EnvMaxRetries)))
		} else {
			s.maxRetries = n
		}
	}

	switch {
	case cfg.RequestTimeout.IsUnknown():
		unknown("request_timeout")
	case !cfg.RequestTimeout.IsNull():
		s.requestTimeout, _ = time.ParseDuration(cfg.RequestTimeout.ValueString()) // checked by the validator
	case getenv(EnvRequestTimeout) != "":
		d, err := parseTimeout(getenv(EnvRequestTimeout), maxRequestTimeout)
		if err != nil {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid "+EnvRequestTimeout, err.Error())
		} else {
			s.requestTimeout = d
		}
	}
	return s, diags
}

// tokenLineBreakDetail explains a token with a line break, which a token
// read from a file usually ends with.
func tokenLineBreakDetail(source string) string {
	return fmt.Sprintf("The access token from %s contains a line break, as a token read from a file with file() "+
		"usually does; a token with a line break cannot be sent. Remove it, for example with "+
		"access_token = trimspace(file(\"token.txt\")).", source)
}

// parseTimeout parses a positive Go duration no longer than limit.
func parseTimeout(v string, limit time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	switch {
	case err != nil:
		return 0, fmt.Errorf("%q is not a duration such as \"30s\" or \"2m\"", v)
	case d <= 0:
		return 0, fmt.Errorf("%q must be longer than zero", v)
	case d > limit:
		return 0, fmt.Errorf("%q must be at most %s", v, limit)
	}
	return d, nil
}
