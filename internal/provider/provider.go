// Package provider implements the Agilicus Terraform provider on the
// terraform-plugin-framework.
package provider

import (
	"context"
	"os"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/providervalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/agilicus/agilicus"

// Environment variables read when the provider block leaves a setting out.
const (
	EnvHost                   = "AGILICUS_API_HOST"
	EnvAccessToken            = "AGILICUS_ACCESS_TOKEN"
	EnvAuthenticationDocument = "AGILICUS_AUTHENTICATION_DOCUMENT"
	EnvScopes                 = "AGILICUS_SCOPES"
	EnvAPIKey                 = "AGILICUS_API_KEY"
	EnvAPIKeyUser             = "AGILICUS_API_KEY_USER"
	EnvMaxRetries             = "AGILICUS_MAX_RETRIES"
	EnvRequestTimeout         = "AGILICUS_REQUEST_TIMEOUT"
)

// Bounds of the retry and timeout settings.
const (
	maxMaxRetries     = 50
	maxRequestTimeout = 10 * time.Minute
)

var (
	_ provider.Provider                     = &AgilicusProvider{}
	_ provider.ProviderWithConfigValidators = &AgilicusProvider{}
	_ provider.ProviderWithListResources    = &AgilicusProvider{}
	_ provider.ProviderWithActions          = &AgilicusProvider{}
)

// AgilicusProvider is the provider implementation.
type AgilicusProvider struct {
	version string
}

// AgilicusProviderModel maps the provider block.
type AgilicusProviderModel struct {
	Host                   types.String `tfsdk:"host"`
	AccessToken            types.String `tfsdk:"access_token"`
	AuthenticationDocument types.String `tfsdk:"authentication_document"`
	Scopes                 types.List   `tfsdk:"scopes"`
	APIKey                 types.String `tfsdk:"api_key"`
	APIKeyUser             types.String `tfsdk:"api_key_user"`
	MaxRetries             types.Int64  `tfsdk:"max_retries"`
	RequestTimeout         types.String `tfsdk:"request_timeout"`
}

// New returns a constructor of the provider for the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &AgilicusProvider{version: version}
	}
}

// Metadata names the provider and sets the prefix of its type names.
func (p *AgilicusProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "agilicus"
	resp.Version = p.version
}

// Schema describes the provider block.
func (p *AgilicusProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Agilicus provider manages Agilicus billing: billing accounts, " +
			"the organisations attached to them, and their usage records.",
		Attributes: map[string]schema.Attribute{
			"host": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Agilicus API. Defaults to the `" + EnvHost +
					"` environment variable, then to `" + client.DefaultBaseURL + "`. Must use `https://`; " +
					"plain `http://` is accepted only for loopback addresses (a local mock API).",
				Optional:   true,
				Validators: []validator.String{baseURLValidator{}},
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "Bearer token (JWT) for the Agilicus API. Defaults to the `" + EnvAccessToken +
					"` environment variable. Prefer the environment variable so the token stays out of configuration files. " +
					"Access tokens are short-lived: for runs that may outlive one, use `authentication_document`. " +
					"One of `access_token`, `authentication_document` and `api_key` is required.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{nonBlankString{}, tokenValidator{}},
			},
			"authentication_document": schema.StringAttribute{
				MarkdownDescription: "A service account's authentication document: its JSON as the API returned it on " +
					"creation, private key (`status.key`) included, for example `file(\"agilicus-document.json\")`. The " +
					"provider exchanges it for access tokens at the document's issuer (`spec.auth_issuer_url`) whenever " +
					"one is needed, so long runs outlive any one token. Defaults to the `" + EnvAuthenticationDocument +
					"` environment variable. The way to run the provider in CI.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{documentValidator{}},
			},
			"scopes": schema.ListAttribute{
				MarkdownDescription: "Scopes to ask for when exchanging `authentication_document` for tokens. Defaults to " +
					"the `" + EnvScopes + "` environment variable (scopes separated by spaces), then to none.",
				Optional:    true,
				ElementType: types.StringType,
			},
			"api_key": schema.StringAttribute{
				MarkdownDescription: "An API key, sent with HTTP basic auth and `api_key_user`. Less secure than " +
					"short-lived tokens: use it only where an authentication document cannot be. Defaults to the `" +
					EnvAPIKey + "` environment variable.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{nonBlankString{}},
			},
			"api_key_user": schema.StringAttribute{
				MarkdownDescription: "The email address of the API key's user, the user name of the basic auth. " +
					"Defaults to the `" + EnvAPIKeyUser + "` environment variable.",
				Optional:   true,
				Validators: []validator.String{nonBlankString{}},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times a failed request is retried (rate limiting, server errors, " +
					"connection errors) before the operation fails. Requests that create something (a billing account, " +
					"a usage record) are retried only when the API certainly did not act on them: a 429 or 503 answer, or a " +
					"connection that failed before the request was sent; a billing account create whose answer was lost is sent again, " +
					"up to this many times, only after a lookup by `customer_id` shows it was not made. Defaults to the `" + EnvMaxRetries + "` environment " +
					"variable, then to " + strconv.Itoa(client.DefaultMaxRetries) + ". Between `0` (no retries) and `" +
					strconv.Itoa(maxMaxRetries) + "`. A refused connection is retried 3 times at most, and an unknown host " +
					"or a TLS or protocol mismatch not at all: no retry mends them.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxMaxRetries)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Time limit of one HTTP attempt, as a Go duration such as `30s` or `2m`. " +
					"Defaults to the `" + EnvRequestTimeout + "` environment variable, then to `" +
					durationText(client.DefaultRequestTimeout) + "`. At most `" + durationText(maxRequestTimeout) + "`. " +
					"Operation-wide limits are set with each resource's `timeouts` block.",
				Optional:   true,
				Validators: []validator.String{durationValidator{max: maxRequestTimeout}},
			},
		},
	}
}

