#!/usr/bin/env bash
# A fresh clone in a private folder (mode 700, as mktemp -d makes and as /root
# is) can run its throwaway PostgreSQL: start it, migrate, destroy it.
# Usage: clone_db_test.sh SOURCE_DIR BIN_DIR
set -euo pipefail
src=$1
bin=$2
tmp=$(mktemp -d)
clone=$tmp/growthloop
cleanup() {
  BUILD_DIR=$clone/build "$clone/scripts/db" destroy >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
[ "$(stat -c %a "$tmp")" = 700 ] || { echo "mktemp -d did not make a private folder" >&2; exit 1; }
git clone -q "$src" "$clone"
# Test the working tree's scripts, committed or not.
cp "$src"/scripts/* "$clone/scripts/"
export BUILD_DIR=$clone/build
url=$("$clone/scripts/db" start)
status=$("$clone/scripts/db" status)
echo "$status"
case "$status" in "running on $url, data in "*) ;; *) echo "unexpected status: $status" >&2; exit 1 ;; esac
DATABASE_URL=$url "$bin/migrate" >/dev/null
# Capture first: grep -q stops reading at its first match, and under pipefail
# the writer's SIGPIPE would fail the test.
applied=$(DATABASE_URL=$url "$bin/migrate" --status)
grep -q '"state":"applied"' <<<"$applied" || { echo "migrate --status shows nothing applied: $applied" >&2; exit 1; }
data=${status##*data in }
"$clone/scripts/db" destroy
[ ! -e "$data" ] || { echo "destroy left $data behind" >&2; exit 1; }
if "$clone/scripts/db" status >/dev/null; then echo "still running after destroy" >&2; exit 1; fi
echo "ok: cluster in $data started, migrated and destroyed"
