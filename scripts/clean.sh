#!/usr/bin/env bash
# Stops the network (scripts/down.sh) and removes everything it generated (network/.state: identities, genesis
# block, node configs, ledgers, logs). bin/ (the Fabric commands and the chaincode build) stays.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

lock_network
"$DL_ROOT/scripts/down.sh"
rm -rf "$DL_STATE"
log "removed $DL_STATE"
