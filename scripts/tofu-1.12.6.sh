#!/usr/bin/env bash
# Prints the path of an OpenTofu 1.12.6 binary, building it from the Go
# module proxy on first use and reusing the cached build afterwards:
#
#   <Go bin directory>/tofu-1.12.6/tofu
#
# `go install` refuses OpenTofu (its go.mod replaces hcl with OpenTofu's
# fork), so the module source is downloaded and built in a writable copy,
# where that replace line is honoured (scripts/build-cli-from-proxy.sh).
# 1.12.6 is the newest OpenTofu the suite proves (resource identity and
# lifecycle { destroy = false } arrived in 1.12).
#
# Usage: tofu="$(scripts/tofu-1.12.6.sh)"
# Output: the binary path on stdout; progress goes to stderr. Needs no network
# once the Go module proxy has been reachable for the first build.
set -euo pipefail

CLI_NAME=tofu
CLI_MODULE=github.com/opentofu/opentofu
CLI_VERSION=1.12.6
CLI_PACKAGE=./cmd/tofu
CLI_PRODUCT=OpenTofu
CLI_ESTIMATE="a few minutes"

# shellcheck source=scripts/build-cli-from-proxy.sh
source "$(dirname "${BASH_SOURCE[0]}")/build-cli-from-proxy.sh"
cli_from_proxy
