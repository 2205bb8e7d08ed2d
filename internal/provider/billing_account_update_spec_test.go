package provider

import (
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// providerOnlyAttributes are the account's settings that the API never
// sees: changing them alone sends no update.
var providerOnlyAttributes = map[string]bool{"deletion_protection": true, "timeouts": true}

// Every attribute a configuration can set, except the provider's own
// settings, is part of the spec an update compares and sends: an attribute
// added to the schema but left out of spec() fails here, instead of
// silently never being updated.
func TestBillingAccountUpdateComparesEveryConfigurableAttribute(t *testing.T) {
	var resp resource.SchemaResponse
	(&BillingAccountResource{}).Schema(t.Context(), resource.SchemaRequest{}, &resp)
	base := BillingAccountResourceModel{
		CustomerID: types.StringValue("cus_base"), DevMode: types.BoolValue(false),
		DeletionProtection: types.BoolValue(false),
	}
	fields := modelFieldsByTag(t, reflect.TypeOf(base))
	configurable := 0
	for name, attr := range resp.Schema.Attributes {
		if !attr.IsRequired() && !attr.IsOptional() {
			continue // computed only: the API sets it
		}
		configurable++
		plan := base
		changeField(t, reflect.ValueOf(&plan).Elem().Field(fields[name]), name)
		if got, want := plan.specDiffers(base), !providerOnlyAttributes[name]; got != want {
			t.Errorf("changing %s: update sends the spec = %v, want %v", name, got, want)
		}
	}
	if configurable < 3 {
		t.Fatalf("found %d configurable attributes; the schema walk is broken", configurable)
	}
	for name := range resp.Schema.Blocks {
		if !providerOnlyAttributes[name] {
			t.Errorf("block %s is neither sent to the API by update nor listed as the provider's own", name)
		}
	}
	if _, ok := resp.Schema.Attributes["deletion_protection"].(schema.BoolAttribute); !ok {
		t.Fatal("deletion_protection is not a bool attribute")
	}
}

// modelFieldsByTag maps each tfsdk tag of a model struct to its field index.
func modelFieldsByTag(t *testing.T, typ reflect.Type) map[string]int {
	t.Helper()
	out := map[string]int{}
	for i := range typ.NumField() {
		if tag := typ.Field(i).Tag.Get("tfsdk"); tag != "" {
			out[tag] = i
		}
	}
	return out
}

// changeField sets a model field to a value different from the base one.
func changeField(t *testing.T, f reflect.Value, name string) {
	t.Helper()
	switch v := f.Interface().(type) {
	case types.String:
		f.Set(reflect.ValueOf(types.StringValue(v.ValueString() + "_changed")))
	case types.Bool:
		f.Set(reflect.ValueOf(types.BoolValue(!v.ValueBool())))
	case types.Int64:
		f.Set(reflect.ValueOf(types.Int64Value(v.ValueInt64() + 1)))
	default:
		t.Fatalf("%s: add a way to change a %T here", name, v)
	}
}
