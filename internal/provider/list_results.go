package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Helpers shared by the list resources (`terraform query`).

// setResourceModel sets a list result's resource from model (a pointer to
// the resource's model struct) as a refresh after an import holds it: every
// attribute of the model, and the timeouts block, which the model holds at
// *timeoutsField, left out (null). Setting the whole model rather than
// attributes by name means an attribute added to the model reaches
// include_resource with nothing more to write.
func setResourceModel(ctx context.Context, target *tfsdk.Resource, model any, timeoutsField *timeouts.Value) diag.Diagnostics {
	typ, diags := target.Schema.TypeAtPath(ctx, path.Root("timeouts"))
	if diags.HasError() {
		return diags
	}
	block, ok := typ.(timeouts.Type)
	if !ok {
		diags.AddError("Unexpected resource schema", fmt.Sprintf("The timeouts block has type %s, not a timeouts block.", typ))
		return diags
	}
	*timeoutsField = timeouts.Value{Object: types.ObjectNull(block.AttrTypes)}
	diags.Append(target.Set(ctx, model)...)
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
