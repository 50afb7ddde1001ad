#!/usr/bin/env bash
# `make bench`: measures every path of the market against the network's own limit, in one run (network/bench):
#   scripts/bench.sh [flags of the benchmark]       (bin/deltaledger-bench -h lists them)
# Starts the network when it is not up (and stops it again at the end), deploys the probe chaincode beside the
# market's (network/bench/probe: the limit) and starts its services (probe-<org>), starts one REST gateway per org
# beside the running ones with the rate limits out of the way (bench-gateway-<org>, on <ORG>_BENCH_GATEWAY_PORT),
# runs the benchmark, and stops the unlimited gateways again. The probe services keep running until `make down`.
set -euo pipefail

# shellcheck source=scripts/lib/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
# shellcheck source=scripts/lib/network.sh
source "$DL_ROOT/scripts/lib/network.sh"

to_office "$0" "$@"

bench_gateway_url() { printf 'https://%s:%s' "$(endpoint_host "$1" "$(gateway_host "$1")")" "$(orgval "$1" BENCH_GATEWAY_PORT)"; }

# Starts ORG's gateway without rate limits: the same binary, configuration, local settings and wallet as
# gateway-ORG, on its own port, with its own idempotency file, without the market index (gateway-ORG keeps it)
# and without a profile listener (gateway-ORG may have one).
start_bench_gateway() {
  local o=$1 name="bench-gateway-$1"
  proc_stop "$name"
  ! tcp_open "$(org_host "$o")" "$(orgval "$o" BENCH_GATEWAY_PORT)" ||
    die "port $(orgval "$o" BENCH_GATEWAY_PORT) of $name is in use by another process"
  read_gateway_env "$o"
  proc_start "$name" "${DL_GW_ENV[@]}" "$DL_GW_BIN" serve --config "$(gateway_config "$o")" \
    --listen "$(org_host "$o"):$(orgval "$o" BENCH_GATEWAY_PORT)" --limits-read-rate-per-second 0 \
    --limits-write-rate-per-second 0 --index-enabled=false --debug-pprof-listen "" \
    --idempotency-file "$(gateway_dir "$o")/bench-idempotency.jsonl"
}
# bench_gateway_ready ORG: its /readyz answers 200.
bench_gateway_ready() {
  curl -sf --max-time 5 --cacert "$(org_tlsca "$1")" "$(bench_gateway_url "$1")/readyz" >/dev/null
}
stop_bench_gateways() {
  local o names=()
  for o in $ORGS; do names+=("bench-gateway-$o"); done
  proc_stop "${names[@]}"
}

was_up=0
"$DL_ROOT/scripts/status.sh" >/dev/null 2>&1 && was_up=1
if [ "$was_up" = 0 ]; then "$DL_ROOT/scripts/up.sh"; fi
finish() {
  local rc=$?
  stop_bench_gateways
  if [ "$was_up" = 0 ]; then "$DL_ROOT/scripts/down.sh"; fi
  exit "$rc"
}
trap finish EXIT

(
  lock_network
  phase probe
  select_chaincode probe
  build_chaincode
  deploy_chaincode
  phase gateways
  for o in $ORGS; do start_bench_gateway "$o"; done
  retry_each_org 60 "bench-gateway-ORG to be ready" running bench-gateway bench_gateway_ready || die "a gateway without rate limits is not ready (logs: $DL_LOGS)"
  phase_summary
)
(cd "$DL_ROOT" && go build -o "$DL_BIN/deltaledger-bench" ./network/bench/cmd/bench) || die "go build of the benchmark failed"
"$DL_BIN/deltaledger-bench" "$@"
