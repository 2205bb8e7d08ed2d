#!/usr/bin/env bash
# Prints the path of the terraform that generates and validates the docs:
# terraform 1.16.4, the one on PATH when it is exactly that release,
# otherwise the cached build of scripts/terraform-1.16.4.sh. The docs
# generator reads the provider's schema through `terraform providers schema
# -json`, and older releases leave parts of it out (resource identities
# before 1.12, list resources and actions before 1.14), so one pinned
# release keeps the generated docs the same on every machine.
#
# Usage: tf="$(scripts/terraform-docs-bin.sh)"
set -euo pipefail

readonly DOCS_TERRAFORM_VERSION=1.16.4

if tf="$(command -v terraform 2>/dev/null)" && [[ -n "${tf}" ]]; then
	out="$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "${tf}" version 2>/dev/null)" || out=""
	if [[ "${out%%$'\n'*}" == "Terraform v${DOCS_TERRAFORM_VERSION}" ]]; then
		printf '%s\n' "${tf}"
		exit 0
	fi
fi
exec "$(dirname "${BASH_SOURCE[0]}")/terraform-${DOCS_TERRAFORM_VERSION}.sh"
