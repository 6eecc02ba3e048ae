#!/usr/bin/env python3
"""A fleet of accounts on one machine: N accounts (3 posts a day, with history)
through simulated hours of crontab.example's many-account lines
(`--all-accounts -j 2`, --now stepping every 5 minutes) on one PostgreSQL,
against x-sandbox.

Prints, per tool: runs, CPU seconds of the tool's processes (rusage of the
--all-accounts parent and its workers) and of the database
(the backends that served them: the postmaster's reaped children), CPU-seconds
per account per day (CPU per run x the crontab's runs per day), p50/p99 of one
account's run (job_runs), the slowest tick's wall time; then the database size.

Before the simulated hours, every line runs once (10 minutes before the
start), not counted: the first runs of the learners happen once in an
account's life; the figures are those of a fleet already running.

History: --history-days of posts per account written by SQL (3 a day, collected
and done, with their snapshots); the last 7 days of them are also on x-sandbox
(one import per account) and due for collection on the schedule, as they would
be on a live account.

Run from a clean clone: bench/fleet.py [--accounts 1000] [--days 1 | --hours H]
A quick look: bench/fleet.py --accounts 50 --hours 2
The cluster is a throwaway one of its own (build/fleet-db); --keep leaves it running.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time, urllib.request
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build"))
BIN = os.path.join(BUILD, "bin")
DB_DIR = os.path.join(BUILD, "fleet-db")  # scripts/db's BUILD_DIR: a cluster of its own
START = datetime(2026, 11, 20, 0, 0, tzinfo=timezone.utc)
ZONES = ["America/New_York", "Europe/Berlin", "UTC", "Asia/Tokyo"]

# crontab.example's many-account form: (minute test, hour test, tool, args). A
# line of two tools is a pipe.
CRONTAB = [
    (lambda m: m % 10 == 0, lambda h: True, [["scrape-metrics"], ["update-generators"]]),
    (lambda m: m % 5 == 0, lambda h: True, [["publish"]]),
    (lambda m: m == 50, lambda h: True, [["plan-post", "--fill-to", "3"]]),
    (lambda m: m == 20, lambda h: True, [["learn-hourly"]]),
    (lambda m: m == 35, lambda h: h % 2 == 0, [["aggregate"]]),
    (lambda m: m == 15, lambda h: True, [["harvest", "--only", "trends"]]),
    (lambda m: m == 25, lambda h: h % 6 == 0,
     [["harvest", "--only", "viral,peers,replies", "--budget-usd", "0.50"]]),
    (lambda m: m == 40, lambda h: h % 6 == 0, [["extract-formulas"]]),
]


def runs_per_day(key):
    """How many times a day the crontab runs the tool of `key` (name as printed)."""
    n = 0
    for h in range(24):
        for m in range(0, 60, 5):
            for minute, hour, line in CRONTAB:
                if minute(m) and hour(h) and any(label(cmd) == key for cmd in line):
                    n += 1
    return n


def label(cmd):
    if cmd[0] == "harvest":
        return "harvest " + cmd[2].split(",")[0]
    return cmd[0]


def sh(*args, **kw):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kw).stdout


def psql(url, sql):
    return sh("psql", url, "-qAtX", "-v", "ON_ERROR_STOP=1", input=sql).strip()


def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# Posts older than a week: collected and done. 3 a day at 08:00, 13:00 and 19:00 UTC.
HISTORY = """
CREATE TEMP TABLE p AS
SELECT a.account_id, n, gen_random_uuid() AS decision_id,
       (1800000000000000000 + a.account_id * 100000 + n)::text AS tweet_id,
       a.topics[1 + n % 4] AS topic,
       (SELECT array_agg(generator_name ORDER BY generator_name) FROM generators)[1 + (n / 4) % 22] AS generator,
       (ARRAY['surprising_stat', 'question', 'list', 'how_to', 'myth_busting', 'statement'])[1 + (n / 7) % 6] AS hook,
       timestamptz '{start}' - make_interval(days => 8 + n / 3, hours => 24 - (ARRAY[8, 13, 19])[1 + n % 3]) AS posted_at,
       (300 + 2000 * random() * (1 + (n % 4 = 0)::int))::bigint AS impressions
