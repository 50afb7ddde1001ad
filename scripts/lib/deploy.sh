# shellcheck shell=bash
# Chaincode lifecycle for the CCaaS deployment: build the service binary, package per org, install, run one service
# per org, approve, commit. Idempotent: every step first asks the network whether it is already done.
# Source after env.sh and config.sh. Used by scripts/up.sh, scripts/deploy.sh and scripts/bench.sh.
#
# Two chaincodes are deployed this way, both with ENDORSEMENT_POLICY; select_chaincode picks the one the functions
# below act on (the market's unless told otherwise):
#   market  CHAINCODE_NAME from ./chaincode, with the private data collections; processes chaincode-<org> on
#           <ORG>_CHAINCODE_PORT and chaincode-next-<org> on <ORG>_CHAINCODE_NEXT_PORT (scripts/up.sh): the two
#           ports take turns, an upgrade starts the new package's service on the port the committed package's does
#           not use, beside it, and stops the former once the new definition is committed on every peer
#   probe   PROBE_CHAINCODE_NAME from ./network/bench/probe, a put-a-key chaincode that is the benchmark's measure
#           of what the network commits at all; processes probe-<org> on <ORG>_PROBE_PORT (scripts/bench.sh); one
#           port, so an upgrade of it swaps the service just before the commit

DL_CC_BIN=

# select_chaincode market|probe: sets CC_NAME (the chaincode's name on the channel), CC_SRC (its Go main package),
# CC_PROC (its processes' name prefix), CC_PORT (the network.env key of its service port), CC_NEXT_PORT (the key of
# its second service port, empty when it has none) and CC_COLLECTIONS (1 when it has the private data collections).
select_chaincode() {
  case $1 in
    market) CC_NAME=$CHAINCODE_NAME CC_SRC=./chaincode CC_PROC=chaincode CC_PORT=CHAINCODE_PORT CC_NEXT_PORT=CHAINCODE_NEXT_PORT CC_COLLECTIONS=1 CC_PPROF_BLOCK=0 ;;
    probe) CC_NAME=$PROBE_CHAINCODE_NAME CC_SRC=./network/bench/probe CC_PROC=probe CC_PORT=PROBE_PORT CC_NEXT_PORT= CC_COLLECTIONS=0 CC_PPROF_BLOCK=1 ;;
    *) die "select_chaincode: unknown chaincode '$1' (market or probe)" ;;
  esac
  DL_CC_BIN=
}
select_chaincode market

# Sets DL_CC_BIN: for the market chaincode a copy of $CHAINCODE_BIN in bin/ if set (any build of a contractapi
# chaincode; copied because the scripts run and stop only executables under this checkout), else builds the
# selected chaincode's package into bin/.
build_chaincode() {
  if [ "$CC_NAME" = "$CHAINCODE_NAME" ] && [ -n "${CHAINCODE_BIN:-}" ]; then
    [ -x "$CHAINCODE_BIN" ] || die "CHAINCODE_BIN=$CHAINCODE_BIN is not an executable"
    DL_CC_BIN=$DL_BIN/${CHAINCODE_NAME}-cc.given
    if ! cmp -s "$CHAINCODE_BIN" "$DL_CC_BIN"; then
      mkdir -p "$DL_BIN"
      cp "$CHAINCODE_BIN" "$DL_CC_BIN.tmp" && mv -f "$DL_CC_BIN.tmp" "$DL_CC_BIN" || die "copying $CHAINCODE_BIN failed"
    fi
    return 0
  fi
  compgen -G "$DL_ROOT/$CC_SRC/*.go" >/dev/null ||
    die "$CC_SRC has no Go main package yet; set CHAINCODE_BIN=/path/to/binary to deploy another chaincode"
  DL_CC_BIN=$DL_BIN/${CC_NAME}-cc
  (cd "$DL_ROOT" && go build -o "$DL_CC_BIN" "$CC_SRC") || die "go build $CC_SRC failed"
}

