# Terraform 1.12 and later: import a billing account by its resource identity.
import {
  to = agilicus_billing_account.imported
  identity = {
    id = "a1B2c3D4e5F6g7H8i9J0kL"
  }
}

resource "agilicus_billing_account" "imported" {
  customer_id = "cus_imported"
}
