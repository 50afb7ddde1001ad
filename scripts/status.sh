#!/usr/bin/env bash
# Shows the processes of the network (running or not, PID, ports), whether each CA answers, each ordering node's
# and peer's height of the channel, the other peers each peer sees through gossip, each REST gateway's URL and
# readiness, and the committed chaincode definition.
# Exits 1 when any process is not running. Of an org's two chaincode services (chaincode-<org> and
# chaincode-next-<org>, on its two chaincode ports), the one that does not serve the committed definition shows as
# idle, and both run only while an upgrade runs (scripts/lib/deploy.sh). A PID file naming a process this checkout did
# not start shows as stopped, with the reason.
set -euo pipefail

# shellcheck source=scripts/lib/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
# shellcheck source=scripts/lib/network.sh
source "$DL_ROOT/scripts/lib/network.sh"

# On sites that are down there is nothing to ask: the processes show as stopped.
if site_mode && ns_usable "$(office_ns)"; then to_office "$0" "$@"; fi
rc=0
printf '%-24s %-8s %-8s %-32s %s\n' PROCESS STATE PID PORTS "CHANNEL $CHANNEL_NAME"
for o in $ORGS; do
  for kind in ca orderer peer chaincode chaincode-next gateway; do
    name=$kind-$o
    case $kind in
      ca) ports="$(orgval "$o" CA_PORT) ops $(orgval "$o" CA_OPERATIONS_PORT)" ;;
      orderer) ports="$(orgval "$o" ORDERER_PORT) admin $(orgval "$o" ORDERER_ADMIN_PORT) ops $(orgval "$o" ORDERER_OPERATIONS_PORT)" ;;
      peer) ports="$(orgval "$o" PEER_PORT) ops $(orgval "$o" PEER_OPERATIONS_PORT)" ;;
      chaincode) ports="$(orgval "$o" CHAINCODE_PORT)" ;;
      chaincode-next) ports="$(orgval "$o" CHAINCODE_NEXT_PORT)" ;;
      gateway) ports="$(orgval "$o" GATEWAY_PORT)" ;;
    esac
    info=
    if proc_check "$name"; then
      state=running pid=$DL_PROC_PID
      case $kind in
        ca)
          info="$(ca_url "$o") ready"
          ca_ready "$o" || info="$(ca_url "$o") NOT answering (/cainfo)"
          ;;
        orderer)
          admin=$(admin_tls "$o")
          out=$(osnadmin channel list --channelID "$CHANNEL_NAME" -o "$(endpoint_host "$o" "$(orderer_host "$o")"):$(orgval "$o" ORDERER_ADMIN_PORT)" \
            --ca-file "$(org_tlsca "$o")" --client-cert "$admin.crt" --client-key "$admin.key" 2>&1 || true)
          info="height $(grep -o '"height": *[0-9]*' <<<"$out" | grep -o '[0-9]*$' || echo '?')"
          ;;
        peer)
          out=$( (use_org "$o" && FABRIC_LOGGING_SPEC=error peer channel getinfo -c "$CHANNEL_NAME") 2>&1 || true)
          metrics=$(ops_get "$o" PEER_OPERATIONS_PORT /metrics || true)
          known=$(grep "^gossip_membership_total_peers_known{channel=\"$CHANNEL_NAME\"}" <<<"$metrics" | awk '{print $2}' || true)
          info="height $(grep -o '"height":[0-9]*' <<<"$out" | grep -o '[0-9]*$' || echo '?'), sees ${known:-?} peers"
          ;;
        chaincode | chaincode-next)
          info="package $(cat "$DL_RUN/$name.pkg" 2>/dev/null || echo '?')"
          [ "$(serving_chaincode "$o")" = "$name" ] || info="$info (an upgrade: beside the committed package's)"
          ;;
        gateway)
          info="$(gateway_url "$o") ready"
          gateway_ready "$o" || info="$(gateway_url "$o") NOT ready (/readyz)"
          ;;
      esac
    elif [[ $kind == chaincode* ]] && [ -z "$DL_PROC_WHY" ] && [ "$(serving_chaincode "$o")" != "$name" ]; then
      state=idle pid=-
    else
      state=stopped pid=- rc=1
      # A PID file that names a process this checkout did not start (a copied checkout, a reboot).
      [ -z "$DL_PROC_WHY" ] || info="not ours: $DL_PROC_WHY"
    fi
    printf '%-24s %-8s %-8s %-32s %s\n' "$name" "$state" "$pid" "$ports" "$info"
  done
done
read -r first _ <<<"$ORGS"
if proc_pid "peer-$first" >/dev/null; then
  def=$( (use_org "$first" && FABRIC_LOGGING_SPEC=error peer lifecycle chaincode querycommitted \
    -C "$CHANNEL_NAME" -n "$CHAINCODE_NAME") 2>&1 | head -n 2 | tail -n 1 || true)
  echo "chaincode $CHAINCODE_NAME: ${def:-not committed}"
fi
echo "logs: $DL_LOGS"
[ ! -f "$(demo_keys_file)" ] || echo "gateway demo API keys: $(demo_keys_file)"
exit "$rc"
