# shellcheck shell=bash
# The REST gateways (gateway/, `deltaledger-gateway`): one per org, next to its peer, run by scripts/up.sh as the
# processes gateway-<org>. Everything a gateway needs is generated into network/.state/gateways/<org>/:
#
#   gateway.yaml        its configuration (written on every `make up` from network.env by `deltaledger-gateway config
#                       write`, and left as it is when nothing changed)
#   wallet/<user>@<domain>   links to the org's users (Admin and the users of identities.env, scripts/lib/ca.sh)
#   apikeys.json        hashes of its API keys (`deltaledger-gateway apikey create|list|revoke --config ...`)
#   idempotency.jsonl   outcomes of submits with an Idempotency-Key, kept across restarts
#   market-index.db     the ledger index (SQLite, with -wal/-shm beside it): the channel's blocks projected as the
#                       org's regulator, for the catalogue, portfolios, trade histories, flows, market statistics and
#                       published indices (gateway/README.md); derived data, rebuilt from the ledger when deleted
#
# The listener's TLS certificate is the one of gateway.<domain> (peers/gateway.<domain>/tls/server.*),
# issued by the org's TLS CA, so callers use the org's TLS CA certificate (`curl --cacert`). The demo API keys
# (one per member of every org) are in network/.state/gateways/demo-keys.env, made on the first `make up` after
# `make clean` and kept while they stay valid. Source after common.sh.

DL_GATEWAYS=$DL_STATE/gateways
DL_GW_BIN=$DL_BIN/deltaledger-gateway

gateway_dir() { printf '%s/%s' "$DL_GATEWAYS" "$1"; }
gateway_config() { printf '%s/gateway.yaml' "$(gateway_dir "$1")"; }
gateway_url() { printf 'https://%s:%s' "$(endpoint_host "$1" "$(gateway_host "$1")")" "$(orgval "$1" GATEWAY_PORT)"; }
demo_keys_file() { printf '%s/demo-keys.env' "$DL_GATEWAYS"; }

# Builds bin/deltaledger-gateway (go build relinks only when a source changed).
build_gateway() {
  (cd "$DL_ROOT" && go build -o "$DL_GW_BIN" ./gateway/cmd/deltaledger-gateway) ||
    die "go build ./gateway/cmd/deltaledger-gateway failed"
}

