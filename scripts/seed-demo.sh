#!/usr/bin/env bash
# Seeds the demo market on the running network (scripts/up.sh runs it last):
# participants of every region, registered assets with listings, a completed
# trade, a credit record with an authorised, traced lookup. Idempotent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
go run ./network/demo/cmd/seed-demo
