# shellcheck shell=bash
# Site mode (`make up SITES=1`; README "Sites"): every region on a host of its own, as the four exchanges' machines
# in four cities are. Each region gets a Linux network namespace (its site, <prefix>-<org>) with one address,
# 10.77.<n>.2 (n: the region's place in ORGS, from 1), on a bridge in a namespace of its own (<prefix>-wan, the
# wide-area network between the sites). The scripts, the tests and every other client run in one more namespace on
# that bridge (<prefix>-office, 10.77.0.2; scripts/office.sh), so that nothing reaches a site except over the
# bridge. proc_start runs each process of a region in its site; it listens on the site's address only. Nodes dial
# each other by their host names (peer0.<domain>, orderer.<domain>, ccaas.<domain>, ca.<domain>, gateway.<domain>),
# which their TLS certificates carry and which resolve through /etc/netns/<namespace>/hosts (`ip netns exec`
# mounts it over /etc/hosts). <prefix> is "dl" and six hex digits of the state folder's path, so that checkouts
# (and state folders) on one machine never share a namespace.
#
# The first `make up` after `make clean` chooses the mode; site mode is written to $DL_STATE/sites.env, which
# common.sh sources after network.env (and network/fabricnet reads): SITES=1, SITES_PREFIX, and per region
# <ORG>_HOST (its site's address: where its processes listen and where clients dial it) and <ORG>_CSR_HOSTS (that
# address, so that every certificate of the region carries it beside the node's name). The namespaces this checkout
# made are listed in $DL_STATE/sites.made; `make down` deletes exactly those (after stopping the processes by their
# PID files) and their hosts files, `make up` makes them again. Needs root (ip netns, veth, bridge).
#
# Latency between the sites (`make up SITES=1 LATENCY=20ms` when the sites are made; SITES_LATENCY of sites.env):
# the kernel here has no netem, so the delay is added in user space by the wide-area link, bin/deltaledger-wan
# (network/wan), run as the process proxy-wan in the wan namespace. The bridge there carries a second address per
# region, 10.77.<n>.3, on which proxy-wan accepts the region's peer and ordering ports and forwards to 10.77.<n>.2
# with every byte delayed LATENCY each way; the hosts file of every other site resolves the region's peer and
# ordering node to that address, so that gossip, endorsement, delivery and consensus between regions cross the
# delay, while a region reaches its own nodes, and the office every node, directly.
# Each site runs from its region's bundle (scripts/bundle.sh, `make bundle`), as a machine of that region would: once
# the channel's genesis block exists, proc_start installs the region's bundle, made for PREFIX=$DL_STATE/sites/<org>,
# at that prefix (site_install) before it starts a process the bundle has a unit for (ca-, orderer-, peer-,
# chaincode-, chaincode-next-, gateway-<org>), and runs the unit's command (Environment=, ExecStart=,
# WorkingDirectory=) with PATH and HOME of the prefix: the process reads its configs, keys and join block and keeps
# its ledger, database and index under the prefix, nothing of this checkout's state. The binaries are those of bin/,
# linked into PREFIX/bin.
# Before the genesis block, a region's CA runs from this checkout's state to issue the network's identities (as a
# region's CA is set up before the consortium forms its channel); scripts/up.sh then moves it to its site. What the
# site's processes change stays the site's: an installation over a site keeps its CA databases.
# Source after common.sh.

DL_SITES_ENV=$DL_STATE/sites.env
DL_SITES_MADE=$DL_STATE/sites.made
DL_WAN_BIN=$DL_BIN/deltaledger-wan
# The sites' network: 10.77.0.0/16 on one bridge; the office is 10.77.0.2, region n is 10.77.<n>.2.
DL_SITES_NET=10.77
# The sites' installations: PREFIX of each region's bundle.
DL_SITES_DIR=$DL_STATE_REAL/sites
# The processes of a region its bundle has a unit for.
DL_SITE_KINDS="ca orderer peer chaincode chaincode-next gateway"

