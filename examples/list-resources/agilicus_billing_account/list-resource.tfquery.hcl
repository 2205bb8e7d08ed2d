# Every billing account the token can see (up to limit; Terraform's
# default limit is 100).
list "agilicus_billing_account" "all" {
  provider = agilicus
  limit    = 1000
}

# The account of one customer, named after the customer's name from the
# payment backend.
list "agilicus_billing_account" "acme" {
  provider = agilicus

  config {
    customer_id           = "cus_acme"
    include_customer_data = true
  }
}
