# shellcheck shell=bash
# Updates of the running channel's configuration, made the way Fabric's own tools make them: the newest config block,
# fetched by a member region's admin (peer channel fetch config), decoded and changed as JSON (configtxlator, jq), the
# difference computed as a config update (configtxlator compute_update), signed by a majority of the member regions'
# admins (peer channel signconfigtx; the channel's Admins policies are MAJORITY Admins, configtx.yaml.tmpl) and
# submitted by the last of them (peer channel update, which signs too). Each update's files are kept under
# network/.state/channel/updates/<name>/. Source after env.sh, config.sh and deploy.sh.

DL_UPDATES=$DL_STATE/channel/updates

# fetch_config_block ORG OUT: the channel's newest config block, fetched by ORG's admin.
fetch_config_block() {
  local orderer_args
  mapfile -t orderer_args < <(submit_orderer_args)
  in_org "$1" peer channel fetch config "$2" "${orderer_args[@]}" -c "$CHANNEL_NAME" 2>/dev/null ||
    die "fetching the config block of $CHANNEL_NAME as $1's admin failed"
}

# config_json BLOCK: the channel configuration a config block holds, as JSON.
config_json() {
  configtxlator proto_decode --input "$1" --type common.Block | jq '.data.data[0].payload.data.config'
}

# org_definition ORG application|orderer: ORG's group in the Application or Orderer section of the channel, as
# configtxgen makes it from the org's fragment of configtx.yaml (network/config/configtx-org.yaml.tmpl; an
# application org has no ordering endpoints).
org_definition() {
  local o=$1 kind=$2 dir MSPID ORG_DIR ORDERER_ENDPOINT_HOST ORDERER_PORT PEER_ENDPOINT_HOST PEER_PORT
  dir=$(mktemp -d)
  MSPID=$(orgval "$o" MSPID) ORG_DIR=$(org_dir "$o") ORDERER_PORT=$(orgval "$o" ORDERER_PORT)
  PEER_PORT=$(orgval "$o" PEER_PORT)
  ORDERER_ENDPOINT_HOST=$(endpoint_host "$o" "$(orderer_host "$o")")
  PEER_ENDPOINT_HOST=$(endpoint_host "$o" "$(peer_host "$o")")
  {
    echo "Organizations:"
    render "$DL_NETWORK/config/configtx-org.yaml.tmpl" - MSPID ORG_DIR ORDERER_ENDPOINT_HOST ORDERER_PORT \
      PEER_ENDPOINT_HOST PEER_PORT | if [ "$kind" = orderer ]; then cat; else sed '/OrdererEndpoints:/,+1d'; fi
  } >"$dir/configtx.yaml"
  configtxgen -configPath "$dir" -printOrg "$MSPID" 2>"$dir/err" || die "configtxgen -printOrg $MSPID: $(cat "$dir/err")"
  rm -rf "$dir"
}

# consenter_json ORG ID: ORG's ordering node as a SmartBFT consenter of the channel (the ConsenterMapping entry
# configtx-consenter.yaml.tmpl gives the first regions' nodes in the genesis block).
consenter_json() {
  local o=$1 crypto
  crypto=$(orderer_crypto "$o")
  jq -n --argjson id "$2" --arg host "$(endpoint_host "$o" "$(orderer_host "$o")")" \
    --argjson port "$(orgval "$o" ORDERER_PORT)" --arg msp "$(orgval "$o" MSPID)" \
    --arg identity "$(base64 -w0 "$crypto/msp/signcerts/cert.pem")" --arg tls "$(base64 -w0 "$crypto/tls/server.crt")" \
    '{id: $id, host: $host, port: $port, msp_id: $msp, identity: $identity, client_tls_cert: $tls, server_tls_cert: $tls}'
}

