package main

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	agilicus "github.com/agilicus/terraform-provider-agilicus/internal/provider"
)

// noopProvider has no configuration and configures nothing.
type noopProvider struct{}

var _ provider.Provider = noopProvider{}

func newProvider() provider.Provider { return noopProvider{} }

func (noopProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "noop"
}

func (noopProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{Description: "A provider that does nothing, for benchmarks."}
}

func (noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

// Resources are noop_account and noop_attachment, shaped like the Agilicus
// resources the benchmark's workload uses.
func (noopProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return newNoopResource("account", agilicus.NewBillingAccountResource()) },
		func() resource.Resource {
			return newNoopResource("attachment", agilicus.NewBillingOrgAttachmentResource())
		},
	}
}

func (noopProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
