#!/usr/bin/env bash
# The Debian package: cpack packs this build's binaries (nothing is rebuilt)
# into growthloop_<version>_amd64.deb; it holds every tool in /usr/bin, the
# systemd units, crontab.example and the migrations, and its migrate runs.
# Exits 77 (skipped) where cpack or dpkg-deb is missing.
# Usage: package_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1
build=$2
for t in cpack dpkg-deb dpkg-shlibdeps; do
  if ! command -v "$t" >/dev/null; then
    echo "skipped: $t is not installed (apt-get install cmake dpkg-dev)"
    exit 77
  fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "$*" >&2; status=1; }

cpack --config "$build/CPackConfig.cmake" -B "$tmp/out" -G DEB >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log" >&2; exit 1; }
version=$("$build/bin/migrate" --version | awk '{print $NF}')
deb=$tmp/out/growthloop_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || { ls "$tmp/out" >&2; fail "no $deb"; exit 1; }

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/contents"
expect() { grep -qxF "$1" "$tmp/contents" || fail "the package lacks $1"; }
for tool in "$build"/bin/*; do expect "/usr/bin/$(basename "$tool")"; done
for unit in "$src"/contrib/systemd/*.service "$src"/contrib/systemd/*.timer; do
  expect "/usr/lib/systemd/system/$(basename "$unit")"
done
expect /usr/share/doc/growthloop/crontab.example
expect /usr/share/doc/growthloop/growthloop.env.example
for m in "$src"/migrations/*.sql; do expect "/usr/share/growthloop/migrations/$(basename "$m")"; done
depends=$(dpkg-deb -f "$deb" Depends)
grep -q libpqxx <<<"$depends" || fail "Depends: names no libpqxx: $depends"

# The packaged binaries run from where the package puts them.
dpkg-deb -x "$deb" "$tmp/root"
out=$("$tmp/root/usr/bin/migrate" --version)
[ "$out" = "migrate (growthloop) $version" ] || fail "packaged migrate --version: $out"
if [ $status -eq 0 ]; then
  echo "$(basename "$deb"): $(wc -l <"$tmp/contents") entries, $(du -k "$deb" | cut -f1) KiB"
fi
exit $status
