package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

// workload is the size of the benchmarked configuration.
type workload struct {
	// Accounts is the number of agilicus_billing_account resources.
	Accounts int `json:"accounts"`
	// Attachments is the number of agilicus_billing_org_attachment
	// resources, one per pre-created org.
	Attachments int `json:"attachments"`
	// Spread is the number of accounts the attachments go to: attachment i
	// goes to account i mod Spread, so the first Spread accounts carry the
	// attachments (round robin) and the others none.
	Spread int `json:"spread"`
}

// resources is the number of resource instances in the configuration.
func (w workload) resources() int { return w.Accounts + w.Attachments }

// accountsWithAttachments is the number of accounts that end up with at
// least one attachment, i.e. that need an org-list request on refresh.
func (w workload) accountsWithAttachments() int {
	return min(w.Spread, w.Attachments, w.Accounts)
}

// validate reports a workload that cannot be generated.
func (w workload) validate() error {
	switch {
	case w.Accounts < 1:
		return fmt.Errorf("-accounts must be at least 1, got %d", w.Accounts)
	case w.Attachments < 0:
		return fmt.Errorf("-attachments must not be negative, got %d", w.Attachments)
	case w.Attachments > 0 && (w.Spread < 1 || w.Spread > w.Accounts):
		return fmt.Errorf("-spread must be between 1 and -accounts (%d) when there are attachments, got %d", w.Accounts, w.Spread)
	}
	return nil
}

// configShape names what differs between the workload's configurations for
// the Agilicus provider and for the noop provider: the provider, where
// terraform finds it, and the two resource types.
type configShape struct {
	provider   string // local name, also the prefix of the resource types
	source     string // registry source, mapped by the CLI configuration's dev_overrides
	comment    string // printed above the provider block, when not empty
	account    string // resource type of the accounts
	attachment string // resource type of the attachments
}

var (
	agilicusShape = configShape{
		provider:   "agilicus",
		source:     "agilicus/agilicus",
		comment:    "Host and token come from AGILICUS_API_HOST and AGILICUS_ACCESS_TOKEN.",
		account:    "agilicus_billing_account",
		attachment: "agilicus_billing_org_attachment",
	}
	// noopShape is the do-nothing provider of noopprovider: resources with
	// the same schemas, which make no request.
	noopShape = configShape{
		provider:   "noop",
		source:     noopSource,
		comment:    "A provider that does nothing: no configuration, no requests.",
		account:    "noop_account",
		attachment: "noop_attachment",
	}
)

// providerConfig is the main.tf of the provider workload. The provider
// takes its host and token from AGILICUS_API_HOST and AGILICUS_ACCESS_TOKEN.
// The attachment resource is left out when there are no attachments, so the
// configuration also works with a provider that does not have it.
func providerConfig(w workload) string { return workloadConfig(agilicusShape, w) }

// noopConfig is the main.tf of the noop provider baseline: the provider
// workload's configuration, the same resources, arguments and references,
// with the noop provider's resource types.
func noopConfig(w workload) string { return workloadConfig(noopShape, w) }

// workloadConfig writes the workload's main.tf for a provider of shape c.
// Both configurations take the same terraform.tfvars.json (providerVars).
func workloadConfig(c configShape, w workload) string {
	var b strings.Builder
	fmt.Fprintf(&b, `terraform {
  required_providers {
    %[1]s = {
      source = %[2]q
    }
  }
}
`, c.provider, c.source)
	if c.comment != "" {
		fmt.Fprintf(&b, "\n# %s", c.comment)
	}
	fmt.Fprintf(&b, `
provider %[1]q {}

variable "accounts" {
  type = number
}

variable "spread" {
  type = number
}

variable "org_ids" {
  type = list(string)
}

resource %[2]q "bench" {
  count       = var.accounts
  customer_id = format("bench-customer-%%d", count.index)
}
`, c.provider, c.account)
	if w.Attachments > 0 {
		fmt.Fprintf(&b, `
# Attachment i goes to account i mod spread.
resource %[2]q "bench" {
  count              = length(var.org_ids)
  billing_account_id = %[1]s.bench[count.index %% var.spread].id
  org_id             = var.org_ids[count.index]
}
`, c.account, c.attachment)
	}
	return b.String()
}

// providerVars is the terraform.tfvars.json of the provider workload and of
// the noop provider baseline: the account count, the spread and the ids of
// the orgs to attach, one per attachment.
func providerVars(w workload, orgIDs []string) ([]byte, error) {
	if len(orgIDs) != w.Attachments {
		return nil, fmt.Errorf("%d org ids for %d attachments", len(orgIDs), w.Attachments)
	}
	if orgIDs == nil {
		orgIDs = []string{}
	}
	return json.MarshalIndent(map[string]any{
		"accounts": w.Accounts,
		"spread":   max(w.Spread, 1),
		"org_ids":  orgIDs,
	}, "", "  ")
}

// terraformDataConfig is the main.tf of the terraform_data baseline:
// built-in resources, which make no request and keep no provider process
// busy, so planning them costs what terraform core itself costs per
// resource.
func terraformDataConfig() string {
	return `variable "resources" {
  type = number
}

resource "terraform_data" "bench" {
  count = var.resources
  input = count.index
}
`
}

// terraformDataVars is the terraform.tfvars.json of the terraform_data
// baseline.
func terraformDataVars(resources int) ([]byte, error) {
	return json.MarshalIndent(map[string]any{"resources": resources}, "", "  ")
}

// cliConfig is a terraform CLI configuration that makes terraform use the
// Agilicus provider binary in dir and the noop provider binary in noopDir
// without `terraform init`.
func cliConfig(dir, noopDir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    "agilicus/agilicus" = %q
    %q = %q
  }
  direct {}
}
`, dir, noopSource, noopDir)
}
