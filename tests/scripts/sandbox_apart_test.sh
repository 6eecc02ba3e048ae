#!/usr/bin/env bash
# x-sandbox is built apart from the production library: lib/sandbox and the
# x-sandbox tool include nothing of learn/, plan/, jobs/, x/, db/ or llm/, the
# x-sandbox binary holds none of their code, and no production tool holds any
# of the sandbox's. (A simulator that shares the learner's judgement measures
# how well the learner fits itself.)
# Usage: sandbox_apart_test.sh SOURCE_DIR BIN_DIR
set -euo pipefail
src=$1
bin=$2
status=0

if grep -nE '#include "(learn|plan|jobs|x|db|llm)/' "$src"/lib/sandbox/* "$src"/tools/x-sandbox/*; then
  echo "lib/sandbox or tools/x-sandbox includes production code (above)" >&2
  status=1
fi

found=$(nm -C --defined-only "$bin/x-sandbox" | grep -E 'gl::(learn|plan|jobs|x|db|llm)::' | head -5 || true)
if [ -n "$found" ]; then
  printf 'x-sandbox links production code, e.g.:\n%s\n' "$found" >&2
  status=1
fi

tools=0
for tool in "$bin"/*; do
  [ "$(basename "$tool")" = x-sandbox ] && continue
  tools=$((tools + 1))
  found=$(nm -C --defined-only "$tool" | grep 'gl::sandbox::' | head -5 || true)
  if [ -n "$found" ]; then
    printf '%s links the sandbox, e.g.:\n%s\n' "$(basename "$tool")" "$found" >&2
    status=1
  fi
done
[ "$tools" -gt 0 ] || { echo "no production tools in $bin" >&2; exit 1; }
exit $status
