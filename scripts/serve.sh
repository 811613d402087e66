#!/usr/bin/env bash
# Builds the explorer (release) and serves it on loopback with the bundled real CQC data, as a
# static host would: brotli or gzip when the browser accepts it, 404 for a missing asset.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release
PORT=${PORT:-8080} exec node tests/e2e/serve.mjs dist
