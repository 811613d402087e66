#!/usr/bin/env bash
# Builds the JavaScript API (crates/js) as a package of its own: cqc_ratings.js (the ES module
# glue), cqc_ratings_bg.wasm and cqc_ratings.d.ts, in the site's js/ (any page can import
# /js/cqc_ratings.js without loading the explorer). Trunk runs it after each build (Trunk.toml);
# it also runs by hand:
#
#   bash scripts/build-js-api.sh [site directory]     # default: $TRUNK_STAGING_DIR, else dist
#
# Release build, wasm-bindgen at Cargo.lock's version, npm's wasm-opt. Needs no network once
# the workspace's crates are fetched (the app's build fetches them all: this crate's are a
# subset).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

SITE=${1:-${TRUNK_STAGING_DIR:-$ROOT/dist}}
OUT=$SITE/js
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WASM=$TARGET/wasm32-unknown-unknown/release/cqc_ratings.wasm

say() { printf '[build-js-api] %s\n' "$*" >&2; }

# The CLI must be the version of the wasm-bindgen crate the module was compiled against.
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WBG_VERSION}$"; then
  say "wasm-bindgen ${WBG_VERSION} (Cargo.lock's) is needed, found: $(wasm-bindgen --version 2>&1 || true); run scripts/setup.sh"
  exit 2
fi
if [ ! -x node_modules/.bin/wasm-opt ]; then
  say "node_modules/.bin/wasm-opt is missing; run scripts/setup.sh"
  exit 2
fi

cargo build --release --locked --target wasm32-unknown-unknown -p cqc-js --lib

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
wasm-bindgen --target web --out-dir "$STAGE" --out-name cqc_ratings "$WASM"
# As Trunk does for the app, wasm-opt only for release builds: `trunk serve` rebuilds stay quick.
if [ "${TRUNK_PROFILE:-release}" = "release" ]; then
  # The features rustc's wasm32 target enables by default, so wasm-opt keeps (and may use) them.
  wasm-opt -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o "$STAGE/cqc_ratings_bg.opt.wasm" "$STAGE/cqc_ratings_bg.wasm"
else
  mv "$STAGE/cqc_ratings_bg.wasm" "$STAGE/cqc_ratings_bg.opt.wasm"
fi

# wasm-bindgen declares the module's raw exports (InitOutput, what init() resolves to) with the
# wasm ABI's `any` for JS values; they are opaque to callers, so `unknown` says it truthfully.
# Every other declaration comes from crates/js/src/types.rs and the exports' own types.
sed -E '/^export interface InitOutput/,/^\}/ s/\bany\b/unknown/g' "$STAGE/cqc_ratings.d.ts" >"$STAGE/typed.d.ts"
if grep -vE '^\s*(\*|/\*\*)' "$STAGE/typed.d.ts" | grep -qw any; then
  say "cqc_ratings.d.ts still declares \`any\`:"; grep -nw any "$STAGE/typed.d.ts" >&2; exit 1
fi

mkdir -p "$OUT"
cp "$STAGE/cqc_ratings.js" "$OUT/cqc_ratings.js"
cp "$STAGE/typed.d.ts" "$OUT/cqc_ratings.d.ts"
cp "$STAGE/cqc_ratings_bg.opt.wasm" "$OUT/cqc_ratings_bg.wasm"
say "wrote $OUT: $(cd "$OUT" && wc -c cqc_ratings.js cqc_ratings_bg.wasm cqc_ratings.d.ts | head -3 | awk '{printf "%s %s B; ", $2, $1}')"
