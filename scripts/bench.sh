#!/usr/bin/env bash
# Measures the running network (make up first) and prints the figures:
#   scripts/bench.sh [-n transactions] [-c in-flight]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
go run ./network/bench/cmd/bench "$@"
