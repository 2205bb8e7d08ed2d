# A billing account is imported by its id (the API's metadata.id), for
# example one listed by the agilicus_billing_accounts data source.
terraform import agilicus_billing_account.example <billing_account_id>
