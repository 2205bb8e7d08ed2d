#!/usr/bin/env bash
# Runs each named make target in order, stops at the first failure, and prints
# the wall time of every step that ran. Used by `make test` so a CI log shows
# where the time goes.
#
# Usage: timed-steps.sh TARGET...   (MAKE may name the make to call)
set -euo pipefail

make_cmd="${MAKE:-make}"
names=()
times=()
results=()
overall_start=${SECONDS}

summary() {
	local i
	echo
	echo "== wall time per step =="
	for i in "${!names[@]}"; do
		printf '  %-16s %6ss  %s\n' "${names[$i]}" "${times[$i]}" "${results[$i]}"
	done
	printf '  %-16s %6ss\n' "total" "$((SECONDS - overall_start))"
}

for target in "$@"; do
	echo
	echo "== ${target} =="
	start=${SECONDS}
	rc=0
	"${make_cmd}" --no-print-directory "${target}" || rc=$?
	names+=("${target}")
	times+=("$((SECONDS - start))")
	if [[ ${rc} -ne 0 ]]; then
		results+=("FAILED (exit ${rc})")
		summary
		echo
		echo "step '${target}' failed; later steps were not run" >&2
		exit "${rc}"
	fi
	results+=("ok")
done

summary
