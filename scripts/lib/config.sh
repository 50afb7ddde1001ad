# shellcheck shell=bash
# Generators of the network's configuration, all derived from network/network.env and network/identities.env:
# configtx.yaml and the node configs (from network/config/*.tmpl), the private data collections, and the CCaaS
# chaincode packages. The identities are the CAs' (scripts/lib/ca.sh). Source after common.sh.

DL_CONFIG=$DL_STATE/config

# configtx.yaml from network/config/configtx.yaml.tmpl, with one configtx-org and one configtx-consenter fragment
# per region (consenter IDs 1.. in the order of ORGS), in DIR (default DL_CONFIG).
write_configtx() {
  local dir=${1:-$DL_CONFIG} o id=0 orgs='' consenters='' refs=''
  local MSPID ORG_DIR ORDERER_PORT PEER_PORT CONSENTER_ID ORDERER_CRYPTO ORDERER_ENDPOINT_HOST PEER_ENDPOINT_HOST
  mkdir -p "$dir"
  for o in $ORGS; do
    id=$((id + 1))
    MSPID=$(orgval "$o" MSPID) ORG_DIR=$(org_dir "$o") ORDERER_PORT=$(orgval "$o" ORDERER_PORT)
    PEER_PORT=$(orgval "$o" PEER_PORT) CONSENTER_ID=$id ORDERER_CRYPTO=$(orderer_crypto "$o")
    ORDERER_ENDPOINT_HOST=$(endpoint_host "$o" "$(orderer_host "$o")")
    PEER_ENDPOINT_HOST=$(endpoint_host "$o" "$(peer_host "$o")")
    orgs+=$(render "$DL_NETWORK/config/configtx-org.yaml.tmpl" - MSPID ORG_DIR ORDERER_ENDPOINT_HOST ORDERER_PORT \
      PEER_ENDPOINT_HOST PEER_PORT)$'\n'
    consenters+=$(render "$DL_NETWORK/config/configtx-consenter.yaml.tmpl" - CONSENTER_ID ORDERER_ENDPOINT_HOST \
      ORDERER_PORT MSPID ORDERER_CRYPTO)$'\n'
    refs+=${refs:+, }*$MSPID
  done
  ORGANIZATIONS=${orgs%$'\n'} CONSENTERS=${consenters%$'\n'} ORG_REFERENCES=$refs \
    render "$DL_NETWORK/config/configtx.yaml.tmpl" "$dir/configtx.yaml" ORGANIZATIONS CONSENTERS ORG_REFERENCES \
    BATCH_MAX_MESSAGE_COUNT BFT_REQUEST_BATCH_MAX_INTERVAL
}

genesis_block() { printf '%s/channel/%s.block' "$DL_STATE" "$CHANNEL_NAME"; }

gen_genesis() {
  write_configtx
  mkdir -p "$DL_STATE/channel"
  configtxgen -configPath "$DL_CONFIG" -profile ChannelBFT -channelID "$CHANNEL_NAME" \
    -outputBlock "$(genesis_block)" 2>"$DL_LOGS/configtxgen.log" ||
    die "configtxgen failed, see $DL_LOGS/configtxgen.log"
}

