#!/usr/bin/env bash
# Runs `terraform test` on examples/module-testing against the mock Agilicus
# API: builds the provider and the mock (internal/cmd/mockapi), starts the
# mock on a free loopback port with three organisations and a random token,
# points terraform at the fresh provider build with dev_overrides, and runs
# the tests in a copy of the example, so nothing is written into examples/.
# Then it checks that the tests left nothing behind in the API.
#
# The mock is stopped and everything temporary removed on every exit path.
# terraform test needs terraform 1.6 or later; with an older one the script
# says so and exits 0 without testing.
#
# Usage: scripts/module-test.sh [terraform test flags, e.g. -verbose]
#   (`make module-test` sets TERRAFORM; otherwise the terraform on PATH)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
example="${repo}/examples/module-testing"
org_count=3
started=${SECONDS}

fail() {
	printf 'module-test: %s\n' "$*" >&2
	exit 1
}

command -v go >/dev/null || fail "go not found on PATH"
command -v curl >/dev/null || fail "curl not found on PATH"
tf="${TERRAFORM:-$(command -v terraform || true)}"
[[ -n "${tf}" && -x "${tf}" ]] || fail "terraform not found: put terraform 1.6 or later on PATH, or set TERRAFORM"
version="$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "${tf}" version -json |
	sed -n 's/.*"terraform_version": *"\([0-9.]*\).*/\1/p')"
IFS=. read -r major minor _ <<<"${version}"
if ((major < 1 || (major == 1 && minor < 6))); then
	echo "module-test: SKIPPED: terraform test needs terraform 1.6 or later; ${tf} is ${version}" >&2
	exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/agilicus-module-test.XXXXXXXX")"
mock_pid=""
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [[ -n "${mock_pid}" ]]; then
		kill -TERM "${mock_pid}" 2>/dev/null || true
		wait "${mock_pid}" 2>/dev/null || true
	fi
	rm -rf -- "${work}"
	exit "${rc}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir "${work}/bin" "${work}/tmp"
export TMPDIR="${work}/tmp"

echo "==> building the provider and the mock API"
(cd "${repo}" && go build -o "${work}/bin/" . ./internal/cmd/mockapi)

echo "==> starting the mock API"
token="module-test-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
# The token goes through the environment, out of the process list. The mock
# runs in its own process group, so a Ctrl-C reaches terraform, not the mock.
set -m
AGILICUS_ACCESS_TOKEN="${token}" "${work}/bin/mockapi" \
	-listen 127.0.0.1:0 -orgs "${org_count}" -url-file "${work}/mock.url" \
	>"${work}/mock.log" 2>&1 </dev/null &
mock_pid=$!
set +m
for _ in $(seq 300); do
	[[ -s "${work}/mock.url" ]] && break
	kill -0 "${mock_pid}" 2>/dev/null || break
	sleep 0.1
done
[[ -s "${work}/mock.url" ]] || fail "the mock API is not listening:
$(cat "${work}/mock.log")"
read -r api_url <"${work}/mock.url"
# The mock prints "org <id> <name>" for each organisation it created.
org_ids="$(awk '$1 == "org" { ids = ids sep "\"" $2 "\""; sep = "," } END { print "[" ids "]" }' "${work}/mock.log")"
echo "    ${api_url}, organisations ${org_ids}"

cat >"${work}/terraform.rc" <<RC
provider_installation {
  dev_overrides {
    "agilicus/agilicus" = "${work}/bin"
  }
  direct {}
}
RC
# Nothing from the caller's environment changes what terraform does.
while read -r name; do
	unset "${name}"
done < <(compgen -e | grep -E '^(TF_CLI_ARGS.*|TF_DATA_DIR|TF_WORKSPACE|TF_VAR_.*|TF_LOG.*|AGILICUS_.*)$' || true)
export TF_CLI_CONFIG_FILE="${work}/terraform.rc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
export AGILICUS_API_HOST="${api_url}" AGILICUS_ACCESS_TOKEN="${token}"
export TF_VAR_org_ids="${org_ids}"

cp -R "${example}" "${work}/module"
no_color=()
[[ -t 1 ]] || no_color=(-no-color)

echo "==> terraform test ($("${tf}" version | sed -n 1p))"
# `terraform get` installs the helper module the runs use (tests/api). Not
# init: the provider comes from dev_overrides, and init would still ask the
# registry for it.
"${tf}" -chdir="${work}/module" get "${no_color[@]}" >"${work}/get.log" 2>&1 ||
	fail "terraform get failed:
$(cat "${work}/get.log")"
"${tf}" -chdir="${work}/module" test "${no_color[@]}" "$@"

# terraform test destroys what its runs created: the mock must hold no
# billing account now.
state="$(curl -fsS "${api_url}/_mock/state" | tr -d ' \t\n')" || fail "could not read ${api_url}/_mock/state"
[[ "${state}" == *'"accounts":[]'* || "${state}" == *'"accounts":null'* ]] ||
	fail "billing accounts left in the mock API after terraform test: ${state}"

echo "module test passed in $((SECONDS - started))s"
