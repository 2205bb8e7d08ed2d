package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// Resource identities (Terraform 1.12 and later) name a resource by typed
// attributes, so that an import block can say `identity = { id = "..." }`
// instead of a string id. Older CLIs and OpenTofu send no identity: the
// framework then hands the resource a nil Identity, which every helper here
// treats as nothing to do.

// setIdentity stores identity when the CLI supports identities.
func setIdentity(ctx context.Context, target *tfsdk.ResourceIdentity, identity any) diag.Diagnostics {
	if target == nil {
		return nil
	}
	return target.Set(ctx, identity)
}

// identityFrom reads an identity given to an import block, when there is
// one. It reports false for a string-id import.
func identityFrom(ctx context.Context, source *tfsdk.ResourceIdentity, identity any, diags *diag.Diagnostics) bool {
	if source == nil || source.Raw.IsNull() {
		return false
	}
	diags.Append(source.Get(ctx, identity)...)
	return !diags.HasError()
}

// removeWithIdentity removes a resource that no longer exists from the
// state. The framework requires an identity after every successful read,
// even one that removes the resource, and a CLI without identity support
// hands over none, so the resource's last identity is set before it goes.
func removeWithIdentity(ctx context.Context, resp *resource.ReadResponse, identity any) diag.Diagnostics {
	diags := setIdentity(ctx, resp.Identity, identity)
	resp.State.RemoveResource(ctx)
	return diags
}
