# Reads what the API holds for one customer, apart from the module under
# test, so that the tests can check the API rather than the module's own
# view of it. A helper for tests/*.tftest.hcl.

terraform {
  required_providers {
    agilicus = {
      source = "agilicus/agilicus"
    }
  }
}

variable "customer_id" {
  description = "Customer id whose billing account to read."
  type        = string
  default     = "cus_example_team"
}

# The customer's account, if any: a customer has at most one.
data "agilicus_billing_accounts" "customer" {
  customer_id = var.customer_id
}

locals {
  account = one(data.agilicus_billing_accounts.customer.billing_accounts)
}

output "billing_account_id" {
  description = "Id of the customer's account, or null when it has none."
  value       = try(local.account.id, null)
}

output "dev_mode" {
  description = "Whether the customer's account uses the test environment."
  value       = try(local.account.dev_mode, null)
}

output "org_ids" {
  description = "Ids of the organisations attached to the customer's account."
  value       = try(local.account.org_ids, toset([]))
}