site_mode() { [ "${SITES:-}" = 1 ] && [ -f "$DL_SITES_ENV" ]; }
office_ns() { printf '%s-office' "$SITES_PREFIX"; }
wan_ns() { printf '%s-wan' "$SITES_PREFIX"; }
site_ns() { printf '%s-%s' "$SITES_PREFIX" "$1"; }

# write_sites_env: chooses site mode for a new network (no genesis block yet).
write_sites_env() {
  local o n=0 prefix
  prefix=dl$(printf '%s' "$DL_STATE_REAL" | sha256sum | cut -c1-6)
  mkdir -p "$DL_STATE"
  {
    echo "# Site mode, chosen by \`make up SITES=1\` (scripts/lib/sites.sh); removed by \`make clean\`."
    echo "SITES=1"
    echo "SITES_PREFIX=$prefix"
    for o in $ORGS; do
      n=$((n + 1))
      echo "${o^^}_HOST=$DL_SITES_NET.$n.2"
      echo "${o^^}_CSR_HOSTS=\"$DL_SITES_NET.$n.2\""
    done
  } >"$DL_SITES_ENV"
  # shellcheck source=/dev/null
  source "$DL_SITES_ENV"
}

# site_number ORG: the region's place in ORGS, from 1 (its addresses are 10.77.<n>.2 and, with latency, .3).
site_number() {
  local o n=0
  for o in $ORGS; do
    n=$((n + 1))
    [ "$o" != "$1" ] || { printf '%s' "$n"; return 0; }
  done
  return 1
}

# sites_hosts HOST: the hosts file of the namespace of HOST (a region, or office): each region's node names at its
# site's address; with latency, another region's peer and ordering node at its delayed address.
sites_hosts() {
  local o far
  printf '127.0.0.1\tlocalhost\n'
  for o in $ORGS; do
    far=$(org_host "$o")
    if [ -n "${SITES_LATENCY:-}" ] && [ "$1" != office ] && [ "$1" != "$o" ]; then
      far=$DL_SITES_NET.$(site_number "$o").3
    fi
    printf '%s\t%s %s\n' "$far" "$(peer_host "$o")" "$(orderer_host "$o")"
    printf '%s\t%s %s %s\n' "$(org_host "$o")" "$(chaincode_host "$o")" "ca.$(org_domain "$o")" "$(gateway_host "$o")"
  done
}

# ns_usable NS: NS exists and this process can enter it. A namespace made under another `ip netns exec` (its own
# mount namespace) leaves a name here that nothing can enter.
ns_usable() { ip netns exec "$1" true 2>/dev/null; }

# sites_up: makes the namespaces, the bridge and the links that are missing (all of them, or none: a partial set is
# removed and made again).
sites_up() {
  [ "$(id -u)" = 0 ] || die "site mode makes network namespaces, veth pairs and a bridge (ip netns): it needs root; run as root, or make clean and make up without SITES=1"
  command -v ip >/dev/null || die "site mode needs the ip command (Debian package iproute2)"
  local o n=0 ns all=() missing=0
  all=("$(wan_ns)" "$(office_ns)")
  for o in $ORGS; do all+=("$(site_ns "$o")"); done
  for ns in "${all[@]}"; do ns_usable "$ns" || missing=1; done
  [ "$missing" = 1 ] || return 0
  sites_down
  for ns in "${all[@]}"; do
    if [ -e "/run/netns/$ns" ]; then
      die "network namespace $ns exists but cannot be entered (made inside another 'ip netns exec'?); remove it with 'ip netns delete $ns' if it is this checkout's"
    fi
  done
  local wan
  wan=$(wan_ns)
  add_ns "$wan"
  ip -n "$wan" link add br0 type bridge
  ip -n "$wan" link set br0 up
  add_host "$(office_ns)" 0 office office
  for o in $ORGS; do
    n=$((n + 1))
    add_host "$(site_ns "$o")" "$n" "site$n" "$o"
    # The region's delayed address, where proxy-wan listens (used only with latency).
    ip -n "$wan" addr add "$DL_SITES_NET.$n.3/16" dev br0
  done
  log "sites: ${all[*]} on $DL_SITES_NET.0.0/16 (office $DL_SITES_NET.0.2)${SITES_LATENCY:+, $SITES_LATENCY each way between sites}"
}

