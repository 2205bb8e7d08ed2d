# Every billing account the token can see. A list block returns at most
# `limit` results (Terraform's default is 100): set it above the size of
# the estate.
list "agilicus_billing_account" "estate" {
  provider = agilicus
  limit    = 10000
}

# Every organisation attached to those accounts.
list "agilicus_billing_org_attachment" "estate" {
  provider = agilicus
  limit    = 10000
}
