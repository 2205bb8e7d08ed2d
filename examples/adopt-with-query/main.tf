# Adopt an existing billing estate with `terraform query` (Terraform 1.14 and
# later): the list blocks in estate.tfquery.hcl find every billing account
# and every organisation attached to them, and Terraform writes a resource
# block and an import block for each.
#
#   terraform query -generate-config-out=generated.tf
#   terraform plan    # N to import, 0 to add, 0 to change, 0 to destroy
#   terraform apply   # imports; the next plan is empty
#
# Review generated.tf (rename the resources, turn deletion_protection on)
# before the apply. On older CLIs and on OpenTofu, use the for_each recipe
# in examples/adopt-existing instead.

terraform {
  required_version = ">= 1.14.0"

  required_providers {
    agilicus = {
      source = "agilicus/agilicus"
    }
  }
}

# Host and token from AGILICUS_API_HOST and AGILICUS_ACCESS_TOKEN.
provider "agilicus" {}
