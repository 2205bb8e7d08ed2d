# Applies the module against the mock API and checks both the module's
# outputs and what the API then holds. scripts/module-test.sh sets
# AGILICUS_API_HOST and AGILICUS_ACCESS_TOKEN for the provider and
# TF_VAR_org_ids to the organisations the mock API created.
# terraform test destroys everything these runs created at the end.

variables {
  customer_id = "cus_module_test_team"
}

run "create" {
  assert {
    condition     = output.billing_account_id != ""
    error_message = "The module created no billing account."
  }

  assert {
    condition     = output.attached_org_ids == var.org_ids
    error_message = "The API lists ${jsonencode(output.attached_org_ids)} for the account, not the configured ${jsonencode(var.org_ids)}."
  }

  assert {
    condition = alltrue([
      for org_id, id in output.attachment_ids : id == "${output.billing_account_id}/${org_id}"
    ])
    error_message = "Attachment ids are not <billing_account_id>/<org_id>."
  }
}

# Read the API through the data sources, apart from the module.
run "api_holds_the_account" {
  command = plan

  module {
    source = "./tests/api"
  }

  assert {
    condition     = output.billing_account_id == run.create.billing_account_id
    error_message = "The API has no account for ${var.customer_id}, or another one than the module created."
  }

  assert {
    condition     = output.org_ids == toset(var.org_ids)
    error_message = "The API's account holds ${jsonencode(output.org_ids)}, not ${jsonencode(var.org_ids)}."
  }

  assert {
    condition     = output.dev_mode == false
    error_message = "The account is in test mode, which the module did not ask for."
  }
}

# Switch to the test environment and detach all but one organisation: the
# account is changed in place and the other attachments are destroyed.
run "update" {
  variables {
    dev_mode = true
    org_ids  = [sort(var.org_ids)[0]]
  }

  assert {
    condition     = output.billing_account_id == run.create.billing_account_id
    error_message = "The account was replaced instead of changed in place."
  }

  assert {
    condition     = keys(output.attachment_ids) == [sort(var.org_ids)[0]]
    error_message = "The module keeps attachments of ${jsonencode(keys(output.attachment_ids))}."
  }
}

# The module's attached_org_ids cannot show the detaches yet: its data
# source is read in the same apply, before the removed attachments are
# destroyed (create_before_destroy destroys last). What the API holds is
# read here instead, after the apply.
run "api_holds_the_update" {
  command = plan

  module {
    source = "./tests/api"
  }

  assert {
    condition     = output.dev_mode == true
    error_message = "The API's account is not in test mode."
  }

  assert {
    condition     = output.org_ids == toset([sort(var.org_ids)[0]])
    error_message = "The API's account holds ${jsonencode(output.org_ids)}, want only ${sort(var.org_ids)[0]}."
  }
}

# A plan of the module refreshes its data source, which now agrees.
run "refreshed_outputs_agree" {
  command = plan

  variables {
    dev_mode = true
    org_ids  = [sort(var.org_ids)[0]]
  }

  assert {
    condition     = output.attached_org_ids == toset([sort(var.org_ids)[0]])
    error_message = "After a refresh the module lists ${jsonencode(output.attached_org_ids)}."
  }
}
