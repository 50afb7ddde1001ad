#!/usr/bin/env bash
# Builds the pinned Hyperledger Fabric commands (peer, orderer, configtxgen, osnadmin, cryptogen) into bin/.
# The pin is the require line of network/tools/go.mod; a stamp file in bin/ records what was built, so a second
# run with the same pin and Go version does nothing. Force a rebuild with FORCE=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$ROOT/network/tools"
BIN="$ROOT/bin"
STAMP="$BIN/.fabric-stamp"
# The release this module version is (shown by `peer version`).
FABRIC_RELEASE=3.1.1
COMMANDS=(peer orderer configtxgen osnadmin cryptogen)

cd "$TOOLS"
[ -f go.sum ] || go mod tidy
module_version=$(go list -m -f '{{.Version}}' github.com/hyperledger/fabric)
commit=${module_version##*-}
want="fabric $FABRIC_RELEASE $module_version $(go env GOVERSION)"

have_all=1
for c in "${COMMANDS[@]}"; do [ -x "$BIN/$c" ] || have_all=0; done
if [ "${FORCE:-0}" != 1 ] && [ "$have_all" = 1 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  echo "build-fabric: bin/ already has Fabric $FABRIC_RELEASE ($module_version)"
  exit 0
fi

echo "build-fabric: building ${COMMANDS[*]} of Fabric $FABRIC_RELEASE ($module_version) into bin/"
mkdir -p "$BIN"
meta=github.com/hyperledger/fabric/common/metadata
pkgs=()
for c in "${COMMANDS[@]}"; do pkgs+=("github.com/hyperledger/fabric/cmd/$c"); done
rm -f "$STAMP"
go build -o "$BIN/" -ldflags "-X $meta.Version=$FABRIC_RELEASE -X $meta.CommitSHA=$commit" "${pkgs[@]}"
echo "$want" >"$STAMP"
"$BIN/peer" version | sed -n 's/^ *Version: /build-fabric: peer version /p'
