# Terraform 1.5 and later: import a billing account by its id during apply.
import {
  to = agilicus_billing_account.example
  id = "a1B2c3D4e5F6g7H8i9J0kL"
}
