#!/usr/bin/env bash
# Installs what the explorer needs to build, serve and test, skipping whatever is already
# present. Safe to run any number of times; it downloads nothing at build time (Trunk offline).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# Trunk 0.21.x (0.22 needs a newer rustc than this toolchain).
TRUNK_VERSION=0.21.14
if ! trunk --version 2>/dev/null | grep -q " ${TRUNK_VERSION}"; then
  say "installing trunk ${TRUNK_VERSION}"
  cargo install trunk --version "${TRUNK_VERSION}" --locked
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "${WBG_VERSION}" ]; then
  say "cannot find the wasm-bindgen version in Cargo.lock"; exit 2
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WBG_VERSION}$" \
   || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli ${WBG_VERSION}"
  cargo install wasm-bindgen-cli --version "=${WBG_VERSION}"
fi
if ! grep -q "wasm_bindgen = \"${WBG_VERSION}\"" Trunk.toml; then
  say "Trunk.toml pins a wasm-bindgen other than Cargo.lock's ${WBG_VERSION}: update [tools] wasm_bindgen"; exit 2
fi

# Chromium and its driver, for browser tests (Debian packages; never a downloaded browser).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Debian chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# npm dev dependencies (binaryen 132 for wasm-opt, playwright-core, axe-core) from the lock.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ ! -d node_modules/axe-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dev dependencies from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi

say "ready: $(trunk --version), wasm-bindgen $(wasm-bindgen --version | awk '{print $2}'), $(node_modules/.bin/wasm-opt --version), $(chromium --version 2>/dev/null | head -1)"
