// Command noopprovider serves a terraform-plugin-framework provider that does
// nothing: no configuration, no I/O, and two resources, noop_account and
// noop_attachment, with the schemas of agilicus_billing_account and
// agilicus_billing_org_attachment (taken from the provider package, so the
// two cannot drift apart). The benchmark (internal/cmd/bench) plans as many
// of its resources as the Agilicus workload has, to measure what terraform,
// the plugin protocol and the framework cost for a provider that adds no
// work of its own.
//
// Unlike the Agilicus provider it is served by providerserver.Serve as is,
// without a server that releases each request's context, so its memory grows
// with the number of requests; its CPU and wall times are what it is for.
package main

import (
	"context"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/agilicus/terraform-provider-agilicus/internal/pluginlog"
)

// address is the provider's registry address; the benchmark's CLI
// configuration maps it to the built binary with dev_overrides.
const address = "registry.terraform.io/bench/noop"

func main() {
	pluginlog.QuietUnrequested("noop", os.Getenv, os.Setenv)
	err := providerserver.Serve(context.Background(), newProvider, providerserver.ServeOpts{
		Address:         address,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
