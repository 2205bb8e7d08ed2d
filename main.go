// Command terraform-provider-agilicus serves the Agilicus Terraform provider.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/agilicus/terraform-provider-agilicus/internal/pluginlog"
	"github.com/agilicus/terraform-provider-agilicus/internal/provider"
)

// version and commit are stamped at release time with
// -ldflags "-X main.version=... -X main.commit=...".
var (
	version = "dev"
	commit  = ""
)

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider with support for debuggers like delve")
	flag.Parse()
	if commit != "" {
		log.SetPrefix("terraform-provider-agilicus " + version + " (" + commit + "): ")
	}

	pluginlog.QuietUnrequested("agilicus", os.Getenv, os.Setenv)

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// Protocol 6, as terraform-registry-manifest.json declares.
	err := tf6server.Serve(provider.Address, provider.NewProtocol6Server(version), opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}
