# Every billing account the token can see.
data "agilicus_billing_accounts" "all" {}

# The billing account an organisation is attached to, if any.
data "agilicus_billing_accounts" "of_org" {
  org_id = "Zy9Xw8Vu7Ts6Rq5Po4Nm3L"
}

# The billing account of one payment-backend customer, with its subscriptions.
data "agilicus_billing_accounts" "of_customer" {
  customer_id               = "cus_0123456789"
  include_subscription_data = true
}

output "billing_account_ids" {
  value = [for a in data.agilicus_billing_accounts.all.billing_accounts : a.id]
}

output "customer_subscription_ids" {
  value = flatten([for a in data.agilicus_billing_accounts.of_customer.billing_accounts : a.subscription_ids])
}
