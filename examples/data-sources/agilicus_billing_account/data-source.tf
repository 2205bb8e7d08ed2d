# Read a billing account, with the customer record the payment backend holds.
data "agilicus_billing_account" "example" {
  id                    = "a1B2c3D4e5F6g7H8i9J0kL"
  include_customer_data = true
}

output "customer_email" {
  value = data.agilicus_billing_account.example.customer.email
}

# Read it only if the given organisation is attached to it: the read fails
# otherwise.
data "agilicus_billing_account" "for_org" {
  id     = "a1B2c3D4e5F6g7H8i9J0kL"
  org_id = "Zy9Xw8Vu7Ts6Rq5Po4Nm3L"
}
