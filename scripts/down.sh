#!/usr/bin/env bash
# Stops the processes scripts/up.sh and scripts/bench.sh started (REST gateways, chaincode services, peers, ordering
# nodes, then CAs), by their PID files in network/.state/run, and waits until they have exited. Ledgers, CA databases,
# identities, API keys and logs stay: `make up` resumes the same network. Processes started by anything else are never
# touched.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

lock_network
started_ms=$(now_ms)
for tier in bench-gateway gateway probe chaincode-next chaincode peer orderer ca; do
  names=()
  for o in $ORGS; do names+=("$tier-$o"); done
  proc_stop "${names[@]}"
done
# Site mode: the wide-area link, then the namespaces, links and hosts files this network made (scripts/lib/sites.sh).
proc_stop proxy-wan
sites_down
# PID files of processes that are gone (or of names no longer in network.env).
rm -f "$DL_RUN"/*.pid "$DL_RUN"/*.args "$DL_RUN"/*.pkg "$DL_RUN"/*.stamp "$DL_RUN"/*.seen 2>/dev/null || true
log "network down in $(fmt_ms $(($(now_ms) - started_ms)))"
