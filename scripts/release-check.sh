#!/usr/bin/env bash
# Checks the release configuration without publishing anything: runs
# `goreleaser check` on .goreleaser.yml, then a snapshot release of the host
# platform only, without signing, into a temporary directory, and checks
# what the Terraform Registry needs from it:
#
#   - the zip archive terraform-provider-agilicus_<version>_<os>_<arch>.zip,
#     holding the binary terraform-provider-agilicus_v<version>;
#   - terraform-provider-agilicus_<version>_SHA256SUMS, listing the archive
#     and the registry manifest under its release name
#     terraform-provider-agilicus_<version>_manifest.json, each with its
#     right SHA-256 (the release uploads the manifest under that name);
#   - a binary that serves the provider: started on its own it refuses to
#     run, and with -debug it prints TF_REATTACH_PROVIDERS for
#     registry.terraform.io/agilicus/agilicus over protocol 6.
#
# GoReleaser's release command has no single-target flag, so the snapshot
# uses a copy of .goreleaser.yml whose build lists only the host's GOOS and
# GOARCH, and whose dist directory is the temporary one.
#
# Usage: scripts/release-check.sh GORELEASER   (`make release-check` passes
# the pinned GoReleaser from scripts/go-tool.sh)
set -euo pipefail

if (($# != 1)); then
	echo "usage: $0 GORELEASER" >&2
	exit 2
fi
goreleaser="$1"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo}"
project=terraform-provider-agilicus
address=registry.terraform.io/agilicus/agilicus
started=${SECONDS}

fail() {
	printf 'release-check: %s\n' "$*" >&2
	exit 1
}

command -v unzip >/dev/null || fail "unzip is needed to look into the archive"

work="$(mktemp -d "${TMPDIR:-/tmp}/agilicus-release-check.XXXXXXXX")"
debug_pid=""
cleanup() {
	if [[ -n "${debug_pid}" ]]; then
		kill -KILL "${debug_pid}" 2>/dev/null || true
		wait "${debug_pid}" 2>/dev/null || true
	fi
	rm -rf -- "${work}"
}
trap cleanup EXIT
# go build, GoReleaser and the provider's -debug socket stay in ${work}.
mkdir "${work}/tmp"
export TMPDIR="${work}/tmp"

echo "==> goreleaser check"
"${goreleaser}" check

goos="$(go env GOOS)"
goarch="$(go env GOARCH)"
dist="${work}/dist"
config="${work}/goreleaser.yml"
# Replace the build's goos, goarch and ignore lists (everything between
# "goos:" and "binary:") with the host platform.
awk -v goos="${goos}" -v goarch="${goarch}" '
	/^    goos:$/ && !done { print "    goos:\n      - " goos "\n    goarch:\n      - " goarch; skip = 1; done = 1; next }
	skip && /^    binary:/ { skip = 0 }
	!skip { print }
	END { if (!done || skip) exit 1 }
' .goreleaser.yml >"${config}" ||
	fail "could not restrict .goreleaser.yml to one platform: expected the build's goos list to end at its binary line"
grep -q '^dist:' "${config}" && fail ".goreleaser.yml sets dist; this check expects to choose it"
printf 'dist: %s\n' "${dist}" >>"${config}"

echo "==> goreleaser release --snapshot --clean --skip=sign,publish (${goos}_${goarch} only)"
if ! "${goreleaser}" release --snapshot --clean --skip=sign,publish --config "${config}" >"${work}/goreleaser.log" 2>&1; then
	cat "${work}/goreleaser.log" >&2
	fail "the snapshot release failed"
fi

version="$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' "${dist}/metadata.json")"
[[ -n "${version}" ]] || fail "no version in ${dist}/metadata.json"
echo "==> checking the artifacts of version ${version}"

archive="${project}_${version}_${goos}_${goarch}.zip"
sums="${project}_${version}_SHA256SUMS"
manifest="${project}_${version}_manifest.json"
binary="${project}_v${version}"
[[ -f "${dist}/${archive}" ]] || fail "no ${archive} in dist: $(ls "${dist}")"
[[ -f "${dist}/${sums}" ]] || fail "no ${sums} in dist: $(ls "${dist}")"
zips=("${dist}"/*.zip)
((${#zips[@]} == 1)) || fail "expected one archive, found ${#zips[@]}: ${zips[*]}"

# sum_of NAME: the hash SHA256SUMS lists for NAME.
sum_of() { awk -v name="$1" '$2 == name { print $1 }' "${dist}/${sums}"; }
want="$(sha256sum "${dist}/${archive}" | cut -d' ' -f1)"
[[ "$(sum_of "${archive}")" == "${want}" ]] ||
	fail "${sums} does not list ${archive} with its SHA-256 ${want}:
$(cat "${dist}/${sums}")"
want="$(sha256sum terraform-registry-manifest.json | cut -d' ' -f1)"
[[ "$(sum_of "${manifest}")" == "${want}" ]] ||
	fail "${sums} does not list the registry manifest as ${manifest} with its SHA-256 ${want}:
$(cat "${dist}/${sums}")"
echo "    ${sums} lists ${archive} and ${manifest} with their SHA-256"

mkdir "${work}/unzipped"
unzip -q "${dist}/${archive}" -d "${work}/unzipped"
bin="${work}/unzipped/${binary}"
[[ -x "${bin}" ]] || fail "${archive} holds no executable ${binary}: $(ls "${work}/unzipped")"
grep -aqF -- "${version}" "${bin}" || fail "${binary} does not carry its version ${version}"
echo "    ${archive} holds ${binary}"

# Started by hand, a plugin refuses to run.
rc=0
out="$("${bin}" 2>&1)" || rc=$?
((rc != 0)) || fail "${binary} with no arguments exited 0"
[[ "${out}" == *"This binary is a plugin"* ]] || fail "${binary} with no arguments printed: ${out}"

# With -debug it serves the provider and says how to attach terraform.
"${bin}" -debug >"${work}/debug.log" 2>&1 &
debug_pid=$!
for _ in $(seq 100); do
	grep -q 'TF_REATTACH_PROVIDERS=' "${work}/debug.log" && break
	kill -0 "${debug_pid}" 2>/dev/null || break
	sleep 0.1
done
reattach="$(grep -o "TF_REATTACH_PROVIDERS='.*'" "${work}/debug.log" | head -n 1 || true)"
kill -INT "${debug_pid}" 2>/dev/null || true
wait "${debug_pid}" 2>/dev/null || true
debug_pid=""
[[ "${reattach}" == *"\"${address}\":"*'"ProtocolVersion":6'* ]] ||
	fail "${binary} -debug did not offer ${address} over protocol 6:
$(cat "${work}/debug.log")"
echo "    ${binary} serves ${address} (protocol 6)"

echo "release check passed in $((SECONDS - started))s"
