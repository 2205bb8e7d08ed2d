# Terraform 1.16 and later: record an account's final usage just before
# Terraform deletes it. caller is the account being destroyed.
resource "agilicus_billing_account" "staging" {
  customer_id = "cus_acme_staging"

  lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.agilicus_billing_record_usage.final]
    }
  }
}

action "agilicus_billing_record_usage" "final" {
  config {
    billing_account_id = caller.id
  }
}
