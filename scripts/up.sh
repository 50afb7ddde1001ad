#!/usr/bin/env bash
# Brings the DeltaLedger network up, or completes it: builds what is missing, starts one Fabric CA per region
# (scripts/lib/ca.sh), enrolls from them every identity the network lacks, generates the genesis block (first time
# only), starts the four ordering nodes and four peers, joins them to the channel, deploys the
# chaincode (scripts/lib/deploy.sh), starts the four chaincode services, and waits until the network is healthy:
# every peer sees the three others in the channel and answers org.hyperledger.fabric:GetMetadata; sets the market
# rules from the channel's MSP definitions and network.env (network/marketrules) before anyone registers; then starts one
# REST gateway per org (scripts/lib/gateway.sh: config, wallet, listener certificate, demo API keys) and waits until
# each is ready. Each step that is already done is skipped, so running it again on a healthy network only checks
# it. Then runs scripts/seed-demo.sh if it exists and is executable (skip with DELTALEDGER_SKIP_SEED=1), and ends
# by printing the gateways' URLs and their demo API keys.
#
# SITES=1 (`make up SITES=1`) on a network without state runs each region on a site of its own (scripts/lib/sites.sh,
# README "Sites"): the network keeps that mode until `make clean`. Then everything after the build runs in the
# office namespace, as a client of the sites, and each region's processes run from its bundle (`make bundle`)
# installed at its site, network/.state/sites/<org>.
#
# Environment: CHAINCODE_BIN=/path/to/binary deploys that chaincode binary instead of building ./chaincode.
set -euo pipefail

# shellcheck source=scripts/lib/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
# shellcheck source=scripts/lib/network.sh
source "$DL_ROOT/scripts/lib/network.sh"

lock_network
NODE_LOGGING_SPEC=${NODE_LOGGING_SPEC:-info:grpc=warning}
started_ms=${DL_UP_STARTED_MS:-$(now_ms)}

if [ "$DL_SITES_REQUESTED" = 1 ] && ! site_mode; then
  if [ -d "$DL_STATE/nodes" ] || [ -d "$DL_ORGS_DIR" ]; then
    die "this network runs on one host ($DL_STATE holds its CAs and identities): make clean, then make up SITES=1"
  fi
  write_sites_env
  log "site mode: each region on a site of its own (scripts/lib/sites.sh)"
fi
if [ -n "${LATENCY:-}" ]; then
  site_mode || die "LATENCY is the delay between sites: make up SITES=1 LATENCY=$LATENCY"
  ! ns_usable "$(wan_ns)" || [ "$LATENCY" = "${SITES_LATENCY:-0ms}" ] ||
    die "LATENCY applies when the sites are made: make down, then make up LATENCY=$LATENCY"
  set_latency "$LATENCY"
fi
mkdir -p "$DL_LOGS" "$DL_RUN"

if [ "${DL_UP_BUILT:-}" != 1 ]; then
  phase build
  "$DL_ROOT/scripts/build-fabric.sh" >&2
  "$DL_ROOT/scripts/build-web.sh" >&2
  build_chaincode
  build_market_rules
  build_gateway
  if site_mode; then
    (cd "$DL_ROOT" && go build -o "$DL_WAN_BIN" ./network/wan/cmd/deltaledger-wan) || die "go build ./network/wan/cmd/deltaledger-wan failed"
  fi
fi
if site_mode && ! in_office; then
  # The office reaches nothing but the sites: what the rest needs from the module proxy is fetched here.
  (cd "$DL_ROOT" && go mod download) || die "go mod download failed"
  phase sites
  sites_up
  start_wan
  phase_end
  DL_UP_BUILT=1 DL_UP_STARTED_MS=$started_ms office_exec "$0" "$@"
fi

