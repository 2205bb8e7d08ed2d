# A small billing set-up: one live account for production and one
# test-mode account for staging, the organisations attached to them, a usage
# record, and the data sources that read it all back.
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

# The first organisation is billed to production, the others to staging.
# Each organisation has exactly one attachment resource: two attachments of
# one organisation would keep moving it between accounts.
resource "agilicus_billing_org_attachment" "production" {
  billing_account_id = agilicus_billing_account.production.id
  org_id             = var.org_ids[0]

  # Moving the organisation to another account (a new billing_account_id)
  # then attaches it there before the old attachment is removed, so it is
  # never without an account.
  lifecycle {
    create_before_destroy = true
  }
}

resource "agilicus_billing_org_attachment" "staging" {
  for_each = toset(slice(var.org_ids, 1, length(var.org_ids)))

  billing_account_id = agilicus_billing_account.staging.id
  org_id             = each.value

  lifecycle {
    create_before_destroy = true
  }
}

# Record the staging account's usage once. It is a test-mode account, so
# nothing is charged. Recording counts the attached organisations, hence the
# dependency. Usage records are append-only: destroy only forgets this one.
resource "agilicus_billing_usage_record" "staging" {
  billing_account_id = agilicus_billing_account.staging.id

  # A new value records usage again, e.g. once per billing period.
  triggers = {
    run = "demo"
  }

  depends_on = [agilicus_billing_org_attachment.staging]
}

# The data sources below read what the resources above made, so each one
# depends on the resources that change what it reads. Without depends_on, a
# read could run in the middle of the first apply, before the attachments
# exist, and the next plan would show different outputs. With it, the read
# waits until those resources are applied, and a plan with nothing to
# change reads the same values again.
#
# For the same reason the outputs do not use org_ids of the account
# resources: it is as of the account's last refresh, which in the first
# apply comes before the attachments.

# Every billing account visible to the token, with its organisations.
data "agilicus_billing_accounts" "all" {
  depends_on = [
    agilicus_billing_org_attachment.production,
    agilicus_billing_org_attachment.staging,
  ]
}

# The production account with the customer record the payment backend holds.
data "agilicus_billing_account" "production" {
  id                    = agilicus_billing_account.production.id
  include_customer_data = true
}

# The organisations attached to each account, as the API lists them.
data "agilicus_billing_account_orgs" "production" {
  billing_account_id = agilicus_billing_account.production.id

  depends_on = [agilicus_billing_org_attachment.production]
}

data "agilicus_billing_account_orgs" "staging" {
  billing_account_id = agilicus_billing_account.staging.id

  depends_on = [agilicus_billing_org_attachment.staging]
}

# The usage recorded for staging, one summary per billing period.
data "agilicus_billing_usage_records" "staging" {
  billing_account_id = agilicus_billing_account.staging.id

  depends_on = [agilicus_billing_usage_record.staging]
}

# What recording production's usage would store right now. A dry run:
# nothing is recorded, however often it is read.
data "agilicus_billing_usage_record_preview" "production" {
  billing_account_id = agilicus_billing_account.production.id

  depends_on = [agilicus_billing_org_attachment.production]
}
