output "billing_account_ids" {
  description = "Id of each billing account the demo manages."
  value = {
    production = agilicus_billing_account.production.id
    staging    = agilicus_billing_account.staging.id
  }
}

output "listed_billing_accounts" {
  description = "Customer id, test mode and attached organisations of every billing account the API lists, by account id."
  value = {
    for a in data.agilicus_billing_accounts.all.billing_accounts :
    a.id => { customer_id = a.customer_id, dev_mode = a.dev_mode, org_ids = sort(a.org_ids) }
  }
}

output "production_customer" {
  description = "The production account's customer, as the payment backend knows it."
  value = {
    name  = data.agilicus_billing_account.production.customer.name
    email = data.agilicus_billing_account.production.customer.email
  }
}

output "attachment_ids" {
  description = "Id of each attachment by organisation name: <billing_account_id>/<org_id>, the id terraform import takes."
  value = {
    for a in concat([agilicus_billing_org_attachment.production], values(agilicus_billing_org_attachment.staging)) :
    a.organisation => a.id
  }
}

output "attached_orgs" {
  description = "Names of the organisations attached to each account, as agilicus_billing_account_orgs lists them."
  value = {
    production = [for o in data.agilicus_billing_account_orgs.production.orgs : o.organisation]
    staging    = [for o in data.agilicus_billing_account_orgs.staging.orgs : o.organisation]
  }
}

output "staging_usage" {
  description = "The usage the staging record stored, and the staging account's usage per billing period as the API summarises it."
  value = {
    recorded  = agilicus_billing_usage_record.staging.quantity
    by_period = { for r in data.agilicus_billing_usage_records.staging.usage_records : r.period => r.total_usage }
  }
}

# The preview's timestamp is the time of each read, so it is left out here:
# it would differ on every plan.
output "production_usage_preview" {
  description = "The usage a record for production would store right now; the dry run recorded nothing."
  value       = data.agilicus_billing_usage_record_preview.production.quantity
}
