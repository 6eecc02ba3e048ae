#!/usr/bin/env bash
# Runs every fuzz target for longer than the suite does (default 300 s each):
#   bench/fuzz.sh [SECONDS] [TARGET...]
# Prints the executions per target; a crash names its saved input.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup"
seconds=${1:-300}
shift || true
exec "$root/tests/fuzz/run.sh" "$seconds" "$@"
