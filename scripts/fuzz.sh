#!/usr/bin/env bash
# Fuzzes every parser and decoder of the explorer with cargo-fuzz (libFuzzer), on the stable
# toolchain. See docs/fuzzing.md.
#
#   scripts/fuzz.sh --quick                 # the test suite's bounded run (< 3 min after build)
#   scripts/fuzz.sh --long SECONDS [TARGET…] # SECONDS of fuzzing per target, corpus kept
#   scripts/fuzz.sh --quick TARGET…         # only some targets
#
# --quick is deterministic: each target replays its committed seeds (fuzz/seeds/<target>) and
# fixed regressions (fuzz/regressions/<target>), then runs a fixed number of new executions
# from a fixed random seed, in a throw-away corpus; so a failure reproduces on every run.
# --long grows the working corpus fuzz/corpus/<target> (git-ignored), never the seeds.
#
# Exits non-zero if any target crashes, times out or runs out of memory; the input that did
# is saved in fuzz/artifacts/<target>/. Prints the executions each target ran.
#
# Inputs listed in fuzz/regressions/OPEN (known crashes handed over, not yet fixed) are left
# out, with a warning; set FUZZ_INCLUDE_OPEN=1 to run them too.
#
# Environment: FUZZ_SANITIZER=none|address (default none: ASan runs ~20x slower here and the
# code under test is safe Rust; see docs/fuzzing.md), FUZZ_QUICK_SCALE (multiplies the
# --quick execution counts, default 1).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[fuzz] %s\n' "$*"; }
usage() {
  sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

ALL_TARGETS=(latest_csv latest_ods api_json snapshot_decode scenario_query engine_input)
CARGO_FUZZ_VERSION=0.13.2

mode=""
seconds=0
case "${1:-}" in
  --quick) mode=quick; shift ;;
  --long)
    mode=long
    seconds="${2:-}"
    [[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || usage
    shift 2
    ;;
  *) usage ;;
esac
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${ALL_TARGETS[@]}")
for t in "${targets[@]}"; do
  [ -f "fuzz/fuzz_targets/$t.rs" ] || { say "no such target: $t"; exit 2; }
done

export PATH="$HOME/.cargo/bin:$PATH"
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# With ASan, cargo-fuzz passes a nightly-only flag (-Zsanitizer=address) to rustc, which
# RUSTC_BOOTSTRAP lets the stable compiler accept; the default (-s none) needs only stable
# flags (-Cpasses=sancov-module, -Cllvm-args=…). No nightly toolchain is needed either way.
export RUSTC_BOOTSTRAP=1
sanitizer="${FUZZ_SANITIZER:-none}"
fuzz_args=(--fuzz-dir fuzz --sanitizer "$sanitizer")
# One build directory per sanitizer, so switching does not rebuild everything.
if [ "$sanitizer" != address ]; then
  fuzz_args+=(--target-dir "fuzz/target/sanitizer-$sanitizer")
fi

say "building the fuzz targets (sanitizer: $sanitizer)"
build_start=$SECONDS
cargo fuzz build "${fuzz_args[@]}"
say "built in $((SECONDS - build_start)) s"
# The runs use these binaries directly rather than `cargo fuzz run`, which would rebuild if the
# sources changed meanwhile: every target of one run tests the same build, and the times
# printed are run time only.
triple=$(rustc -vV | sed -n 's/^host: //p')
if [ "$sanitizer" = address ]; then
  bin_dir="fuzz/target/$triple/release"
else
  bin_dir="fuzz/target/sanitizer-$sanitizer/$triple/release"
fi

# New executions per target in --quick: about 10–25 s each on a loaded 2-core machine (the
# CSV and spreadsheet readers run ~150–1,000 inputs/s, the others 25,000–100,000/s), capped at
# 25 s each so that all six stay under 3 minutes even when the machine is busier.
quick_runs() {
  local n
  case "$1" in
    latest_csv) n=3000 ;;
    latest_ods) n=10000 ;;
    api_json) n=500000 ;;
    snapshot_decode) n=1000000 ;;
    scenario_query) n=600000 ;;
    engine_input) n=600000 ;;
    *) n=10000 ;;
  esac
  echo $((n * ${FUZZ_QUICK_SCALE:-1}))
}
dict_for() {
  case "$1" in
    latest_csv | latest_ods) echo fuzz/dicts/latest.dict ;;
    *) [ -f "fuzz/dicts/$1.dict" ] && echo "fuzz/dicts/$1.dict" || true ;;
  esac
}
# Whether an input (path under fuzz/) is a known open crash to leave out.
is_open() {
  [ "${FUZZ_INCLUDE_OPEN:-0}" != 1 ] && [ -f fuzz/regressions/OPEN ] &&
    grep -qxF "$1" fuzz/regressions/OPEN
}

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
failed=()
summary=()
run_start=$SECONDS
for t in "${targets[@]}"; do
  # The first corpus directory is where libFuzzer writes new inputs: a throw-away one for
  # --quick, the git-ignored working corpus for --long. The committed seeds and the fixed
  # regressions (replayed on every run so they stay fixed) are copied into a read-only input
  # set, leaving out known open crashes.
  if [ "$mode" = quick ]; then
    work="$logs/corpus-$t"
    libfuzzer=(-runs="$(quick_runs "$t")" -seed=1 -max_total_time=25)
  else
    work="fuzz/corpus/$t"
    libfuzzer=(-max_total_time="$seconds")
  fi
  mkdir -p "$work" "$logs/inputs-$t" "fuzz/artifacts/$t"
  for f in "fuzz/seeds/$t"/* "fuzz/regressions/$t"/*; do
    [ -f "$f" ] || continue
    if is_open "${f#fuzz/}"; then
      say "$t: WARNING: leaving out ${f#fuzz/}, a known open crash (fuzz/regressions/OPEN)"
      continue
    fi
    cp "$f" "$logs/inputs-$t/$(basename "$(dirname "$f")")-$(basename "$f")"
  done
  dict=$(dict_for "$t")
  [ -z "$dict" ] || libfuzzer+=(-dict="$dict")
  say "$t: fuzzing (${libfuzzer[*]})"
  status=0
  start=$SECONDS
  "$bin_dir/$t" "$work" "$logs/inputs-$t" \
    "${libfuzzer[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="fuzz/artifacts/$t/" >"$logs/$t.log" 2>&1 || status=$?
  took=$((SECONDS - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -1)
  corpus=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$logs/$t.log" | tail -1 || true)
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    summary+=("$(printf '%-16s FAILED (exit %s) after %s execs, %s s' "$t" "$status" "${execs:-?}" "$took")")
    grep -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written|deadly signal|out-of-memory|timeout' \
      "$logs/$t.log" | head -20 || true
    cp "$logs/$t.log" "fuzz/artifacts/$t/last-run.log"
    say "$t: full log in fuzz/artifacts/$t/last-run.log"
  else
    summary+=("$(printf '%-16s ok  %10s execs  %4s s  %s' "$t" "${execs:-?}" "$took" "$corpus")")
  fi
done

say "run time $((SECONDS - run_start)) s (build excluded)"
for line in "${summary[@]}"; do say "$line"; done
if [ ${#failed[@]} -gt 0 ]; then
  say "FAILED: ${failed[*]} (reproduce: $bin_dir/<target> fuzz/artifacts/<target>/<file>)"
  exit 1
fi
say "no crashes"
