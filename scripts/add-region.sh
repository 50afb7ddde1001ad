#!/usr/bin/env bash
# `make add-region NAME=<name> [PROVINCE=<province>] [CITY=<city>] [DIVISION=<prefixes>]`: a new region joins the
# running network, while it runs and takes load (README "A region joins"):
#
#   1. its values: network/.state/regions.env gets the region's block of network.env (MSP ID <Name>MSP, domain
#      <name>.<the network's domain>, the next block of 100 ports of the port plan, its regulator <name>.regulator,
#      the division prefixes it holds, DIVISION, e.g. 3205 for Suzhou: <NAME>_DIVISIONS of network.env) and ORGS
#      with it; ENDORSEMENT_POLICY, when it names every region's peer, names the new one's too and asks for a
#      majority of them (n/2+1 of n). Every script and network/fabricnet read that file after network.env, so from
#      then on the region is one of ORGS.
#   2. its CA (scripts/lib/ca.sh) and every identity of the layout (network/enroll), its node configurations.
#   3. one channel configuration update (scripts/lib/channel.sh), signed by the admins of a majority of the member
#      regions (the channel's Admins policies are MAJORITY Admins): its MSP in the Application section (with its
#      anchor peer), in the Orderer section (with its ordering endpoint) and its ordering node as one more SmartBFT
#      consenter. The first signer's admin computes it; each other one fetches the config block from its own
#      ordering node, makes the same change and signs (the last: submits) only when it computes the very update it
#      was handed, else it refuses naming the first difference and nothing is signed or submitted.
#   4. its ordering node starts and joins the channel from the config block that made it a consenter
#      (network/.state/channel/join-<name>.block; the genesis block does not name it).
#   5. then scripts/up.sh completes the network as it completes any: the region's peer starts and joins, gossip
#      sees every peer, the chaincode definition is approved by every region and committed again when it changed
#      (the private data collections of the region's pairs, the endorsement policy), the market rules are updated
#      by a majority (the region bound to its org, its divisions, its regulators), the gateways are configured for five regions
#      and the region's gateway starts.
#
# Each step that is done is skipped, so a run that failed can be repeated. Needs the network up (make up). On a
# network of sites the region would need a site of its own: not done yet, the script says so.
set -euo pipefail

# shellcheck source=scripts/lib/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
# shellcheck source=scripts/lib/network.sh
source "$DL_ROOT/scripts/lib/network.sh"

name=${1:-}
# The key as the chaincode will check the rules that add it (model.RegionPattern, not model.MarketWide).
build_market_rules
"$DL_RULES_BIN" -region "$name" || die "NAME=$name: want the region's key (e.g. NAME=suzhou)"
lock_network
[ -f "$(genesis_block)" ] || die "no network for $name to join: make up first"
site_mode && die "$name cannot join a network of sites yet: its site (namespace, address, hosts lines on every site) is not made by this script"
for tool in configtxlator jq; do
  command -v "$tool" >/dev/null || die "$tool is missing (configtxlator: scripts/build-fabric.sh; jq: apt-get install jq)"
done
started_ms=$(now_ms)

members=()
for o in $ORGS; do [ "$o" = "$name" ] || members+=("$o"); done
first=${members[0]}

