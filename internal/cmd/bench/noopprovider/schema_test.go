package main

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	agilicus "github.com/agilicus/terraform-provider-agilicus/internal/provider"
)

// TestSchemasFollowAgilicus checks that each noop resource has every
// attribute of its Agilicus counterpart, with the same type, flags, default
// and plan modifiers, and that no validator and no block is left: a value
// check would be the provider's own work, which the noop baseline must not
// do.
func TestSchemasFollowAgilicus(t *testing.T) {
	ctx := context.Background()
	noop := resourcesByName(ctx, t, newProvider())
	for noopName, agilicusResource := range map[string]resource.Resource{
		"noop_account":    agilicus.NewBillingAccountResource(),
		"noop_attachment": agilicus.NewBillingOrgAttachmentResource(),
	} {
		n := noop[noopName]
		if n == nil {
			t.Fatalf("%s missing", noopName)
		}
		got, want := schemaOf(ctx, t, n), schemaOf(ctx, t, agilicusResource)
		if len(got.Blocks) != 0 {
			t.Errorf("%s has blocks: %v", noopName, slices.Sorted(maps.Keys(got.Blocks)))
		}
		if g, w := slices.Sorted(maps.Keys(got.Attributes)), slices.Sorted(maps.Keys(want.Attributes)); !slices.Equal(g, w) {
			t.Errorf("%s attributes %v, want %v", noopName, g, w)
		}
		for name, w := range want.Attributes {
			g := got.Attributes[name]
			if g == nil {
				continue
			}
			if n := validatorCount(g); n > 0 {
				t.Errorf("%s.%s (%T) keeps %d validators", noopName, name, g, n)
			}
			// %#v rather than reflect.DeepEqual: plan modifiers hold
			// functions, which DeepEqual never finds equal.
			if fmt.Sprintf("%#v", g) != fmt.Sprintf("%#v", withoutValidators(w)) {
				t.Errorf("%s.%s differs from its Agilicus attribute beyond validators:\n got %#v\nwant %#v", noopName, name, g, w)
			}
		}
	}
	if len(noop) != 2 {
		t.Errorf("noop resources: %v", slices.Sorted(maps.Keys(noop)))
	}
}

// validatorCount is the length of the attribute's Validators field.
func validatorCount(a schema.Attribute) int {
	f := reflect.ValueOf(a).FieldByName("Validators")
	if !f.IsValid() {
		return 0
	}
	return f.Len()
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

func schemaOf(ctx context.Context, t *testing.T, r resource.Resource) schema.Schema {
	t.Helper()
	var resp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	return resp.Schema
}

// TestKnownFillsEveryUnknown checks that a planned value with unknown
// attributes of every kind comes out fully known, its known values kept.
func TestKnownFillsEveryUnknown(t *testing.T) {
	strings := tftypes.Set{ElementType: tftypes.String}
	obj := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"id":       tftypes.String,
		"name":     tftypes.String,
		"flag":     tftypes.Bool,
		"count":    tftypes.Number,
		"org_ids":  strings,
		"products": tftypes.List{ElementType: tftypes.String},
		"labels":   tftypes.Map{ElementType: tftypes.String},
		"nested":   tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String}},
	}}
	plan := tftypes.NewValue(obj, map[string]tftypes.Value{
		"id":       tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"name":     tftypes.NewValue(tftypes.String, "kept"),
		"flag":     tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue),
		"count":    tftypes.NewValue(tftypes.Number, tftypes.UnknownValue),
		"org_ids":  tftypes.NewValue(strings, tftypes.UnknownValue),
		"products": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, tftypes.UnknownValue),
		"labels":   tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, tftypes.UnknownValue),
		"nested":   tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String}}, tftypes.UnknownValue),
	})
	got, err := known(plan)
	if err != nil {
		t.Fatal(err)
	}
	if !got.IsFullyKnown() {
		t.Fatalf("not fully known: %s", got)
	}
	var attrs map[string]tftypes.Value
	if err := got.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var id, name string
	if err := attrs["id"].As(&id); err != nil || id == "" {
		t.Errorf("id = %q (%v), want a made-up value", id, err)
	}
	if err := attrs["name"].As(&name); err != nil || name != "kept" {
		t.Errorf("name = %q (%v), want the planned value", name, err)
	}
	var ids []tftypes.Value
	if err := attrs["org_ids"].As(&ids); err != nil || ids == nil || len(ids) != 0 {
		t.Errorf("org_ids = %v (%v), want an empty set", attrs["org_ids"], err)
	}
}
