# shellcheck shell=bash
# Updates of the running channel's configuration, made the way Fabric's own tools make them: the newest config block,
# fetched by a member region's admin (peer channel fetch config), decoded and changed as JSON (configtxlator, jq), the
# difference computed as a config update (configtxlator compute_update), signed by a majority of the member regions'
# admins (peer channel signconfigtx; the channel's Admins policies are MAJORITY Admins, configtx.yaml.tmpl) and
# submitted by the last of them (peer channel update, which signs too). Every signer's admin signs only an update it
# has computed itself, as each region's operator would on its own machine: from the config block of its own ordering
# node, changed by the same program, compared with the update it was handed (check_update); one that differs is
# refused and nothing is signed. Each update's files are kept under network/.state/channel/updates/<name>/ (update.tx,
# and each signer's own copy in <name>/<org>/). Source after env.sh, config.sh and deploy.sh.

DL_UPDATES=$DL_STATE/channel/updates

# fetch_config_block ORG OUT: the channel's newest config block, fetched by ORG's admin from ORG's own ordering node:
# the region's own view of the channel, not what another region's node serves.
fetch_config_block() {
  in_org "$1" peer channel fetch config "$2" -o "$(orderer_address "$1")" --tls --cafile "$(org_tlsca "$1")" \
    -c "$CHANNEL_NAME" 2>/dev/null ||
    die "fetching the config block of $CHANNEL_NAME as $1's admin from its ordering node failed"
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

# update_channel NAME JQ_PROGRAM SIGNER... [-- JQ_ARGS...]: the update NAME: the current configuration changed by
# JQ_PROGRAM (with JQ_ARGS), signed by every SIGNER's admin, submitted by the last one. The first SIGNER's admin
# computes the update (update.tx); each other one signs, or submits, only what it computes itself from its own copy
# of the channel (check_update), so no region signs a change it was only told of. Does nothing when the program
# changes nothing (the update was made before).
update_channel() {
  local name=$1 program=$2 dir signers=() jq_args=() s first last orderer_args
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do signers+=("$1"); shift; done
  [ $# -eq 0 ] || { shift; jq_args=("$@"); }
  dir=$DL_UPDATES/$name first=${signers[0]} last=${signers[-1]}
  rm -rf "$dir"
  mkdir -p "$dir"
  compute_update "$name" "$first" "$dir/$first" "$program" "${jq_args[@]}"
  if [ ! -f "$dir/$first/update.pb" ]; then
    log "channel update $name: already made"
    return 0
  fi
  update_envelope "$dir/$first/update.pb" "$dir/update.tx"
  for s in "${signers[@]}"; do
    [ "$s" = "$first" ] || check_update "$name" "$s" "$dir" "$program" "${jq_args[@]}"
    [ "$s" != "$last" ] || break
    in_org "$s" peer channel signconfigtx -f "$dir/update.tx" || die "$s's admin did not sign the update $name"
  done
  mapfile -t orderer_args < <(submit_orderer_args)
  in_org "$last" peer channel update -f "$dir/update.tx" -c "$CHANNEL_NAME" "${orderer_args[@]}" ||
    die "submitting the config update $name failed"
  log "channel update $name: computed by the admins of ${signers[*]}, each from its own copy of the channel," \
    "signed, submitted"
}

# compute_update NAME ORG DIR JQ_PROGRAM [JQ_ARGS...]: the update NAME as ORG's admin computes it, in DIR: the
# channel's newest config block as ORG's own ordering node has it (config.block, config.json), changed by JQ_PROGRAM
# (modified.json), and the config update from the one to the other (update.pb, and update.json: canonical_update).
# Leaves no update.pb when the program changes nothing.
compute_update() {
  local name=$1 org=$2 dir=$3 program=$4
  shift 4
  mkdir -p "$dir"
  fetch_config_block "$org" "$dir/config.block"
  config_json "$dir/config.block" >"$dir/config.json" || die "decoding the config block $org's admin fetched failed"
  jq "$@" "$program" "$dir/config.json" >"$dir/modified.json" ||
    die "changing $org's copy of the configuration for $name failed"
  [ "$(jq -S . "$dir/config.json")" != "$(jq -S . "$dir/modified.json")" ] || return 0
  configtxlator proto_encode --input "$dir/config.json" --type common.Config --output "$dir/config.pb" &&
    configtxlator proto_encode --input "$dir/modified.json" --type common.Config --output "$dir/modified.pb" &&
    configtxlator compute_update --channel_id "$CHANNEL_NAME" --original "$dir/config.pb" --updated "$dir/modified.pb" \
      --output "$dir/update.pb" &&
    configtxlator proto_decode --input "$dir/update.pb" --type common.ConfigUpdate |
    canonical_update >"$dir/update.json" ||
    die "computing the config update $name as $org's admin failed"
}

# update_envelope UPDATE TX: the config update UPDATE (update.pb) as the transaction TX that the admins sign (peer
# channel signconfigtx) and the last submits (peer channel update): a CONFIG_UPDATE envelope of the channel, signed
# by nobody yet (its JSON next to it, TX.json).
update_envelope() {
  configtxlator proto_decode --input "$1" --type common.ConfigUpdate |
    jq --arg ch "$CHANNEL_NAME" \
      '{payload: {header: {channel_header: {channel_id: $ch, type: 2}}, data: {config_update: .}}}' >"$2.json" &&
    configtxlator proto_encode --input "$2.json" --type common.Envelope --output "$2" ||
    die "wrapping the config update $1 in a transaction failed"
}

# check_update NAME SIGNER DIR JQ_PROGRAM [JQ_ARGS...]: SIGNER's admin, before it signs or submits the update NAME
# it was handed (DIR/update.tx), computes that update itself in DIR/SIGNER (compute_update: its own copy of the
# channel, the same change) and stops, signing nothing, unless the two are the same ConfigUpdate: the config_update
# of the transaction, all that a signature covers, compared decoded (canonical_update: handed.json, update.json),
# since configtxlator's encoding is not deterministic (map entries come in Go's map order). A change slipped in (a
# region removed, a policy weakened, an admin or a CA added) is refused naming the first path that differs, and so
# is an update of a configuration that has changed since (another update landed): make it again.
check_update() {
  local name=$1 signer=$2 dir=$3 program=$4 own difference path which
  shift 4
  own=$dir/$signer
  compute_update "$name" "$signer" "$own" "$program" "$@"
  [ -f "$own/update.pb" ] || die "$signer's admin refuses to sign the update $name: its own copy of the channel has" \
    "the change already (the configuration changed since the update was computed: run again)"
  configtxlator proto_decode --input "$dir/update.tx" --type common.Envelope |
    jq '.payload.data.config_update' | canonical_update >"$own/handed.json" ||
    die "$signer's admin cannot read the update $name it was handed ($dir/update.tx)"
  difference=$(first_difference "$own/handed.json" "$own/update.json") ||
    die "comparing the updates $name in $own failed"
  [ -n "$difference" ] || return 0
  IFS=$'\t' read -r path which <<<"$difference"
  case $which in
    first) difference="the update it was handed has $path, its own has not" ;;
    second) difference="its own update has $path, the one it was handed has not" ;;
    *) difference="the two differ at $path" ;;
  esac
  die "$signer's admin refuses to sign the update $name: it is not the update $signer's admin computed from its own" \
    "copy of the channel: $difference (a change slipped in, or the configuration changed since the update was" \
    "computed: then run again); both are in $own (handed.json, update.json). Nothing was signed by $signer."
}

