package provider

import (
	"bytes"
	"os"
	"os/exec"
)

// configureForOpenTofu points terraform-plugin-testing at OpenTofu's
// registry host when the acceptance tests run on OpenTofu. The testing
// library reattaches the in-process provider under the namespaces "-" and
// "hashicorp" of registry.terraform.io by default; OpenTofu refuses the
// legacy namespace "-" on any host but its own, and looks up a
// configuration without required_providers as
// registry.opentofu.org/hashicorp/agilicus. A value already set in the
// environment wins.
func configureForOpenTofu() {
	if !testCLIIsOpenTofu() || os.Getenv("TF_ACC_PROVIDER_HOST") != "" {
		return
	}
	_ = os.Setenv("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
}

// testCLIIsOpenTofu reports whether the acceptance tests run on OpenTofu.
func testCLIIsOpenTofu() bool {
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || tf == "" {
		return false
	}
	out, err := exec.Command(tf, "version").Output()
	return err == nil && bytes.HasPrefix(out, []byte("OpenTofu "))
}
