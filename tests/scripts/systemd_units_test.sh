#!/usr/bin/env bash
# contrib/systemd: a service and a timer for every line of crontab.example's
# schedule, each timer Persistent= with an OnCalendar= systemd reads, and the
# whole set clean under `systemd-analyze verify` (with the ExecStart= tools
# pointed at this build's binaries, as the package puts them in /usr/bin).
# Exits 77 (skipped) where systemd-analyze is not installed.
# Usage: systemd_units_test.sh SOURCE_DIR BIN_DIR
set -euo pipefail
src=$1
bin=$2
if ! command -v systemd-analyze >/dev/null; then
  echo "skipped: systemd-analyze is not installed (apt-get install systemd)"
  exit 77
fi
units=$src/contrib/systemd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "$*" >&2; status=1; }

cp "$units"/*.service "$units"/*.timer "$tmp"/
sed -i "s|/usr/bin/|$bin/|g" "$tmp"/*.service
if ! out=$(systemd-analyze verify --man=no "$tmp"/*.service "$tmp"/*.timer 2>&1) || [ -n "$out" ]; then
  fail "systemd-analyze verify:"$'\n'"$out"
fi

schedules=$(grep -E '^[0-9*]' "$src/crontab.example" | awk '{print $1, $2, $3, $4, $5}')
timers=0
for timer in "$units"/*.timer; do
  timers=$((timers + 1))
  name=$(basename "$timer" .timer)
  service=$units/$name.service
  [ -f "$service" ] || fail "$name.timer has no $name.service"
  grep -qx 'Persistent=true' "$timer" || fail "$name.timer: no Persistent=true"
  calendar=$(sed -n 's/^OnCalendar=//p' "$timer")
  [ -n "$calendar" ] || fail "$name.timer: no OnCalendar="
  systemd-analyze calendar "$calendar" >/dev/null || fail "$name.timer: OnCalendar=$calendar"
  # The service names the crontab line it stands for; that line exists.
  cron=$(sed -n 's/^# Part of growthloop.s schedule (crontab.example: \(.*\))\.$/\1/p' "$service")
  grep -qxF "$cron" <<<"$schedules" || fail "$name.service: no crontab.example line at \"$cron\""
  tool=$(sed -n 's|^ExecStart=.*/usr/bin/\([a-z-]*\).*|\1|p' "$service")
  [ -x "$bin/$tool" ] || fail "$name.service: runs $tool, which this build has not"
done
lines=$(grep -cE '^[0-9*]' "$src/crontab.example")
[ "$timers" -eq "$lines" ] || fail "$timers timers for $lines crontab.example lines"
[ $status -eq 0 ] && echo "$timers services and timers verified"
exit $status