# add_ns NS: makes NS (listed in sites.made first, so that sites_down removes it even if what follows fails).
add_ns() {
  echo "$1" >>"$DL_SITES_MADE"
  ip netns add "$1"
  ip -n "$1" link set lo up
}

# add_host NS N LINK HOST: a namespace with address 10.77.<N>.2/16 on eth0, linked to the bridge by the veth LINK
# of the wan namespace, and its hosts file (sites_hosts HOST).
add_host() {
  local ns=$1 n=$2 link=$3 host=$4 wan
  wan=$(wan_ns)
  add_ns "$ns"
  ip link add eth0 netns "$ns" type veth peer name "$link" netns "$wan"
  ip -n "$wan" link set "$link" master br0 up
  ip -n "$ns" addr add "$DL_SITES_NET.$n.2/16" dev eth0
  ip -n "$ns" link set eth0 up
  mkdir -p "/etc/netns/$ns"
  sites_hosts "$host" >"/etc/netns/$ns/hosts"
}

# sites_down: deletes the namespaces of sites.made (their links and bridge go with them) and their hosts files.
sites_down() {
  [ -f "$DL_SITES_MADE" ] || return 0
  local ns
  while read -r ns; do
    [[ $ns == "$SITES_PREFIX"-* ]] || continue
    if [ -e "/run/netns/$ns" ] && ! ip netns delete "$ns" 2>/dev/null && ! rm -f "/run/netns/$ns" 2>/dev/null; then
      log "could not delete network namespace $ns (made outside this mount namespace?); ip netns delete $ns removes it"
    fi
    rm -rf "/etc/netns/$ns"
  done < <(tac "$DL_SITES_MADE")
  rm -f "$DL_SITES_MADE"
}

# in_office: true when this process runs in the office namespace.
in_office() {
  [ "$(stat -L -c %i /proc/self/ns/net)" = "$(stat -L -c %i "/run/netns/$(office_ns)" 2>/dev/null)" ]
}

# office_exec COMMAND...: in site mode runs COMMAND in the office namespace (where the sites' names resolve and
# their addresses are reachable); else, or when already there, runs it here.
office_exec() {
  if site_mode && ! in_office; then
    ns_usable "$(office_ns)" ||
      die "this network runs on sites whose namespaces are not up here (make up makes them; made under another 'ip netns exec', they cannot be entered from outside it)"
    exec ip netns exec "$(office_ns)" "$@"
  fi
  exec "$@"
}

# site_link ORG: the wan namespace's end of ORG's link (isolate brings it down).
site_link() { printf 'site%s' "$(site_number "$1")"; }

# start_wan: with latency, starts proxy-wan (in the wan namespace: proc_start) on every region's delayed address,
# for its peer and ordering ports.
start_wan() {
  [ -n "${SITES_LATENCY:-}" ] || return 0
  proc_pid proxy-wan >/dev/null && return 0
  local o n key links=()
  for o in $ORGS; do
    n=$(site_number "$o")
    for key in PEER_PORT ORDERER_PORT; do
      links+=(-link "$DL_SITES_NET.$n.3:$(orgval "$o" "$key")=$DL_SITES_NET.$n.2:$(orgval "$o" "$key")")
    done
  done
  proc_start proxy-wan "$DL_WAN_BIN" -delay "$SITES_LATENCY" "${links[@]}"
  log "started proxy-wan: $SITES_LATENCY each way between sites"
}

