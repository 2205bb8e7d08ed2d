#!/usr/bin/env bash
# Runs the provider end to end without an Agilicus account: builds the
# provider and the mock Agilicus API, starts the mock on a free loopback port
# with a few organisations, then runs terraform apply, a plan that must show
# no changes, and destroy on a copy of examples/demo.
#
# Everything the demo creates lives in one temporary directory, which is
# removed, with the mock stopped, on every exit path (success, failure,
# Ctrl-C). A failing step makes the script exit non-zero and name the step.
#
# Usage: scripts/demo.sh   (`make demo` sets TERRAFORM; otherwise the
# terraform on PATH is used)
#
# API_VERSION picks the API generation the mock serves: 1.125.2 (the
# default) or 1.405.8, the API as it is today, with paged account lists
# (two accounts a page here, so the demo's reads cross pages).
#
# AUTH=document makes the provider authenticate as a service account, with
# an authentication document the mock's issuer exchanges for access tokens
# that live 20 seconds, as a CI job would; the default is a bearer token.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
example_dir="${repo}/examples/demo"
org_count=3
api_version="${API_VERSION:-1.125.2}"
auth="${AUTH:-token}"
case "${auth}" in
token | document) ;;
*)
	echo "error: AUTH must be token or document, got ${auth}" >&2
	exit 2
	;;
esac
mock_start_timeout=30 # seconds until the mock must be listening
mock_stop_timeout=10  # seconds the mock may take to shut down before SIGKILL

step="checking prerequisites"
work=""
mock_pid=""
started=${SECONDS}

say() { printf '==> %s\n' "$*"; }
begin() {
	step="$1"
	say "$1"
}
fail() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

# stop_mock sends SIGTERM, waits for the mock to shut down (SIGKILL after
# mock_stop_timeout) and returns its exit status.
stop_mock() {
	local pid="${mock_pid}" rc=0 deadline
	[[ -n "${pid}" ]] || return 0
	mock_pid=""
	kill -TERM "${pid}" 2>/dev/null || true
	deadline=$((SECONDS + mock_stop_timeout))
	while kill -0 "${pid}" 2>/dev/null; do
		if ((SECONDS >= deadline)); then
			echo "mock API did not stop within ${mock_stop_timeout}s; killing it" >&2
			kill -KILL "${pid}" 2>/dev/null || true
			break
		fi
		sleep 0.1
	done
	wait "${pid}" 2>/dev/null || rc=$?
	return "${rc}"
}

