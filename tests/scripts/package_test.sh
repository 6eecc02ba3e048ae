#!/usr/bin/env bash
# The Debian package: cpack packs this build's binaries (nothing is rebuilt)
# into growthloop_<version>_amd64.deb; it holds every tool in /usr/bin, the
# systemd units, crontab.example and the migrations; installed into a fresh
# root it creates the growthloop user and its folders, and its migrate runs.
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

expect /usr/lib/sysusers.d/growthloop.conf
dpkg-deb -e "$deb" "$tmp/control"
for script in postinst postrm; do
  [ -x "$tmp/control/$script" ] || fail "the package has no executable $script"
done

# Installed by dpkg into a fresh root (only root can give files their owners;
# elsewhere the contents are unpacked and run instead). Maintainer scripts run
# outside a chroot with DPKG_ROOT set, as the scripts allow.
root=$tmp/root
if [ "$(id -u)" -eq 0 ]; then
  mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc"
  touch "$root/var/lib/dpkg/status"
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\n' >"$root/etc/group"
  dpkg() { command dpkg --root="$root" --force-script-chrootless --force-depends \
    --log=/dev/null "$@" >>"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; return 1; }; }
  dpkg -i "$deb" || fail "dpkg -i into a fresh root failed"
  user=$(grep '^growthloop:' "$root/etc/passwd" || true)
  [ -n "$user" ] || fail "installing created no growthloop user"
  gid=$(awk -F: '$1 == "growthloop" { print $3 }' "$root/etc/group")
  [ -n "$gid" ] || fail "installing created no growthloop group"
  owner() { stat -c '%a %u:%g' "$root$1"; }
  [ "$(owner /etc/growthloop)" = "750 0:$gid" ] || fail "/etc/growthloop is $(owner /etc/growthloop)"
  [ "$(owner /etc/growthloop/growthloop.env)" = "640 0:$gid" ] ||
    fail "/etc/growthloop/growthloop.env is $(owner /etc/growthloop/growthloop.env)"
  uid=$(cut -d: -f3 <<<"$user")
  [ "$(owner /var/lib/growthloop)" = "750 $uid:$gid" ] || fail "/var/lib/growthloop is $(owner /var/lib/growthloop)"
  # Reinstalling keeps the user and an edited environment file.
  echo "# edited" >>"$root/etc/growthloop/growthloop.env"
  dpkg -i "$deb" || fail "reinstalling failed"
  [ "$(grep -c '^growthloop:' "$root/etc/passwd")" = 1 ] || fail "reinstalling added a second user"
  grep -q '^# edited$' "$root/etc/growthloop/growthloop.env" || fail "reinstalling replaced the edited env file"
else
  echo "not root: unpacking instead of installing (no user or folders checked)"
  dpkg-deb -x "$deb" "$root"
fi
# The packaged binaries run from where the package puts them.
out=$("$root/usr/bin/migrate" --version)
[ "$out" = "migrate (growthloop) $version" ] || fail "packaged migrate --version: $out"
if [ "$(id -u)" -eq 0 ]; then
  dpkg --purge growthloop || fail "dpkg --purge failed"
  [ ! -e "$root/usr/bin/migrate" ] || fail "purging left /usr/bin/migrate"
  [ ! -e "$root/etc/growthloop/growthloop.env" ] || fail "purging left the env file"
fi
if [ $status -eq 0 ]; then
  echo "$(basename "$deb"): $(wc -l <"$tmp/contents") entries, $(du -k "$deb" | cut -f1) KiB"
fi
exit $status
