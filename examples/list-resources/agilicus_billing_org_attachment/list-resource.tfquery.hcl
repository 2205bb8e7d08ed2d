# Every organisation attached to any billing account.
list "agilicus_billing_org_attachment" "all" {
  provider = agilicus
  limit    = 1000
}

# The organisations of one billing account.
list "agilicus_billing_org_attachment" "production" {
  provider = agilicus

  config {
    billing_account_id = "5xQ3mGk2ZqUYp9tLr7bW1c"
  }
}