# 1. The region's values.
if [[ " $ORGS " != *" $name "* ]]; then
  # Its division prefixes, checked before anything changes as the chaincode will check the rules that add it: each of
  # model/divisions.tsv, none held by another region (network/marketrules CheckJoining).
  (cd "$DL_ROOT" && "$DL_RULES_BIN" -joining "$name" -divisions "${DIVISION:-}") ||
    die "DIVISION=${DIVISION:-}: want the division prefixes $name holds, the two digits of a province or the four of a city, held by no other region (e.g. DIVISION=3205 for Suzhou)"
  [ -n "${DIVISION:-}" ] || log "$name holds no divisions: its members are placed nowhere (DIVISION=3205 gives it Suzhou's)"
  n=$((${#members[@]} + 1))
  [ "$n" -le 9 ] || die "the port plan of network.env has room for 9 regions (27150-27999)"
  key=${name^^}
  msp=${name^}MSP
  for o in "${members[@]}"; do
    [ "$(orgval "$o" MSPID)" != "$msp" ] || die "$msp is $o's MSP ID already"
  done
  # A policy naming every region's peer is a majority of them (model.ChaincodeEndorsers): it becomes n/2+1 of the
  # n regions with the new one. Any other policy is the operator's own, and stays.
  policy=$ENDORSEMENT_POLICY
  names_all=1
  peers=
  for o in "${members[@]}"; do
    [[ $policy == *"'$(orgval "$o" MSPID).peer'"* ]] || names_all=0
    peers+="'$(orgval "$o" MSPID).peer',"
  done
  [ "$names_all" = 0 ] || policy="OutOf($((n / 2 + 1)),$peers'$msp.peer')"
  for port in 51 52 53 54 55 61 62 63 71 72 73 80 90; do
    ! tcp_open "$HOST" "27$n$port" || die "port 27$n$port of $name's block is in use (ss -ltnp 'sport = :27$n$port')"
  done
  {
    echo "# Region $name, added to the running network by scripts/add-region.sh on $(date -Is)."
    echo "ORGS=\"${members[*]} $name\""
    echo "ADDED_REGIONS=\"${ADDED_REGIONS:+$ADDED_REGIONS }$name\""
    echo "${key}_MSPID=$msp"
    echo "${key}_DOMAIN=$name.$(orgval "$first" DOMAIN | cut -d. -f2-)"
    echo "${key}_PROVINCE=${PROVINCE:-${name^}}"
    echo "${key}_CITY=${CITY:-${name^}}"
    echo "${key}_CSR_HOSTS=\"$(orgval "$first" CSR_HOSTS)\""
    for kv in PEER_PORT=51 PEER_CHAINCODE_PORT=52 PEER_OPERATIONS_PORT=53 CA_PORT=54 CA_OPERATIONS_PORT=55 \
      ORDERER_PORT=61 ORDERER_ADMIN_PORT=62 ORDERER_OPERATIONS_PORT=63 CHAINCODE_PORT=71 PROBE_PORT=72 \
      CHAINCODE_NEXT_PORT=73 GATEWAY_PORT=80 BENCH_GATEWAY_PORT=90; do
      echo "${key}_${kv%=*}=27$n${kv#*=}"
    done
    echo "${key}_REGULATORS=$name.regulator"
    echo "${key}_DIVISIONS=\"${DIVISION:-}\""
    echo "ENDORSEMENT_POLICY=\"$policy\""
    echo
  } >>"$DL_REGIONS_ENV"
  # shellcheck source=/dev/null
  source "$DL_REGIONS_ENV"
  log "$name: region $n of the network ($msp, ports 27${n}50-27${n}99), in $DL_REGIONS_ENV"
fi

# 2. Its CA, identities and node configurations.
phase ca
write_ca_config "$name"
start_ca "$name"
retry 60 "ca-$name to answer" ca_ready "$name" || die "ca-$name did not start (log: $DL_LOGS/ca-$name.log)"
phase crypto
issue_identities
write_orderer_config "$name"
write_peer_config "$name"

# 3. The channel configuration update, signed by a majority of the member regions.
phase channel
msp=$(orgval "$name" MSPID)
app_org=$(org_definition "$name" application)
orderer_org=$(org_definition "$name" orderer)
mapfile -t signers < <(majority_of "${members[@]}")
update_channel "add-$name" "$(region_change)" "${signers[@]}" -- --arg msp "$msp" --argjson app "$app_org" \
  --argjson orderer "$orderer_org" --argjson consenter "$(consenter_json "$name" 0)"

# 4. Its ordering node joins from the config block that names it a consenter.
phase orderer
join_block=$DL_STATE/channel/join-$name.block
# names_region: the channel's newest config block, fetched to $join_block.new, names the region's node a consenter
# (peer channel update returns once the update is ordered, before its block is cut).
names_region() {
  local orderer_args
  mapfile -t orderer_args < <(submit_orderer_args)
  in_org "$first" peer channel fetch config "$join_block.new" "${orderer_args[@]}" -c "$CHANNEL_NAME" 2>/dev/null &&
    config_json "$join_block.new" | jq -e --arg msp "$msp" \
      'any(.channel_group.groups.Orderer.values.Orderers.value.consenter_mapping[]; .msp_id == $msp)' >/dev/null
}
if [ ! -f "$join_block" ]; then
  retry 120 "the config block that names $name's ordering node a consenter" names_region ||
    die "the channel's config blocks do not name $name's ordering node a consenter"
  mv "$join_block.new" "$join_block"
fi
if ! proc_pid "orderer-$name" >/dev/null; then
  proc_start "orderer-$name" FABRIC_CFG_PATH="$(node_dir "orderer-$name")" \
    FABRIC_LOGGING_SPEC="${NODE_LOGGING_SPEC:-info:grpc=warning}" "$DL_BIN/orderer"
  record_config "orderer-$name" $(node_files orderer "$name")
fi
phase_end
log "$name's CA, identities and channel membership in $(fmt_ms $(($(now_ms) - started_ms))); scripts/up.sh completes it"

# 5. Everything else, as make up completes a network (it joins the ordering node from $join_block).
DL_UP_STARTED_MS=$started_ms DELTALEDGER_SKIP_SEED=1 exec "$DL_ROOT/scripts/up.sh"
