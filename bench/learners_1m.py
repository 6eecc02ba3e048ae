#!/usr/bin/env python3
"""Synthetic history: 100 accounts x 10,000 posts (1M posts, 3 metric snapshots
each), then each learning tool's wall time and peak memory per account and
for all accounts, next to the plain SQL aggregate it needs (the floor).

Run from a clean clone: bench/learners_1m.py  [--accounts 100 --posts 10000]
"""
import argparse, concurrent.futures, datetime, os, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(os.environ.get("BUILD_DIR", os.path.join(ROOT, "build")), "bin")
TOOLS = ["update-generators", "extract-formulas", "learn-hourly", "aggregate"]
NOW = "2026-11-20T12:00:00Z"

GENERATE = """
CREATE TEMP TABLE p AS
SELECT a.account_id, n, gen_random_uuid() AS decision_id,
       (1900000000000000000 + a.account_id * 100000 + n)::text AS tweet_id,
       (ARRAY['sleep', 'focus', 'strength', 'nutrition'])[1 + abs(n) % 4] AS topic,
       (SELECT array_agg(generator_name ORDER BY generator_name) FROM generators)[1 + (abs(n) / 4) % 22] AS generator,
       (ARRAY['surprising_stat', 'question', 'list', 'how_to', 'myth_busting', 'statement'])[1 + (abs(n) / 7) % 6] AS hook,
       coalesce({posted}, timestamptz '{now}' - make_interval(mins => n * 13 + 180)) AS posted_at,
       (300 + 2000 * random() * (1 + (n % 4 = 0)::int))::bigint AS impressions
FROM accounts a, generate_series({first}, {last}) n WHERE a.handle LIKE {handles};

INSERT INTO content_metadata (account_id, decision_id, generator_name, topic, hook_type, content, status,
  scheduled_at, posted_at, tweet_id, metrics_state, last_collected_at, next_collect_at, actual_impressions,
  actual_likes, tags, created_at, updated_at)
SELECT account_id, decision_id, generator, topic, hook,
       topic || ' note ' || n || ': 73% of adults get this wrong. Research shows why.', 'posted',
       posted_at, posted_at, tweet_id, 'collected', timestamptz '{now}', timestamptz '{now}' + interval '1 day',
       impressions, impressions / 40, ARRAY[hook, 'medium'], posted_at, posted_at FROM p;

INSERT INTO outcomes (account_id, decision_id, tweet_id, impressions, likes, retweets, replies, quotes,
  bookmarks, profile_clicks, engagement_rate, followers_gained, available, passed_gates, successful, collected_at)
SELECT account_id, decision_id, tweet_id, impressions, impressions / 40, impressions / 300, impressions / 500, 0,
       impressions / 400, impressions / 250, (impressions / 40 + impressions / 300 + impressions / 500
       + impressions / 400)::float8 / impressions, impressions / 800.0, true, true, true, timestamptz '{now}' FROM p;

INSERT INTO learning_posts (account_id, tweet_id, decision_id, content, generator_name, topic, hook_type, format,
  tags, posted_at, posted_hour_local, posted_weekday_local, impressions, likes, retweets, replies, quotes,
  bookmarks, profile_clicks, engagement_rate, followers_gained, available, passed_gates, successful, collected_at)
SELECT o.account_id, o.tweet_id, o.decision_id, cm.content, cm.generator_name, cm.topic, cm.hook_type, 'single',
       cm.tags, cm.posted_at, extract(hour FROM cm.posted_at AT TIME ZONE 'America/New_York'),
       extract(dow FROM cm.posted_at AT TIME ZONE 'America/New_York'), o.impressions, o.likes, o.retweets,
       o.replies, o.quotes, o.bookmarks, o.profile_clicks, o.engagement_rate, o.followers_gained, true, true, true,
       o.collected_at
FROM outcomes o JOIN content_metadata cm USING (account_id, decision_id) JOIN p USING (account_id, decision_id);

INSERT INTO tweet_metrics (account_id, tweet_id, collected_at, decision_id, age_hours, impressions, likes,
  retweets, replies, quotes, bookmarks, profile_clicks, engagement_rate, metrics_source)
SELECT account_id, tweet_id, posted_at + make_interval(hours => h), decision_id, h,
       impressions * h / 24, impressions * h / 24 / 40, 0, 0, 0, 0, impressions * h / 24 / 250, 0.03, 'organic'
FROM p, unnest(ARRAY[1, 6, 24]) h;
"""
ACCOUNTS = """
INSERT INTO accounts (handle, timezone, topics)
SELECT 'bench' || a, 'America/New_York', ARRAY['sleep', 'focus', 'strength', 'nutrition']
FROM generate_series(1, {accounts}) a;
"""

