package provider

import (
	"bytes"
	"os"
	"os/exec"
)

// configureForOpenTofu points terraform-plugin-testing at OpenTofu's
// provider registry when the acceptance tests run on OpenTofu. The testing
// library writes the in-process provider into the CLI's configuration as
// registry.terraform.io/hashicorp/agilicus by default, an address OpenTofu
// refuses to reattach; under registry.opentofu.org/agilicus/agilicus it is
// the address that `source = "agilicus/agilicus"` means to OpenTofu. Values
// already set in the environment win.
func configureForOpenTofu() {
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || tf == "" {
		return
	}
	out, err := exec.Command(tf, "version").Output()
	if err != nil || !bytes.HasPrefix(out, []byte("OpenTofu ")) {
		return
	}
	for name, value := range map[string]string{
		"TF_ACC_PROVIDER_HOST":      "registry.opentofu.org",
		"TF_ACC_PROVIDER_NAMESPACE": "agilicus",
	} {
		if os.Getenv(name) == "" {
			_ = os.Setenv(name, value)
		}
	}
}
