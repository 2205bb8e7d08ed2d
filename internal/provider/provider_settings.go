package provider

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// providerSettings are the provider's settings once the provider block and
// the environment are merged.
type providerSettings struct {
	host           string
	token          string
	document       *client.AuthenticationDocument
	scopes         []string
	apiKey         client.APIKey
	maxRetries     int
	requestTimeout time.Duration
}

// credentials are what authorizes the client's requests: the one way
// resolveSettings found. onSecret is told the secrets a document's
// exchanges make.
func (s providerSettings) credentials(onSecret func(string)) client.Credentials {
	switch {
	case s.document != nil:
		return client.NewDocumentCredentials(s.document, s.scopes, s.requestTimeout, onSecret)
	case s.apiKey.Key != "":
		return s.apiKey
	}
	return client.BearerToken(s.token)
}

// secrets are the configured secrets, for masking in logs.
func (s providerSettings) secrets() []string {
	return []string{s.token, s.apiKey.Key}
}

// authWay is one way to authenticate: its attribute and environment
// variable, and whether the block or the environment gives it.
type authWay struct {
	attr, env string
	inBlock   bool
	inEnv     bool
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

	resolveCredentials(cfg, getenv, &s, &diags)

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

// resolveCredentials finds the one way to authenticate: the block's, or
// when the block gives none, the environment's. Two ways in the same place
// are an error that names both.
func resolveCredentials(cfg AgilicusProviderModel, getenv func(string) string, s *providerSettings, diags *diag.Diagnostics) {
	for _, v := range []types.String{cfg.AccessToken, cfg.AuthenticationDocument, cfg.APIKey, cfg.APIKeyUser} {
		if v.IsUnknown() {
			diags.AddError("Unknown Agilicus provider setting", "The provider cannot be configured because its "+
				"credentials are not known until apply. Set them to static values or use the environment variables instead.")
			return
		}
	}
	ways := []authWay{
		{attr: "access_token", env: EnvAccessToken, inBlock: !cfg.AccessToken.IsNull(), inEnv: getenv(EnvAccessToken) != ""},
		{attr: "authentication_document", env: EnvAuthenticationDocument, inBlock: !cfg.AuthenticationDocument.IsNull(), inEnv: getenv(EnvAuthenticationDocument) != ""},
		{attr: "api_key", env: EnvAPIKey, inBlock: !cfg.APIKey.IsNull(), inEnv: getenv(EnvAPIKey) != ""},
	}
	fromBlock := false
	for _, w := range ways {
		fromBlock = fromBlock || w.inBlock
	}
	var chosen []authWay
	for _, w := range ways {
		if (fromBlock && w.inBlock) || (!fromBlock && w.inEnv) {
			chosen = append(chosen, w)
		}
	}
	name := func(w authWay) string {
		if fromBlock {
			return w.attr
		}
		return w.env
	}
	switch {
	case len(chosen) == 0:
		diags.AddAttributeError(path.Root("access_token"), "Missing Agilicus access token",
			"The provider needs credentials for the Agilicus API, one of: \"authentication_document\" (a service "+
				"account's document, the way for CI), \"access_token\" (a bearer token), or \"api_key\" with "+
				"\"api_key_user\". Set one in the provider block or its environment variable ("+EnvAuthenticationDocument+
				", "+EnvAccessToken+", "+EnvAPIKey+").")
		return
	case len(chosen) > 1:
		diags.AddAttributeError(path.Root(chosen[1].attr), "Conflicting Agilicus credentials",
			fmt.Sprintf("Both %s and %s are set; the provider authenticates one way only. Remove one of them.",
				name(chosen[0]), name(chosen[1])))
		return
	}
	value := func(block types.String, env string) string {
		if fromBlock {
			return block.ValueString()
		}
		return getenv(env)
	}
	switch chosen[0].attr {
	case "access_token":
		s.token = value(cfg.AccessToken, EnvAccessToken)
		switch {
		case strings.TrimSpace(s.token) == "":
			diags.AddAttributeError(path.Root("access_token"), "Missing Agilicus access token",
				"The access token is empty. Set \"access_token\" in the provider block or the "+EnvAccessToken+" environment variable.")
		case strings.ContainsAny(s.token, "\r\n"):
			diags.AddAttributeError(path.Root("access_token"), "Invalid Agilicus access token", tokenLineBreakDetail(name(chosen[0])))
		}
	case "authentication_document":
		doc, err := client.ParseAuthenticationDocument([]byte(value(cfg.AuthenticationDocument, EnvAuthenticationDocument)))
		if err != nil {
			diags.AddAttributeError(path.Root("authentication_document"), "Invalid Agilicus authentication document",
				fmt.Sprintf("%s (from %s).", err, name(chosen[0])))
			return
		}
		s.document = doc
		if !cfg.Scopes.IsNull() && !cfg.Scopes.IsUnknown() {
			for _, e := range cfg.Scopes.Elements() {
				if str, ok := e.(types.String); ok && !str.IsNull() {
					s.scopes = append(s.scopes, str.ValueString())
				}
			}
		} else {
			s.scopes = strings.Fields(getenv(EnvScopes))
		}
	case "api_key":
		s.apiKey = client.APIKey{Key: value(cfg.APIKey, EnvAPIKey), User: value(cfg.APIKeyUser, EnvAPIKeyUser)}
		if strings.TrimSpace(s.apiKey.User) == "" {
			diags.AddAttributeError(path.Root("api_key_user"), "Missing Agilicus API key user",
				"An API key is sent with the email address of its user: set \"api_key_user\" or "+EnvAPIKeyUser+".")
		}
	}
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
