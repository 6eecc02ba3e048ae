#!/usr/bin/env bash
# The suite's kill test, longer: N seeded random kill -9s of publish and
# scrape-metrics over 300 posted and 30 queued posts, then clean runs and the
# invariants (no double post, no lost post, X's own numbers, the four tables
# agree, no run left 'running'). Prints the exit codes of the killed runs.
#   bench/kill_loop.sh [ITERATIONS (default 240)] [SEED (default 15)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export BUILD_DIR=${BUILD_DIR:-$root/build}
"$root/scripts/setup"
DATABASE_URL=$("$root/scripts/db" start)
export DATABASE_URL
"$root/scripts/build" e2e_tests >/dev/null
export GL_KILL_ITERATIONS=${1:-240} GL_KILL_SEED=${2:-15}
start=$(date +%s)
"$BUILD_DIR/tests/e2e_tests" "random kill -9s of publish and scrape-metrics break no invariant"
echo "kill loop: $GL_KILL_ITERATIONS kills (seed $GL_KILL_SEED) in $(( $(date +%s) - start )) s"
