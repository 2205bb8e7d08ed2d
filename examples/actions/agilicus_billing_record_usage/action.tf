# Record an account's usage on demand:
#   terraform apply -invoke=action.agilicus_billing_record_usage.production
action "agilicus_billing_record_usage" "production" {
  config {
    billing_account_id = agilicus_billing_account.production.id
  }
}

resource "agilicus_billing_account" "production" {
  customer_id = "cus_acme"
}

# Record usage each time a release is rolled out.
resource "terraform_data" "release" {
  input = "2026.12"

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.agilicus_billing_record_usage.production]
    }
  }
}