// ConfigValidators refuse, at validate time, a provider block with two
// ways to authenticate, or an API key without its user.
func (p *AgilicusProvider) ConfigValidators(context.Context) []provider.ConfigValidator {
	return []provider.ConfigValidator{
		providervalidator.Conflicting(path.MatchRoot("access_token"), path.MatchRoot("authentication_document"), path.MatchRoot("api_key")),
		providervalidator.RequiredTogether(path.MatchRoot("api_key"), path.MatchRoot("api_key_user")),
	}
}

// Configure builds the API client from the provider block and the
// environment.
func (p *AgilicusProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg AgilicusProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	settings, diags := resolveSettings(cfg, os.Getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	logger := newTFLogger()
	creds := settings.credentials(logger.addSecret)
	for _, secret := range settings.secrets() {
		logger.addSecret(secret)
		ctx = tflog.MaskLogStrings(ctx, secret)
	}
	ctx = tflog.SetField(ctx, "agilicus_host", settings.host)

	c, err := client.New(client.Config{
		BaseURL:        settings.host,
		Credentials:    creds,
		UserAgent:      userAgent(p.version, req.TerraformVersion),
		MaxRetries:     settings.maxRetries,
		RequestTimeout: settings.requestTimeout,
		Logger:         logger,
	})
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("host"), "Invalid Agilicus provider configuration", err.Error())
		return
	}
	tflog.Debug(ctx, "configured Agilicus API client", map[string]any{"max_retries": settings.maxRetries})
	data := newProviderData(c)
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

// Resources lists the provider's managed resources.
func (p *AgilicusProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewBillingAccountResource,
		NewBillingOrgAttachmentResource,
		NewBillingUsageRecordResource,
	}
}

// ListResources lists the managed resource types `terraform query` can
// find (Terraform 1.14 and later; other CLIs never ask).
func (p *AgilicusProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewBillingAccountListResource,
		NewBillingOrgAttachmentListResource,
	}
}

// Actions lists the provider's actions (Terraform 1.14 and later; other
// CLIs never ask).
func (p *AgilicusProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		NewBillingRecordUsageAction,
	}
}

// DataSources lists the provider's data sources.
func (p *AgilicusProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewBillingAccountDataSource,
		NewBillingAccountsDataSource,
		NewBillingAccountOrgsDataSource,
		NewBillingUsageRecordsDataSource,
		NewBillingUsageRecordPreviewDataSource,
	}
}

// durationText spells a duration as the README and configurations do:
// 60s, 10m.
func durationText(d time.Duration) string {
	if d%time.Minute == 0 && d > time.Minute {
		return strconv.Itoa(int(d/time.Minute)) + "m"
	}
	return strconv.Itoa(int(d/time.Second)) + "s"
}

func userAgent(version, terraformVersion string) string {
	ua := "terraform-provider-agilicus/" + version
	if terraformVersion != "" {
		ua += " Terraform/" + terraformVersion
	}
	return ua
}
