data "agilicus_billing_account_orgs" "example" {
  billing_account_id = "kF8sQ2mZr7XcVb1nLp4tWy"
}

# At most 10 organisations, oldest attachment first.
data "agilicus_billing_account_orgs" "first_ten" {
  billing_account_id = "kF8sQ2mZr7XcVb1nLp4tWy"
  limit              = 10
}

output "active_subdomains" {
  value = [
    for org in data.agilicus_billing_account_orgs.example.orgs : org.subdomain
    if org.current_state == "active"
  ]
}
