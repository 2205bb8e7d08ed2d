#!/usr/bin/env bash
# Prints the path of a terraform 1.16.4 binary, building it from the Go
# module proxy on first use and reusing the cached build afterwards:
#
#   <Go bin directory>/terraform-1.16.4/terraform
#
# `go install` refuses it:
# its go.mod replaces ten nested modules (nine remote-state backends and
# internal/legacy) with folders that the module zip leaves out, since a
# folder with its own go.mod is never part of a module zip. The build
# therefore drops those backends (azurerm, consul, cos, gcs, kubernetes, oci,
# oss, pg, s3) from internal/backend/init/init.go and the ten modules from
# go.mod (scripts/build-cli-from-proxy.sh does the rest). Provider tests use
# the local backend only, so nothing they need is lost.
#
# Usage: tf="$(scripts/terraform-1.16.4.sh)"
# Output: the binary path on stdout; progress goes to stderr. Needs no network
# once the Go module proxy has been reachable for the first build.
set -euo pipefail

CLI_NAME=terraform
CLI_MODULE=github.com/hashicorp/terraform
CLI_VERSION=1.16.4
CLI_PACKAGE=.
CLI_PRODUCT=Terraform
CLI_ESTIMATE="a few minutes"

# The nested modules whose source the module zip lacks.
REMOTE_STATE_BACKENDS=(azure consul cos gcs kubernetes oci oss pg s3)

# Runs in the writable source copy. Fails when the files do not look as
# expected, rather than building something else.
cli_patch_source() {
	local init=internal/backend/init/init.go
	local name line alias pattern removed
	local -a aliases=()

	# Imports look like:  backendS3 "github.com/hashicorp/terraform/internal/backend/remote-state/s3"
	# and map entries:    "s3": func() backend.Backend { return backendS3.New() },
	for name in "${REMOTE_STATE_BACKENDS[@]}"; do
		line="$(grep -E "^[[:space:]]*[A-Za-z0-9_]+ \"${CLI_MODULE}/internal/backend/remote-state/${name}\"\$" "${init}")" || {
			echo "${init}: no import of the ${name} backend" >&2
			return 1
		}
		alias="$(awk '{print $1}' <<<"${line}")"
		aliases+=("${alias}")
		sed -i -E "\\#^[[:space:]]*${alias} \"${CLI_MODULE}/internal/backend/remote-state/${name}\"\$#d" "${init}"
		grep -qE "return ${alias}\\.New\\(" "${init}" || {
			echo "${init}: no map entry for the ${name} backend" >&2
			return 1
		}
		sed -i -E "/return ${alias}\\.New\\(/d" "${init}"
	done
	for alias in "${aliases[@]}"; do
		if grep -qE "\\b${alias}\\." "${init}"; then
			echo "${init}: ${alias} is still used after removing its backend" >&2
			return 1
		fi
	done

	# go.mod: one require line and one replace line for each of the ten modules.
	pattern="${CLI_MODULE//./\\.}/internal/(backend/remote-state/($(
		IFS='|'
		echo "${REMOTE_STATE_BACKENDS[*]}"
	))|legacy)[[:space:]]"
	removed="$(grep -cE "${pattern}" go.mod)" || true
	if [[ "${removed}" != 20 ]]; then
		echo "go.mod: expected 20 require and replace lines for the nested modules, found ${removed}" >&2
		return 1
	fi
	sed -i -E "\\#${pattern}#d" go.mod
	echo "removed ${#aliases[@]} remote-state backends from ${init} and ${removed} lines from go.mod" >&2
}

# shellcheck source=scripts/build-cli-from-proxy.sh
source "$(dirname "${BASH_SOURCE[0]}")/build-cli-from-proxy.sh"
cli_from_proxy
