#!/usr/bin/env bash
# Every benchmark in one command: (re)generates the national-scale data if missing, runs the
# native benches (criterion), native ingest peak memory, pandas + odfpy on the same ODS, the
# browser benchmark (release build, national snapshot, Chromium) with MiniSearch and FlexSearch,
# the first load's compressed bytes (scripts/first-load.mjs), and rewrites docs/benchmarks.md
# and docs/bench-results/. About 15–20 minutes on 2 cores.
#
#   bash scripts/bench.sh
#
# Environment: CARGO_TARGET_DIR (native build, default target/), BENCH_WASM_TARGET_DIR (the
# trunk build's cargo target, default the same), BENCH_LOCATIONS (default 60000).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never

say() { printf '[bench] %s\n' "$*" >&2; }

BENCH=$ROOT/target/bench
RUN=$BENCH/results
NATIVE_TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WASM_TARGET=${BENCH_WASM_TARGET_DIR:-$NATIVE_TARGET}
LOCATIONS=${BENCH_LOCATIONS:-60000}
CQC=$NATIVE_TARGET/release/cqc
# pandas + odfpy needs about an hour for the national ODS, so it is also measured to the end on a
# regional-size file (same generator, same conversion) to give a finished like-for-like ratio.
REGIONAL_LOCATIONS=${BENCH_REGIONAL_LOCATIONS:-1000}
# pandas gets at most this long and this much address space on the national ODS, so it cannot
# take the machine down; a run stopped by either is reported as such, with the time it took.
PANDAS_TIMEOUT_S=${BENCH_PANDAS_TIMEOUT_S:-300}
PANDAS_MEMORY_GB=${BENCH_PANDAS_MEMORY_GB:-8}
mkdir -p "$BENCH" "$RUN"
rm -f "$RUN"/*

load1() { cut -d' ' -f1 /proc/loadavg; }
LOAD_BEFORE=$(load1)

if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/minisearch ] || ! command -v trunk >/dev/null; then
  say "installing the build and test tools first (scripts/setup.sh)"
  bash scripts/setup.sh
fi

# ---- native build and data ------------------------------------------------------------------

say "building the native benches (criterion) and cqc"
# Cargo's bench profile unwinds while the release profile aborts on panic; one setting for the
# whole build keeps one copy of each dependency (otherwise serde is built twice and the bins fail).
CARGO_PROFILE_RELEASE_PANIC=unwind CARGO_TARGET_DIR=$NATIVE_TARGET cargo bench --no-run --bench ingest --bench engine >&2
# The CLI measured for memory is built as shipped (release profile unchanged).
CARGO_TARGET_DIR=$NATIVE_TARGET cargo build --release --bin cqc >&2

if [ ! -s "$BENCH/national.csv" ]; then
  say "generating the synthetic national CSV ($LOCATIONS locations)"
  "$CQC" synth --locations "$LOCATIONS" -o "$BENCH/national.csv" >&2
fi
if [ ! -s "$BENCH/regional.csv" ]; then
  "$CQC" synth --locations "$REGIONAL_LOCATIONS" -o "$BENCH/regional.csv" >&2
fi
for name in regional national; do
  if [ ! -s "$BENCH/$name.ods" ] || [ "$BENCH/$name.csv" -nt "$BENCH/$name.ods" ]; then
    say "converting $name.csv to ODS with LibreOffice (minutes for the national file)"
    if ! command -v soffice >/dev/null; then
      say "installing LibreOffice (libreoffice-calc-nogui) to make the ODS"
      { apt-get update -q >&2 && apt-get install -y -q libreoffice-calc-nogui >&2; } || { say "LibreOffice could not be installed: apt-get install -y libreoffice-calc-nogui"; exit 2; }
    fi
    rm -rf "$BENCH/ods-tmp"
    # Comma-separated, double quotes, UTF-8, British dates (CQC's dd/mm/yyyy).
    soffice --headless --infilter="CSV:44,34,76,1,,2057" --convert-to ods --outdir "$BENCH/ods-tmp" "$BENCH/$name.csv" >&2
    mv "$BENCH/ods-tmp/$name.ods" "$BENCH/$name.ods"
    rmdir "$BENCH/ods-tmp"
  fi
done

# Native ingest through the CLI, whole process: wall time and peak memory.
for kind in csv ods; do
  say "cqc ingest national.$kind (peak memory)"
  /usr/bin/time -v -o "$RUN/time-ingest-$kind.txt" "$CQC" ingest "$BENCH/national.$kind" -o "$BENCH/national-from-$kind.bin" >"$RUN/ingest-$kind.log" 2>&1 \
    || { say "cqc ingest national.$kind failed:"; tail -5 "$RUN/ingest-$kind.log" >&2; exit 1; }
done
/usr/bin/time -v -o "$RUN/time-ingest-regional-ods.txt" "$CQC" ingest "$BENCH/regional.ods" -o "$BENCH/regional.bin" >"$RUN/ingest-regional-ods.log" 2>&1
cp "$BENCH/national-from-csv.bin" "$BENCH/national.bin"
# The same data as the site serves it: the data layout (crates/engine/src/layout).
rm -rf "$BENCH/national-layout"
"$CQC" ingest "$BENCH/national.bin" -o "$BENCH/national-layout" >"$RUN/layout-ingest.log" 2>&1 \
  || { say "cqc ingest national.bin -o national-layout failed:"; tail -5 "$RUN/layout-ingest.log" >&2; exit 1; }

# ---- native benches ---------------------------------------------------------------------------

say "criterion: ingest, decode, index, recompute + audit, search, what-if, minimal change"
CQC_BENCH_DIR=$BENCH CARGO_PROFILE_RELEASE_PANIC=unwind CARGO_TARGET_DIR=$NATIVE_TARGET \
  cargo bench --bench ingest --bench engine -- --noplot >"$RUN/criterion.log" 2>&1 \
  || { tail -20 "$RUN/criterion.log" >&2; exit 1; }
cp "$BENCH/native-keystrokes.json" "$RUN/native-keystrokes.json"

# Where the native ODS ingest spends its time, for docs/benchmarks.md (perf may be unavailable).
if command -v perf >/dev/null && perf record -q -F 499 -g -o "$RUN/perf-ods.data" "$CQC" ingest "$BENCH/national.ods" -o /dev/null >/dev/null 2>&1; then
  perf report -i "$RUN/perf-ods.data" --no-children --sort dso,symbol --stdio 2>/dev/null \
    | grep -E '^ +[0-9.]+%' | head -15 >"$RUN/perf-ods.txt" || true
  rm -f "$RUN/perf-ods.data"
fi

# ---- pandas + odfpy -----------------------------------------------------------------------------

VENV=$BENCH/venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import pandas, odf' 2>/dev/null; then
  say "installing pandas and odfpy into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pandas odfpy >&2
fi
printf '{"timeout_s": %s, "memory_gb": %s}\n' "$PANDAS_TIMEOUT_S" "$PANDAS_MEMORY_GB" >"$RUN/pandas-limits.json"
for name in regional national; do
  say "pandas + odfpy reading $name.ods (up to ${PANDAS_TIMEOUT_S} s, ${PANDAS_MEMORY_GB} GB)"
  (
    ulimit -v $((PANDAS_MEMORY_GB * 1024 * 1024))
    /usr/bin/time -v -o "$RUN/time-pandas-$name.txt" timeout "$PANDAS_TIMEOUT_S" \
      "$VENV/bin/python" bench/pandas_read_ods.py "$BENCH/$name.ods" >"$RUN/pandas-$name.json" 2>"$RUN/pandas-$name.err"
  ) || say "pandas did not finish $name.ods (see $RUN/pandas-$name.err); reported as such"
done

# ---- browser --------------------------------------------------------------------------------------

say "release trunk build"
rm -rf "$BENCH/dist-build"
CARGO_TARGET_DIR=$WASM_TARGET trunk build --release --dist "$BENCH/dist-build" >"$RUN/trunk.log" 2>&1 \
  || { tail -20 "$RUN/trunk.log" >&2; exit 1; }
# The national layout goes into a copy of dist in place of the bundled one (public/data is never
# touched); its snapshot.bin, the whole data in one file, is what the harness page times.
rm -rf "$BENCH/dist"
cp -r "$BENCH/dist-build" "$BENCH/dist"
rm -f "$BENCH/dist/data/"*.bin "$BENCH/dist/data/manifest.json"
cp "$BENCH/national-layout/"* "$BENCH/dist/data/"

# The JavaScript API package the build put in js/ (scripts/build-js-api.sh): its size.
node bench/js_api_size.mjs --dist "$BENCH/dist-build" --out "$RUN/js-api.json"

# The page times the engine through its own handle (crates/bench-wasm), built as the site's wasm
# is (release profile, wasm-opt -Oz) and served beside the site, never in it.
say "building the benchmark harness (crates/bench-wasm)"
CARGO_TARGET_DIR=$WASM_TARGET cargo build --release --locked --target wasm32-unknown-unknown -p cqc-bench-wasm >&2
rm -rf "$BENCH/harness"
wasm-bindgen --target web --out-dir "$BENCH/harness" --out-name cqc_bench "$WASM_TARGET/wasm32-unknown-unknown/release/cqc_bench.wasm"
wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -o "$BENCH/harness/cqc_bench_bg.wasm" "$BENCH/harness/cqc_bench_bg.wasm"

say "browser benchmark (Chromium, loopback, compressed)"
node bench/browser/run.mjs --dist "$BENCH/dist" --harness "$BENCH/harness" --out "$RUN/browser.json" --runs 5 --drop "$BENCH/national.ods"

# ---- report -----------------------------------------------------------------------------------------

ram_gb=$(awk '/MemTotal/ { printf "%.1f", $2 / 1024 / 1024 }' /proc/meminfo)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
node -e '
  const [command, date, cpu, nproc, ram, kernel, rustc, node, before, after, data, pandas, mini, flex] = process.argv.slice(1);
  console.log(JSON.stringify({ command, date, cpu, nproc: Number(nproc), ram_gb: Number(ram), kernel, rustc, node,
    load_before: before, load_after: after, data, pandas, minisearch: mini, flexsearch: flex }));
' "bash scripts/bench.sh" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$cpu" "$(nproc)" "$ram_gb" "$(uname -sr)" \
  "$(rustc --version)" "$(node --version)" "$LOAD_BEFORE" "$(load1)" \
  "$(head -c 400 "$BENCH/national.csv" | head -1 | tr -d '"' | cut -c1-140)…; $(($(wc -l <"$BENCH/national.csv") - 2)) rows; national.ods converted from it by LibreOffice" \
  "pandas $("$VENV/bin/python" -c 'import pandas, odf; print(pandas.__version__)' 2>/dev/null) + odfpy" \
  "$(node -p 'require("./node_modules/minisearch/package.json").version')" "$(node -p 'require("./node_modules/flexsearch/package.json").version')" \
  >"$RUN/machine.json"

node bench/report.mjs --run "$RUN" --criterion "$NATIVE_TARGET/criterion" --docs docs
# After the report, which rewrites both files: adds the first-load targets and section to them.
say "first load bytes: bundled, synthetic national and projected real (scripts/first-load.mjs)"
REAL_CSV=tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv
"$CQC" ingest "$REAL_CSV" -o "$BENCH/real-csv-only.bin" >"$RUN/ingest-real-csv.log" 2>&1
node scripts/first-load.mjs --dist "${BENCH#"$ROOT"/}/dist-build" --national "${BENCH#"$ROOT"/}/national-layout" --locations "$LOCATIONS" \
  --csv-only "${BENCH#"$ROOT"/}/real-csv-only.bin" --out "$RUN/first-load.json" --summary docs/bench-results/summary.json --docs docs/benchmarks.md

say "data layout in the browser: first load, a location page, cold shards (bench/browser/layout.mjs)"
node bench/browser/layout.mjs --dist "$BENCH/dist" --out "$RUN/layout.json" --runs 5 \
  --summary docs/bench-results/summary.json --docs docs/benchmarks.md
say "done: docs/benchmarks.md"