# Prints "ROLE USER" for each member a gateway holds: "admin Admin", then every ROLE_ line of identities.env
# ("operator User1", ...).
gateway_roles() {
  echo "admin Admin"
  grep '^ROLE_' "$DL_NETWORK/identities.env" | while IFS='=' read -r key user; do
    key=${key#ROLE_}
    printf '%s %s\n' "${key,,}" "$user"
  done
}

# Writes ORG's wallet (links to the users' folders) and gateway.yaml. The gateway refuses private keys that others
# may read: scripts/lib/ca.sh writes them with mode 600, which is enforced here anyway.
write_gateway_files() {
  local o=$1 dir wallet role user udir d regulator= operator= reader= client_cas=()
  dir=$(gateway_dir "$o")
  wallet=$dir/wallet
  mkdir -p "$wallet"
  chmod 700 "$DL_GATEWAYS" "$dir" "$wallet"
  find "$wallet" -mindepth 1 -maxdepth 1 -type l -delete
  while read -r role user; do
    udir=$(user_dir "$o" "$user")
    [ -d "$udir" ] || die "no identity $udir for the gateway of $o"
    chmod 600 "$udir"/msp/keystore/* "$udir"/tls/client.key
    ln -s "$udir" "$wallet/$(basename "$udir")"
    if [ "$role" = regulator ]; then regulator=$(basename "$udir"); fi
    if [ "$role" = operator ]; then operator=$(basename "$udir"); fi
    if [ "$role" = admin ]; then reader=$(basename "$udir"); fi
  done < <(gateway_roles)
  [ -n "$regulator" ] || die "no regulator in $DL_NETWORK/identities.env for the market index of $o"
  [ -n "$operator" ] || die "no operator in $DL_NETWORK/identities.env to close the trades sales left waiting in $o"
  chmod 600 "$(gateway_crypto "$o")/tls/server.key"
  for d in $ORGS; do
    client_cas+=("$(orgval "$d" MSPID)=$(org_ca "$d")" "$(orgval "$d" MSPID)=$(org_tlsca "$d")")
  done
  # Client certificates of the own org's CAs map to wallet members; those of other orgs are answered 403. Which of
  # the own org's CAs issues its members' identities the org's MSP folder says (tls.orgMSP: msp/cacerts, the TLS CA
  # apart in msp/tlscacerts), so that a member who signs itself is recognised whatever the wallet holds. The
  # gateway reads the channel's blocks and events as the org's admin (the channel lets no member read them) and
  # closes the indices' periods as its regulator and the trades a sale left waiting as its operator; it onboards members at the org's CA as a registrar that may
  # register client identities with the deltaledger.* attributes only (scripts/lib/ca.sh).
  "$DL_GW_BIN" config write --out "$dir/gateway.yaml" \
    --comment "From network/network.env by scripts/lib/gateway.sh on every \`make up\` (gateway/README.md)." \
    --listen "$(org_host "$o"):$(orgval "$o" GATEWAY_PORT)" --msp-id "$(orgval "$o" MSPID)" \
    --channel "$CHANNEL_NAME" --chaincode "$CHAINCODE_NAME" --wallet "$wallet" --api-keys "$dir/apikeys.json" \
    --tls-cert "$(gateway_crypto "$o")/tls/server.crt" --tls-key "$(gateway_crypto "$o")/tls/server.key" \
    --tls-client-cas "$(IFS=,; echo "${client_cas[*]}")" --tls-org-msp "$(org_dir "$o")/msp" \
    --peer-address "$(peer_address "$o")" --peer-tls-ca-cert "$(org_tlsca "$o")" \
    --idempotency-file "$dir/idempotency.jsonl" \
    --peer-reader "$reader" --index-enabled=true --index-path "$dir/market-index.db" --indices-member "$regulator" \
    --closer-member "$operator" \
    --ca-url "$(ca_url "$o")" --ca-tls-ca-cert "$(ca_server_cert "$o")" --ca-registrar "$(gateway_crypto "$o")/registrar/msp" \
    --log-level info || die "writing the configuration of gateway-$o failed"
}

# Writes network/.state/gateways/demo-keys.env (mode 600), a file to source in bash: per org <ORG>_GW (the URL),
# <ORG>_CA (the TLS CA certificate to verify the gateway with), <ORG>_CA_URL (the region's Fabric CA, where members
# re-enroll) and <ORG>_<ROLE>_KEY (an API key of each member:
# ADMIN, OPERATOR, HOLDER, ...). `deltaledger-gateway apikey ensure` keeps each key of an earlier run that is still
# valid for more than 14 days and creates the missing, revoked or expiring ones (valid 90 days, the default lifetime).
write_demo_keys() {
  local file tmp note o role user var key created
  local -A old=()
  file=$(demo_keys_file)
  if [ -f "$file" ]; then
    while IFS='=' read -r var key; do
      [[ $var == *_KEY ]] && old[$var]=$key
    done <"$file"
  fi
  rm -f "$DL_GATEWAYS"/.demo-keys.* # left by a run that failed
  tmp=$(mktemp "$DL_GATEWAYS/.demo-keys.XXXXXX")
  note=$(mktemp "$DL_GATEWAYS/.demo-keys.XXXXXX")
  chmod 600 "$tmp"
  {
    echo "# Demo API keys of the local gateways, written by scripts/up.sh (kept until \`make clean\`). In bash:"
    echo "#   source $file"
    echo "#   curl --cacert \"\$SHANGHAI_CA\" -H \"Authorization: Bearer \$SHANGHAI_HOLDER_KEY\" \"\$SHANGHAI_GW/v1/participants/me\""
    for o in $ORGS; do
      echo
      printf '%s=%q\n' "${o^^}_GW" "$(gateway_url "$o")" "${o^^}_CA" "$(org_tlsca "$o")" "${o^^}_CA_URL" "$(ca_url "$o")"
      while read -r role user; do
        var=${o^^}_${role^^}_KEY
        key=$(printf '%s\n' "${old[$var]:-}" | "$DL_GW_BIN" apikey ensure --config "$(gateway_config "$o")" \
          --member "$user@$(org_domain "$o")" --label "demo $role (make up)" 2>>"$note") ||
          die "apikey ensure for $user of $o failed: $(cat "$note")"
        printf '%s=%s\n' "$var" "$key"
      done < <(gateway_roles)
    done
  } >"$tmp"
  mv "$tmp" "$file"
  created=$(grep -c '^created API key' "$note" || true)
  rm -f "$note"
  if [ "$created" -gt 0 ]; then log "created $created demo API keys"; fi
}

# The local settings of the gateways, which `make up` never rewrites (git-ignored, kept by `make clean`):
# network/gateway.env for every org's gateway and network/gateway-<org>.env for one org's (read after it), both
# optional, hold DLGW_* variables of the gateway's configuration (`bin/deltaledger-gateway serve --help` names them
# all), one NAME=value per line, # for comments. For example, to halve every member's write budget:
#   DLGW_LIMITS_WRITE_RATE_PER_SECOND=50
# They override gateway.yaml; a gateway whose settings changed is restarted by the next `make up`.
gateway_env_files() { printf '%s\n' "$DL_NETWORK/gateway.env" "$DL_NETWORK/gateway-$1.env"; }

# Sets DL_GW_ENV to the DLGW_NAME=value settings of ORG's local files, in order.
read_gateway_env() {
  local f line
  DL_GW_ENV=()
  while read -r f; do
    [ -f "$f" ] || continue
    while IFS= read -r line || [ -n "$line" ]; do
      line=${line%$'\r'}
      [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
      [[ $line =~ ^DLGW_[A-Z0-9_]+=.*$ ]] || die "$f: '$line' is not a DLGW_NAME=value line (serve --help names the settings)"
      DL_GW_ENV+=("$line")
    done <"$f"
  done < <(gateway_env_files "$1")
}

# gateway_digests ORG: the two digests of ORG's gateway configuration as the gateway itself reads it (`config
# digest`: gateway.yaml, then ORG's local settings, the environment proc_start gives it): of every setting, and of
# those that take effect only on a restart (all but tls.clientCAs and tls.orgMSP, which it reloads on SIGHUP).
gateway_digests() {
  env -i PATH="$PATH" HOME="$HOME" "${DL_GW_ENV[@]}" "$DL_GW_BIN" config digest --config "$(gateway_config "$1")"
}

# Starts ORG's gateway, or restarts it when its binary, configuration or local settings changed since it was
# started; when only its tls.clientCAs changed (a region joined, scripts/add-region.sh), it is not restarted but
# signalled to reload them (reload_gateway), so that its clients and event streams go on. $DL_RUN/gateway-ORG.stamp
# holds the hash of all of these, then the hash of those but the client CAs.
DL_GW_BIN_SUM=
start_gateway() {
  local o=$1 name="gateway-$1" all stamp restart was_stamp= was_restart=
  [ -n "$DL_GW_BIN_SUM" ] || DL_GW_BIN_SUM=$(sha256sum "$DL_GW_BIN" | cut -c1-64)
  read_gateway_env "$o"
  read -r all restart < <(gateway_digests "$o") && [ -n "$restart" ] ||
    die "$DL_GW_BIN config digest could not read the configuration of $name: $(gateway_digests "$o" 2>&1)"
  stamp=$(echo "$DL_GW_BIN_SUM $all" | sha256sum | cut -c1-16)
  restart=$(echo "$DL_GW_BIN_SUM $restart" | sha256sum | cut -c1-16)
  read -r was_stamp was_restart 2>/dev/null <"$DL_RUN/$name.stamp" || true
  if proc_pid "$name" >/dev/null; then
    [ "$was_stamp" != "$stamp" ] || return 0
    if [ "$was_restart" = "$restart" ]; then
      reload_gateway "$o"
      printf '%s %s\n' "$stamp" "$restart" >"$DL_RUN/$name.stamp"
      return 0
    fi
  fi
  proc_stop "$name"
  proc_start "$name" "${DL_GW_ENV[@]}" "$DL_GW_BIN" serve --config "$(gateway_config "$o")"
  printf '%s %s\n' "$stamp" "$restart" >"$DL_RUN/$name.stamp"
  log "started $name on $(gateway_url "$o")"
}

# reload_gateway ORG: SIGHUP to ORG's running gateway (proc_signal: the process its PID file means), which reads
# tls.clientCAs again; then waits until its listener accepts a client certificate of every org's two CAs (each
# org's Admin's enrollment and TLS certificates), so that what follows may rely on it.
reload_gateway() {
  local o=$1 pid
  pid=$(proc_pid "gateway-$o") || die "gateway-$o does not run"
  proc_signal "gateway-$o" HUP || die "gateway-$o could not be signalled to reload tls.clientCAs"
  retry 30 "gateway-$o to trust the client CAs of $ORGS" trusts_every_org "$o" ||
    die "gateway-$o (pid $pid) did not reload tls.clientCAs (log: $DL_LOGS/gateway-$o.log)"
  log "gateway-$o (pid $pid, not restarted) reloaded tls.clientCAs: it trusts the client CAs of $ORGS"
}

# trusts_every_org ORG: ORG's gateway completes a TLS handshake with a client certificate of each org's CA and TLS
# CA (any HTTP answer will do: the handshake is what is checked; without a trusted CA it is refused).
trusts_every_org() {
  local o=$1 d admin
  for d in $ORGS; do
    admin=$(user_dir "$d" Admin)
    curl -s -o /dev/null --max-time 5 --cacert "$(org_tlsca "$o")" --cert "$admin/tls/client.crt" \
      --key "$admin/tls/client.key" "$(gateway_url "$o")/readyz" || return 1
    curl -s -o /dev/null --max-time 5 --cacert "$(org_tlsca "$o")" --cert "$admin/msp/signcerts/cert.pem" \
      --key "$admin/msp/keystore/priv_sk" "$(gateway_url "$o")/readyz" || return 1
  done
}

# gateway_ready ORG: /readyz answers 200 (the gateway reaches its peer and the chaincode answers).
gateway_ready() {
  curl -sf --max-time 5 --cacert "$(org_tlsca "$1")" "$(gateway_url "$1")/readyz" >/dev/null
}
