#!/usr/bin/env python3
"""10,000 posted tweets due -> one scrape-metrics run against x-sandbox.

Prints: X API requests (must be <= 101), wall time, peak memory, the time
scrape-metrics spent writing its batches, and the time PostgreSQL's COPY takes
to load the same rows (the floor for the writes).

Run from a clean clone: bench/scrape_10k.py   (installs, builds, starts the database)
"""
import json, os, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build"))
BIN = os.path.join(BUILD, "bin")
N = int(os.environ.get("BENCH_POSTS", "10000"))


def sh(*args, **kw):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kw).stdout


def psql(url, sql):
    return sh("psql", url, "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql).strip()


def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))


def main():
    subprocess.run([os.path.join(ROOT, "scripts/setup")], check=True)
    subprocess.run([os.path.join(ROOT, "scripts/build")], check=True, stdout=subprocess.DEVNULL)
    cluster = sh(os.path.join(ROOT, "scripts/db"), "start").strip()
    psql(cluster, "DROP DATABASE IF EXISTS bench_scrape")
    psql(cluster, "CREATE DATABASE bench_scrape")
    db = cluster.rsplit("/", 1)[0] + "/bench_scrape"
    env = dict(os.environ, DATABASE_URL=db, X_CONSUMER_KEY="bench", X_CONSUMER_SECRET="bench",
               X_ACCESS_TOKEN="bench-token", X_ACCESS_TOKEN_SECRET="bench")
    sh(os.path.join(BIN, "migrate"), env=env)
    sh(os.path.join(BIN, "accounts"), "add", "bench", "--timezone", "America/New_York", env=env)

    sandbox = subprocess.Popen([os.path.join(BIN, "x-sandbox"), "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        base = json.loads(sandbox.stdout.readline())["url"]
        env["X_API_BASE_URL"] = base
        posted_at = "2026-11-18T12:00:00Z"
        texts = [f"Bench post {i}: 73% of adults get sleep wrong, research shows why." for i in range(N)]
        ids = post(base + "/sandbox/import", {"user_key": "oauth1:bench-token",
                                              "tweets": [{"text": t, "created_at": posted_at} for t in texts]})["ids"]
        rows = "\n".join(f"1\tdataNerd\tsleep\t{t}\tposted\t{posted_at}\t{posted_at}\t{i}" for t, i in zip(texts, ids))
        subprocess.run(["psql", db, "-qX", "-c", "\\copy content_metadata (account_id, generator_name, topic, content, "
                        "status, scheduled_at, posted_at, tweet_id) FROM STDIN"], input=rows + "\n", text=True, check=True)
        # As autovacuum would have long before 10,000 posts are due: the planner sees the rows.
        psql(db, "ANALYZE")

        start = time.monotonic()
        run = subprocess.Popen([os.path.join(BIN, "scrape-metrics"), "--now", "2026-11-20T12:00:00Z"], env=env,
                               stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(run.pid, 0)
        wall = time.monotonic() - start
        peak_kb = usage.ru_maxrss
        if status != 0:
            sys.exit("scrape-metrics failed")
        stats = json.loads(psql(db, "SELECT stats FROM job_runs WHERE tool = 'scrape-metrics' ORDER BY run_id DESC LIMIT 1"))
        sandbox_stats = json.load(urllib.request.urlopen(base + "/sandbox/stats"))
        collected = int(psql(db, "SELECT count(*) FROM outcomes"))

        # The floor: COPY the same rows into empty tables of the same shape
        # (indexes and checks); then again with their foreign keys to
        # content_metadata, whose per-row checks the writes pay as well.
        # Each figure is net of psql's own start and connection (the least of 5 empty runs).
        starts = []
        for _ in range(5):
            t0 = time.monotonic()
            psql(db, "SELECT 1")
            starts.append((time.monotonic() - t0) * 1000)
        start_ms = min(starts)
        copy_ms, copy_fk_ms = 0.0, 0.0
        for table in ("tweet_metrics", "outcomes", "learning_posts"):
            data = sh("psql", db, "-qX", "-c", f"\\copy {table} TO STDOUT")
            for with_keys in (False, True):
                psql(db, f"DROP TABLE IF EXISTS copy_{table}; CREATE TABLE copy_{table} (LIKE {table} INCLUDING ALL)")
                if with_keys:
                    psql(db, f"ALTER TABLE copy_{table} ADD FOREIGN KEY (account_id, decision_id) "
                             "REFERENCES content_metadata (account_id, decision_id)")
                t0 = time.monotonic()
                subprocess.run(["psql", db, "-qX", "-c", f"\\copy copy_{table} FROM STDIN"], input=data, text=True,
                               check=True)
                elapsed = (time.monotonic() - t0) * 1000 - start_ms
                if with_keys:
                    copy_fk_ms += elapsed
                else:
                    copy_ms += elapsed
                psql(db, f"DROP TABLE copy_{table}")
        # ... and content_metadata's share: its state columns from a COPY, in one UPDATE (rolled back).
        state = ("actual_impressions, actual_likes, actual_retweets, actual_replies, actual_quotes, actual_bookmarks, "
                 "actual_profile_clicks, actual_engagement_rate, metrics_state, unavailable_reason, "
                 "last_collected_at, next_collect_at, collect_count, not_found_at, updated_at")
        with tempfile.TemporaryDirectory() as tmp:
            rows_file = os.path.join(tmp, "state.tsv")
            with open(rows_file, "w") as f:
                f.write(sh("psql", db, "-qX", "-c", f"\\copy (SELECT decision_id, {state} FROM content_metadata) TO STDOUT"))
            script = os.path.join(tmp, "update.sql")
            with open(script, "w") as f:
                f.write("BEGIN;\nCREATE TEMP TABLE s AS SELECT decision_id, " + state + " FROM content_metadata LIMIT 0;\n"
                        f"\\copy s FROM '{rows_file}'\n"
                        "UPDATE content_metadata cm SET " +
                        ", ".join(f"{c} = s.{c}" for c in (c.strip() for c in state.split(","))) +
                        " FROM s WHERE cm.account_id = 1 AND cm.decision_id = s.decision_id;\nROLLBACK;\n")
            t0 = time.monotonic()
            subprocess.run(["psql", db, "-qX", "-v", "ON_ERROR_STOP=1", "-f", script], check=True, capture_output=True)
            update_ms = (time.monotonic() - t0) * 1000 - start_ms
    finally:
        sandbox.terminate()
        sandbox.wait()

    requests = sum(sandbox_stats["requests"].values())
    print(f"posts due                  {N}")
    print(f"posts collected            {collected}")
    print(f"X API requests             {requests}  (limit 101: {'ok' if requests <= 101 else 'OVER'})")
    print(f"wall time                  {wall:.2f} s")
    print(f"peak memory (max RSS)      {peak_kb / 1024:.1f} MiB")
    print(f"  of which X lookups       {stats['lookup_ms']} ms")
    print(f"  of which batch writes    {stats['write_ms']} ms  (4 tables, {stats['batches']} transactions)")
    print(f"  follower attribution     {stats['attribution_ms']} ms")
    print(f"COPY of the same rows      {copy_ms:.0f} ms  (tweet_metrics + outcomes + learning_posts, psql \\copy, net of psql's start: {start_ms:.0f} ms each)")
    print(f"  with their foreign keys  {copy_fk_ms:.0f} ms  (each row's key checked in content_metadata, as the writes' are)")
    print(f"  content_metadata's state {update_ms:.0f} ms  (COPY into a temporary table, one UPDATE of the 10,000 rows)")
    floor = copy_fk_ms + update_ms
    print(f"the four tables from COPY  {floor:.0f} ms  (writes / floor: {stats['write_ms'] / floor:.1f}x; "
          f"writes / plain COPY: {stats['write_ms'] / copy_ms:.1f}x)")


if __name__ == "__main__":
    main()