# The --collections-config arguments of the selected chaincode (none for the probe).
collections_args() {
  [ "$CC_COLLECTIONS" = 1 ] || return 0
  printf '%s\n' --collections-config "$(collections_config)"
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

# Prints "SEQUENCE VERSION" of the committed definition, "0 -" when there is none, as ORG's peer (default: the first
# org's) sees it.
query_committed() {
  local first out
  read -r first _ <<<"$ORGS"
  first=${1:-$first}
  if out=$(in_org "$first" peer lifecycle chaincode querycommitted -C "$CHANNEL_NAME" -n "$CC_NAME" -O json 2>&1); then
    printf '%s %s\n' "$(grep -o '"sequence": *[0-9]*' <<<"$out" | grep -o '[0-9]*$')" \
      "$(grep -o '"version": *"[^"]*"' <<<"$out" | sed 's/.*"\([^"]*\)"$/\1/')"
  elif grep -q 'not defined\|404' <<<"$out"; then
    echo "0 -"
  else
    die "querycommitted failed: $out"
  fi
}

# cc_slot ORG PORT_KEY: the name of ORG's service process of the selected chaincode on that port (CC_PORT or
# CC_NEXT_PORT of select_chaincode): <CC_PROC>-<org> or <CC_PROC>-next-<org>.
cc_slot() {
  if [ "$2" = "$CC_PORT" ]; then printf '%s-%s\n' "$CC_PROC" "$1"; else printf '%s-next-%s\n' "$CC_PROC" "$1"; fi
}

