#!/usr/bin/env bash
# Builds the front-end assets that the Go binaries embed (package web, web/README.md): installs the npm packages
# pinned by web/package.json and web/package-lock.json (`npm ci`, install scripts off) and copies the files they
# name into web/dist/ with a manifest. A stamp records the inputs' hashes, so a second run with the same inputs
# does nothing. Force a rebuild with FORCE=1. Needs Node.js and npm (.ci/run installs them when missing).
set -euo pipefail

WEB="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/web"
STAMP="$WEB/dist/.stamp"
cd "$WEB"

want=$(cat package.json package-lock.json build.mjs | sha256sum | cut -c1-64)
if [ "${FORCE:-0}" != 1 ] && [ -f dist/manifest.json ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  echo "build-web: web/dist is up to date"
  exit 0
fi
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "build-web: $tool is needed (Debian: apt-get install nodejs npm)" >&2; exit 1; }
done
rm -f "$STAMP"
echo "build-web: npm ci in web/ ($(npm --version)), then copying the assets into web/dist"
# --prefer-offline: a warm npm cache suffices (no registry inside a network namespace); fail fast without one.
npm ci --prefer-offline --fetch-timeout=20000 --fetch-retries=1 --ignore-scripts --no-audit --no-fund --loglevel=error
node build.mjs
echo "$want" >"$STAMP"