# stop_strays stops any process still running a binary from ${work}/bin.
# Terraform stops the provider processes it starts, but a terraform killed
# mid-run (by a closed output pipe, say) can leave one behind.
stop_strays() {
	local pids pid alive deadline
	pids="$(ps -eo pid=,args= | awk -v dir="${work}/bin/" '{ pid = $1; sub(/^ *[0-9]+ +/, "") } index($0, dir) == 1 { print pid }')"
	[[ -n "${pids}" ]] || return 0
	# shellcheck disable=SC2086 # one pid per word
	kill -TERM ${pids} 2>/dev/null || true
	deadline=$((SECONDS + 5))
	while ((SECONDS < deadline)); do
		alive=""
		for pid in ${pids}; do
			if kill -0 "${pid}" 2>/dev/null; then
				alive=1
			fi
		done
		[[ -n "${alive}" ]] || return 0
		sleep 0.1
	done
	# shellcheck disable=SC2086
	kill -KILL ${pids} 2>/dev/null || true
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_mock || true
	if [[ -n "${work}" ]]; then
		stop_strays
		rm -rf -- "${work}"
	fi
	if ((rc != 0)); then
		printf '\ndemo FAILED while %s (exit %d)\n' "${step}" "${rc}" >&2
	fi
	exit "${rc}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

tf="${TERRAFORM:-}"
if [[ -z "${tf}" ]]; then
	tf="$(command -v terraform || true)"
fi
[[ -n "${tf}" && -x "${tf}" ]] || fail "terraform not found: put terraform 1.5 or later on PATH, or set TERRAFORM"
command -v go >/dev/null || fail "go not found on PATH"
[[ -d "${example_dir}" ]] || fail "${example_dir} does not exist"

work="$(mktemp -d "${TMPDIR:-/tmp}/agilicus-demo.XXXXXXXX")"
mkdir "${work}/bin" "${work}/tmp" "${work}/demo"
# go build, terraform and the provider put their own temporary files here,
# so removing ${work} removes them too.
export TMPDIR="${work}/tmp"

begin "building the provider and the mock API"
(cd "${repo}" && go build -o "${work}/bin/" . ./internal/cmd/mockapi)
[[ -x "${work}/bin/terraform-provider-agilicus" && -x "${work}/bin/mockapi" ]] ||
	fail "go build did not produce terraform-provider-agilicus and mockapi"

begin "starting mock Agilicus API (API version ${api_version})"
token="demo-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
# The token reaches the mock through the environment, not the command line,
# so it does not show up in the process list. Job control (set -m) starts the
# mock in its own process group: a Ctrl-C at the terminal then reaches
# terraform, which stops gracefully, but not the mock, which the cleanup
# stops afterwards.
set -m
AGILICUS_ACCESS_TOKEN="${token}" "${work}/bin/mockapi" \
	-listen 127.0.0.1:0 -orgs "${org_count}" -url-file "${work}/mock.url" \
	-api-version "${api_version}" -page-size 2 \
	-document-file "${work}/document.json" -token-lifetime 20s \
	>"${work}/mock.log" 2>&1 </dev/null &
mock_pid=$!
set +m
deadline=$((SECONDS + mock_start_timeout))
until [[ -s "${work}/mock.url" ]]; do
	if ! kill -0 "${mock_pid}" 2>/dev/null; then
		cat "${work}/mock.log" >&2
		fail "the mock API exited before it was listening"
	fi
	if ((SECONDS >= deadline)); then
		cat "${work}/mock.log" >&2
		fail "the mock API was not listening after ${mock_start_timeout}s"
	fi
	sleep 0.1
done
read -r api_url <"${work}/mock.url"
org_ids=()
while read -r id; do
	org_ids+=("${id}")
done < <(awk '$1 == "org" { print $2 }' "${work}/mock.log")
((${#org_ids[@]} == org_count)) ||
	fail "expected ${org_count} organisations in the mock's output, found ${#org_ids[@]}"
org_ids_json="$(printf '"%s",' "${org_ids[@]}")"
org_ids_json="[${org_ids_json%,}]"
printf '    %s\n' "API ${api_url} (pid ${mock_pid})"
sed -n 's/^org \([^ ]*\) \(.*\)$/    org \2 (\1)/p' "${work}/mock.log"

# Terraform uses the freshly built provider without `terraform init`, and
# nothing from the caller's environment changes what it does.
cat >"${work}/terraform.rc" <<EOF
provider_installation {
  dev_overrides {
    "agilicus/agilicus" = "${work}/bin"
  }
  direct {}
}
EOF
while read -r name; do
	unset "${name}"
done < <(compgen -e | grep -E '^(TF_CLI_ARGS.*|TF_DATA_DIR|TF_WORKSPACE|TF_VAR_.*|AGILICUS_.*)$' || true)
export TF_CLI_CONFIG_FILE="${work}/terraform.rc"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
export AGILICUS_API_HOST="${api_url}"
if [[ "${auth}" == document ]]; then
	[[ -s "${work}/document.json" ]] || fail "the mock wrote no authentication document"
	AGILICUS_AUTHENTICATION_DOCUMENT="$(cat "${work}/document.json")"
	export AGILICUS_AUTHENTICATION_DOCUMENT
	say "authenticating with a service account's authentication document (tokens live 20s)"
else
	export AGILICUS_ACCESS_TOKEN="${token}"
fi
export TF_VAR_org_ids="${org_ids_json}"

cp "${example_dir}"/*.tf "${work}/demo/"
tf_run() { "${tf}" -chdir="${work}/demo" "$@"; }
# No colour codes when the output goes to a file or a CI log.
no_color=""
[[ -t 1 ]] || no_color="-no-color"

begin "terraform apply ($("${tf}" version | sed -n 1p))"
tf_run apply -auto-approve -compact-warnings ${no_color:+"${no_color}"}

begin "terraform output"
tf_run output ${no_color:+"${no_color}"}

begin "terraform plan (must report no changes)"
rc=0
tf_run plan -detailed-exitcode -compact-warnings ${no_color:+"${no_color}"} || rc=$?
case "${rc}" in
0) say "no changes: the provider reads back exactly what it applied" ;;
2) fail "the plan after apply is not empty: the provider and the API disagree" ;;
*) fail "terraform plan failed (exit ${rc})" ;;
esac

begin "terraform destroy"
tf_run destroy -auto-approve -compact-warnings ${no_color:+"${no_color}"}
left="$(tf_run state list)"
[[ -z "${left}" ]] || fail "resources left in the state after destroy: ${left}"

begin "stopping mock Agilicus API"
rc=0
stop_mock || rc=$?
((rc == 0)) || fail "the mock API exited with status ${rc}"

step="finishing"
say "demo passed in $((SECONDS - started))s: apply, empty plan and destroy against the mock API"
