package provider

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// heapGrowth serves n validation requests whose contexts each carry a
// 16 KiB value and returns the heap that stays behind afterwards.
func heapGrowth(t *testing.T, srv tfprotov6.ProviderServer, n int) int64 {
	t.Helper()
	ctx := context.Background()
	schema, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schema.ResourceSchemas["agilicus_billing_account"].ValueType()
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.(tftypes.Object).AttributeTypes { //nolint:forcetypeassert // a resource schema is an object
		attrs[name] = tftypes.NewValue(at, nil)
	}
	config, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	if err != nil {
		t.Fatal(err)
	}
	type payloadKey struct{}
	heap := func() int64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	before := heap()
	for range n {
		reqCtx, cancel := context.WithCancel(context.WithValue(ctx, payloadKey{}, make([]byte, 16<<10)))
		resp, err := srv.ValidateResourceConfig(reqCtx, &tfprotov6.ValidateResourceConfigRequest{
			TypeName: "agilicus_billing_account", Config: &config,
		})
		cancel() // as gRPC does when a request has been answered
		if err != nil || len(resp.Diagnostics) != 0 {
			t.Fatalf("validation: %v %v", err, resp.Diagnostics)
		}
	}
	grown := heap() - before
	runtime.KeepAlive(srv) // the server must outlive the measurement
	return grown
}

// The framework alone keeps each request's context; the served provider
// does not.
func TestServerReleasesRequestContexts(t *testing.T) {
	const n = 500
	plain := heapGrowth(t, providerserver.NewProtocol6(New("test")())(), n)
	released := heapGrowth(t, NewProtocol6Server("test")(), n)
	t.Logf("heap kept after %d requests: %d KiB by the framework alone, %d KiB by the served provider", n, plain>>10, released>>10)
	// Each request carries 16 KiB; the framework alone keeps nearly all of
	// it. Half is the bar, so that garbage-collector noise around the exact
	// figure cannot fail the check.
	if plain < n*8<<10 {
		t.Fatalf("the framework alone kept only %d KiB: this test no longer shows the problem it guards against", plain>>10)
	}
	if released > n*1<<10 {
		t.Fatalf("the served provider kept %d KiB after %d requests, want under 1 KiB each", released>>10, n)
	}
}

func TestReleasableContext(t *testing.T) {
	type key struct{}
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
	rc := &releasableContext{parent: parent}
	child, cancelChild := context.WithCancel(rc)
	defer cancelChild()
	if rc.Value(key{}) != "v" || child.Value(key{}) != "v" {
		t.Fatal("values of the parent are not visible")
	}
	cancel()
	<-child.Done() // cancellation of the parent reaches derived contexts
	if !errors.Is(child.Err(), context.Canceled) {
		t.Fatalf("child error %v", child.Err())
	}
	rc.release()
	if rc.Value(key{}) != nil || rc.Err() == nil {
		t.Fatal("a released context still holds its parent")
	}
	select {
	case <-rc.Done():
	default:
		t.Fatal("a released context is not done")
	}
}