# set_latency D: records the latency of sites about to be made (SITES_LATENCY of sites.env; 0 removes it).
set_latency() {
  [[ $1 =~ ^[0-9]+(ms|s)$ ]] || die "LATENCY=$1: want a duration such as 20ms"
  sed -i '/^SITES_LATENCY=/d' "$DL_SITES_ENV"
  SITES_LATENCY=
  if [[ ! $1 =~ ^0+(ms|s)$ ]]; then
    echo "SITES_LATENCY=$1" >>"$DL_SITES_ENV"
    SITES_LATENCY=$1
  fi
}

# to_office "$0" "$@": the first line of a script that talks to the network: in site mode it runs again in the
# office (office_exec); else it goes on here.
to_office() { if site_mode && ! in_office; then office_exec "$@"; fi; }

# site_prefix ORG: where ORG's bundle is installed on its site.
site_prefix() { printf '%s/%s' "$DL_SITES_DIR" "$1"; }

# site_process NAME: in site mode, NAME is a process of a region's bundle (site_install) and the channel exists.
site_process() {
  site_mode && [ -f "$DL_STATE/channel/$CHANNEL_NAME.block" ] || return 1
  [[ " $DL_SITE_KINDS " == *" ${1%-*} "* ]] && org_key "${1##*-}" >/dev/null 2>&1
}

# site_install ORG: makes ORG's bundle for its site's prefix (scripts/bundle.sh with the units of the processes
# started so far) and unpacks it there, keeping the CA databases the site already has; links the binaries its
# units run into PREFIX/bin.
site_install() {
  local o=$1 prefix out keep=() f line exe
  prefix=$(site_prefix "$o")
  out=$(PREFIX=$prefix DL_BUNDLE_PARTIAL=1 "$DL_ROOT/scripts/bundle.sh" "$o" 2>&1) || die "bundling $o for its site failed: $out"
  for f in "state/nodes/ca-$o/fabric-ca-server.db" "state/nodes/ca-$o/tlsca/fabric-ca-server.db"; do
    [ ! -e "$prefix/$f" ] || keep+=(--exclude="./$f")
  done
  mkdir -p "$prefix/bin"
  tar -C "$prefix" "${keep[@]}" -xzf "$DL_STATE/bundles/$o.tar.gz" || die "unpacking $o's bundle at $prefix failed"
  for f in "$prefix"/systemd/*.service; do
    [ -e "$f" ] || continue
    line=$(grep -m1 '^ExecStart=' "$f")
    exe=${line#ExecStart=}
    exe=${exe%% *}
    [[ $exe == "$prefix/bin/"* ]] || die "$f runs $exe, not a binary at $prefix/bin"
    [ "$DL_BIN/${exe##*/}" -ef "$exe" ] || ln -f "$DL_BIN/${exe##*/}" "$exe" 2>/dev/null || cp -f "$DL_BIN/${exe##*/}" "$exe" ||
      die "installing ${exe##*/} at $prefix/bin failed"
  done
}

# site_unit NAME: sets DL_UNIT_CMD to the command of the unit of NAME installed at its region's site: its
# Environment= settings, then ExecStart='s words; DL_UNIT_DIR to its WorkingDirectory=.
DL_UNIT_CMD=() DL_UNIT_DIR=
site_unit() {
  local o=${1##*-} unit line words=()
  unit=$(site_prefix "$o")/systemd/deltaledger-$1.service
  [ -f "$unit" ] || die "$1 has no unit at its site ($unit): make up installs it"
  DL_UNIT_CMD=() DL_UNIT_DIR=
  while IFS= read -r line; do
    case $line in
      Environment=*)
        line=${line#Environment=\"}
        DL_UNIT_CMD+=("${line%\"}")
        ;;
      WorkingDirectory=*) DL_UNIT_DIR=${line#WorkingDirectory=} ;;
      ExecStart=*)
        # The words as bundle.sh wrote them (printf %q).
        eval "words=(${line#ExecStart=})"
        ;;
    esac
  done <"$unit"
  [ "${#words[@]}" -gt 0 ] || die "$unit has no ExecStart="
  DL_UNIT_CMD+=("${words[@]}")
}
