#!/usr/bin/env bash
# Publishes the explorer with this month's CQC data: builds the app (`trunk build --release`)
# into target/app, then `cqc publish` fetches CQC's Latest ratings file (and, when CQC_API_KEY
# is set, syncs the API cache), ingests, audits and writes the site into dist/. It refuses data
# that lost more than 5 % of the last publish's locations or ratings and then leaves dist/ as
# it was (exit code 3); any other failure also leaves it (exit code 2).
#
#   scripts/publish.sh [cqc publish options]    e.g. --allow-shrink, --baseline FILE, --offline
#
# Environment: CQC_API_KEY (optional), CQC_DATA_DIR (default data/cqc), SITE_DIR (default dist),
# SKIP_SETUP=1 when the build tools are already installed (CI installs them itself).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${SKIP_SETUP:-}" != "1" ]; then
  bash scripts/setup.sh
fi
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

app_dir=target/app
echo "[publish] building the app into ${app_dir}"
trunk build --release --dist "${app_dir}"

echo "[publish] fetch, ingest, audit, site"
exec cargo run --quiet --release --locked -p cqc-cli --bin cqc -- publish \
  --app "${app_dir}" \
  --site "${SITE_DIR:-dist}" \
  --data "${CQC_DATA_DIR:-data/cqc}" \
  "$@"
