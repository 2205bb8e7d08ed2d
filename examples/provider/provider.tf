terraform {
  required_providers {
    agilicus = {
      source = "agilicus/agilicus"
    }
  }
}

# Every setting can come from the environment, which keeps the token out of
# configuration files:
#
#   export AGILICUS_API_HOST=https://api.agilicus.com   # the default
#   export AGILICUS_ACCESS_TOKEN=...                    # bearer token (JWT)
#   export AGILICUS_MAX_RETRIES=10                      # the default
#   export AGILICUS_REQUEST_TIMEOUT=60s                 # the default
provider "agilicus" {}

# The same settings written out; a value here wins over the environment.
provider "agilicus" {
  alias = "explicit"

  host            = "https://api.agilicus.com"
  max_retries     = 5     # retries of a failed request; 0 disables them
  request_timeout = "30s" # time limit of one HTTP attempt
  # access_token  = var.agilicus_access_token
}
