package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// idValidator accepts strings that can safely name one API object: the
// client's own rule, checked at plan time so bad ids never reach the API.
type idValidator struct{}

func (idValidator) Description(context.Context) string {
	return "must be a non-empty id without slashes, percent signs, white space or control characters"
}

func (v idValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (idValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := client.ValidateID(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid id",
			fmt.Sprintf("%s %q %s.", req.Path, req.ConfigValue.ValueString(), err))
	}
}

// nonBlankString rejects empty and all-white-space strings.
type nonBlankString struct{}

func (nonBlankString) Description(context.Context) string { return "must not be empty or blank" }

func (v nonBlankString) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (nonBlankString) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if strings.TrimSpace(req.ConfigValue.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Empty value",
			fmt.Sprintf("%s must not be empty; leave it out instead.", req.Path))
	}
}

// baseURLValidator checks the API host with the client's own rule.
type baseURLValidator struct{}

func (baseURLValidator) Description(context.Context) string {
	return "must be an absolute https:// URL (http:// only for loopback addresses)"
}

func (v baseURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (baseURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := client.ParseBaseURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Agilicus API host", err.Error())
	}
}

// durationValidator accepts Go durations in (0, max].
type durationValidator struct{ max time.Duration }

func (v durationValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a duration such as \"30s\", longer than zero and at most %s", v.max)
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseTimeout(req.ConfigValue.ValueString(), v.max); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration", err.Error())
	}
}

// tokenValidator refuses a token with a line break at validate time, when
// the value is known then.
type tokenValidator struct{}

func (tokenValidator) Description(context.Context) string { return "must not contain line breaks" }

func (v tokenValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (tokenValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if strings.ContainsAny(req.ConfigValue.ValueString(), "\r\n") {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Agilicus access token", tokenLineBreakDetail("access_token"))
	}
}

// documentValidator checks an authentication document at validate time,
// when its value is known then, naming the field at fault.
type documentValidator struct{}

func (documentValidator) Description(context.Context) string {
	return "must be an authentication document's JSON as returned on creation, with its EC P-256 key"
}

func (v documentValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (documentValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := client.ParseAuthenticationDocument([]byte(req.ConfigValue.ValueString())); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Agilicus authentication document", err.Error()+".")
	}
}
