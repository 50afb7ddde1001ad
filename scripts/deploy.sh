#!/usr/bin/env bash
# (Re)deploys the chaincode on the running network in one step: builds ./chaincode (or takes $CHAINCODE_BIN),
# and when the binary, the endorsement policy (ENDORSEMENT_POLICY in network/network.env) or the collections
# changed, packages, installs and approves it for every org and commits it with the next sequence (read from
# querycommitted); the new package's services run beside the committed one's, on each org's other chaincode port,
# and the former stop once every peer has committed the new definition (scripts/lib/deploy.sh); then checks the
# market rules (sets them if the ledger has none, applies a changed network.env with every local admin's approval).
# Nothing changed: nothing is done.
set -euo pipefail

# shellcheck source=scripts/lib/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
# shellcheck source=scripts/lib/network.sh
source "$DL_ROOT/scripts/lib/network.sh"

to_office "$0" "$@"
lock_network
for o in $ORGS; do
  proc_pid "peer-$o" >/dev/null || die "peer-$o is not running: start the network with scripts/up.sh"
done
phase build
build_chaincode
build_market_rules
phase deploy
deploy_chaincode
phase check
for o in $ORGS; do
  retry 60 "GetMetadata through peer-$o" chaincode_answers "$o" || die "the chaincode does not answer via peer-$o"
done
phase rules
ensure_market_rules
phase_summary