FROM accounts a, generate_series(0, {posts} - 1) n;

INSERT INTO content_metadata (account_id, decision_id, generator_name, topic, hook_type, content, status,
  scheduled_at, posted_at, tweet_id, metrics_state, last_collected_at, next_collect_at, collect_count,
  actual_impressions, actual_likes, tags, created_at, updated_at)
SELECT account_id, decision_id, generator, topic, hook,
       topic || ' note ' || n || ': 73% of adults get this wrong. Research shows why.', 'posted',
       posted_at, posted_at, tweet_id, 'done', posted_at + interval '7 days', NULL, 7,
       impressions, impressions / 40, ARRAY[hook, 'medium'], posted_at, posted_at FROM p;

INSERT INTO outcomes (account_id, decision_id, tweet_id, impressions, likes, retweets, replies, quotes,
  bookmarks, profile_clicks, engagement_rate, followers_gained, available, passed_gates, successful, collected_at)
SELECT account_id, decision_id, tweet_id, impressions, impressions / 40, impressions / 300, impressions / 500, 0,
       impressions / 400, impressions / 250, (impressions / 40 + impressions / 300 + impressions / 500
       + impressions / 400)::float8 / impressions, impressions / 800.0, true, true, true,
       posted_at + interval '7 days' FROM p;

INSERT INTO learning_posts (account_id, tweet_id, decision_id, content, generator_name, topic, hook_type, format,
  tags, posted_at, posted_hour_local, posted_weekday_local, impressions, likes, retweets, replies, quotes,
  bookmarks, profile_clicks, engagement_rate, followers_gained, available, passed_gates, successful, collected_at)
SELECT o.account_id, o.tweet_id, o.decision_id, cm.content, cm.generator_name, cm.topic, cm.hook_type, 'single',
       cm.tags, cm.posted_at, extract(hour FROM cm.posted_at AT TIME ZONE a.timezone),
       extract(dow FROM cm.posted_at AT TIME ZONE a.timezone), o.impressions, o.likes, o.retweets,
       o.replies, o.quotes, o.bookmarks, o.profile_clicks, o.engagement_rate, o.followers_gained, true, true, true,
       o.collected_at
FROM outcomes o JOIN content_metadata cm USING (account_id, decision_id) JOIN accounts a USING (account_id);

INSERT INTO tweet_metrics (account_id, tweet_id, collected_at, decision_id, age_hours, impressions, likes,
  retweets, replies, quotes, bookmarks, profile_clicks, engagement_rate, metrics_source)
SELECT account_id, tweet_id, posted_at + make_interval(hours => h), decision_id, h,
       impressions * h / 168, impressions * h / 168 / 40, 0, 0, 0, 0, impressions * h / 168 / 250, 0.03, 'organic'
FROM p, unnest(ARRAY[1, 2, 6, 24, 72, 168]) h;

INSERT INTO follower_snapshots (account_id, taken_at, followers_count)
SELECT account_id, timestamptz '{start}' - make_interval(hours => h), 5000 - h FROM accounts, generate_series(1, 48) h;
"""

# The last week's posts (on x-sandbox too): collected at the ages already past, due at the next.
RECENT = """
INSERT INTO content_metadata (account_id, generator_name, topic, hook_type, content, status, scheduled_at,
  posted_at, tweet_id, metrics_state, next_collect_at, created_at, updated_at)
SELECT a.account_id, 'dataNerd', a.topics[1 + r.n % 4], 'surprising_stat', r.text, 'posted', r.posted_at,
       r.posted_at, r.id, 'pending', NULL, r.posted_at, r.posted_at
