# shellcheck shell=bash
# Shared by the network scripts: paths, the values of network/network.env and network/identities.env, the
# layout of the generated state, process start/stop by PID file, waiting, and phase timing.
# Source it (scripts/lib/env.sh does); it sets no shell options, so it is safe in an interactive shell.

DL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DL_NETWORK=$DL_ROOT/network
DL_BIN=$DL_ROOT/bin
# Everything generated at run time (crypto, blocks, node configs, ledgers, logs, PID files): git-ignored.
DL_STATE=$DL_NETWORK/.state
DL_STATE_REAL=$(realpath -m "$DL_STATE")
DL_LOGS=$DL_STATE/logs
DL_RUN=$DL_STATE/run
DL_ORGS_DIR=$DL_STATE/organizations/peerOrganizations

# shellcheck source=network/network.env
source "$DL_NETWORK/network.env"
# shellcheck source=network/identities.env
source "$DL_NETWORK/identities.env"

# Regions added to the running network (scripts/add-region.sh): their values, and ORGS with them.
DL_REGIONS_ENV=$DL_STATE/regions.env
# shellcheck source=/dev/null
[ ! -f "$DL_REGIONS_ENV" ] || source "$DL_REGIONS_ENV"

# Site mode (scripts/lib/sites.sh): each region's address and certificate hosts, when this network runs on sites.
DL_SITES_REQUESTED=${SITES:-}
SITES=
# shellcheck source=/dev/null
[ ! -f "$DL_STATE/sites.env" ] || source "$DL_STATE/sites.env"

case ":$PATH:" in *":$DL_BIN:"*) ;; *) PATH=$DL_BIN:$PATH ;; esac

# ---------------------------------------------------------------------------------------------------------------
# Organisations: `orgval shanghai PEER_PORT` prints SHANGHAI_PEER_PORT from network.env.
orgval() {
  local name=${1^^}_$2
  if [ -z "${!name+x}" ]; then
    echo "network.env has no $name" >&2
    return 1
  fi
  printf '%s' "${!name}"
}

# Accepts "shanghai" or "ShanghaiMSP"; prints the org key used in network.env ("shanghai").
org_key() {
  local o
  for o in $ORGS; do
    if [ "$1" = "$o" ] || [ "$1" = "$(orgval "$o" MSPID)" ]; then
      printf '%s' "$o"
      return 0
    fi
  done
  echo "unknown org '$1' (one of: $ORGS)" >&2
  return 1
}

