#!/usr/bin/env bash
# `make bundle ORG=<region> [PREFIX=/opt/deltaledger]`: what one region needs to run its nodes on a machine of its
# own, from the running (or stopped) network's state, as network/.state/bundles/<org>.tar.gz (and the folder beside
# it; both mode 700/600: they hold the region's keys). Everything in it is laid out under PREFIX as it will be
# installed there:
#
#   state/organizations/peerOrganizations/<domain>/   the region's identities (its keys: nothing of another region's)
#   state/organizations/peerOrganizations/<other>/    the other regions' CA and TLS CA certificates and MSP (public)
#   state/nodes/{ca,orderer,peer}-<org>/              the CA server's home (its keys, database) and the node configs
#                                                     (no ledgers: the peer and the ordering node join from the block)
#   state/channel/<channel>.block                     the channel's genesis block, to join
#   state/chaincode/<org>/                            the region's chaincode package (connection.json of its service)
#   state/gateways/<org>/                             the REST gateway's configuration, API key hashes, wallet
#   builders/                                         the external builder of the chaincode packages (CCaaS)
#   systemd/deltaledger-<process>.service             one unit per process, the command the scripts run it with
#   hosts                                             /etc/hosts lines: every node of the network by name
#   README.md                                         the processes, the ports to open between sites and to clients
#
# The binaries (bin/: peer, orderer, fabric-ca-server, deltaledger-cc, deltaledger-gateway, built by `make up`) are
# not copied: install the same versions at PREFIX/bin. Every path in the configs and units is rewritten from this
# checkout's to PREFIX. On a network of sites each site runs from its region's bundle, installed at
# network/.state/sites/<org> (scripts/lib/sites.sh, site_install; DL_BUNDLE_PARTIAL=1 there: units only of the
# processes started so far), and the CA's databases are taken from the site, where its CA runs.
set -euo pipefail

# shellcheck source=scripts/lib/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
# shellcheck source=scripts/lib/network.sh
source "$DL_ROOT/scripts/lib/network.sh"

