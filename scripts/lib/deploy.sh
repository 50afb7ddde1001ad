# shellcheck shell=bash
# Chaincode lifecycle for the CCaaS deployment: build the service binary, package per org, install, run one service
# per org, approve, commit. Idempotent: every step first asks the network whether it is already done.
# Source after env.sh and config.sh. Used by scripts/up.sh and scripts/deploy.sh.

DL_CC_BIN=

# Sets DL_CC_BIN: a copy of $CHAINCODE_BIN in bin/ if set (any build of a contractapi chaincode; copied because
# the scripts run and stop only executables under this checkout), else builds ./chaincode.
build_chaincode() {
  if [ -n "${CHAINCODE_BIN:-}" ]; then
    [ -x "$CHAINCODE_BIN" ] || die "CHAINCODE_BIN=$CHAINCODE_BIN is not an executable"
    DL_CC_BIN=$DL_BIN/${CHAINCODE_NAME}-cc.given
    if ! cmp -s "$CHAINCODE_BIN" "$DL_CC_BIN"; then
      mkdir -p "$DL_BIN"
      cp "$CHAINCODE_BIN" "$DL_CC_BIN.tmp" && mv -f "$DL_CC_BIN.tmp" "$DL_CC_BIN" || die "copying $CHAINCODE_BIN failed"
    fi
    return 0
  fi
  compgen -G "$DL_ROOT/chaincode/*.go" >/dev/null ||
    die "chaincode/ has no Go main package yet; set CHAINCODE_BIN=/path/to/binary to deploy another chaincode"
  DL_CC_BIN=$DL_BIN/${CHAINCODE_NAME}-cc
  (cd "$DL_ROOT" && go build -o "$DL_CC_BIN" ./chaincode) || die "go build ./chaincode failed"
}

# The command that sets or checks the market rules after a deployment (network/marketrules).
DL_RULES_BIN=$DL_BIN/deltaledger-market-rules

build_market_rules() {
  (cd "$DL_ROOT" && go build -o "$DL_RULES_BIN" ./network/marketrules/cmd/market-rules) ||
    die "go build ./network/marketrules/cmd/market-rules failed"
}

# Sets the market rules once the chaincode answers through every peer: from the channel's MSP definitions and
# network.env, before anyone registers (market:Init, endorsed by every org); on a later run checks them, and
# applies a changed network.env with the approval of every local org's admin.
ensure_market_rules() {
  [ -x "$DL_RULES_BIN" ] || build_market_rules
  if ! (cd "$DL_ROOT" && "$DL_RULES_BIN") 2>&1 | sed 's/^/  /' >&2; then
    die "setting the market rules failed (see above)"
  fi
}

sha256_of() { sha256sum "$@" | cut -c1-64; }

# Runs the peer CLI as ORG's admin: in_org ORG peer ...
in_org() {
  (
    use_org "$1" >/dev/null
    shift
    FABRIC_LOGGING_SPEC=${CLI_LOGGING_SPEC:-warning:grpc=error} "$@"
  )
}

# Orderer the CLI submits to: consenter 1 (the first org's node), the SmartBFT leader while no view change
# happened; a follower would hold the request RequestForwardTimeout before forwarding it.
submit_orderer_args() {
  local first
  read -r first _ <<<"$ORGS"
  printf '%s\n' -o "$(orderer_address "$first")" --tls --cafile "$(org_tlsca "$first")"
}

# Prints "SEQUENCE VERSION" of the committed definition, "0 -" when there is none.
query_committed() {
  local first out
  read -r first _ <<<"$ORGS"
  if out=$(in_org "$first" peer lifecycle chaincode querycommitted -C "$CHANNEL_NAME" -n "$CHAINCODE_NAME" -O json 2>&1); then
    printf '%s %s\n' "$(grep -o '"sequence": *[0-9]*' <<<"$out" | grep -o '[0-9]*$')" \
      "$(grep -o '"version": *"[^"]*"' <<<"$out" | sed 's/.*"\([^"]*\)"$/\1/')"
  elif grep -q 'not defined\|404' <<<"$out"; then
    echo "0 -"
  else
    die "querycommitted failed: $out"
  fi
}

# Starts (or restarts, when the package changed) ORG's chaincode service for package PKG_ID.
start_chaincode_service() {
  local o=$1 pkg=$2 name="chaincode-$1" crypto
  crypto=$(chaincode_crypto "$o")
  if proc_pid "$name" >/dev/null && [ "$(cat "$DL_RUN/$name.pkg" 2>/dev/null)" = "$pkg" ]; then
    return 0
  fi
  proc_stop "$name"
  proc_start "$name" \
    CHAINCODE_SERVER_ADDRESS="$HOST:$(orgval "$o" CHAINCODE_PORT)" \
    CHAINCODE_ID="$pkg" \
    CHAINCODE_TLS_CERT="$crypto/tls/server.crt" \
    CHAINCODE_TLS_KEY="$crypto/tls/server.key" \
    CHAINCODE_TLS_CLIENT_CACERT="$(org_tlsca "$o")" \
    CORE_PEER_LOCALMSPID="$(orgval "$o" MSPID)" \
    "$DL_CC_BIN"
  printf '%s\n' "$pkg" >"$DL_RUN/$name.pkg"
  log "started $name ($pkg)"
}

