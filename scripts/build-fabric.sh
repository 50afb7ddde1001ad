#!/usr/bin/env bash
# Builds the pinned Hyperledger Fabric commands (peer, orderer, configtxgen, osnadmin, cryptogen) into bin/.
# The pin is the require line of network/tools/go.mod; a stamp file in bin/ records what was built, so a second
# run with the same pin and Go version does nothing. Force a rebuild with FORCE=1.
#
# The first build takes minutes, so it reports its progress: the module downloads (count of modules), then each
# command in turn, with the packages compiled so far out of the packages it needs (on one updating line on a
# terminal, a line every 15 s otherwise) and the time each command took.
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

echo "build-fabric: building ${COMMANDS[*]} of Fabric $FABRIC_RELEASE ($module_version) into bin/"
mkdir -p "$BIN"
meta=github.com/hyperledger/fabric/common/metadata
rm -f "$STAMP"
started=$(now)

# Downloads: `go mod download -json` prints one object per module (those the commands need) as it is done.
modules=$(go list -m all | wc -l)
n=0
while IFS= read -r line; do
  if [ "$line" = '{' ]; then
    n=$((n + 1))
    progress "downloading modules: $n (of at most $modules), $(($(now) - started)) s"
  fi
done < <(go mod download -json)
done_line "modules: $n in the module cache ($(($(now) - started)) s)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Compile: one command at a time (packages compiled for one are reused by the next from the build cache). `go
# build -v` names each package it compiles; the packages a command needs are counted beforehand.
i=0
for c in "${COMMANDS[@]}"; do
  i=$((i + 1))
  pkg=github.com/hyperledger/fabric/cmd/$c
  total=$(go list -deps "$pkg" | wc -l)
  t0=$(now) compiled=0
  rm -f "$BIN/$c"
  while IFS= read -r line; do
    printf '%s\n' "$line" >>"$log"
    compiled=$((compiled + 1))
    progress "[$i/${#COMMANDS[@]}] $c: compiled $compiled packages (of at most $total), $(($(now) - t0)) s"
  done < <(go build -v -o "$BIN/" -ldflags "-X $meta.Version=$FABRIC_RELEASE -X $meta.CommitSHA=$commit" "$pkg" 2>&1 || true)
  if [ ! -x "$BIN/$c" ]; then
    done_line "[$i/${#COMMANDS[@]}] $c: the build failed:"
    cat "$log" >&2
    exit 1
  fi
  : >"$log"
  done_line "[$i/${#COMMANDS[@]}] $c built in $(($(now) - t0)) s ($compiled packages compiled, the rest from the build cache)"
done
echo "$want" >"$STAMP"
"$BIN/peer" version | sed -n 's/^ *Version: /build-fabric: peer version /p'
echo "build-fabric: done in $(($(now) - started)) s"
