# Asks the API what it would record right now, without recording anything:
# a dry run, safe to read in every plan.
data "agilicus_billing_usage_record_preview" "example" {
  billing_account_id = "aB29sdkD3jlaAbl7"
}

# Only the quantity: the timestamp is the time of each read, so an output of
# it would change on every plan.
output "usage_if_recorded_now" {
  value = data.agilicus_billing_usage_record_preview.example.quantity
}
