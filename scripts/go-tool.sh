#!/usr/bin/env bash
# Prints the path of a pinned Go tool, installing it with `go install` into
# a folder of its own in the Go bin directory on first use:
#
#   <Go bin directory>/<name>-<version>/<name>
#
# the layout of the CLI builds (scripts/build-cli-from-proxy.sh). The folder
# is named by version, so each pinned version is built once per machine and
# shared by every checkout, and a developer's own copy (directly in the Go
# bin directory, or on PATH) is never replaced or used. A cached binary is
# reused only when `go version -m` confirms it was built from PACKAGE at
# VERSION.
#
# Usage: scripts/go-tool.sh PACKAGE VERSION
#   e.g. scripts/go-tool.sh github.com/rhysd/actionlint/cmd/actionlint v1.7.12
# Output: the binary path on stdout; progress goes to stderr.
set -euo pipefail

if (($# != 2)); then
	echo "usage: $0 PACKAGE VERSION" >&2
	exit 2
fi
pkg="$1"
version="$2"

gobin="$(go env GOBIN)"
if [[ -z "${gobin}" ]]; then
	gobin="$(go env GOPATH)"
	# The first GOPATH entry is where `go install` puts binaries.
	gobin="${gobin%%:*}/bin"
fi
# The binary name is the package's last element, without a /vN suffix.
name="${pkg##*/}"
if [[ "${name}" =~ ^v[0-9]+$ ]]; then
	name="$(basename "$(dirname "${pkg}")")"
fi
dir="${gobin}/${name}-${version}"
bin="${dir}/${name}"

# built_from BINARY: true when the binary's build information names pkg at
# version (`go version -m` prints "path <pkg>" and "mod <module> <version>").
built_from() {
	local info
	[[ -x "$1" ]] || return 1
	info="$(go version -m "$1" 2>/dev/null)" || return 1
	grep -qE "^[[:space:]]+path[[:space:]]+${pkg//./\\.}\$" <<<"${info}" &&
		grep -qE "^[[:space:]]+mod[[:space:]].*[[:space:]]${version//./\\.}([[:space:]]|\$)" <<<"${info}"
}

if built_from "${bin}"; then
	printf '%s\n' "${bin}"
	exit 0
fi

echo "installing ${pkg}@${version} into ${dir} (first use only)" >&2
start=${SECONDS}
mkdir -p "${gobin}"
# Build into a fresh folder and move it into place, so an interrupted build
# never leaves a binary that looks complete.
tmp="$(mktemp -d "${gobin}/.${name}-${version}.XXXXXX")"
trap 'rm -rf -- "${tmp}"' EXIT
# GOFLAGS=-mod=mod replaces -mod=vendor or similar from the environment,
# which makes `go install pkg@version` fail; GOWORK=off keeps a workspace
# file out; CGO_ENABLED=0 gives a static binary.
GOBIN="${tmp}" GOFLAGS=-mod=mod GOWORK=off CGO_ENABLED=0 go install "${pkg}@${version}" >&2
rm -rf -- "${dir}"
mv -- "${tmp}" "${dir}"
trap - EXIT
if ! built_from "${bin}"; then
	echo "error: ${bin} was not built from ${pkg}@${version}" >&2
	exit 1
fi
echo "installed ${name} ${version} in $((SECONDS - start)) s" >&2
printf '%s\n' "${bin}"
