#!/usr/bin/env bash
# Closes a period of the published indices on the local network (make close-period):
# every region's gateway computes the period's figures from its own ledger index up to the same block and
# attests them (as the region's regulator, on its own peers), then Shanghai's regulator publishes them on
# chain; the publication commits only because a majority of the regions attested the same figures.
#   scripts/close-period.sh [PERIOD]     # PERIOD: hour:YYYY-MM-DDTHH, day:YYYY-MM-DD or month:YYYY-MM (CST);
#                                        # default: the newest hour indices:Open opens now (its closing instant,
#                                        # model.PeriodClosesAt, has come: bin/deltaledger-gateway indices openable)
set -euo pipefail
DL_ROOT=$(cd "$(dirname "$0")/.." && pwd)
keys=$DL_ROOT/network/.state/gateways/demo-keys.env
[ -f "$keys" ] || { echo "close-period: no $keys: run make up first" >&2; exit 1; }
# shellcheck source=/dev/null
source "$keys"
period=${1:-$("$DL_ROOT/bin/deltaledger-gateway" indices openable hour)}

# api ORG PATH [METHOD]: a request to ORG's gateway as ORG's regulator; fails on an HTTP error. The API key goes to
# curl in a header file (printf is a builtin), never on its command line, which any local user reads in ps.
api() {
  local gw=${1^^}_GW ca=${1^^}_CA key=${1^^}_REGULATOR_KEY
  curl -sS --fail-with-body --cacert "${!ca}" -H @<(printf 'Authorization: Bearer %s\n' "${!key}") \
    -X "${3:-GET}" "${!gw}$2"
}

# The block every region counts up to: the last one Shanghai's index has read.
to=$(api shanghai /v1/market/statistics | grep -o '"indexedBlock":[0-9]*' | cut -d: -f2)
echo "close-period: $period, counting blocks up to $to"
for org in shanghai jiangsu zhejiang anhui; do
  digest=$(api "$org" "/v1/indices/$period/attest?toBlock=$to" POST | grep -o '"digest":"[0-9a-f]*"' | cut -d'"' -f4)
  echo "close-period: $org attested digest $digest"
done
api shanghai "/v1/indices/$period/publish?toBlock=$to" POST >/dev/null
echo "close-period: published; the record and its figures:"
api shanghai "/v1/indices/$period"
echo
echo "close-period: CSV at $SHANGHAI_GW/v1/indices/$period/figures.csv"
