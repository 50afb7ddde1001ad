#!/usr/bin/env bash
# Runs a command where the network's clients are: on a network of sites (`make up SITES=1`, scripts/lib/sites.sh) in
# the office namespace, where the sites' host names resolve and their addresses are reachable; on the usual
# one-host network right here. The Makefile runs the tests, the benchmark and the fault test through it.
#   scripts/office.sh go test -tags e2e ./test/e2e
#   scripts/office.sh bash            # a shell among the clients: curl, the deltaledger CLI, peer (source scripts/lib/env.sh)
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: scripts/office.sh COMMAND [ARG...]" >&2; exit 2; }
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
office_exec "$@"
