# An attachment is imported by "<billing_account_id>/<org_id>". The
# organisation must already be attached to that billing account.
import {
  to = agilicus_billing_org_attachment.example
  id = "kF8sQ2mZr7XcVb1nLp4tWy/aB29sdkD3jlaAbl7"
}