FROM accounts a JOIN json_to_recordset($json${rows}$json$::json) AS r(handle text, n int, id text, text text,
     posted_at timestamptz) ON r.handle = a.handle;
"""


def seed(db, base, n_accounts, history_days, secrets):
    psql(db, "INSERT INTO accounts (handle, timezone, topics) SELECT 'fleet' || a, (ARRAY{zones})[1 + a % 4], "
             "ARRAY['sleep', 'focus', 'strength', 'nutrition'] FROM generate_series(1, {n}) a"
         .format(zones=str(ZONES).replace('"', "'"), n=n_accounts))
    psql(db, HISTORY.format(start=iso(START), posts=3 * max(0, history_days - 7)))
    rows = []
    for a in range(1, n_accounts + 1):
        handle = f"fleet{a}"
        os.makedirs(os.path.join(secrets, handle))
        with open(os.path.join(secrets, handle, "x_access_token"), "w") as f:
            f.write(f"token-{handle}\n")
        tweets = []
        for n in range(21):  # 7 days x 3
            at = START - timedelta(days=n // 3, hours=24 - (8, 13, 19)[n % 3])
            tweets.append({"text": f"{handle} post {n}: 73% of adults get sleep wrong, research shows why.",
                           "created_at": iso(at)})
        ids = post(base + "/sandbox/import", {"user_key": f"oauth1:token-{handle}", "tweets": tweets})["ids"]
        rows += [{"handle": handle, "n": n, "id": i, "text": t["text"], "posted_at": t["created_at"]}
                 for n, (t, i) in enumerate(zip(tweets, ids))]
    psql(db, RECENT.format(rows=json.dumps(rows)))
    # The recent posts as scrape-metrics would have left them at START.
    env = tool_env(db, base, secrets)
    run = subprocess.run([os.path.join(BIN, "scrape-metrics"), "--all-accounts", "-j", "2", "--now", iso(START)],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        sys.exit("seeding scrape-metrics failed: " + run.stderr[-2000:])
    psql(db, "DELETE FROM job_runs; ANALYZE")


def tool_env(db, base, secrets):
    env = dict(os.environ, DATABASE_URL=db, X_API_BASE_URL=base, X_CONSUMER_KEY="bench",
               X_CONSUMER_SECRET="bench", X_ACCESS_TOKEN_SECRET="bench",
               X_ACCESS_TOKEN_FILE=os.path.join(secrets, "{account}", "x_access_token"))
    env.pop("X_ACCESS_TOKEN", None)
    env.pop("GROWTHLOOP_METRICS_DIR", None)
    return env


def postmaster_cpu(pid):
    """CPU seconds of the postmaster's reaped children (the backends that served finished sessions)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")  # cutime + cstime


