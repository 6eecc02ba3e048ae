#!/usr/bin/env bash
# Builds the fuzz targets (clang, ASan + UBSan, only the parser sources each
# needs) and runs each for SECONDS on its committed seed corpus plus what
# earlier runs found. Exits non-zero when a target crashes; the input that
# did is kept under the build folder and named in the output.
#   tests/fuzz/run.sh SECONDS [TARGET...]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:?usage: tests/fuzz/run.sh SECONDS [TARGET...]}
shift
build=${FUZZ_BUILD_DIR:-${BUILD_DIR:-$root/build}/fuzz}
cmake -S "$root/tests/fuzz" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="${FUZZ_CXX:-clang++}" >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for seeds in "$root"/tests/fuzz/corpus/*/; do targets+=("$(basename "$seeds")"); done
fi
status=0
for t in "${targets[@]}"; do
  found=$build/found/$t  # new inputs stay in the build folder, not in the committed seeds
  mkdir -p "$found" "$build/crashes"
  log=$build/$t.log
  if UBSAN_OPTIONS=print_stacktrace=1 "$build/$t" "$found" "$root/tests/fuzz/corpus/$t" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$build/crashes/$t-" >"$log" 2>&1; then
    echo "fuzz: $t: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" |
      grep -o '[0-9]*$') runs in ${seconds}s, no crash"
  else
    echo "fuzz: $t: FAILED (log: $log)" >&2
    grep -E 'ERROR|SUMMARY|artifact|Test unit written' "$log" | head -n 20 >&2 || true
    status=1
  fi
done
exit $status
