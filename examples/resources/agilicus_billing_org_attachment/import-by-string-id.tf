# An attachment is imported by "<billing_account_id>/<org_id>".
import {
  to = agilicus_billing_org_attachment.example
  id = "kF8sQ2mZr7XcVb1nLp4tWy/aB29sdkD3jlaAbl7"
}
