resource "agilicus_billing_account" "example" {
  customer_id = "cus_0123456789"
}

# Attach an existing organisation to the billing account. An organisation
# belongs to at most one billing account, so this moves it off any other.
resource "agilicus_billing_org_attachment" "example" {
  billing_account_id = agilicus_billing_account.example.id
  org_id             = "aB29sdkD3jlaAbl7"

  # Moving the organisation to another account attaches it there first; the
  # removal of the old attachment then leaves it on the new account.
  lifecycle {
    create_before_destroy = true
  }

  timeouts {
    create = "2m"
    delete = "2m"
  }
}
