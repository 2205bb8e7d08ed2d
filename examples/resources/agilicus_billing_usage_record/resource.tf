variable "billing_period" {
  description = "The billing period to record usage for, e.g. \"2026-11\". Changing it records usage again."
  type        = string
}

resource "agilicus_billing_account" "example" {
  customer_id = "cus_example"
}

# Records the account's usage once. Applying again records nothing until
# billing_period changes, which replaces the resource and records anew.
# Destroying the resource does not remove the record from the billing backend.
resource "agilicus_billing_usage_record" "monthly" {
  billing_account_id = agilicus_billing_account.example.id

  triggers = {
    period = var.billing_period
    # Or record at the first apply of each calendar month (UTC), with no
    # variable to update. Never use timestamp() here: it is not known until
    # apply, so every plan would replace the resource and record usage again.
    #   period = formatdate("YYYY-MM", plantimestamp())
  }

  timeouts {
    create = "2m"
  }
}

output "recorded_quantity" {
  value = agilicus_billing_usage_record.monthly.quantity
}
