#!/usr/bin/env bash
# Faults and repairs of single processes of the running network, by their PID files (never by name), for the fault
# test (`make chaos`, network/chaos) and for operators:
#
#   scripts/node.sh kill NAME...       SIGKILL (kill -9): no shutdown, as a crash or a power cut would do
#   scripts/node.sh restart NAME...    start again with the command it was last started with; a running one is left
#   scripts/node.sh pause NAME...      SIGSTOP: it holds its connections and answers nothing
#   scripts/node.sh resume NAME...     SIGCONT
#   scripts/node.sh isolate REGION     cut REGION off from the other regions: on a network of sites its site's link
#                                      goes down (a partition); on one host, where there is no link, its ordering
#                                      node, peer, chaincode service and gateway are paused (its CA runs on)
#   scripts/node.sh rejoin REGION      undo isolate
#
# NAME is a process of `make status` (orderer-shanghai, peer-jiangsu, chaincode-zhejiang, gateway-anhui). A PID
# file that does not name this checkout's process is refused with the reason (scripts/lib/common.sh).
# chaincode-<org> means the org's chaincode service of the committed definition, on whichever of its two ports it
# serves (chaincode-next-<org> after an odd number of upgrades: scripts/lib/deploy.sh); chaincode-next-<org> names
# the service on the second port itself.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# own NAME: the PID of this checkout's running process NAME, or die with the reason.
own() {
  proc_check "$1" || die "$1 is not running${DL_PROC_WHY:+: $DL_PROC_WHY}"
  printf '%s' "$DL_PROC_PID"
}

region_procs() {
  local o
  o=$(org_key "$1") || exit 2
  printf '%s\n' "orderer-$o" "peer-$o" "$(serving_chaincode "$o")" "gateway-$o"
}

# resolve NAME: the process NAME means (chaincode-<org>: serving_chaincode).
resolve() {
  local o=${1#chaincode-}
  if [[ $1 == chaincode-* ]] && [[ " $ORGS " == *" $o "* ]]; then serving_chaincode "$o"; else printf '%s\n' "$1"; fi
}

signal() {
  local sig=$1 name pid
  shift
  for name in "$@"; do
    pid=$(own "$name")
    kill "-$sig" "$pid"
    log "$name (pid $pid): SIG$sig"
  done
}

cmd=${1:-}
[ $# -ge 2 ] || usage
shift
if [ "$cmd" != isolate ] && [ "$cmd" != rejoin ]; then
  names=()
  for name in "$@"; do names+=("$(resolve "$name")"); done
  set -- "${names[@]}"
fi
case $cmd in
  kill)
    for name in "$@"; do
      pid=$(own "$name")
      kill -KILL "$pid"
      # The PID file and the command stay, for restart.
      retry 10 "$name (pid $pid) to exit" eval '! pid_running "$pid"' || die "$name survived SIGKILL"
      log "$name (pid $pid) killed"
    done
    ;;
  restart)
    for name in "$@"; do
      if proc_pid "$name" >/dev/null; then
        log "$name is running"
        continue
      fi
      proc_restart "$name"
      proc_pid "$name" >/dev/null || die "$name exited at start; end of $DL_LOGS/$name.log: $(tail -n 5 "$DL_LOGS/$name.log")"
      log "$name restarted (pid $(proc_pid "$name"))"
    done
    ;;
  pause) signal STOP "$@" ;;
  resume) signal CONT "$@" ;;
  isolate | rejoin)
    if site_mode; then
      o=$(org_key "$1") || exit 2
      state=down
      [ "$cmd" = isolate ] || state=up
      ip -n "$(wan_ns)" link set "$(site_link "$o")" "$state" || die "could not set the link of $o's site $state"
      log "$o's site: link $state"
    else
      mapfile -t procs < <(region_procs "$1")
      sig=STOP
      [ "$cmd" = isolate ] || sig=CONT
      signal "$sig" "${procs[@]}"
    fi
    ;;
  *) usage ;;
esac
