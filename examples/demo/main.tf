# A small billing set-up: one live account for production and one
# test-mode account for staging, plus the data sources that read them back.
# scripts/demo.sh (make demo) runs it against a local mock Agilicus API.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    agilicus = {
      source = "agilicus/agilicus"
    }
  }
}

# Host and token come from AGILICUS_API_HOST and AGILICUS_ACCESS_TOKEN.
provider "agilicus" {}

resource "agilicus_billing_account" "production" {
  customer_id = "cus_acme_production"

  # Real production accounts would set this to true so that no plan can
  # delete them; the demo destroys everything it creates, so it stays off.
  deletion_protection = false
}

resource "agilicus_billing_account" "staging" {
  customer_id = "cus_acme_staging"

  # Use the payment backend's test environment: no real charges.
  dev_mode = true
}

# Every billing account visible to the token, read after both accounts exist.
data "agilicus_billing_accounts" "all" {
  depends_on = [
    agilicus_billing_account.production,
    agilicus_billing_account.staging,
  ]
}

# The production account with the customer record the payment backend holds.
data "agilicus_billing_account" "production" {
  id                    = agilicus_billing_account.production.id
  include_customer_data = true
}