# The floor: the plain aggregates the learners need, for one account and for all.
FLOOR = {
    "update-generators": "SELECT generator_name, count(*), avg(impressions), avg(engagement_rate) FROM learning_posts "
                         "WHERE account_id = {a} AND passed_gates GROUP BY 1",
    "extract-formulas": "SELECT hook_type, count(*), avg(impressions) FROM learning_posts WHERE account_id = {a} "
                        "AND successful GROUP BY 1",
    "learn-hourly": "SELECT topic, posted_hour_local, count(*), avg(impressions) FROM learning_posts "
                    "WHERE account_id = {a} AND passed_gates GROUP BY 1, 2",
    "aggregate": "SELECT topic, generator_name, posted_hour_local, sum(impressions) FROM learning_posts "
                 "WHERE account_id = {a} AND passed_gates GROUP BY 1, 2, 3",
}


def psql(db, sql):
    return subprocess.run(["psql", db, "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                          capture_output=True, text=True).stdout


def run_tool(db, tool, account, now=NOW, extra=()):
    env = dict(os.environ, DATABASE_URL=db)
    start = time.monotonic()
    p = subprocess.Popen([os.path.join(BIN, tool), "--account", account, "--now", now, *extra], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    err = p.stderr.read().decode()
    if status != 0:
        sys.exit(f"{tool} --account {account} failed: {err}")
    return time.monotonic() - start, usage.ru_maxrss / 1024


def timed_sql(db, sql):
    start = time.monotonic()
    psql(db, sql)
    return time.monotonic() - start


def catch_up_embeddings(db, account, now):
    """aggregate embeds at most 2,000 posts a run: a new history of 10,000 is a backlog of five
    runs, once in an account's life. Cleared here (not timed) so that the runs timed after are
    the ones an account meets every day."""
    def left():
        return int(psql(db, f"SELECT count(*) FROM content_metadata cm JOIN accounts a USING (account_id) "
                            f"WHERE a.handle = '{account}' AND NOT EXISTS (SELECT 1 FROM content_embeddings e "
                            f"WHERE e.account_id = cm.account_id AND e.decision_id = cm.decision_id)"))
    for _ in range(20):
        if left() == 0:
            return
        run_tool(db, "aggregate", account, now, ["--full"])
    sys.exit(f"aggregate left posts of {account} without an embedding after 20 runs")


def has_flag(tool, flag):
    return flag in subprocess.run([os.path.join(BIN, tool), "--help"], capture_output=True, text=True).stdout


def at(hours):
    start = datetime.datetime.strptime(NOW, "%Y-%m-%dT%H:%M:%SZ")
    return (start + datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--accounts", type=int, default=100)
    ap.add_argument("--posts", type=int, default=10000)
    ap.add_argument("--sample", type=int, default=5, help="accounts timed one by one")
    ap.add_argument("--reuse", action="store_true", help="keep the database of a previous run (no setup, no build)")
    ap.add_argument("--all", action="store_true", help="also time all accounts, 2 at a time")
    args = ap.parse_args()
    if not args.reuse:
        subprocess.run([os.path.join(ROOT, "scripts/setup")], check=True)
        subprocess.run([os.path.join(ROOT, "scripts/build")], check=True, stdout=subprocess.DEVNULL)
    cluster = subprocess.run([os.path.join(ROOT, "scripts/db"), "start"], check=True, capture_output=True,
                             text=True).stdout.strip()
    db = cluster.rsplit("/", 1)[0] + "/bench_learners"
    if not args.reuse:
        psql(cluster, "DROP DATABASE IF EXISTS bench_learners")
        psql(cluster, "CREATE DATABASE bench_learners")
    subprocess.run([os.path.join(BIN, "migrate")], env=dict(os.environ, DATABASE_URL=db), check=True,
                   capture_output=True)
    if not args.reuse:
        t0 = time.monotonic()
        psql(db, ACCOUNTS.format(accounts=args.accounts) +
             GENERATE.format(first=1, last=args.posts, handles="'bench%'", now=NOW, posted="NULL::timestamptz"))
        # As autovacuum would soon after such a write (its insert threshold): with the
        # visibility map set, the learners' count and time reads are index-only scans.
        psql(db, "VACUUM ANALYZE")
        print(f"generated {args.accounts} accounts x {args.posts} posts "
              f"({psql(db, 'SELECT count(*) FROM learning_posts').strip()} posts, "
              f"{psql(db, 'SELECT count(*) FROM tweet_metrics').strip()} snapshots) in {time.monotonic() - t0:.0f} s")
    base = int(psql(db, "SELECT coalesce(max(count), 0) FROM (SELECT count(*) FROM job_runs GROUP BY account_id) c"))

    # Three runs per tool and account, as the crontab meets them: "first" (--full where the tool has
    # it: everything recomputed), "idle" an hour later with nothing new, "new post" after one more
    # post and its snapshots arrived. Each hour of a new run is distinct from every earlier one.
    print(f"\nper account (median of {args.sample} accounts with {args.posts} posts each), {os.getloadavg()[0]:.1f} load")
    print(f"{'tool':<20}{'first s':>9}{'idle s':>9}{'new post s':>11}{'peak MiB':>10}{'SQL floor s':>13}"
          f"{'new/floor':>10}")
    mid = lambda xs: sorted(xs)[len(xs) // 2]
    offset = 10 * base + 1  # hours after NOW, past every earlier run of this database
    rows = {tool: ([], [], [], [], []) for tool in TOOLS}
    for a in range(1, args.sample + 1):
        account = f"bench{a}"
        for k, tool in enumerate(TOOLS):
            first, idle, new, mems, floors = rows[tool]
            h = offset + 3 * k
            w, m = run_tool(db, tool, account, at(h), ["--full"] if has_flag(tool, "--full") else [])
            first.append(w)
            mems.append(m)
            if tool == "aggregate":
                catch_up_embeddings(db, account, at(h))
            w, m = run_tool(db, tool, account, at(h + 1))
            idle.append(w)
            n = -(offset + 3 * k)  # a post newer than the previous ones, passing the gates at h + 2
            psql(db, GENERATE.format(first=n, last=n, handles=f"'{account}'", now=at(h + 2),
                                     posted=f"timestamptz '{at(h + 2 - 2.5)}'"))
            w, m = run_tool(db, tool, account, at(h + 2))
            new.append(w)
            mems.append(m)
            floors.append(timed_sql(db, FLOOR[tool].format(a=a)))
    for tool in TOOLS:
        first, idle, new, mems, floors = rows[tool]
        print(f"{tool:<20}{mid(first):>9.3f}{mid(idle):>9.3f}{mid(new):>11.3f}{max(mems):>10.1f}"
              f"{mid(floors):>13.3f}{mid(new) / mid(floors):>9.1f}x")

    if not args.all:
        return
    print(f"\nall {args.accounts} accounts (2 at a time, as two cron workers would)")
    print(f"{'tool':<20}{'wall s':>10}{'peak MiB':>10}{'SQL floor s':>13}")
    for tool in TOOLS:
        start = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda a: run_tool(db, tool, f"bench{a}", at(offset + 20)),
                                    range(1, args.accounts + 1)))
        wall = time.monotonic() - start
        floor = timed_sql(db, FLOOR[tool].replace("account_id = {a} AND ", "").replace("GROUP BY 1", "GROUP BY account_id, 1"))
        print(f"{tool:<20}{wall:>10.1f}{max(m for _, m in results):>10.1f}{floor:>13.2f}")


if __name__ == "__main__":
    main()