def run_line(line, now, jobs, env, pm_pid, totals):
    """Runs one crontab line (a tool or a pipe of two) for every account; adds to totals."""
    db_before = postmaster_cpu(pm_pid)
    start = time.monotonic()
    procs = []
    prev_out = None
    for i, cmd in enumerate(line):
        last = i == len(line) - 1
        p = subprocess.Popen([os.path.join(BIN, cmd[0])] + cmd[1:] + ["--all-accounts", "-j", str(jobs),
                                                                      "--now", iso(now)],
                             env=env, stdin=prev_out, stdout=subprocess.DEVNULL if last else subprocess.PIPE,
                             stderr=subprocess.PIPE)
        if prev_out:
            prev_out.close()
        prev_out = p.stdout
        procs.append((cmd, p))
    for cmd, p in procs:
        err = p.stderr.read().decode(errors="replace")
        _, status, usage = os.wait4(p.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        t = totals.setdefault(label(cmd), {"runs": 0, "cpu": 0.0, "db_cpu": 0.0, "worst_wall": 0.0, "failed": 0})
        t["runs"] += 1
        t["cpu"] += usage.ru_utime + usage.ru_stime
        if code != 0:
            t["failed"] += 1
            print(f"  {iso(now)} {cmd[0]} exited {code}: {err.strip()[-300:]}", file=sys.stderr)
    wall = time.monotonic() - start
    # The database's share goes to the line; a pipe's to its first tool (most of it is scrape-metrics').
    time.sleep(0.05)  # let the postmaster reap the sessions that just closed
    first = totals[label(line[0])]
    first["db_cpu"] += postmaster_cpu(pm_pid) - db_before
    first["worst_wall"] = max(first["worst_wall"], wall)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=1000)
    ap.add_argument("--days", type=float, default=1, help="simulated days (default 1)")
    ap.add_argument("--hours", type=float, help="simulated hours instead of --days")
    ap.add_argument("--history-days", type=int, default=60, help="days of posts per account before the run")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="leave the cluster running")
    ap.add_argument("--no-build", action="store_true", help="use the binaries already in build/bin")
    ap.add_argument("--statements", type=int, default=0, metavar="N",
                    help="also print the N statements that took the database longest (planning and "
                         "execution, pg_stat_statements) over the simulated hours")
    args = ap.parse_args()
    hours = args.hours if args.hours is not None else 24 * args.days
    if not args.no_build:
        subprocess.run([os.path.join(ROOT, "scripts/setup")], check=True)
        subprocess.run([os.path.join(ROOT, "scripts/build"), "tools"], check=True, stdout=subprocess.DEVNULL)
    db_env = dict(os.environ, BUILD_DIR=DB_DIR)
    cluster = sh(os.path.join(ROOT, "scripts/db"), "start", env=db_env).strip()
    secrets = tempfile.mkdtemp(prefix="gl-fleet-")
    sandbox = subprocess.Popen([os.path.join(BIN, "x-sandbox"), "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        psql(cluster, "DROP DATABASE IF EXISTS bench_fleet")
        psql(cluster, "CREATE DATABASE bench_fleet")
        db = cluster.rsplit("/", 1)[0] + "/bench_fleet"
        sh(os.path.join(BIN, "migrate"), env=dict(os.environ, DATABASE_URL=db))
        base = json.loads(sandbox.stdout.readline())["url"]
        t0 = time.monotonic()
        seed(db, base, args.accounts, args.history_days, secrets)
        print(f"seeded {args.accounts} accounts: {psql(db, 'SELECT count(*) FROM content_metadata')} posts, "
              f"{psql(db, 'SELECT count(*) FROM tweet_metrics')} snapshots in {time.monotonic() - t0:.0f} s; "
              f"database {psql(db, 'SELECT pg_size_pretty(pg_database_size(current_database()))')}")
        data_dir = sh(os.path.join(ROOT, "scripts/db"), "status", env=db_env).strip().rsplit("data in ", 1)[1]
        with open(os.path.join(data_dir, "postmaster.pid")) as f:
            pm_pid = int(f.readline())
        env = tool_env(db, base, secrets)
        # One pass of every line 10 minutes before the start, not counted: the learners'
        # first runs (a predictor's penalty chosen from scratch, every formula extracted)
        # happen once in an account's life, not every day.
        warmup = {}
        t0 = time.monotonic()
        for _, _, line in CRONTAB:
            run_line(line, START - timedelta(minutes=10), args.jobs, env, pm_pid, warmup)
        print(f"warm-up pass (not counted): {time.monotonic() - t0:.0f} s wall, "
              f"{sum(t['cpu'] + t['db_cpu'] for t in warmup.values()) / args.accounts:.3f} CPU s per account",
              file=sys.stderr)
        psql(db, "DELETE FROM job_runs")  # p50/p99 are of the counted runs
        if args.statements:
            psql(db, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; "
                     "ALTER SYSTEM SET pg_stat_statements.track_planning = on; SELECT pg_reload_conf(); "
                     "SELECT pg_sleep(0.2); SELECT pg_stat_statements_reset()")
        totals = {}
        load_before = os.getloadavg()
        t0 = time.monotonic()
        ticks = int(hours * 12)
        for tick in range(ticks):
            now = START + timedelta(minutes=5 * tick)
            for minute, hour, line in CRONTAB:
                if minute(now.minute) and hour(now.hour):
                    run_line(line, now, args.jobs, env, pm_pid, totals)
            if tick % 12 == 11:
                print(f"  simulated {iso(now)}, {time.monotonic() - t0:.0f} s, load {os.getloadavg()[0]:.1f}",
                      file=sys.stderr)
        wall = time.monotonic() - t0
        load_after = os.getloadavg()

        durations = {}
        for row in psql(db, "SELECT tool, extract(epoch FROM finished_at - started_at) * 1000 FROM job_runs "
                            "WHERE finished_at IS NOT NULL").splitlines():
            tool, ms = row.split("|")
            durations.setdefault(tool, []).append(float(ms))
        statements = ""
        if args.statements:
            statements = psql(db, f"""
                SELECT to_char(total_plan_time / 1000, 'FM9990.00') || ' s plan, '
                    || to_char(total_exec_time / 1000, 'FM9990.00') || ' s run, ' || calls || ' calls: '
                    || left(regexp_replace(query, '\\s+', ' ', 'g'), 110)
                FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                ORDER BY total_plan_time + total_exec_time DESC LIMIT {args.statements}""")
        size = psql(db, "SELECT pg_size_pretty(pg_database_size(current_database()))")
        failed_runs = psql(db, "SELECT count(*) FROM job_runs WHERE status <> 'ok'")
        posted = psql(db, f"SELECT count(*) FROM content_metadata WHERE posted_at >= '{iso(START)}'")
    finally:
        sandbox.terminate()
        sandbox.wait()
        shutil.rmtree(secrets, ignore_errors=True)
        if not args.keep:
            subprocess.run([os.path.join(ROOT, "scripts/db"), "destroy"], env=db_env, check=False)

    n = args.accounts
    print(f"\n{n} accounts, {hours:g} simulated hours from {iso(START)} (-j {args.jobs}) in {wall:.0f} s wall; "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; posts published {posted}; "
          f"account runs not ok {failed_runs}")
    print("CPU s/acct/day = CPU per run x the crontab's runs per day / accounts; tool = the tools' processes,")
    print("db = the PostgreSQL backends that served them; p50/p99 = one account's run (job_runs; harvest's two")
    print("lines share one distribution)")
    print(f"{'tool':<18}{'runs':>5}{'runs/day':>9}{'tool CPU s':>11}{'db CPU s':>10}"
          f"{'tool/acct/day':>14}{'db/acct/day':>12}{'sum':>8}{'p50 ms':>8}{'p99 ms':>8}{'worst tick s':>13}")
    total_day = 0.0
    for key in [label(cmd) for _, _, line in CRONTAB for cmd in line]:
        t = totals.get(key)
        if not t:
            continue
        per_day = runs_per_day(key)
        tool_day = t["cpu"] / t["runs"] * per_day / n
        db_day = t["db_cpu"] / t["runs"] * per_day / n
        total_day += tool_day + db_day
        ds = sorted(durations.get(key.split()[0], []))
        p50 = statistics.median(ds) if ds else float("nan")
        p99 = ds[min(len(ds) - 1, int(0.99 * len(ds)))] if ds else float("nan")
        print(f"{key:<18}{t['runs']:>5}{per_day:>9}{t['cpu']:>11.1f}{t['db_cpu']:>10.1f}"
              f"{tool_day:>14.3f}{db_day:>12.3f}{tool_day + db_day:>8.3f}{p50:>8.0f}{p99:>8.0f}"
              f"{t['worst_wall']:>13.1f}")
    print(f"{'whole chain':<18}{'':>49}{total_day:>8.3f}  CPU s per account per day")
    print(f"database size {size}")
    if statements:
        print(f"the {args.statements} statements that took the database longest:\n{statements}")


if __name__ == "__main__":
    main()
