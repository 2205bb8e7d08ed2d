#!/usr/bin/env bash
# Follows CONTRIBUTING.md's "Using a build of this checkout" step by step, in a
# temporary folder outside the checkout, as a new user would: make install,
# make dev-config, make mockapi, start the mock, then terraform plan and
# apply of a configuration of one's own, and a plan that shows no changes.
# Stops the mock and removes the folder on every exit path.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/agilicus-dev-build.XXXXXX")"
mock_pid=""
cleanup() {
	if [[ -n "${mock_pid}" ]]; then
		kill "${mock_pid}" 2>/dev/null || true
		wait "${mock_pid}" 2>/dev/null || true
	fi
	rm -rf "${work}"
}
trap cleanup EXIT

step() { echo "== $* =="; }
fail() {
	echo "dev-build-check: $*" >&2
	exit 1
}

step "make install dev-config mockapi"
make -C "${repo}" --no-print-directory install dev-config mockapi >"${work}/make.log" 2>&1 ||
	{
		cat "${work}/make.log" >&2
		fail "make install dev-config mockapi failed"
	}
grep -q 'export TF_CLI_CONFIG_FILE=' "${work}/make.log" || fail "make dev-config printed no TF_CLI_CONFIG_FILE to set"
# The line make dev-config prints, as CONTRIBUTING.md says to run it.
eval "$(sed -n 's/^  \(export TF_CLI_CONFIG_FILE=.*\)$/\1/p' "${work}/make.log")"
[[ -f "${TF_CLI_CONFIG_FILE}" ]] || fail "TF_CLI_CONFIG_FILE=${TF_CLI_CONFIG_FILE} does not exist"

gobin="$(go env GOBIN)"
gobin="${gobin:-$(go env GOPATH | cut -d: -f1)/bin}"
export PATH="${gobin}:${PATH}"
command -v mockapi >/dev/null || fail "make mockapi installed no mockapi on PATH (${gobin})"

step "start the mock"
export AGILICUS_ACCESS_TOKEN="dev-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
mockapi -listen 127.0.0.1:0 -url-file "${work}/url" -orgs 1 >"${work}/mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 100); do
	[[ -s "${work}/url" ]] && break
	sleep 0.1
done
[[ -s "${work}/url" ]] || fail "the mock did not start: $(cat "${work}/mock.log")"
AGILICUS_API_HOST="$(cat "${work}/url")"
export AGILICUS_API_HOST CHECKPOINT_DISABLE=1

step "terraform plan and apply in ${work}/config"
mkdir "${work}/config"
cd "${work}/config"
cat >main.tf <<'TF'
terraform {
  required_providers {
    agilicus = {
      source = "agilicus/agilicus"
    }
  }
}

provider "agilicus" {}

resource "agilicus_billing_account" "mine" {
  customer_id = "cus_first_hour"
}
TF
terraform plan -no-color >plan.log 2>&1 || {
	cat plan.log >&2
	fail "terraform plan failed"
}
grep -q "Provider development overrides are in effect" plan.log || fail "terraform did not use the local build"
grep -q "Plan: 1 to add, 0 to change, 0 to destroy" plan.log || {
	cat plan.log >&2
	fail "the plan does not add the account"
}
terraform apply -auto-approve -no-color >apply.log 2>&1 || {
	cat apply.log >&2
	fail "terraform apply failed"
}
terraform plan -detailed-exitcode -no-color >replan.log 2>&1 || {
	cat replan.log >&2
	fail "the plan after the apply is not empty"
}
echo "dev-build-check: ok (plan, apply and an empty plan with the local build against the mock)"