# render TEMPLATE OUT VAR...: the template with each ${VAR} named replaced by the variable's value, written to OUT
# (printed when OUT is -).
render() {
  local tmpl=$1 out=$2 text v pattern
  shift 2
  text=$(<"$tmpl")
  for v in "$@"; do
    pattern="\${$v}"
    text=${text//"$pattern"/"${!v}"}
  done
  local unfilled='\$\{[A-Z_]+\}'
  if [[ $text =~ $unfilled ]]; then
    die "$tmpl: no value for ${BASH_REMATCH[0]}"
  fi
  if [ "$out" = - ]; then printf '%s\n' "$text"; else printf '%s\n' "$text" >"$out"; fi
}

write_peer_config() {
  local o=$1 dir
  dir=$(node_dir "peer-$o")
  mkdir -p "$dir"
  chmod 700 "$dir" # its ledger: Fabric writes some stores readable by all
  PEER_HOST=$(peer_host "$o") PEER_PORT=$(orgval "$o" PEER_PORT) \
    PEER_CHAINCODE_PORT=$(orgval "$o" PEER_CHAINCODE_PORT) PEER_OPERATIONS_PORT=$(orgval "$o" PEER_OPERATIONS_PORT) \
    PEER_CRYPTO=$(peer_crypto "$o") NODE_DIR=$dir MSPID=$(orgval "$o" MSPID) HOST=$(org_host "$o") \
    PEER_ENDPOINT=$(peer_address "$o") GOSSIP_RECONNECT_INTERVAL=$GOSSIP_RECONNECT_INTERVAL \
    BUILDERS_DIR=$DL_NETWORK/builders PEER_GATEWAY_CONCURRENCY=$PEER_GATEWAY_CONCURRENCY \
    ADMIN_TLS_CERT=$(admin_tls "$o").crt MONITORING_TLS_CERT=$(monitoring_tls "$o").crt \
    render "$DL_NETWORK/config/core.yaml.tmpl" "$dir/core.yaml" PEER_HOST PEER_PORT PEER_CHAINCODE_PORT \
    PEER_OPERATIONS_PORT PEER_CRYPTO NODE_DIR MSPID HOST PEER_ENDPOINT GOSSIP_RECONNECT_INTERVAL BUILDERS_DIR \
    PEER_GATEWAY_CONCURRENCY ADMIN_TLS_CERT MONITORING_TLS_CERT
}

write_orderer_config() {
  local o=$1 dir
  dir=$(node_dir "orderer-$o")
  mkdir -p "$dir"
  chmod 700 "$dir" # its ledger: Fabric writes some stores readable by all
  ORDERER_PORT=$(orgval "$o" ORDERER_PORT) ORDERER_ADMIN_PORT=$(orgval "$o" ORDERER_ADMIN_PORT) \
    ORDERER_OPERATIONS_PORT=$(orgval "$o" ORDERER_OPERATIONS_PORT) ORDERER_CRYPTO=$(orderer_crypto "$o") \
    ADMIN_TLS_CERT=$(admin_tls "$o").crt MONITORING_TLS_CERT=$(monitoring_tls "$o").crt NODE_DIR=$dir \
    MSPID=$(orgval "$o" MSPID) HOST=$(org_host "$o") \
    render "$DL_NETWORK/config/orderer.yaml.tmpl" "$dir/orderer.yaml" ORDERER_PORT ORDERER_ADMIN_PORT \
    ORDERER_OPERATIONS_PORT ORDERER_CRYPTO ADMIN_TLS_CERT MONITORING_TLS_CERT NODE_DIR MSPID HOST
}

# ---------------------------------------------------------------------------------------------------------------
# Chaincode.
DL_CC=$DL_STATE/chaincode
collections_config() { printf '%s/collections_config.json' "$DL_CC"; }

# The command that writes the chaincode's configuration files from the chaincode's own code
# (chaincode/cmd/deltaledger-cc-config); go build relinks it only when a source changed.
DL_CC_CONFIG_BIN=$DL_BIN/deltaledger-cc-config
build_cc_config() {
  (cd "$DL_ROOT" && go build -o "$DL_CC_CONFIG_BIN" ./chaincode/cmd/deltaledger-cc-config) ||
    die "go build ./chaincode/cmd/deltaledger-cc-config failed"
}

# The private data collections of the chaincode definition, written by the chaincode's code (trades.TermsCollections):
# one collection per unordered pair of orgs, terms-<A>-<B> with A < B (MSP IDs sorted bytewise), the pair's contract
# terms, readable and writable only by the pair's members, every write endorsed by both orgs' peers. Implicit per-org
# collections need no config. build_cc_config first.
write_collections_config() {
  local msps=()
  mapfile -t msps < <(for o in $ORGS; do orgval "$o" MSPID && echo; done)
  "$DL_CC_CONFIG_BIN" collections -out "$(collections_config)" "${msps[@]}" || die "writing the collections failed"
}

# deterministic_tgz OUT DIR FILE...: a gzip'd tar of DIR's FILEs whose bytes depend only on their content.
deterministic_tgz() {
  local out=$1 dir=$2
  shift 2
  tar -C "$dir" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --mode=u=rw,go=r --format=gnu \
    -cf - "$@" | gzip -n -9 >"$out"
}

# write_ccaas_package ORG LABEL DIR [PORT_KEY]: DIR/package.tar.gz of type "ccaas" for ORG's peer; the code archive
# holds only connection.json: the address of the org's chaincode service (on <ORG>_PORT_KEY of network.env,
# CHAINCODE_PORT by default), the TLS CA that issued the service's certificate, and the peer's pinned chaincode client
# certificate and key (chaincode_client_tls) as its client identity, the only one the service accepts
# (start_chaincode_service); chaincode/cmd/deltaledger-cc-config writes it
# and the package's metadata.json (build_cc_config first: the orgs' packages are written in parallel).
write_ccaas_package() {
  local o=$1 label=$2 dir=$3 port_key=${4:-CHAINCODE_PORT} client
  client=$(chaincode_client_tls "$o")
  "$DL_CC_CONFIG_BIN" ccaas -dir "$dir" -label "$label" \
    -address "$(endpoint_host "$o" "$(chaincode_host "$o")"):$(orgval "$o" "$port_key")" \
    -root-cert "$(org_tlsca "$o")" -client-cert "$client.crt" -client-key "$client.key" ||
    die "writing the chaincode package of $o failed"
  deterministic_tgz "$dir/code.tar.gz" "$dir/src" connection.json
  deterministic_tgz "$dir/package.tar.gz" "$dir" metadata.json code.tar.gz
}