# canonical_update: the decoded ConfigUpdate on stdin with its keys sorted, but the write set first: what the update
# changes comes before the versions it read, so first_difference names a change first.
canonical_update() {
  jq -S . | jq '{write_set} + .'
}

# first_difference A B: the first path (in A's order of keys, then B's) at which the JSON documents in files A and B
# differ, jq style (.write_set.groups.Application.groups.ShanghaiMSP), a tab and which of them has it: first, second
# or both (with different values). Prints nothing when they are equal.
first_difference() {
  jq -rn --slurpfile a "$1" --slurpfile b "$2" '
    def differences($x; $y; $p):
      if $x == $y then empty
      elif ($x | type) == "object" and ($y | type) == "object" then
        ($x + $y | keys_unsorted[]) as $k
        | if ($x | has($k)) and ($y | has($k)) then differences($x[$k]; $y[$k]; $p + [$k])
          elif $x | has($k) then [$p + [$k], "first"]
          else [$p + [$k], "second"] end
      elif ($x | type) == "array" and ($y | type) == "array" and ($x | length) == ($y | length) then
        range($x | length) as $i | differences($x[$i]; $y[$i]; $p + [$i])
      else [$p, "both"] end;
    first(differences($a[0]; $b[0]; []))
    | (.[0] | map(if type == "number" then "[\(.)]" else ".\(.)" end) | join("") | if . == "" then "." else . end)
      + "\t" + .[1]'
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

# read_rules_change: the jq program that gives the channel the read rules network/config declares, for a channel
# made before them: each region's Readers policy, in both sections, as $readers[msp] (the policy only, so a region's
# own changes to the rest of its group stay), and the Application ACLs of $acls over the channel's own. It changes
# nothing in a configuration that has them, and leaves a group $readers does not name as it is.
read_rules_change() {
  # shellcheck disable=SC2016 # jq's variables
  printf '%s\n' 'def readers: with_entries(if $readers[.key] then .value.policies.Readers.policy = $readers[.key] else . end);
    .channel_group.groups.Application.groups |= readers
    | .channel_group.groups.Orderer.groups |= readers
    | if $acls == {} then . else
        .channel_group.groups.Application.values.ACLs //= {mod_policy: "Admins", value: {acls: {}}, version: "0"}
        | .channel_group.groups.Application.values.ACLs.value.acls += $acls end'
}

# ensure_read_rules: the channel's read rules as network/config declares them (who reads blocks: each region's
# Readers; the ACLs): a channel made before them gets them in one update every region's admin signs, since each
# region's groups are its own (their mod_policy is its Admins). The rules are taken from the channel configtxgen makes
# of today's templates, so that they are written once, in network/config. Does nothing on a channel that has them.
ensure_read_rules() {
  local dir readers acls
  dir=$(mktemp -d)
  write_configtx "$dir"
  configtxgen -configPath "$dir" -profile ChannelBFT -channelID "$CHANNEL_NAME" -outputBlock "$dir/made.block" \
    2>"$dir/err" || die "configtxgen of the channel's read rules: $(cat "$dir/err")"
  config_json "$dir/made.block" >"$dir/made.json" || die "decoding the channel configtxgen made failed"
  readers=$(jq -c '.channel_group.groups.Application.groups | map_values(.policies.Readers.policy)' "$dir/made.json") &&
    acls=$(jq -c '.channel_group.groups.Application.values.ACLs.value.acls // {}' "$dir/made.json") ||
    die "reading the read rules of the channel configtxgen made failed"
  rm -rf "$dir"
  # shellcheck disable=SC2086 # every region signs
  update_channel read-rules "$(read_rules_change)" $ORGS -- --argjson readers "$readers" --argjson acls "$acls"
}

# majority_of ORG...: the first majority (more than half) of the ORGs, one per line.
majority_of() {
  local n=$(($# / 2 + 1))
  printf '%s\n' "${@:1:$n}"
}
