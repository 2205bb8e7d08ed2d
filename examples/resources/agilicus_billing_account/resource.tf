# A billing account for a customer in the payment backend.
resource "agilicus_billing_account" "example" {
  customer_id = "cus_0123456789"

  # Refuse to delete the account, even on terraform destroy, until this is
  # set back to false and applied.
  deletion_protection = true
}

# A test-mode account: it talks to the payment backend's test environment.
resource "agilicus_billing_account" "sandbox" {
  customer_id = "cus_sandbox_0123456789"
  dev_mode    = true

  timeouts {
    create = "2m"
    delete = "2m"
  }
}
