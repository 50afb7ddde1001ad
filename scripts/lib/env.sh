# shellcheck shell=bash
# Peer CLI environment for one org of the running network. From the repository root:
#
#   source scripts/lib/env.sh
#   use_org shanghai            # the org's Admin; or: use_org jiangsu buyer / use_org anhui User2
#   peer channel getinfo -c "$CHANNEL_NAME"
#   peer chaincode query -C "$CHANNEL_NAME" -n "$CHAINCODE_NAME" -c '{"Args":["org.hyperledger.fabric:GetMetadata"]}'
#
# use_org exports FABRIC_CFG_PATH and CORE_PEER_* for the org's peer, plus ORDERER_ADDRESS and ORDERER_CA (the org's
# ordering node, for `-o "$ORDERER_ADDRESS" --tls --cafile "$ORDERER_CA"`), CHANNEL_NAME and CHAINCODE_NAME.
# `peer_targets` prints the --peerAddresses/--tlsRootCertFiles arguments for the given orgs (default: all).

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

use_org() {
  local org user
  org=$(org_key "${1:?usage: use_org ORG [USER|ROLE]}") || return 1
  user=$(user_name "${2:-Admin}")
  export PATH FABRIC_LOGGING_SPEC=${FABRIC_LOGGING_SPEC:-info:grpc=error}
  export FABRIC_CFG_PATH
  FABRIC_CFG_PATH=$(node_dir "peer-$org")
  export CORE_PEER_LOCALMSPID CORE_PEER_MSPCONFIGPATH CORE_PEER_ADDRESS CORE_PEER_TLS_ENABLED=true
  export CORE_PEER_TLS_ROOTCERT_FILE
  CORE_PEER_LOCALMSPID=$(orgval "$org" MSPID)
  CORE_PEER_MSPCONFIGPATH=$(user_dir "$org" "$user")/msp
  CORE_PEER_ADDRESS=$(peer_address "$org")
  CORE_PEER_TLS_ROOTCERT_FILE=$(org_tlsca "$org")
  export ORDERER_ADDRESS ORDERER_CA CHANNEL_NAME CHAINCODE_NAME
  ORDERER_ADDRESS=$(orderer_address "$org")
  ORDERER_CA=$(org_tlsca "$org")
  [ -d "$CORE_PEER_MSPCONFIGPATH" ] || echo "use_org: no identity at $CORE_PEER_MSPCONFIGPATH (is the network up?)" >&2
}

peer_targets() {
  local o orgs=("$@")
  [ $# -gt 0 ] || read -ra orgs <<<"$ORGS"
  for o in "${orgs[@]}"; do
    o=$(org_key "$o") || return 1
    printf -- '--peerAddresses %s --tlsRootCertFiles %s ' "$(peer_address "$o")" "$(org_tlsca "$o")"
  done
}
