#!/usr/bin/env bash
# Benchmarks the provider with terraform against the mock API (see
# internal/cmd/bench for what is measured). `make bench` runs it with the
# resolved terraform as $TERRAFORM.
#
# Defaults come from these variables; flags given to the script win:
#   BENCH_ACCOUNTS     N accounts                     (1000)
#   BENCH_ATTACHMENTS  M org attachments              (1000)
#   BENCH_SPREAD       S accounts the attachments use (50)
#   BENCH_LATENCY      mock API latency per request   (20ms)
#   BENCH_PARALLELISM  terraform -parallelism         (10)
#   BENCH_OUT          JSON results file (default: agilicus-bench-<time>.json
#                      in $TMPDIR, printed at the end)
#
# The run exits 0 whatever the target verdicts; with -strict a missed target
# fails it (the command exits 3, which go run reports as "exit status 3").
#
# Examples:
#   make bench
#   BENCH_LATENCY=50ms make bench
#   scripts/bench.sh -query -accounts 10000 -api-version 1.405.8   # terraform query (terraform 1.14+)
#   scripts/bench.sh -refresh-only -accounts 5000 -attachments 5000 -spread 500 -api-version 1.405.8
#   scripts/bench.sh -accounts 10 -attachments 10 -spread 2 -latency 5ms   # smoke size
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

args=(
	-accounts "${BENCH_ACCOUNTS:-1000}"
	-attachments "${BENCH_ATTACHMENTS:-1000}"
	-spread "${BENCH_SPREAD:-50}"
	-latency "${BENCH_LATENCY:-20ms}"
	-parallelism "${BENCH_PARALLELISM:-10}"
)
if [[ -n "${BENCH_OUT:-}" ]]; then
	args+=(-out "${BENCH_OUT}")
fi
exec go run ./internal/cmd/bench "${args[@]}" "$@"
