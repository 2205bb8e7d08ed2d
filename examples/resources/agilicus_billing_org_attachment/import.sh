# An attachment is imported by the billing account id and the organisation id, joined by a slash.
terraform import agilicus_billing_org_attachment.example <billing_account_id>/<org_id>
