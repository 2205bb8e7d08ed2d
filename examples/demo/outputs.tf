output "billing_account_ids" {
  description = "Id of each billing account the demo manages."
  value = {
    production = agilicus_billing_account.production.id
    staging    = agilicus_billing_account.staging.id
  }
}

output "listed_billing_accounts" {
  description = "Customer id and test mode of every billing account the API lists, by account id."
  value = {
    for a in data.agilicus_billing_accounts.all.billing_accounts :
    a.id => { customer_id = a.customer_id, dev_mode = a.dev_mode }
  }
}

output "production_customer" {
  description = "The production account's customer, as the payment backend knows it."
  value = {
    name  = data.agilicus_billing_account.production.customer.name
    email = data.agilicus_billing_account.production.customer.email
  }
}
