# Asks the API what it would record right now, without recording anything.
data "agilicus_billing_usage_record_preview" "example" {
  billing_account_id = "aB29sdkD3jlaAbl7"
}

output "usage_if_recorded_now" {
  value = data.agilicus_billing_usage_record_preview.example.quantity
}
