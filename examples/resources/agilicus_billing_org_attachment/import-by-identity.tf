# Terraform 1.12 and later: import an attachment by its resource identity,
# the billing account and the organisation it links. The organisation must
# already be attached to that billing account.
import {
  to = agilicus_billing_org_attachment.imported
  identity = {
    billing_account_id = "kF8sQ2mZr7XcVb1nLp4tWy"
    org_id             = "aB29sdkD3jlaAbl7"
  }
}

resource "agilicus_billing_org_attachment" "imported" {
  billing_account_id = "kF8sQ2mZr7XcVb1nLp4tWy"
  org_id             = "aB29sdkD3jlaAbl7"
}
