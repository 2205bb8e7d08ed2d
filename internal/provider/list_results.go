package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// Helpers shared by the list resources (`terraform query`).

// setResourceAttributes sets top-level attributes of a list result's
// resource one by one, as an import does, so that those left out (the
// timeouts block) stay null.
func setResourceAttributes(ctx context.Context, target *tfsdk.Resource, values map[string]any) diag.Diagnostics {
	var diags diag.Diagnostics
	for name, v := range values {
		diags.Append(target.SetAttribute(ctx, path.Root(name), v)...)
	}
	return diags
}

// listConfig reads a list block's config into cfg. When it cannot be read,
// or the provider is not configured, it ends the stream with the error and
// reports false.
func listConfig(ctx context.Context, req list.ListRequest, data *providerData, cfg any, stream *list.ListResultsStream) bool {
	diags := req.Config.Get(ctx, cfg)
	if data == nil {
		diags.AddError("Provider not configured", "The Agilicus provider was not configured before listing.")
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return false
	}
	return true
}

// listError is a result that ends a listing with an error.
func listError(summary, detail string) list.ListResult {
	var d diag.Diagnostics
	d.AddError(summary, detail)
	return list.ListResult{Diagnostics: d}
}

// resultBudget counts the results a listing pushed against Terraform's
// limit (0: no limit).
type resultBudget struct {
	limit, pushed int64
}

// take reports whether another result may be pushed, and counts it.
func (b *resultBudget) take() bool {
	if b.limit > 0 && b.pushed >= b.limit {
		return false
	}
	b.pushed++
	return true
}

// spent reports whether no more results may be pushed.
func (b *resultBudget) spent() bool {
	return b.limit > 0 && b.pushed >= b.limit
}