org_domain() { orgval "$1" DOMAIN; }
org_dir() { printf '%s/%s' "$DL_ORGS_DIR" "$(org_domain "$1")"; }
# The certificates of the org's two CAs (scripts/lib/ca.sh): the CA of its MSP identities and its TLS CA.
org_ca() { printf '%s/ca/ca.%s-cert.pem' "$(org_dir "$1")" "$(org_domain "$1")"; }
org_tlsca() { printf '%s/tlsca/tlsca.%s-cert.pem' "$(org_dir "$1")" "$(org_domain "$1")"; }
peer_host() { printf 'peer0.%s' "$(org_domain "$1")"; }
orderer_host() { printf 'orderer.%s' "$(org_domain "$1")"; }
chaincode_host() { printf 'ccaas.%s' "$(org_domain "$1")"; }
gateway_host() { printf 'gateway.%s' "$(org_domain "$1")"; }
peer_crypto() { printf '%s/peers/%s' "$(org_dir "$1")" "$(peer_host "$1")"; }
orderer_crypto() { printf '%s/orderers/%s' "$(org_dir "$1")" "$(orderer_host "$1")"; }
chaincode_crypto() { printf '%s/peers/%s' "$(org_dir "$1")" "$(chaincode_host "$1")"; }
# The REST gateway's listener certificate: tls/server.{crt,key}, issued by the org's TLS CA.
gateway_crypto() { printf '%s/peers/%s' "$(org_dir "$1")" "$(gateway_host "$1")"; }
# The user name of "Admin", "User3" or a role of identities.env ("buyer" -> User3).
user_name() {
  local role=ROLE_${1^^}
  if [ -n "${!role+x}" ]; then printf '%s' "${!role}"; else printf '%s' "$1"; fi
}
user_dir() { printf '%s/users/%s@%s' "$(org_dir "$1")" "$(user_name "$2")" "$(org_domain "$1")"; }
# admin_tls ORG: the org Admin's pinned TLS client certificate and key, without .crt/.key: the one client
# certificate the ordering node's admin endpoint trusts, and the nodes' operations endpoints beside monitoring_tls
# (network/enroll, AdminTLSPin: self-signed, not of the org's TLS CA, which also certifies every user's, the
# gateway's and every node's TLS certificate, while these endpoints authenticate by the TLS handshake alone).
admin_tls() { printf '%s/tls/admin' "$(user_dir "$1" Admin)"; }
# monitoring_tls ORG: the org's monitoring reader's pinned TLS client certificate and key, without .crt/.key, which
# Prometheus presents (scripts/lib/monitoring.sh): the nodes' operations endpoints trust it beside admin_tls, the
# ordering node's admin endpoint does not (network/enroll, MonitoringTLSPin, MonitoringTLSDir).
monitoring_tls() { printf '%s/monitoring/tls/monitoring' "$(org_dir "$1")"; }
# chaincode_client_tls ORG: the peer's pinned TLS client certificate and key for its chaincode services, without
# .crt/.key: the one client certificate they trust (network/enroll, ChaincodeClientTLSPin; write_ccaas_package).
chaincode_client_tls() { printf '%s/tls/chaincode-client' "$(peer_crypto "$1")"; }
# org_host ORG: the address ORG's processes listen on and clients dial: <ORG>_HOST of site mode, else HOST.
org_host() {
  local own=${1^^}_HOST
  printf '%s' "${!own:-$HOST}"
}
# endpoint_host ORG NAME: the host by which the network's nodes and clients dial ORG's node NAME: in site mode the
# node's name (its TLS certificate's, resolved by the sites' hosts files), else HOST.
endpoint_host() { if [ "${SITES:-}" = 1 ]; then printf '%s' "$2"; else org_host "$1"; fi; }
peer_address() { printf '%s:%s' "$(endpoint_host "$1" "$(peer_host "$1")")" "$(orgval "$1" PEER_PORT)"; }
orderer_address() { printf '%s:%s' "$(endpoint_host "$1" "$(orderer_host "$1")")" "$(orgval "$1" ORDERER_PORT)"; }

# Process names (PID files, logs, node state folders): ca-shanghai, orderer-shanghai, peer-shanghai,
# chaincode-shanghai, gateway-shanghai.
node_dir() { printf '%s/nodes/%s' "$DL_STATE" "$1"; }

# ---------------------------------------------------------------------------------------------------------------
# Output and timing.
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}
now_ms() { date +%s%3N; }
fmt_ms() { printf '%d.%02ds' "$(($1 / 1000))" "$((($1 % 1000) / 10))"; }

DL_PHASES=()
DL_PHASE_NAME=
DL_PHASE_START=
phase() {
  phase_end
  DL_PHASE_NAME=$1
  DL_PHASE_START=$(now_ms)
  log "== $1"
}
phase_end() {
  [ -n "$DL_PHASE_NAME" ] || return 0
  local took=$(($(now_ms) - DL_PHASE_START))
  DL_PHASES+=("$(printf '%-10s %8s' "$DL_PHASE_NAME" "$(fmt_ms "$took")")")
  log "   $DL_PHASE_NAME took $(fmt_ms "$took")"
  DL_PHASE_NAME=
}
phase_summary() {
  phase_end
  local p
  for p in "${DL_PHASES[@]}"; do printf '  %s\n' "$p" >&2; done
}

# ---------------------------------------------------------------------------------------------------------------
# Processes. Each started process has $DL_RUN/<name>.pid, one line "<pid> <start> <boot> <executable>": its start
# time (clock ticks after boot, /proc/<pid>/stat field 22), the boot it was started in
# (/proc/sys/kernel/random/boot_id) and its executable's canonical path. A PID file may lie: a copy of the
# checkout carries its original's files, and after a reboot a stale file can name an unrelated process. So a PID
# counts as this checkout's only while all of these hold: the executable is under this checkout, the process still
# runs it, and it started in the same boot at the same tick as recorded. Nothing else is ever signalled.
DL_ROOT_REAL=$(realpath "$DL_ROOT")

