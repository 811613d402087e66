#!/usr/bin/env bash
# Runs every check the project has, in order, and ends with one summary line. Exits non-zero
# if any step fails; later steps still run so one failure does not hide another.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || { echo "SUMMARY: set-up failed; nothing was tested"; exit 2; }
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT=120
# A clean clone gains nothing from incremental caches, and full debug info is most of a
# debug build's bytes: both are left out so a cold run fits on a small disk (backtraces keep
# their file and line numbers).
export CARGO_INCREMENTAL=0
export CARGO_PROFILE_DEV_DEBUG=line-tables-only

LOG_DIR=target/test-logs
mkdir -p "$LOG_DIR"
# A cold run's target/ grows to about 3.4 GB (measured on a fresh clone, 2026-12-02): say so up
# front when the disk is short, since running out shows only as compile errors in every step.
NEEDED_MB=4000
free_mb=$(df -Pm target | awk 'NR == 2 { print $4 }')
if [ -n "$free_mb" ] && [ "$free_mb" -lt "$NEEDED_MB" ]; then
  echo "[test] warning: ${free_mb} MB free on the disk holding target/; a cold run needs about ${NEEDED_MB} MB"
fi
failed_steps=()
passed_steps=0
tests_passed=0
tests_failed=0

# Adds up "test result: ok. N passed; M failed;" (cargo) and "# pass N" / "# fail N" (node).
count_tests() {
  local counts
  counts=$(awk '
    /test result: [a-zA-Z]+\./ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
    /^# pass [0-9]+/ { p += $3 }
    /^# fail [0-9]+/ { f += $3 }
    END { printf "%d %d", p, f }' "$1")
  tests_passed=$((tests_passed + ${counts% *}))
  tests_failed=$((tests_failed + ${counts#* }))
}

# What a failed step's log says about the failure: each failing node test's block ("not ok" to
# its closing "...", and the "#" lines a file that could not run printed after it), cargo's
# "failures:" section, then the log's last lines. CI shows only this summary, so the failing
# test's name and message must be in it, not only its tail.
failure_excerpt() {
  awk '
    /^ *not ok [0-9]+/ { block = 1; lines = 0 }
    /^failures:$/ { cargo = 1 }
    block { print; lines++; if ($0 ~ /^ *\.\.\.$/ || lines >= 60) { block = 0; said = 1 }; next }
    # A test file that failed to run says why on the "#" lines after its block.
    said && /^# / && said++ <= 30 { print; next }
    { said = 0 }
    cargo { print; if ($0 ~ /^test result:/) cargo = 0 }
  ' "$1" | head -n 200
  echo "--- last lines ---"
  tail -n 25 "$1"
}

step() {
  local name=$1; shift
  local log="$LOG_DIR/${name// /_}.log"
  local started=$SECONDS
  printf '[test] %-28s ' "$name"
  if "$@" >"$log" 2>&1; then
    passed_steps=$((passed_steps + 1))
    printf 'ok (%ds)\n' $((SECONDS - started))
  else
    failed_steps+=("$name")
    printf 'FAILED (%ds) — from %s:\n' $((SECONDS - started)) "$log"
    failure_excerpt "$log" | sed 's/^/    /'
  fi
  count_tests "$log"
}

step "format"            cargo fmt --all -- --check
step "clippy native"     cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy wasm32"     cargo clippy --target wasm32-unknown-unknown -p cqc-explorer -p cqc-engine -p cqc-js -p cqc-bench-wasm --lib --bins --locked -- -D warnings
step "native tests"      cargo test --workspace --locked --no-fail-fast
step "wasm browser tests" cargo test --target wasm32-unknown-unknown -p cqc-explorer --test browser --locked
if [ -x scripts/fuzz.sh ]; then
  step "fuzz (bounded)"  scripts/fuzz.sh --quick
fi
step "release build"     trunk build --release
step "end-to-end"        node --test --test-concurrency=1 tests/e2e/

total_steps=$((passed_steps + ${#failed_steps[@]}))
if [ ${#failed_steps[@]} -eq 0 ]; then
  echo "SUMMARY: all ${total_steps} steps passed; ${tests_passed} tests passed, ${tests_failed} failed (${SECONDS}s)"
else
  echo "SUMMARY: ${#failed_steps[@]} of ${total_steps} steps FAILED (${failed_steps[*]}); ${tests_passed} tests passed, ${tests_failed} failed (${SECONDS}s)"
  exit 1
fi
