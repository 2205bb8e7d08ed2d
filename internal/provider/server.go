package provider

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewProtocol6Server returns a constructor of the provider's protocol 6
// server, as main serves it and the acceptance tests run it.
func NewProtocol6Server(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		framework, ok := providerserver.NewProtocol6(New(version)())().(protocol6Server)
		if !ok {
			panic("the framework's protocol 6 server serves no list resources or actions")
		}
		return releasingServer{protocol6Server: framework}
	}
}

// protocol6Server is the framework's server: the provider protocol with
// the list resource and action calls, which terraform-plugin-go finds by
// asking the server for them.
type protocol6Server interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
}

// releasingServer keeps the memory of a long run flat. The framework keeps
// the cancel function of every request's context until Terraform stops the
// provider, and with it the whole context chain of the request: its gRPC
// stream and logging contexts, kilobytes a request, which add up over a
// plan of thousands of resources. This server hands the framework a context
// that drops its parent once the request has been answered, so that only a
// small wrapper stays behind. `make bench` reports the provider's peak
// memory.
//
// The requests a plan or apply makes for every resource and data source go
// through it; the rest pass straight through the embedded server. Among
// those are the streaming calls (ListResource, InvokeAction): their
// results are sent after the call returns, so their context must outlive
// it.
type releasingServer struct {
	protocol6Server
}

// serveReleasing runs one request with a context released on return.
func serveReleasing[Req, Resp any](ctx context.Context, req Req, serve func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := &releasableContext{parent: ctx}
	defer rc.release()
	return serve(rc, req)
}

func (s releasingServer) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return serveReleasing(ctx, req, s.protocol6Server.GetMetadata)
}

func (s releasingServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return serveReleasing(ctx, req, s.protocol6Server.GetProviderSchema)
}

func (s releasingServer) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return serveReleasing(ctx, req, s.protocol6Server.ValidateProviderConfig)
}

func (s releasingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return serveReleasing(ctx, req, s.protocol6Server.ConfigureProvider)
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return serveReleasing(ctx, req, s.protocol6Server.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serveReleasing(ctx, req, s.protocol6Server.UpgradeResourceState)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serveReleasing(ctx, req, s.protocol6Server.ReadResource)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return serveReleasing(ctx, req, s.protocol6Server.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serveReleasing(ctx, req, s.protocol6Server.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serveReleasing(ctx, req, s.protocol6Server.ImportResourceState)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serveReleasing(ctx, req, s.protocol6Server.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serveReleasing(ctx, req, s.protocol6Server.ReadDataSource)
}

// releasableContext is its parent until released, and an empty, ended
// context afterwards. Cancellation still reaches contexts derived from it
// while the request runs: Done and Value are the parent's, so the standard
// library links derived contexts to the parent's cancellation directly.
type releasableContext struct {
	mu     sync.RWMutex
	parent context.Context
}

var _ context.Context = &releasableContext{}

// ended is the Done channel of a released context.
var ended = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

func (c *releasableContext) get() context.Context {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.parent
}

func (c *releasableContext) release() {
	c.mu.Lock()
	c.parent = nil
	c.mu.Unlock()
}

func (c *releasableContext) Deadline() (time.Time, bool) {
	if p := c.get(); p != nil {
		return p.Deadline()
	}
	return time.Time{}, false
}

func (c *releasableContext) Done() <-chan struct{} {
	if p := c.get(); p != nil {
		return p.Done()
	}
	return ended
}

func (c *releasableContext) Err() error {
	if p := c.get(); p != nil {
		return p.Err()
	}
	return context.Canceled
}

func (c *releasableContext) Value(key any) any {
	if p := c.get(); p != nil {
		return p.Value(key)
	}
	return nil
}
