// Command terraform-provider-agilicus serves the Agilicus Terraform provider.
package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

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

	quietUnrequestedLogs(os.Getenv, os.Setenv)

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: provider.Address,
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
