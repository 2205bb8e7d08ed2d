# A small module to show `terraform test` against the mock Agilicus API: one
# billing account for a team, with the team's organisations attached to it.
# tests/ holds its tests; scripts/module-test.sh (make module-test) starts
# the mock API and runs them.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    agilicus = {
      source = "agilicus/agilicus"
    }
  }
}

variable "customer_id" {
  description = "Payment-backend customer id of the team's billing account."
  type        = string
  default     = "cus_example_team"

  validation {
    condition     = startswith(var.customer_id, "cus_")
    error_message = "customer_id must be a payment-backend customer id, starting with \"cus_\"."
  }
}

variable "org_ids" {
  description = "Ids of existing organisations to bill to the team's account."
  type        = set(string)
  default     = []
}

variable "dev_mode" {
  description = "Use the payment backend's test environment."
  type        = bool
  default     = false
}

resource "agilicus_billing_account" "team" {
  customer_id = var.customer_id
  dev_mode    = var.dev_mode
}

resource "agilicus_billing_org_attachment" "team" {
  for_each = var.org_ids

  billing_account_id = agilicus_billing_account.team.id
  org_id             = each.value

  lifecycle {
    create_before_destroy = true
  }
}

# The organisations of the account as the API lists them, read after the
# attachments are made.
data "agilicus_billing_account_orgs" "team" {
  billing_account_id = agilicus_billing_account.team.id

  depends_on = [agilicus_billing_org_attachment.team]
}

output "billing_account_id" {
  description = "Id of the team's billing account."
  value       = agilicus_billing_account.team.id
}

output "attachment_ids" {
  description = "Id of each attachment (<billing_account_id>/<org_id>) by organisation id."
  value       = { for org_id, a in agilicus_billing_org_attachment.team : org_id => a.id }
}

output "attached_org_ids" {
  description = "Ids of the organisations the API lists for the account."
  value       = toset([for o in data.agilicus_billing_account_orgs.team.orgs : o.id])
}