# Package, install and serve ORG's chaincode, then approve the definition. Runs in parallel per org.
prepare_org() {
  local o=$1 label=$2 version=$3 seq=$4 dir pkg approved installed
  dir=$DL_CC/$o/$label
  write_ccaas_package "$o" "$label" "$dir"
  pkg=$(in_org "$o" peer lifecycle chaincode calculatepackageid "$dir/package.tar.gz")
  installed=$(in_org "$o" peer lifecycle chaincode queryinstalled -O json) || die "queryinstalled on peer-$o failed"
  if ! grep -q "\"$pkg\"" <<<"$installed"; then
    in_org "$o" peer lifecycle chaincode install "$dir/package.tar.gz" >/dev/null ||
      die "install on peer-$o failed"
    log "installed $pkg on peer-$o"
  fi
  start_chaincode_service "$o" "$pkg"
  approved=$(in_org "$o" peer lifecycle chaincode queryapproved -C "$CHANNEL_NAME" -n "$CHAINCODE_NAME" \
    --sequence "$seq" -O json 2>/dev/null || true)
  if grep -q "\"$version\"" <<<"$approved" && grep -q "\"$pkg\"" <<<"$approved"; then
    return 0
  fi
  local orderer_args
  mapfile -t orderer_args < <(submit_orderer_args)
  in_org "$o" peer lifecycle chaincode approveformyorg "${orderer_args[@]}" -C "$CHANNEL_NAME" \
    -n "$CHAINCODE_NAME" --version "$version" --sequence "$seq" --package-id "$pkg" \
    --signature-policy "$ENDORSEMENT_POLICY" --collections-config "$(collections_config)" ||
    die "approveformyorg for $o failed"
  log "approved $CHAINCODE_NAME $version sequence $seq for $(orgval "$o" MSPID)"
}

# True when ORG's peer sees every org's approval of the definition.
all_approved_on() {
  local o=$1 version=$2 seq=$3 out
  out=$(in_org "$o" peer lifecycle chaincode checkcommitreadiness -C "$CHANNEL_NAME" -n "$CHAINCODE_NAME" \
    --version "$version" --sequence "$seq" --signature-policy "$ENDORSEMENT_POLICY" \
    --collections-config "$(collections_config)" -O json 2>/dev/null) || return 1
  ! grep -q 'false' <<<"$out"
}

deploy_chaincode() {
  local code def version label committed_seq committed_version seq o pids=()
  [ -n "$DL_CC_BIN" ] || build_chaincode
  write_collections_config
  code=$(sha256_of "$DL_CC_BIN" | cut -c1-12)
  def=$(printf '%s\n%s\n' "$ENDORSEMENT_POLICY" "$(cat "$(collections_config)")" | sha256_of | cut -c1-8)
  version=$code.$def
  label=$CHAINCODE_NAME-$code
  read -r committed_seq committed_version <<<"$(query_committed)"
  if [ "$committed_version" = "$version" ]; then seq=$committed_seq; else seq=$((committed_seq + 1)); fi

  for o in $ORGS; do
    prepare_org "$o" "$label" "$version" "$seq" &
    pids+=($!)
  done
  wait_all "${pids[@]}" || die "preparing the chaincode failed (see messages above)"

  if [ "$committed_seq" -ge "$seq" ]; then
    log "$CHAINCODE_NAME $version is committed at sequence $seq"
    return 0
  fi
  for o in $ORGS; do
    retry 30 "all approvals on peer-$o" all_approved_on "$o" "$version" "$seq" || die "approvals incomplete"
  done
  local first orderer_args targets
  read -r first _ <<<"$ORGS"
  mapfile -t orderer_args < <(submit_orderer_args)
  read -ra targets <<<"$(peer_targets)"
  in_org "$first" peer lifecycle chaincode commit "${orderer_args[@]}" -C "$CHANNEL_NAME" -n "$CHAINCODE_NAME" \
    --version "$version" --sequence "$seq" --signature-policy "$ENDORSEMENT_POLICY" \
    --collections-config "$(collections_config)" "${targets[@]}" || die "commit failed"
  log "committed $CHAINCODE_NAME $version at sequence $seq"
}

# Evaluates org.hyperledger.fabric:GetMetadata through ORG's peer.
chaincode_answers() {
  in_org "$1" peer chaincode query -C "$CHANNEL_NAME" -n "$CHAINCODE_NAME" \
    -c '{"Args":["org.hyperledger.fabric:GetMetadata"]}' >/dev/null 2>&1
}