o=$(org_key "${1:?usage: scripts/bundle.sh ORG (one of: $ORGS)}") || exit 2
prefix=${PREFIX:-/opt/deltaledger}
[[ $prefix == /* ]] || die "PREFIX=$prefix: want an absolute path"
[ -f "$(genesis_block)" ] || die "no network to bundle: make up first"
lock_network

out=$DL_STATE/bundles/$o
rm -rf "$out" "$out.tar.gz"
mkdir -p "$out/state/organizations/peerOrganizations" "$out/state/nodes" "$out/state/channel" "$out/systemd"
# The bundle carries the region's secrets (the CA's keys and database, the registrar's secret, every private key of
# the region): the folder and the archive are this user's alone, whatever the modes of the files inside.
chmod 700 "$out"

# The region's identities, and the other regions' public certificates (gateway.yaml's clientCAs name them).
cp -a "$(org_dir "$o")" "$out/state/organizations/peerOrganizations/"
for d in $ORGS; do
  [ "$d" != "$o" ] || continue
  dst=$out/state/organizations/peerOrganizations/$(org_domain "$d")
  mkdir -p "$dst"
  cp -a "$(org_dir "$d")/ca" "$(org_dir "$d")/tlsca" "$(org_dir "$d")/msp" "$dst/"
  find "$dst" -name keystore -prune -exec rm -rf {} + # an org MSP has none; kept out whatever happens
done

# The nodes' homes: the CA server's whole (its keys and database), the peer's and the ordering node's configs only.
cp -a "$(node_dir "ca-$o")" "$out/state/nodes/"
if site_mode; then
  for f in fabric-ca-server.db tlsca/fabric-ca-server.db; do
    site_db=$(site_prefix "$o")/state/nodes/ca-$o/$f
    [ ! -f "$site_db" ] || cp -a "$site_db" "$out/state/nodes/ca-$o/$f"
  done
fi
for kind in orderer peer; do
  mkdir -p "$out/state/nodes/$kind-$o"
  chmod 700 "$out/state/nodes/$kind-$o" # as scripts/lib/config.sh makes it: its ledger
  find "$(node_dir "$kind-$o")" -maxdepth 1 -type f -name '*.yaml' -exec cp -a {} "$out/state/nodes/$kind-$o/" \;
done
cp -a "$(genesis_block)" "$out/state/channel/"
if [ -d "$DL_CC/$o" ]; then
  mkdir -p "$out/state/chaincode"
  cp -a "$DL_CC/$o" "$out/state/chaincode/"
fi
cp -a "$DL_NETWORK/builders" "$out/"

# The gateway: configuration, API key hashes, wallet (links rewritten below), not its index or outcomes.
gw=$out/state/gateways/$o
mkdir -p "$gw/wallet"
if ! cp -a "$(gateway_config "$o")" "$(gateway_dir "$o")/apikeys.json" "$gw/" 2>/dev/null; then
  [ "${DL_BUNDLE_PARTIAL:-}" = 1 ] || die "no gateway files for $o: make up first"
fi
for link in "$(gateway_dir "$o")"/wallet/*; do
  [ -L "$link" ] || continue
  ln -s "$prefix/state/$(realpath --relative-to="$DL_STATE_REAL" "$(readlink -f "$link")")" "$gw/wallet/$(basename "$link")"
done

# One unit per process, from the command the scripts last started it with (network/.state/run/<name>.args). Of the
# two chaincode services (chaincode-<org> and chaincode-next-<org>, on the region's two chaincode ports), the one
# serving the committed definition (serving_chaincode), and the other one too while an upgrade runs it.
cc=$(serving_chaincode "$o")
for kind in ca orderer peer chaincode chaincode-next gateway; do
  name=$kind-$o
  if [ ! -f "$DL_RUN/$name.args" ]; then
    [ "${DL_BUNDLE_PARTIAL:-}" = 1 ] && continue
    [[ $kind != chaincode* ]] || [ "$name" = "$cc" ] || continue
    die "$name was never started here (no $DL_RUN/$name.args): make up first"
  fi
  mapfile -d '' args <"$DL_RUN/$name.args"
  {
    echo "[Unit]"
    echo "Description=DeltaLedger $name (region $o)"
    echo "After=network-online.target"
    echo
    echo "[Service]"
    while [[ ${args[0]} == *=* ]]; do
      printf 'Environment="%s"\n' "${args[0]}"
      args=("${args[@]:1}")
    done
    printf 'ExecStart=%s\n' "$(printf '%q ' "${args[@]}" | sed 's/ $//')"
    echo "WorkingDirectory=@PREFIX@"
    echo "Restart=on-failure"
    echo
    echo "[Install]"
    echo "WantedBy=multi-user.target"
  } >"$out/systemd/deltaledger-$name.service"
done

# Every node of the network by name, at the address this network gives it (on sites: the sites' addresses).
for d in $ORGS; do
  printf '%s\t%s %s %s %s %s\n' "$(org_host "$d")" "$(peer_host "$d")" "$(orderer_host "$d")" \
    "$(chaincode_host "$d")" "ca.$(org_domain "$d")" "$(gateway_host "$d")"
done >"$out/hosts"

cat >"$out/README.md" <<EOF
# DeltaLedger: the $o region's nodes ($(orgval "$o" MSPID))

Made by \`make bundle ORG=$o\` for installation at \`@PREFIX@\` (the same binaries as the network's, at \`@PREFIX@/bin\`).
Unpack at @PREFIX@, add \`hosts\` to /etc/hosts (each name at the address of its region's machine), copy
\`systemd/*.service\` to /etc/systemd/system and start, in this order: deltaledger-ca-$o, deltaledger-orderer-$o,
deltaledger-peer-$o, then join the channel from \`state/channel/$CHANNEL_NAME.block\` (osnadmin for the ordering node,
\`peer channel join\` for the peer, as scripts/up.sh does), deltaledger-$cc, deltaledger-gateway-$o.

| process | port | open to |
| --- | --- | --- |
| peer (endorsement, gateway service, deliver, gossip) | $(orgval "$o" PEER_PORT) | the other regions' peers and gateways, this region's gateway |
| ordering node (broadcast, deliver, SmartBFT cluster) | $(orgval "$o" ORDERER_PORT) | the other regions' ordering nodes and peers |
| ordering node admin (channel participation) | $(orgval "$o" ORDERER_ADMIN_PORT) | this region's administrators |
| Fabric CA | $(orgval "$o" CA_PORT) | this region's gateway and members (enroll, re-enroll) |
| REST gateway | $(orgval "$o" GATEWAY_PORT) | members and clients |
| chaincode service (two ports: an upgrade starts the new package's service on the one the running service does not use) | $(orgval "$o" CHAINCODE_PORT), $(orgval "$o" CHAINCODE_NEXT_PORT) | this region's peer only |
| operations (peer, ordering node, CA) | $(orgval "$o" PEER_OPERATIONS_PORT), $(orgval "$o" ORDERER_OPERATIONS_PORT), $(orgval "$o" CA_OPERATIONS_PORT) | monitoring |
EOF

# Paths of this checkout become the installation's (the texts above name it @PREFIX@: a prefix may lie in the
# checkout's state, where a site's does).
grep -rlI --null -e "$DL_STATE_REAL" -e "$DL_ROOT_REAL" "$out" | xargs -0 -r sed -i \
  -e "s#$DL_STATE_REAL#$prefix/state#g" -e "s#$DL_NETWORK/builders#$prefix/builders#g" \
  -e "s#$DL_BIN#$prefix/bin#g"
grep -rlI --null -F @PREFIX@ "$out" | xargs -0 -r sed -i "s#@PREFIX@#$prefix#g"
# No path of this checkout is left, but for those under PREFIX (itself in the checkout for a site's installation).
left=$(grep -rIo "$DL_ROOT_REAL[^[:space:]\"'\`,]*" "$out" | grep -v ":$prefix\(/\|\$\)" | cut -d: -f1 | sort -u | tr '\n' ' ' || true)
[ -z "$left" ] || die "paths of this checkout left in the bundle: $left"
(umask 077 && tar -C "$out" -czf "$out.tar.gz" .)
log "bundle of $o: ${out#"$DL_ROOT"/}.tar.gz (installs at $prefix)"
