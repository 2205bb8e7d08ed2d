# Plan-only runs: what the module does with its inputs, before anything is
# created. They still talk to the API (the mock), as a plan refreshes and
# validates through the provider.

run "rejects_a_customer_id_that_is_not_one" {
  command = plan

  variables {
    customer_id = "acme"
  }

  expect_failures = [var.customer_id]
}

run "plans_one_attachment_per_organisation" {
  command = plan

  variables {
    customer_id = "cus_module_test_inputs"
    org_ids     = ["org-a", "org-b"]
  }

  assert {
    condition     = length(agilicus_billing_org_attachment.team) == 2
    error_message = "Expected one attachment per organisation."
  }

  assert {
    condition     = agilicus_billing_account.team.dev_mode == false
    error_message = "dev_mode should default to false."
  }
}