# committed_port_key ORG SEQ: the network.env key of the port (CC_PORT or CC_NEXT_PORT) that ORG's package of the
# committed definition SEQ names in its connection.json: the package ORG's peer approved for SEQ is the service a
# running slot serves (its .pkg), else the peer has it installed and tells its address (getinstalledpackage). CC_PORT
# when ORG approved no package for SEQ or it cannot be read (a network that has no second port yet).
committed_port_key() {
  local o=$1 seq=$2 out pkg key dir address=
  if [ -n "$CC_NEXT_PORT" ] && [ "$seq" -gt 0 ]; then
    out=$(in_org "$o" peer lifecycle chaincode queryapproved -C "$CHANNEL_NAME" -n "$CC_NAME" --sequence "$seq" \
      -O json 2>/dev/null) || out=
    pkg=$(sed -n 's/.*"package_id": *"\([^"]*\)".*/\1/p' <<<"$out" | head -n 1)
    if [ -n "$pkg" ]; then
      for key in "$CC_PORT" "$CC_NEXT_PORT"; do
        if [ "$(cat "$DL_RUN/$(cc_slot "$o" "$key").pkg" 2>/dev/null)" = "$pkg" ] && proc_pid "$(cc_slot "$o" "$key")" >/dev/null; then
          printf '%s\n' "$key"
          return 0
        fi
      done
      dir=$(mktemp -d)
      if in_org "$o" peer lifecycle chaincode getinstalledpackage --package-id "$pkg" --output-directory "$dir" >/dev/null 2>&1; then
        address=$(for f in "$dir"/*; do tar -xzOf "$f" code.tar.gz | tar -xzOf - connection.json; done 2>/dev/null |
          sed -n 's/.*"address": *"\([^"]*\)".*/\1/p' | head -n 1)
      fi
      rm -rf "$dir"
      if [ -n "$address" ] && [ "${address##*:}" = "$(orgval "$o" "$CC_NEXT_PORT")" ]; then
        printf '%s\n' "$CC_NEXT_PORT"
        return 0
      fi
    fi
  fi
  printf '%s\n' "$CC_PORT"
}

# Starts (or restarts, when the package changed) ORG's service of the selected chaincode for package PKG_ID on the
# port PORT_KEY (default CC_PORT), as the process cc_slot names. The service trusts one client certificate, the peer's pinned chaincode client certificate (chaincode_client_tls, the
# client certificate of the package's connection.json), not the org's TLS CA: whoever connects drives the chaincode
# as its peer, and the TLS CA also certifies every user of the org. A new pinned certificate makes a new package,
# which restarts the service.
start_chaincode_service() {
  local o=$1 pkg=$2 key=${3:-$CC_PORT} name crypto
  name=$(cc_slot "$o" "$key")
  crypto=$(chaincode_crypto "$o")
  if proc_pid "$name" >/dev/null && [ "$(cat "$DL_RUN/$name.pkg" 2>/dev/null)" = "$pkg" ]; then
    return 0
  fi
  proc_stop "$name"
  # Opt-in runtime profiles (ccaas.ProfilesEnv): DLCC_PPROF_PORT=P serves the market chaincode's of the first org in
  # ORGS on 127.0.0.1:P, the next org's on P+1, ..., then the probe's in the same order after them, then those of the
  # market chaincode's services on the second port (chaincode-next-<org>); unset, none.
  local profiles=() i=0 other orgs block=$CC_PPROF_BLOCK
  [ "$key" = "$CC_PORT" ] || block=2
  if [ -n "${DLCC_PPROF_PORT:-}" ]; then
    for other in $ORGS; do [ "$other" = "$o" ] && break; i=$((i + 1)); done
    read -ra orgs <<<"$ORGS"
    profiles=(DLCC_PPROF_LISTEN="127.0.0.1:$((DLCC_PPROF_PORT + block * ${#orgs[@]} + i))")
  fi
  proc_start "$name" \
    "${profiles[@]}" \
    CHAINCODE_SERVER_ADDRESS="$(org_host "$o"):$(orgval "$o" "$key")" \
    CHAINCODE_ID="$pkg" \
    CHAINCODE_TLS_CERT="$crypto/tls/server.crt" \
    CHAINCODE_TLS_KEY="$crypto/tls/server.key" \
    CHAINCODE_TLS_CLIENT_CACERT="$(chaincode_client_tls "$o").crt" \
    CORE_PEER_LOCALMSPID="$(orgval "$o" MSPID)" \
    "$DL_CC_BIN"
  printf '%s\n' "$pkg" >"$DL_RUN/$name.pkg"
  log "started $name ($pkg)"
}

# Prints the file of ORG's package LABEL, which prepare_org writes.
package_file() { printf '%s\n' "$DL_CC/$1/$2/package.tar.gz"; }

# Prints ORG's package ID of the package LABEL: the label and the SHA-256 of the package file (peer lifecycle chaincode
# calculatepackageid computes the same, at the cost of a peer CLI run).
package_id() {
  printf '%s:%s\n' "$2" "$(sha256_of "$(package_file "$1" "$2")")"
}

# Package and install ORG's chaincode, serve it unless SERVE_LATER=1, then approve the definition. Runs in parallel
# per org. The package names the port the committed definition's package of ORG uses when it is this very definition
# (COMMITTED=1), on a fresh channel (COMMITTED_SEQ 0) CC_PORT, and on an upgrade the other port of the two, so that its
# service runs beside the committed package's, which serves on; prepare_org writes the port's key to
# $DL_RUN/<CC_PROC>-<org>.next for deploy_chaincode. When the definition is committed and ORG's service runs this very
# package, nothing is left to do: the package was installed and approved before it was committed. A chaincode with one
# port (CC_NEXT_PORT empty) upgrades with SERVE_LATER=1: the committed package's service runs through the approvals
# and deploy_chaincode swaps it just before the commit.
prepare_org() {
  local o=$1 label=$2 version=$3 seq=$4 committed=$5 serve_later=$6 committed_seq=$7 pkg approved installed out key
  key=$(committed_port_key "$o" "$committed_seq")
  if [ "$committed" != 1 ] && [ "$committed_seq" -gt 0 ] && [ -n "$CC_NEXT_PORT" ]; then
    if [ "$key" = "$CC_PORT" ]; then key=$CC_NEXT_PORT; else key=$CC_PORT; fi
  fi
  [ -z "$CC_NEXT_PORT" ] || printf '%s\n' "$key" >"$DL_RUN/$CC_PROC-$o.next"
  write_ccaas_package "$o" "$label" "$DL_CC/$o/$label" "$key"
  pkg=$(package_id "$o" "$label")
  if [ "$committed" = 1 ] && proc_pid "$(cc_slot "$o" "$key")" >/dev/null &&
    [ "$(cat "$DL_RUN/$(cc_slot "$o" "$key").pkg" 2>/dev/null)" = "$pkg" ]; then
    return 0
  fi
  installed=$(in_org "$o" peer lifecycle chaincode queryinstalled -O json) || die "queryinstalled on peer-$o failed"
  if ! grep -q "\"$pkg\"" <<<"$installed"; then
    in_org "$o" peer lifecycle chaincode install "$(package_file "$o" "$label")" >/dev/null ||
      die "install on peer-$o failed"
    log "installed $pkg on peer-$o"
  fi
  [ "$serve_later" = 1 ] || start_chaincode_service "$o" "$pkg" "$key"
  approved=$(in_org "$o" peer lifecycle chaincode queryapproved -C "$CHANNEL_NAME" -n "$CC_NAME" \
    --sequence "$seq" -O json 2>/dev/null || true)
  if grep -q "\"$version\"" <<<"$approved" && grep -q "\"$pkg\"" <<<"$approved"; then
    return 0
  fi
  local orderer_args collections
  mapfile -t orderer_args < <(submit_orderer_args)
  mapfile -t collections < <(collections_args)
  # An approval that committed after the CLI stopped waiting for it (a timeout) is there the next time: the peer
  # then refuses the same approval "with unchanged content", which is what was asked for.
  if ! out=$(in_org "$o" peer lifecycle chaincode approveformyorg "${orderer_args[@]}" -C "$CHANNEL_NAME" \
    -n "$CC_NAME" --version "$version" --sequence "$seq" --package-id "$pkg" \
    --signature-policy "$ENDORSEMENT_POLICY" "${collections[@]}" 2>&1); then
    grep -q 'with unchanged content' <<<"$out" || die "approveformyorg for $o failed: $out"
  fi
  log "approved $CC_NAME $version sequence $seq for $(orgval "$o" MSPID)"
}

# True when ORG's peer sees every org's approval of the definition.
all_approved_on() {
  local o=$1 version=$2 seq=$3 out collections
  mapfile -t collections < <(collections_args)
  out=$(in_org "$o" peer lifecycle chaincode checkcommitreadiness -C "$CHANNEL_NAME" -n "$CC_NAME" \
    --version "$version" --sequence "$seq" --signature-policy "$ENDORSEMENT_POLICY" \
    "${collections[@]}" -O json 2>/dev/null) || return 1
  ! grep -q 'false' <<<"$out"
}

# Deploys the selected chaincode: builds it if needed, then every step that is not done yet.
deploy_chaincode() {
  local code def version label committed_seq committed_version seq o pids=() collections=
  [ -n "$DL_CC_BIN" ] || build_chaincode
  build_cc_config
  if [ "$CC_COLLECTIONS" = 1 ]; then
    write_collections_config
    collections=$(cat "$(collections_config)")
  fi
  code=$(sha256_of "$DL_CC_BIN" | cut -c1-12)
  def=$(printf '%s\n%s\n' "$ENDORSEMENT_POLICY" "$collections" | sha256_of | cut -c1-8)
  version=$code.$def
  label=$CC_NAME-$code
  read -r committed_seq committed_version <<<"$(query_committed)"
  local committed=0 serve_later=0
  if [ "$committed_version" = "$version" ]; then seq=$committed_seq committed=1; else seq=$((committed_seq + 1)); fi
  # An upgrade: the new package's service starts on the port the committed package's does not use, beside it, and the
  # committed one serves on until every peer has committed the new definition (retire_former_services). A chaincode
  # with one port keeps serving the committed package until the new definition is about to commit: a peer that cannot
  # reach the committed package's service holds every call for its launch timeout, and its commits behind them.
  [ "$committed" = 1 ] || [ "$committed_seq" = 0 ] || [ -n "$CC_NEXT_PORT" ] || serve_later=1

  mkdir -p "$DL_RUN"
  for o in $ORGS; do
    prepare_org "$o" "$label" "$version" "$seq" "$committed" "$serve_later" "$committed_seq" &
    pids+=($!)
  done
  wait_all "${pids[@]}" || die "preparing the chaincode failed (see messages above)"

  if [ "$committed_seq" -ge "$seq" ]; then
    retire_former_services
    log "$CC_NAME $version is committed at sequence $seq"
    return 0
  fi
  for o in $ORGS; do
    retry 30 "all approvals on peer-$o" all_approved_on "$o" "$version" "$seq" || die "approvals incomplete"
  done
  if [ "$serve_later" = 1 ]; then
    for o in $ORGS; do start_chaincode_service "$o" "$(package_id "$o" "$label")"; done
  fi
  local first orderer_args targets collections
  read -r first _ <<<"$ORGS"
  mapfile -t orderer_args < <(submit_orderer_args)
  mapfile -t collections < <(collections_args)
  read -ra targets <<<"$(peer_targets)"
  # The CLI waits for every peer to commit the definition; a peer still waiting on a chaincode service (up to
  # core.yaml's chaincode.startuptimeout; the swap of a one-port chaincode) commits it after the CLI gave up, as
  # querycommitted then shows.
  in_org "$first" peer lifecycle chaincode commit "${orderer_args[@]}" -C "$CHANNEL_NAME" -n "$CC_NAME" \
    --version "$version" --sequence "$seq" --signature-policy "$ENDORSEMENT_POLICY" \
    "${collections[@]}" "${targets[@]}" ||
    retry 90 "the commit of sequence $seq" committed_is "$version" || die "commit failed"
  log "committed $CC_NAME $version at sequence $seq"
  # The former package's services serve every peer that has not committed the new definition yet.
  for o in $ORGS; do
    retry 90 "peer-$o to commit sequence $seq" committed_is "$version" "$o" || die "peer-$o did not commit sequence $seq"
  done
  retire_former_services
}

# After the definition prepare_org's packages belong to is committed on every peer: stops each org's service on the
# other port of the two (the former package's, by its PID file), forgets its command (its .args: neither node.sh
# restart nor a bundle's unit brings it back), and records the one that serves in $DL_RUN/<CC_PROC>-<org>.serving
# (serving_chaincode, scripts/lib/common.sh).
retire_former_services() {
  local o key other
  [ -n "$CC_NEXT_PORT" ] || return 0
  for o in $ORGS; do
    key=$(cat "$DL_RUN/$CC_PROC-$o.next" 2>/dev/null) || continue
    if [ "$key" = "$CC_PORT" ]; then other=$(cc_slot "$o" "$CC_NEXT_PORT"); else other=$(cc_slot "$o" "$CC_PORT"); fi
    if proc_pid "$other" >/dev/null; then
      proc_stop "$other"
      log "stopped $other (the former package's service; $(cc_slot "$o" "$key") serves)"
    fi
    rm -f "$DL_RUN/$other.pkg" "$DL_RUN/$other.args" "$DL_RUN/$CC_PROC-$o.next"
    cc_slot "$o" "$key" >"$DL_RUN/$CC_PROC-$o.serving"
  done
}

# committed_is VERSION [ORG]: the committed definition of the selected chaincode has VERSION (on ORG's peer).
committed_is() {
  local seq version
  read -r seq version <<<"$(query_committed "${2:-}")"
  [ "$version" = "$1" ]
}

# Evaluates org.hyperledger.fabric:GetMetadata through ORG's peer.
chaincode_answers() {
  in_org "$1" peer chaincode query -C "$CHANNEL_NAME" -n "$CHAINCODE_NAME" \
    -c '{"Args":["org.hyperledger.fabric:GetMetadata"]}' >/dev/null 2>&1
}
