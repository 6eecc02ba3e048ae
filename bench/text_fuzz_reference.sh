#!/usr/bin/env bash
# Fuzzes today's X text rules against an older revision's, to show a faster
# tweet_text reads every text the same: lengths, the four kinds of entities
# with their indices, the text without them (tests/fuzz/tweet_text_reading.cpp).
#   bench/text_fuzz_reference.sh REVISION [SECONDS]   (default 300)
# The older lib/x/tweet_text*.{h,cpp} come from git; both are compiled into
# one libFuzzer binary (ASan + UBSan), the older one in namespace gl_old. A
# difference traps and prints both readings; the input is kept in the folder
# named at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rev=${1:?usage: bench/text_fuzz_reference.sh REVISION [SECONDS]}
seconds=${2:-300}
build=${FUZZ_BUILD_DIR:-${BUILD_DIR:-$root/build}/fuzz}
# The fuzz project generates the compiled-in data (top-level domains, emoji).
"$root/tests/fuzz/run.sh" 1 tweet_text_fuzz >/dev/null
work=$build/reference
rm -rf "$work/lib" "$work/crashes" && mkdir -p "$work/lib/x" "$work/found" "$work/crashes"
for f in tweet_text.h tweet_text.cpp tweet_text_detail.h tweet_text_data.h tweet_text_emoji.cpp \
    tweet_text_entities.cpp; do
  git -C "$root" show "$rev:lib/x/$f" >"$work/lib/x/$f"
done
cxx=${FUZZ_CXX:-clang++}
flags=(-std=c++17 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
  $(pkg-config --cflags icu-uc icu-i18n))
data=$build/generated/tweet_text_data.cpp
objects=()
compile() {  # compile OUTPUT SOURCE FLAGS...
  "$cxx" "${flags[@]}" "${@:3}" -c "$2" -o "$work/$1.o"
  objects+=("$work/$1.o")
}
for f in tweet_text tweet_text_emoji tweet_text_entities; do
  compile "new_$f" "$root/lib/x/$f.cpp" -I"$root/lib"
  compile "old_$f" "$work/lib/x/$f.cpp" -I"$work/lib" -Dgl=gl_old
done
compile new_data "$data" -I"$root/lib"
compile old_data "$data" -I"$work/lib" -Dgl=gl_old
compile new_reading "$root/tests/fuzz/tweet_text_reading.cpp" -I"$root/lib"
compile old_reading "$root/tests/fuzz/tweet_text_reading.cpp" -I"$work/lib" -Dgl=gl_old
"$cxx" "${flags[@]}" -DGL_REFERENCE -I"$root/lib" "$root/tests/fuzz/tweet_text_fuzz.cpp" \
  "${objects[@]}" -fsanitize=fuzzer $(pkg-config --libs icu-uc icu-i18n) -o "$work/tweet_text_fuzz"
echo "text_fuzz_reference: $(git -C "$root" rev-parse --short HEAD) (and working tree) against $rev, ${seconds}s"
UBSAN_OPTIONS=print_stacktrace=1 "$work/tweet_text_fuzz" "$work/found" \
  "$root/tests/fuzz/corpus/tweet_text_fuzz" -max_total_time="$seconds" -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/crashes/" 2>&1 |
  awk '/differs from the reference/ { shown = 1 } /deadly signal/ { shown = 0 }
       shown || /number_of_executed_units|ERROR|Test unit/' || true
if ls "$work/crashes"/* >/dev/null 2>&1; then
  echo "text_fuzz_reference: differences found, inputs in $work/crashes" >&2
  exit 1
fi
echo "text_fuzz_reference: no difference"
