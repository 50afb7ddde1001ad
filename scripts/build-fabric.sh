#!/usr/bin/env bash
# Builds the pinned Hyperledger Fabric commands (peer, orderer, configtxgen, configtxlator, osnadmin) and the Fabric
# CA commands (fabric-ca-server, fabric-ca-client) into bin/. Each pin is the require line of its tools module:
# network/tools for Fabric, network/tools/fabric-ca for Fabric CA (a module of its own: its dependencies clash with
# Fabric's). A stamp file per module in bin/ records what was built, so a second run with the same pins and Go
# version does nothing. Force a rebuild with FORCE=1.
#
# The first build takes minutes, so it reports its progress: the module downloads (count of modules), then each
# command in turn, with the packages compiled so far out of the packages it needs (on one updating line on a
# terminal, a line every 15 s otherwise) and the time each command took.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN="$ROOT/bin"

# Progress goes to stderr; on a terminal one line is rewritten in place.
tty=0
[ -t 2 ] && tty=1
now() { date +%s; }
# progress TEXT: the current state of a long step.
last_line=0
progress() {
  if [ "$tty" = 1 ]; then
    printf '\r\033[Kbuild-fabric: %s' "$1" >&2
  elif [ $(($(now) - last_line)) -ge 15 ]; then
    last_line=$(now)
    printf 'build-fabric: %s\n' "$1" >&2
  fi
}
# done_line TEXT: a step's result, on a line of its own.
done_line() {
  [ "$tty" = 1 ] && printf '\r\033[K' >&2
  printf 'build-fabric: %s\n' "$1" >&2
}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# build_module NAME RELEASE MODULE TOOLS_DIR METADATA_PKG COMMAND...: builds the COMMANDs (packages under MODULE's
# cmd/) of the version pinned in TOOLS_DIR/go.mod, stamping the release into METADATA_PKG's Version (and CommitSHA
# when the version is a pseudo-version).
build_module() {
  local name=$1 release=$2 module=$3 tools=$4 meta=$5
  shift 5
  local commands=("$@") stamp="$BIN/.$name-stamp" version want have_all=1 c ldflags started
  cd "$tools"
  [ -f go.sum ] || go mod tidy
  version=$(go list -m -f '{{.Version}}' "$module")
  want="$name $release $version $(go env GOVERSION)"
  for c in "${commands[@]}"; do [ -x "$BIN/$c" ] || have_all=0; done
  if [ "${FORCE:-0}" != 1 ] && [ "$have_all" = 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "build-fabric: bin/ already has $name $release ($version)"
    return 0
  fi

  echo "build-fabric: building ${commands[*]} of $name $release ($version) into bin/"
  mkdir -p "$BIN"
  ldflags="-X $meta.Version=$release"
  if [[ $version == *-*-* ]]; then ldflags+=" -X $meta.CommitSHA=${version##*-}"; fi
  rm -f "$stamp"
  started=$(now)

  # Downloads: `go mod download -json` prints one object per module (those the commands need) as it is done.
  local modules n=0 line
  modules=$(go list -m all | wc -l)
  while IFS= read -r line; do
    if [ "$line" = '{' ]; then
      n=$((n + 1))
      progress "downloading modules of $name: $n (of at most $modules), $(($(now) - started)) s"
    fi
  done < <(go mod download -json)
  done_line "modules of $name: $n in the module cache ($(($(now) - started)) s)"

  # Compile: one command at a time (packages compiled for one are reused by the next from the build cache). `go
  # build -v` names each package it compiles; the packages a command needs are counted beforehand.
  local i=0 pkg total t0 compiled
  for c in "${commands[@]}"; do
    i=$((i + 1))
    pkg=$module/cmd/$c
    total=$(go list -deps "$pkg" | wc -l)
    t0=$(now) compiled=0
    rm -f "$BIN/$c"
    while IFS= read -r line; do
      printf '%s\n' "$line" >>"$log"
      compiled=$((compiled + 1))
      progress "[$i/${#commands[@]}] $c: compiled $compiled packages (of at most $total), $(($(now) - t0)) s"
    done < <(go build -v -o "$BIN/" -ldflags "$ldflags" "$pkg" 2>&1 || true)
    if [ ! -x "$BIN/$c" ]; then
      done_line "[$i/${#commands[@]}] $c: the build failed:"
      cat "$log" >&2
      exit 1
    fi
    : >"$log"
    done_line "[$i/${#commands[@]}] $c built in $(($(now) - t0)) s ($compiled packages compiled, the rest from the build cache)"
  done
  echo "$want" >"$stamp"
  echo "build-fabric: $name done in $(($(now) - started)) s"
}

# Fabric v3.1.1 is served only as a pseudo-version of the v1 module path (see network/tools/go.mod).
build_module fabric 3.1.1 github.com/hyperledger/fabric "$ROOT/network/tools" \
  github.com/hyperledger/fabric/common/metadata peer orderer configtxgen configtxlator osnadmin
build_module fabric-ca 1.5.15 github.com/hyperledger/fabric-ca "$ROOT/network/tools/fabric-ca" \
  github.com/hyperledger/fabric-ca/lib/metadata fabric-ca-server fabric-ca-client
"$BIN/peer" version | sed -n 's/^ *Version: /build-fabric: peer version /p'
"$BIN/fabric-ca-server" version | sed -n 's/^ *Version: /build-fabric: fabric-ca-server version /p'
