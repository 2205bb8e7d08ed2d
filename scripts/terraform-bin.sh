#!/usr/bin/env bash
# Prints the path of a usable terraform CLI: the one on PATH when there is one,
# otherwise a cached terraform 1.5.7 built from the Go module proxy (see
# terraform-1.5.7.sh). This lets acceptance tests, docs generation and
# formatting run on machines without a terraform install.
# Output: the binary path on stdout; progress goes to stderr.
set -euo pipefail

if tf="$(command -v terraform 2>/dev/null)" && [[ -n "${tf}" ]]; then
	printf '%s\n' "${tf}"
	exit 0
fi

echo "terraform not found on PATH; falling back to a cached terraform 1.5.7 build" >&2
exec "$(dirname "${BASH_SOURCE[0]}")/terraform-1.5.7.sh"