# update_channel NAME JQ_PROGRAM SIGNER... [-- JQ_ARGS...]: the update NAME: the current configuration (fetched by
# the first SIGNER's admin) changed by JQ_PROGRAM, signed by every SIGNER's admin, submitted by the last one. Does
# nothing when the program changes nothing (the update was made before).
update_channel() {
  local name=$1 program=$2 dir signers=() jq_args=() s last
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do signers+=("$1"); shift; done
  [ $# -eq 0 ] || { shift; jq_args=("$@"); }
  dir=$DL_UPDATES/$name
  rm -rf "$dir"
  mkdir -p "$dir"
  fetch_config_block "${signers[0]}" "$dir/config.block"
  config_json "$dir/config.block" >"$dir/config.json" || die "decoding the config block failed"
  jq "${jq_args[@]}" "$program" "$dir/config.json" >"$dir/modified.json" || die "changing the configuration for $name failed"
  if [ "$(jq -S . "$dir/config.json")" = "$(jq -S . "$dir/modified.json")" ]; then
    log "channel update $name: already made"
    return 0
  fi
  configtxlator proto_encode --input "$dir/config.json" --type common.Config --output "$dir/config.pb"
  configtxlator proto_encode --input "$dir/modified.json" --type common.Config --output "$dir/modified.pb"
  configtxlator compute_update --channel_id "$CHANNEL_NAME" --original "$dir/config.pb" --updated "$dir/modified.pb" \
    --output "$dir/update.pb" || die "computing the config update $name failed"
  configtxlator proto_decode --input "$dir/update.pb" --type common.ConfigUpdate |
    jq --arg ch "$CHANNEL_NAME" '{payload: {header: {channel_header: {channel_id: $ch, type: 2}}, data: {config_update: .}}}' \
      >"$dir/envelope.json"
  configtxlator proto_encode --input "$dir/envelope.json" --type common.Envelope --output "$dir/update.tx"
  last=${signers[-1]}
  for s in "${signers[@]}"; do
    [ "$s" != "$last" ] || continue
    in_org "$s" peer channel signconfigtx -f "$dir/update.tx" || die "$s's admin did not sign the update $name"
  done
  local orderer_args
  mapfile -t orderer_args < <(submit_orderer_args)
  in_org "$last" peer channel update -f "$dir/update.tx" -c "$CHANNEL_NAME" "${orderer_args[@]}" ||
    die "submitting the config update $name failed"
  log "channel update $name: signed by the admins of ${signers[*]}, submitted"
}

# peer_height ORG: the height of the channel on ORG's peer.
peer_height() {
  in_org "$1" peer channel getinfo -c "$CHANNEL_NAME" 2>/dev/null | grep -o '"height":[0-9]*' | grep -o '[0-9]*$'
}

# region_change: the jq program that makes a region a member of the channel: its MSP $msp in the Application section
# ($app) and in the Orderer section ($orderer), its ordering node ($consenter) one more SmartBFT consenter with the
# next ID, and the Orderer section's BlockValidation policy made again from the consenters, as SmartBFT requires of
# every config update (orderer/consensus/smartbft/configverifier.go in Fabric v3): signed by a BFT quorum,
# ceil((n + f + 1) / 2) of the n consenters with f = floor((n - 1) / 3), each named by its identity, in the mapping's
# order. It changes nothing in a configuration that has them: the region's groups, once in, are the region's own (their
# policies are its Admins), so one it has changed since (a CRL in its MSP) is left as it is, never put back as
# configtxgen makes it in an update the members sign.
region_change() {
  # shellcheck disable=SC2016 # jq's variables
  printf '%s\n' '.channel_group.groups.Application.groups[$msp] //= $app
    | .channel_group.groups.Orderer.groups[$msp] //= $orderer
    | .channel_group.groups.Orderer.values.Orderers.value.consenter_mapping |= (. as $all
        | if any(.[]; .msp_id == $msp) then . else . + [$consenter | .id = ([$all[].id] | max + 1)] end)
    | .channel_group.groups.Orderer.values.Orderers.value.consenter_mapping as $c
    | ($c | length) as $n | ((($n - 1) / 3) | floor) as $f
    | .channel_group.groups.Orderer.policies.BlockValidation.policy = {type: 1, value: {
        identities: [$c[] | {principal: {id_bytes: .identity, mspid: .msp_id}, principal_classification: "IDENTITY"}],
        rule: {n_out_of: {n: ((($n + $f + 2) / 2) | floor), rules: [range($n) | {signed_by: .}]}},
        version: 0}}'
}

# majority_of ORG...: the first majority (more than half) of the ORGs, one per line.
majority_of() {
  local n=$(($# / 2 + 1))
  printf '%s\n' "${@:1:$n}"
}
