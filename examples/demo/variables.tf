variable "org_ids" {
  description = "Ids of existing Agilicus organisations to attach to the billing accounts. scripts/demo.sh passes the organisations it creates in the mock API."
  type        = list(string)
}
