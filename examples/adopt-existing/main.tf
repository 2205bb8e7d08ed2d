# Adopt an existing billing estate in one plan: every billing account the
# token can see, and every organisation attached to them, imported into
# resources that describe them as they are. Import blocks with for_each
# need Terraform 1.7 or later (or OpenTofu 1.7 or later).
#
#   terraform plan    # N to import, 0 to add, 0 to change, 0 to destroy
#   terraform apply   # imports; the next plan is empty
#
# After the import, the configuration can stay as it is (it follows the
# accounts the API lists), or be written out as static blocks, for example
# with `terraform plan -generate-config-out=generated.tf` on single import
# blocks.
#
# On Terraform 1.16 and later the same files also work as a module called
# from a root module (`module "estate" { source = "./adopt-existing" }`):
# import blocks inside modules import into the module's resources.

terraform {
  required_version = ">= 1.7.0"

  required_providers {
    agilicus = {
      source = "agilicus/agilicus"
    }
  }
}

# Host and token from AGILICUS_API_HOST and AGILICUS_ACCESS_TOKEN.
provider "agilicus" {}

# Every billing account, with the ids of the organisations attached to it.
data "agilicus_billing_accounts" "existing" {}

locals {
  accounts = {
    for a in data.agilicus_billing_accounts.existing.billing_accounts : a.id => a
  }

  # One entry per attachment, keyed by its import id "<account id>/<org id>".
  attachments = merge([
    for a in data.agilicus_billing_accounts.existing.billing_accounts : {
      for org_id in a.org_ids : "${a.id}/${org_id}" => {
        billing_account_id = a.id
        org_id             = org_id
      }
    }
  ]...)
}

import {
  for_each = local.accounts
  to       = agilicus_billing_account.adopted[each.key]
  id       = each.key
}

resource "agilicus_billing_account" "adopted" {
  for_each = local.accounts

  customer_id = each.value.customer_id
  dev_mode    = each.value.dev_mode
}

import {
  for_each = local.attachments
  to       = agilicus_billing_org_attachment.adopted[each.key]
  id       = each.key
}

resource "agilicus_billing_org_attachment" "adopted" {
  for_each = local.attachments

  billing_account_id = agilicus_billing_account.adopted[each.value.billing_account_id].id
  org_id             = each.value.org_id
}

output "adopted_accounts" {
  value = length(agilicus_billing_account.adopted)
}

output "adopted_attachments" {
  value = length(agilicus_billing_org_attachment.adopted)
}
