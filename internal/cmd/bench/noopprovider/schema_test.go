package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"

	agilicus "github.com/agilicus/terraform-provider-agilicus/internal/provider"
)

// TestSchemasMirrorAgilicus checks that each noop resource has the
// attributes of its Agilicus counterpart, with the same types, the same
// required/optional/computed flags, defaults and plan modifiers. Left out on
// purpose: descriptions, validators (checking values is the provider's own
// work) and the timeouts block.
func TestSchemasMirrorAgilicus(t *testing.T) {
	ctx := context.Background()
	agilicusResources := resourcesByName(ctx, t, agilicus.New("test")())
	noop := resourcesByName(ctx, t, newProvider())
	for noopName, realName := range map[string]string{
		"noop_account":    "agilicus_billing_account",
		"noop_attachment": "agilicus_billing_org_attachment",
	} {
		n, r := noop[noopName], agilicusResources[realName]
		if n == nil || r == nil {
			t.Fatalf("%s or %s missing", noopName, realName)
		}
		got, want := shape(ctx, t, n), shape(ctx, t, r)
		delete(want, "timeouts")
		if !maps.Equal(got, want) {
			t.Errorf("%s does not mirror %s:\n got %s\nwant %s", noopName, realName, fmtShape(got), fmtShape(want))
		}
	}
	if len(noop) != 2 {
		t.Errorf("noop resources: %v", slices.Sorted(maps.Keys(noop)))
	}
}

func resourcesByName(ctx context.Context, t *testing.T, p provider.Provider) map[string]resource.Resource {
	t.Helper()
	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	out := map[string]resource.Resource{}
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var resp resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: meta.TypeName}, &resp)
		out[resp.TypeName] = r
	}
	return out
}

// shape describes each attribute and block of a resource's schema in one
// string.
func shape(ctx context.Context, t *testing.T, r resource.Resource) map[string]string {
	t.Helper()
	var resp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	out := map[string]string{}
	for name, a := range resp.Schema.Attributes {
		s := fmt.Sprintf("%s required=%t optional=%t computed=%t", a.GetType(), a.IsRequired(), a.IsOptional(), a.IsComputed())
		switch a := a.(type) {
		case schema.StringAttribute:
			s += fmt.Sprintf(" default=%t", a.Default != nil)
			for _, m := range a.PlanModifiers {
				s += " [" + m.Description(ctx) + "]"
			}
		case schema.BoolAttribute:
			s += fmt.Sprintf(" default=%t modifiers=%d", a.Default != nil, len(a.PlanModifiers))
		case schema.SetAttribute:
			s += fmt.Sprintf(" default=%t modifiers=%d", a.Default != nil, len(a.PlanModifiers))
		case schema.ListAttribute:
			s += fmt.Sprintf(" default=%t modifiers=%d", a.Default != nil, len(a.PlanModifiers))
		default:
			s += fmt.Sprintf(" %T", a)
		}
		out[name] = s
	}
	for name := range resp.Schema.Blocks {
		out[name] = "block"
	}
	return out
}

func fmtShape(s map[string]string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(s)) {
		fmt.Fprintf(&b, "\n  %s: %s", k, s[k])
	}
	return b.String()
}
