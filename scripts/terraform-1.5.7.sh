#!/usr/bin/env bash
# Prints the path of a terraform 1.5.7 binary, building it from the Go module
# proxy on first use and reusing the cached build afterwards.
#
# 1.5.7 is the last release that still builds with `go install` (later ones
# carry replace directives), and it is the oldest CLI we test against.
# Output: the binary path on stdout; progress goes to stderr.
set -euo pipefail

TF_VERSION=1.5.7

gobin_dir() {
	local bin
	bin="$(go env GOBIN)"
	if [[ -z "${bin}" ]]; then
		bin="$(go env GOPATH)/bin"
	fi
	printf '%s\n' "${bin}"
}

# True when $1 runs and reports the expected version. The output is captured
# whole rather than piped into `head`, which could kill terraform with SIGPIPE.
is_expected_version() {
	local out
	[[ -x "$1" ]] || return 1
	out="$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version 2>/dev/null)" || return 1
	[[ "${out}" == "Terraform v${TF_VERSION}"$'\n'* || "${out}" == "Terraform v${TF_VERSION}" ]]
}

dir="$(gobin_dir)/terraform-${TF_VERSION}"
bin="${dir}/terraform"

# A cached build is reused only if it still runs and reports the right version.
if is_expected_version "${bin}"; then
	printf '%s\n' "${bin}"
	exit 0
fi

mkdir -p "${dir}"
echo "building terraform v${TF_VERSION} into ${dir} (first run only, a minute or two)" >&2
start=${SECONDS}
# GOFLAGS=-mod=mod replaces any GOFLAGS from the environment: -mod=vendor
# there makes `go install pkg@version` fail ("cannot query module").
# GOWORK=off: a workspace file must not leak into the build.
# CGO_ENABLED=0: a static binary, independent of the host libc.
GOBIN="${dir}" GOFLAGS=-mod=mod GOWORK=off CGO_ENABLED=0 \
	go install "github.com/hashicorp/terraform@v${TF_VERSION}" >&2
echo "built terraform v${TF_VERSION} in $((SECONDS - start)) s" >&2

if ! is_expected_version "${bin}"; then
	echo "error: ${bin} does not report Terraform v${TF_VERSION}" >&2
	exit 1
fi
printf '%s\n' "${bin}"
