#!/usr/bin/env bash
# Runs every fuzz target of the module on top of its committed seed corpus,
# each for a fixed number of executions.
#
# Budgets are execution counts (-fuzztime Nx), never durations: on Go 1.26 a
# duration budget races the fuzzing coordinator's shutdown, and the run can
# fail with "context deadline exceeded" and no failing input
# (golang/go#75804). A count ends the same way every time, while a real
# finding still fails the run and writes its input under testdata/fuzz/.
#
# Each target's count is sized to take a few seconds; a target
# without a budget here fails the run, so a new one is sized on purpose.
#
# Usage: scripts/fuzz.sh [SCALE]   (SCALE multiplies every budget; default 1)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scale="${1:-1}"
declare -A budget=(
	[FuzzDecodeResponses]=100000
	[FuzzDecodeErrorBody]=100000
	[FuzzValidateID]=100000
	[FuzzParseAttachmentID]=30000
)

found=0
for pkg in $(go list ./...); do
	for target in $(go test -list '^Fuzz' "${pkg}" | grep '^Fuzz' || true); do
		found=$((found + 1))
		n="${budget[${target}]:-}"
		if [[ -z "${n}" ]]; then
			echo "fuzz target ${target} (${pkg}) has no execution budget in scripts/fuzz.sh" >&2
			exit 1
		fi
		n=$((n * scale))
		echo "fuzzing ${target} (${pkg}) for ${n} executions"
		go test "${pkg}" -run '^$' -fuzz "^${target}\$" -fuzztime "${n}x"
	done
done
if [[ ${found} -eq 0 ]]; then
	echo "no fuzz targets found" >&2
	exit 1
fi
