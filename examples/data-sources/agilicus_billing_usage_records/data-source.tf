# The usage recorded for a billing account, one summary per billing period;
# at most 12 of them.
data "agilicus_billing_usage_records" "example" {
  billing_account_id = "aB29sdkD3jlaAbl7"
  limit              = 12
}

# Total usage per billing period, e.g. { "2026-10" = 14, "2026-11" = 17 }.
output "usage_by_period" {
  value = {
    for r in data.agilicus_billing_usage_records.example.usage_records :
    r.period => r.total_usage if r.period != null
  }
}