# proc_start_time PID: the process's start time in clock ticks after boot.
proc_start_time() {
  local stat fields
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  read -ra fields <<<"${stat##*) }" # field 3 (state) onwards: the command name may hold spaces and parentheses
  printf '%s' "${fields[19]}"
}
# The boot this shell runs in.
read -r DL_BOOT_ID </proc/sys/kernel/random/boot_id

# proc_exe PID: the executable the process runs ("(deleted)" dropped: a rebuilt binary is still the same program).
proc_exe() {
  local exe
  exe=$(readlink "/proc/$1/exe" 2>/dev/null) || return 1
  printf '%s' "${exe% (deleted)}"
}

# proc_check NAME: succeeds when the process NAME's PID file means runs, its PID in DL_PROC_PID. Otherwise fails,
# with the reason in DL_PROC_WHY ("" when there is no PID file or its process has exited: nothing to explain).
# A file of the older form "<pid> <executable>" (a network started before start times were recorded) is accepted
# on the executable alone.
DL_PROC_PID= DL_PROC_WHY=
proc_check() {
  local file=$DL_RUN/$1.pid pid start boot exe actual now
  DL_PROC_PID= DL_PROC_WHY=
  [ -f "$file" ] || return 1
  read -r pid start boot exe <"$file" || true
  if [[ $start == /* ]]; then # the older form
    read -r pid exe <"$file" || true
    start= boot=
  fi
  if ! [[ $pid =~ ^[0-9]+$ && $exe == /* ]]; then
    DL_PROC_WHY="$file is not a PID file of these scripts (\"<pid> <start> <boot> <executable>\")"
    return 1
  fi
  pid_running "$pid" || return 1
  if [[ $exe != "$DL_ROOT_REAL"/* ]]; then
    DL_PROC_WHY="pid $pid is $exe of another checkout; $file was copied from there"
    return 1
  fi
  if [ -n "$boot" ] && [ "$boot" != "$DL_BOOT_ID" ]; then
    DL_PROC_WHY="$file is from before the last reboot; pid $pid is another process now"
    return 1
  fi
  actual=$(proc_exe "$pid") || actual="a program this user may not inspect"
  if [ "$actual" != "$exe" ]; then
    DL_PROC_WHY="pid $pid runs $actual, not $exe: $file is stale and the number was reused"
    return 1
  fi
  local stat fields # proc_start_time, without a subshell: make up checks every process a few times
  read -r stat 2>/dev/null <"/proc/$pid/stat" || return 1
  read -ra fields <<<"${stat##*) }"
  now=${fields[19]}
  if [ -n "$start" ] && [ "$now" != "$start" ]; then
    DL_PROC_WHY="pid $pid runs $exe but started at tick $now after boot, not at tick $start as $file records: it is another run of that program"
    return 1
  fi
  DL_PROC_PID=$pid
}

# proc_pid NAME: prints the PID of this checkout's running process NAME (see proc_check); fails silently otherwise.
proc_pid() { proc_check "$1" && printf '%s' "$DL_PROC_PID"; }

# proc_start NAME [VAR=VALUE...] EXECUTABLE [ARGS...]: starts it in the background, detached from the caller's
# environment (only PATH, HOME and the given variables), output appended to $DL_LOGS/NAME.log, and writes its PID
# file, and the whole command in $DL_RUN/NAME.args for proc_restart. EXECUTABLE must be under this checkout (what
# make down may stop). In site mode a process NAME ending in -<org> runs in that region's site, one ending in -wan
# in the wan namespace (`ip netns exec` execs, so the PID is the program's); a process of a region's bundle runs
# the command of its unit installed at the site (site_process, site_install: the command given is what the bundle's
# unit is made from; DL_SITE_KEEP=1 runs the installed unit as it is). Returns once the process runs EXECUTABLE (or
# has exited), so that proc_pid recognises it from then on.
proc_start() {
  local name=$1 envs=() pid i at=() dir=. home=$HOME path=$PATH
  shift
  mkdir -p "$DL_RUN"
  printf '%s\0' "$@" >"$DL_RUN/$name.args"
  if site_process "$name"; then
    [ "${DL_SITE_KEEP:-}" = 1 ] || site_install "${name##*-}"
    site_unit "$name"
    set -- "${DL_UNIT_CMD[@]}"
    dir=${DL_UNIT_DIR:-/}
    home=$(site_prefix "${name##*-}")
    path=$home/bin:/usr/local/bin:/usr/bin:/bin
  fi
  while [[ $1 == *=* ]]; do
    envs+=("$1")
    shift
  done
  local exe
  exe=$(realpath "$1") || die "$name: no executable $1"
  shift
  [[ $exe == "$DL_ROOT_REAL"/* ]] || die "$name: $exe is not under this checkout; copy it into $DL_BIN"
  mkdir -p "$DL_LOGS" "$DL_RUN"
  # The logs name members and what they asked for (a gateway logs every request): the network's user's alone.
  chmod 700 "$DL_LOGS"
  if [ "${SITES:-}" = 1 ] && [ "${name##*-}" = wan ]; then
    at=(ip netns exec "$(wan_ns)")
  elif [ "${SITES:-}" = 1 ] && org_key "${name##*-}" >/dev/null 2>&1; then
    at=(ip netns exec "$(site_ns "${name##*-}")")
  fi
  printf -- '---- %s start %s\n' "$(date -Is)" "$name" >>"$DL_LOGS/$name.log"
  (cd "$dir" && exec "${at[@]}" env -i PATH="$path" HOME="$home" "${envs[@]}" "$exe" "$@") </dev/null \
    >>"$DL_LOGS/$name.log" 2>&1 9<&- &
  pid=$!
  # The fork's start time is the program's: exec keeps it.
  printf '%s %s %s %s\n' "$pid" "$(proc_start_time "$pid" || echo 0)" "$DL_BOOT_ID" "$exe" >"$DL_RUN/$name.pid"
  for ((i = 0; i < 100; i++)); do
    [ "$(proc_exe "$pid")" != "$exe" ] && pid_running "$pid" || break
    sleep 0.05
  done
}

# proc_restart NAME: starts NAME again with the command it was last started with (after a crash or a kill).
proc_restart() {
  local args=() config=
  [ -f "$DL_RUN/$1.args" ] || die "$1 was never started here (no $DL_RUN/$1.args); run make up"
  mapfile -d '' args <"$DL_RUN/$1.args"
  [ ! -f "$DL_RUN/$1.config" ] || config=$(sed -n 3p "$DL_RUN/$1.config") # the files of its configuration
  DL_SITE_KEEP=1 proc_start "$1" "${args[@]}"
  # shellcheck disable=SC2086 # the record's files, one word each
  [ -z "$config" ] || record_config "$1" $config
}

# proc_signal NAME SIGNAL: sends SIGNAL (e.g. HUP) to this checkout's process NAME, the one its PID file means
# (proc_check); fails, saying why, when there is none.
proc_signal() {
  if ! proc_check "$1"; then
    log "not signalling $1: ${DL_PROC_WHY:-it does not run}"
    return 1
  fi
  kill -s "$2" "$DL_PROC_PID"
}

# pid_running PID: the process exists and is not a zombie (this machine's init reaps orphans only every few
# seconds, and `kill -0` succeeds on a zombie).
pid_running() {
  local stat
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# proc_stop NAME...: SIGTERM to each running one, wait up to 20s for all, then SIGKILL what is left. A PID file
# that does not name this checkout's process (proc_check) is refused with the reason, and removed.
proc_stop() {
  local name pids=() starts=() names=() i
  for name in "$@"; do
    if proc_check "$name"; then
      starts+=("$(proc_start_time "$DL_PROC_PID")")
      kill -TERM "$DL_PROC_PID" 2>/dev/null || true
      pids+=("$DL_PROC_PID")
      names+=("$name")
    elif [ -n "$DL_PROC_WHY" ]; then
      log "not stopping $name: $DL_PROC_WHY"
    fi
  done
  # still_running I: the I-th process signalled has not exited (and its PID was not reused meanwhile).
  still_running() { pid_running "${pids[$1]}" && [ "$(proc_start_time "${pids[$1]}")" = "${starts[$1]}" ]; }
  for ((i = 0; i < 200; i++)); do
    local alive=0 j
    for j in "${!pids[@]}"; do still_running "$j" && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for i in "${!pids[@]}"; do
    if still_running "$i"; then
      log "${names[$i]} (pid ${pids[$i]}) did not stop in 20s: SIGKILL"
      kill -KILL "${pids[$i]}" 2>/dev/null || true
    fi
  done
  for name in "$@"; do rm -f "$DL_RUN/$name.pid"; done
}

# Names of all processes the scripts manage, in start order (probe-<org> and bench-gateway-<org> run only while
# scripts/bench.sh runs; of chaincode-<org> and chaincode-next-<org>, the services on an org's two chaincode ports,
# one runs, both while an upgrade runs: serving_chaincode).
all_procs() {
  local o
  for o in $ORGS; do printf 'ca-%s\n' "$o"; done
  for o in $ORGS; do printf 'orderer-%s\n' "$o"; done
  for o in $ORGS; do printf 'peer-%s\n' "$o"; done
  for o in $ORGS; do printf 'chaincode-%s\n' "$o"; done
  for o in $ORGS; do printf 'chaincode-next-%s\n' "$o"; done
  for o in $ORGS; do printf 'gateway-%s\n' "$o"; done
  for o in $ORGS; do printf 'probe-%s\n' "$o"; done
  for o in $ORGS; do printf 'bench-gateway-%s\n' "$o"; done
}

# serving_chaincode ORG: the name of ORG's chaincode service of the committed definition: chaincode-<org> on
# <ORG>_CHAINCODE_PORT or chaincode-next-<org> on <ORG>_CHAINCODE_NEXT_PORT, as the last deployment recorded it
# (scripts/lib/deploy.sh, retire_former_services); chaincode-<org> before any.
serving_chaincode() {
  local name
  read -r name 2>/dev/null <"$DL_RUN/chaincode-$1.serving" || name=
  [[ $name == chaincode-"$1" || $name == chaincode-next-"$1" ]] || name=chaincode-$1
  printf '%s\n' "$name"
}

# ops_get ORG PORT_KEY PATH: GET on an operations endpoint (https) of ORG as its Admin, e.g.
# `ops_get shanghai PEER_OPERATIONS_PORT /metrics`.
ops_get() {
  local tls
  tls=$(admin_tls "$1")
  curl -sf --cacert "$(org_tlsca "$1")" --cert "$tls.crt" --key "$tls.key" \
    "https://$(org_host "$1"):$(orgval "$1" "$2")$3"
}

# lock_network: one network script (up, down, clean, deploy) at a time; a second one waits. The lock is a flock
# on network.env held through fd 9 (closed for the started processes); scripts run by a locked script inherit it.
lock_network() {
  [ -z "${DL_NETWORK_LOCKED:-}" ] || return 0
  exec 9<"$DL_NETWORK/network.env"
  if ! flock -n 9; then
    log "waiting for another network script to finish"
    flock 9
  fi
  export DL_NETWORK_LOCKED=1
}

# ---------------------------------------------------------------------------------------------------------------
# What an earlier `make up` did, so that running it again on a running network skips it (README "Timings").
# A step that only writes files from other files records the SHA-256 of its inputs and outputs; while they are byte
# for byte the same, there is nothing to write. A fact checked on running processes (a node joined the channel,
# the chaincode answers through a peer) is recorded with those processes' PID file lines (proc_check: one run of
# a program); while the very same runs go on, it still holds.

# files_sum FILE...: the SHA-256 of the files' contents, in order (a missing file counts as such).
files_sum() { { cat -- "$@" 2>/dev/null || echo missing; } | sha256sum | cut -c1-64; }

# files_unchanged STEP FILE...: the files are as files_recorded STEP FILE... left them.
files_unchanged() {
  local step=$1 was
  shift
  read -r was 2>/dev/null <"$DL_RUN/$step.files" || return 1
  [ "$was" = "$(files_sum "$@")" ]
}
files_recorded() {
  local step=$1
  shift
  files_sum "$@" >"$DL_RUN/$step.files"
}

# runs_of NAME...: the PID file lines of the running processes NAME..., on one line; fails if one does not run.
runs_of() {
  local name line runs=
  for name in "$@"; do
    proc_check "$name" || return 1
    read -r line <"$DL_RUN/$name.pid" || return 1
    runs+="$line;"
  done
  printf '%s' "$runs"
}

# seen FACT NAME...: FACT was recorded (record_seen FACT NAME...) on these very runs of the processes NAME....
seen() {
  local fact=$1 was now
  shift
  read -r was 2>/dev/null <"$DL_RUN/$fact.seen" || return 1
  now=$(runs_of "$@") || return 1
  [ "$was" = "$now" ]
}
record_seen() {
  local fact=$1 now
  shift
  now=$(runs_of "$@") || return 0
  printf '%s\n' "$now" >"$DL_RUN/$fact.seen"
}

# node_files KIND ORG: the files ORG's node KIND (orderer or peer) reads only at start, one word each: its
# configuration file and the pinned certificates it names, the admin's and the monitoring reader's (record_config,
# stop_if_reconfigured).
node_files() {
  local file=core.yaml
  [ "$1" != orderer ] || file=orderer.yaml
  printf '%s %s %s' "$(node_dir "$1-$2")/$file" "$(admin_tls "$2").crt" "$(monitoring_tls "$2").crt"
}
# record_config NAME FILE...: the running process NAME reads the configuration the files hold now (it was just
# started): its configuration file and what that names and the process reads only at start, such as the
# certificates it trusts. proc_restart records it again for the new run.
record_config() {
  local name=$1 now
  shift
  now=$(runs_of "$name") || return 0
  printf '%s\n%s\n%s\n' "$now" "$(files_sum "$@")" "$*" >"$DL_RUN/$name.config"
}
# stop_if_reconfigured NAME FILE...: stops the running process NAME unless it was started with the configuration
# the files hold now (record_config), so that the start that follows runs it with the new one: a node reads its
# configuration only at start. A process started without a record (by an older version of the scripts) is stopped
# too.
stop_if_reconfigured() {
  local name=$1 now
  shift
  now=$(runs_of "$name") || return 0
  [ "$(cat "$DL_RUN/$name.config" 2>/dev/null)" != "$(printf '%s\n%s\n%s' "$now" "$(files_sum "$@")" "$*")" ] || return 0
  log "restarting $name: its configuration changed since it started"
  proc_stop "$name"
}

# ---------------------------------------------------------------------------------------------------------------
# Waiting.
tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# retry SECONDS DESCRIPTION COMMAND...: runs COMMAND every 0.2s until it succeeds or SECONDS pass. A COMMAND that
# exits 2 says waiting is pointless (a process died): retry gives up at once.
retry() {
  local secs=$1 what=$2 deadline rc
  shift 2
  deadline=$(($(now_ms) + secs * 1000))
  while true; do
    rc=0
    "$@" || rc=$?
    [ "$rc" = 0 ] && return 0
    [ "$rc" = 2 ] && return 1
    if [ "$(now_ms)" -ge "$deadline" ]; then
      log "timed out after ${secs}s waiting for $what"
      return 1
    fi
    sleep 0.2
  done
}

# alive NAME: exits 2 (with the end of its log) when the managed process NAME is not running.
alive() {
  proc_pid "$1" >/dev/null && return 0
  log "$1 is not running; last lines of $DL_LOGS/$1.log:"
  tail -n 20 "$DL_LOGS/$1.log" >&2 || true
  return 2
}

# running KIND CHECK ORG: the managed process KIND-ORG runs (else exits 2, as alive does) and `CHECK ORG` succeeds
# (else exits 1): the readiness check of a process, for retry.
running() {
  alive "$1-$3" || return
  "$2" "$3" || return 1
}

# retry_each_org SECS WHAT CHECK...: runs `retry SECS WHAT CHECK... ORG` for every org of ORGS at once (ORG in WHAT is
# replaced by the org's name); fails if any org's check never passed.
retry_each_org() {
  local secs=$1 what=$2 o pids=()
  shift 2
  for o in $ORGS; do
    retry "$secs" "${what//ORG/$o}" "$@" "$o" &
    pids+=($!)
  done
  wait_all "${pids[@]}"
}

# wait_all PID...: waits for background jobs; fails if any failed.
wait_all() {
  local rc=0 pid
  for pid in "$@"; do wait "$pid" || rc=1; done
  return "$rc"
}

# shellcheck source=scripts/lib/sites.sh
source "$DL_ROOT/scripts/lib/sites.sh"
