#!/usr/bin/env bash
# Prints the path of a terraform that can describe the provider's resource
# identities (terraform 1.12 or later), for generating the docs: the
# terraform on PATH when it is recent enough, otherwise the cached build of
# terraform 1.13.3 (scripts/terraform-1.13.3.sh). Older terraform versions
# leave identity schemas out of `terraform providers schema -json`, and the
# docs generator then refuses the identity import examples.
#
# Usage: tf="$(scripts/terraform-docs-bin.sh)"
set -euo pipefail

if tf="$(command -v terraform 2>/dev/null)" && [[ -n "${tf}" ]]; then
	version="$("${tf}" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([0-9]*\)\.\([0-9]*\)\..*/\1 \2/p')"
	read -r major minor <<<"${version:-0 0}"
	if ((major > 1 || (major == 1 && minor >= 12))); then
		printf '%s\n' "${tf}"
		exit 0
	fi
fi
exec "$(dirname "${BASH_SOURCE[0]}")/terraform-1.13.3.sh"
