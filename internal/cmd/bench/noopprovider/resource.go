package main

import (
	"context"
	"crypto/rand"
	"math/big"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// noopResource has the schema of an Agilicus resource without its value
// checks, and does no work: create and update store the plan, filling in
// the computed values, read keeps the state, and delete forgets it.
type noopResource struct {
	name   string
	schema schema.Schema
}

var _ resource.Resource = (*noopResource)(nil)

// newNoopResource returns the resource <provider>_name with the schema of
// like, without the validators of its attributes (checking values is the
// Agilicus provider's own work) and without its blocks (the timeouts block,
// which the benchmark's configurations do not use).
func newNoopResource(name string, like resource.Resource) *noopResource {
	var resp resource.SchemaResponse
	like.Schema(context.Background(), resource.SchemaRequest{}, &resp)
	s := resp.Schema
	attrs := make(map[string]schema.Attribute, len(s.Attributes))
	for k, a := range s.Attributes {
		attrs[k] = withoutValidators(a)
	}
	s.Attributes, s.Blocks = attrs, nil
	return &noopResource{name: name, schema: s}
}

// withoutValidators returns a copy of a with its Validators field, which
// every attribute type of the framework has, set to nil.
func withoutValidators(a schema.Attribute) schema.Attribute {
	v := reflect.New(reflect.TypeOf(a)).Elem()
	v.Set(reflect.ValueOf(a))
	if f := v.FieldByName("Validators"); f.IsValid() {
		f.SetZero()
	}
	if out, ok := v.Interface().(schema.Attribute); ok {
		return out
	}
	return a
}

func (r *noopResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.name
}

func (r *noopResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.schema
}

// Create stores the plan with its unknown (computed) values made up.
func (r *noopResource) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.store(req.Plan, &resp.State)
}

// Read leaves the state as it is: the framework has already copied the
// prior state into the response.
func (r *noopResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update stores the plan, like Create.
func (r *noopResource) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.store(req.Plan, &resp.State)
}

// Delete does nothing; the framework removes the resource from the state.
func (r *noopResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func (r *noopResource) store(plan tfsdk.Plan, state *tfsdk.State) {
	v, err := known(plan.Raw)
	if err != nil {
		// Only a value without a type fails; the framework never sends one.
		panic(err)
	}
	state.Raw = v
}

// known replaces every unknown value in v with a known one of its type, as
// an API would fill in computed attributes: a random string, false, zero,
// or an empty collection; anything else becomes null.
func known(v tftypes.Value) (tftypes.Value, error) {
	return tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		t := v.Type()
		switch {
		case t.Equal(tftypes.String):
			return tftypes.NewValue(t, rand.Text()), nil
		case t.Equal(tftypes.Bool):
			return tftypes.NewValue(t, false), nil
		case t.Equal(tftypes.Number):
			return tftypes.NewValue(t, new(big.Float)), nil
		case t.Is(tftypes.List{}), t.Is(tftypes.Set{}):
			return tftypes.NewValue(t, []tftypes.Value{}), nil
		case t.Is(tftypes.Map{}):
			return tftypes.NewValue(t, map[string]tftypes.Value{}), nil
		}
		return tftypes.NewValue(t, nil), nil
	})
}
