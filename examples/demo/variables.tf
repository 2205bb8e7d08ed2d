variable "org_ids" {
  description = "Ids of existing Agilicus organisations to attach to the billing accounts: the first to production, the others to staging. scripts/demo.sh passes the organisations it creates in the mock API."
  type        = list(string)

  validation {
    condition     = length(var.org_ids) > 0
    error_message = "org_ids must name at least one organisation."
  }
}