# ports_free NAME PORT_KEY...: a port (network.env's <ORG>_<PORT_KEY>) of a process that is not running must be free:
# another network (a CI run, another checkout) may hold it.
ports_free() {
  local name=$1 key port
  shift
  proc_pid "$name" >/dev/null && return 0
  for key in "$@"; do
    port=$(orgval "${name##*-}" "$key")
    ! tcp_open "$(org_host "${name##*-}")" "$port" || die "port $port of $name is in use by another process (ss -ltnp 'sport = :$port')"
  done
}

# What every rendered file is made from: the settings, the templates and the scripts that render them (and, for the
# gateways, the gateway binary, whose `config write` writes them). A step that renders files is skipped while these
# and its outputs are unchanged (files_unchanged, scripts/lib/common.sh).
render_inputs=("$DL_NETWORK/network.env" "$DL_NETWORK/identities.env" "$DL_STATE/sites.env" "$DL_REGIONS_ENV"
  "$DL_NETWORK"/config/*.tmpl "$DL_ROOT"/scripts/lib/*.sh)
# rendered STEP: sets DL_FILES to the inputs and outputs of STEP.
rendered() {
  local n=$DL_STATE/nodes
  case $1 in
  ca) DL_FILES=("$n"/ca-*/fabric-ca-server-config.yaml "$n"/ca-*/tlsca/fabric-ca-config.yaml
    "$n"/ca-*/registrar/fabric-ca-client-config.yaml "$n"/ca-*/registrar.secret) ;;
  nodes) DL_FILES=("$n"/orderer-*/orderer.yaml "$n"/peer-*/core.yaml) ;;
  gateways) DL_FILES=("$DL_GATEWAYS"/*/gateway.yaml "$DL_GATEWAYS"/*/apikeys.json "$(demo_keys_file)"
    "$(prometheus_config)" "$DL_MONITORING"/*-gateway-metrics.key "$DL_GW_BIN") ;;
  esac
  DL_FILES+=("${render_inputs[@]}")
}

phase ca
for o in $ORGS; do
  ports_free "ca-$o" CA_PORT CA_OPERATIONS_PORT
done
rendered ca
if ! files_unchanged ca "${DL_FILES[@]}"; then
  for o in $ORGS; do write_ca_config "$o"; done
  rendered ca
  files_recorded ca "${DL_FILES[@]}"
fi
for o in $ORGS; do start_ca "$o"; done
retry_each_org 60 "ca-ORG to answer" running ca ca_ready || die "a CA did not start (logs: $DL_LOGS)"

phase crypto
if [ ! -f "$(genesis_block)" ]; then
  # A new channel: no node may run on ledgers of another one (logs and the CAs are kept).
  for p in $(all_procs); do
    [[ $p == ca-* ]] && continue
    ! proc_pid "$p" >/dev/null || die "$p is running on a state without a genesis block; run scripts/clean.sh"
  done
  rm -rf "$DL_STATE/nodes"/{orderer,peer,chaincode,gateway}-* "$DL_STATE/channel" "$DL_CC" "$DL_CONFIG" \
    "$DL_STATE/gateways"
fi
for o in $ORGS; do
  # Identities of a CA that is gone (its state was deleted) cannot stay; on an existing channel nothing can be
  # reissued, since the genesis block holds the old CAs.
  if [ -f "$(org_ca "$o")" ] && ! cmp -s "$(org_ca "$o")" "$(ca_server_cert "$o")"; then
    [ ! -f "$(genesis_block)" ] || die "the CA of $o is not the one of the channel's genesis block; run scripts/clean.sh"
    rm -rf "$(org_dir "$o")"
  fi
done
issue_identities
if [ ! -f "$(genesis_block)" ]; then
  gen_genesis
  log "enrolled the identities of $ORGS and generated the genesis block of $CHANNEL_NAME"
else
  log "identities and genesis block exist"
fi
rendered nodes
if ! files_unchanged nodes "${DL_FILES[@]}"; then
  for o in $ORGS; do
    write_orderer_config "$o"
    write_peer_config "$o"
  done
  rendered nodes
  files_recorded nodes "${DL_FILES[@]}"
fi
if site_mode; then
  # From here on each region runs from its bundle, installed at its site (proc_start): a CA that issued the
  # identities from this checkout moves there.
  for o in $ORGS; do
    pid=$(proc_pid "ca-$o") || continue
    [[ $(proc_exe "$pid") != "$(site_prefix "$o")"/* ]] || continue
    proc_stop "ca-$o"
    start_ca "$o"
  done
  retry_each_org 60 "ca-ORG to answer from its site" running ca ca_ready || die "a CA did not start at its site (logs: $DL_LOGS)"
fi

phase start
for o in $ORGS; do
  ports_free "orderer-$o" ORDERER_PORT ORDERER_ADMIN_PORT ORDERER_OPERATIONS_PORT
  ports_free "peer-$o" PEER_PORT PEER_CHAINCODE_PORT PEER_OPERATIONS_PORT
  ports_free "chaincode-$o" CHAINCODE_PORT
  ports_free "chaincode-next-$o" CHAINCODE_NEXT_PORT
  ports_free "gateway-$o" GATEWAY_PORT
done
for o in $ORGS; do
  stop_if_reconfigured "orderer-$o" $(node_files orderer "$o")
  if ! proc_pid "orderer-$o" >/dev/null; then
    proc_start "orderer-$o" FABRIC_CFG_PATH="$(node_dir "orderer-$o")" FABRIC_LOGGING_SPEC="$NODE_LOGGING_SPEC" \
      "$DL_BIN/orderer"
    record_config "orderer-$o" $(node_files orderer "$o")
    log "started orderer-$o"
  fi
done
for o in $ORGS; do
  stop_if_reconfigured "peer-$o" $(node_files peer "$o")
  if ! proc_pid "peer-$o" >/dev/null; then
    proc_start "peer-$o" FABRIC_CFG_PATH="$(node_dir "peer-$o")" FABRIC_LOGGING_SPEC="$NODE_LOGGING_SPEC" \
      "$DL_BIN/peer" node start
    record_config "peer-$o" $(node_files peer "$o")
    log "started peer-$o"
  fi
done

# listening NAME PORT: the process runs and accepts connections on PORT.
listening() {
  alive "$1" || return
  tcp_open "$(org_host "${1##*-}")" "$2"
}
for o in $ORGS; do
  retry 30 "orderer-$o admin endpoint" listening "orderer-$o" "$(orgval "$o" ORDERER_ADMIN_PORT)" ||
    die "orderer-$o did not start"
done

phase channel
# A node that joined the channel stays joined while it runs: checked once per run of the node.
join_orderer() {
  local o=$1 admin args listed block
  ! seen "joined-orderer-$o" "orderer-$o" || return 0
  admin=$(admin_tls "$o")
  args=(-o "$(endpoint_host "$o" "$(orderer_host "$o")"):$(orgval "$o" ORDERER_ADMIN_PORT)" --ca-file "$(org_tlsca "$o")"
    --client-cert "$admin.crt" --client-key "$admin.key")
  listed=$(osnadmin channel list --channelID "$CHANNEL_NAME" "${args[@]}" 2>&1 || true)
  if ! grep -q 'Status: 200' <<<"$listed"; then
    # A region added to the running network (scripts/add-region.sh) joins from the config block that made its node a
    # consenter; the others from the genesis block.
    block=$DL_STATE/channel/join-$o.block
    [ -f "$block" ] || block=$(genesis_block)
    osnadmin channel join --channelID "$CHANNEL_NAME" --config-block "$block" "${args[@]}" >/dev/null ||
      die "orderer-$o did not join $CHANNEL_NAME"
    log "orderer-$o joined $CHANNEL_NAME"
  fi
  record_seen "joined-orderer-$o" "orderer-$o"
}
join_peer() {
  local o=$1 listed
  ! seen "joined-peer-$o" "peer-$o" || return 0
  retry 30 "peer-$o" listening "peer-$o" "$(orgval "$o" PEER_PORT)" || die "peer-$o did not start"
  listed=$(in_org "$o" peer channel list 2>/dev/null || true)
  if ! grep -qx "$CHANNEL_NAME" <<<"$listed"; then
    in_org "$o" peer channel join -b "$(genesis_block)" || die "peer-$o did not join $CHANNEL_NAME"
    log "peer-$o joined $CHANNEL_NAME"
    # A region added to the running network replays the channel's blocks first: its admin's approvals are
    # endorsed by its peer, which must know the chaincode's current definition.
    if [[ " ${ADDED_REGIONS:-} " == *" $o "* ]]; then
      local first target
      read -r first _ <<<"$ORGS"
      target=$(peer_height "$first") || die "no height of $CHANNEL_NAME on peer-$first"
      retry 600 "peer-$o to replay the channel's $target blocks" caught_up "$o" "$target" || die "peer-$o did not catch up"
      log "peer-$o has the channel's $target blocks"
    fi
  fi
  record_seen "joined-peer-$o" "peer-$o"
}
caught_up() {
  local h
  h=$(peer_height "$1") || return 1
  [ "$h" -ge "$2" ]
}
pids=()
for o in $ORGS; do
  join_orderer "$o" &
  pids+=($!)
  join_peer "$o" &
  pids+=($!)
done
wait_all "${pids[@]}" || die "joining the channel failed"
ensure_read_rules

phase chaincode
deploy_chaincode

phase health
# gossip_membership_total_peers_known counts the OTHER peers a peer sees in the channel.
sees_all_peers() {
  local o=$1 want metrics
  alive "peer-$o" || return
  want=$(($(wc -w <<<"$ORGS") - 1))
  metrics=$(ops_get "$o" PEER_OPERATIONS_PORT /metrics) || return 1
  grep -q "^gossip_membership_total_peers_known{channel=\"$CHANNEL_NAME\"} $want\$" <<<"$metrics"
}
# The chaincode answering through a peer is checked once per run of the peer and of the chaincode service (the one
# of the org's two that serves the committed definition).
answers() {
  local cc
  cc=$(serving_chaincode "$1")
  alive "$cc" || return
  ! seen "answers-$1" "peer-$1" "$cc" || return 0
  chaincode_answers "$1" || return 1
  record_seen "answers-$1" "peer-$1" "$cc"
}
for o in $ORGS; do
  retry 60 "peer-$o to see the other peers (gossip)" sees_all_peers "$o" || die "gossip incomplete"
done
retry_each_org 60 "GetMetadata through peer-ORG" answers || die "the chaincode does not answer through every peer (logs: $DL_LOGS)"
log "healthy: $(wc -w <<<"$ORGS") peers see each other and answer GetMetadata"

phase rules
ensure_market_rules

phase gateways
rendered gateways
if ! files_unchanged gateways "${DL_FILES[@]}"; then
  for o in $ORGS; do write_gateway_files "$o"; done
  write_demo_keys
  write_prometheus_config
  log "Prometheus scrape configuration of the peers, ordering nodes and gateways: ${DL_MONITORING#"$DL_ROOT"/}/prometheus.yml"
  rendered gateways
  files_recorded gateways "${DL_FILES[@]}"
fi
for o in $ORGS; do start_gateway "$o"; done
retry_each_org 60 "gateway-ORG to be ready" running gateway gateway_ready || die "a gateway is not ready (logs: $DL_LOGS)"
log "gateways ready"

seed=$DL_ROOT/scripts/seed-demo.sh
if [ -x "$seed" ] && [ "${DELTALEDGER_SKIP_SEED:-0}" != 1 ]; then
  phase seed
  "$seed"
fi

phase_end
log "network up in $(fmt_ms $(($(now_ms) - started_ms))):"
phase_summary
{
  echo "REST gateways (gateway/README.md; a walkthrough with curl: README.md, \"The REST gateway\"):"
  for o in $ORGS; do printf '  %-10s %s   (gateway-%s)\n' "$o" "$(gateway_url "$o")" "$o"; done
  echo "demo API keys of every member of every org, in bash: source ${DL_GATEWAYS#"$DL_ROOT"/}/demo-keys.env"
  echo "  <ORG>_GW (URL), <ORG>_CA (TLS CA to verify it with), <ORG>_CA_URL (Fabric CA), <ORG>_<ROLE>_KEY for ROLE in" \
    "$(gateway_roles | awk '{ printf "%s%s", sep, toupper($1); sep = " " }')"
  # The keys of this local demo network (bearer tokens for the gateways above):
  grep -o '[A-Z]*_[A-Z]*_KEY=.*' "$(demo_keys_file)" | sed 's/^/    /'
} >&2
