#!/usr/bin/env python3
"""10,000 posted tweets due -> one scrape-metrics run against x-sandbox.

Prints: X API requests (must be <= 101), wall time, peak memory, the time
scrape-metrics spent writing its batches, and the time PostgreSQL's COPY takes
to load the same rows (the floor for the writes).

Run from a clean clone: bench/scrape_10k.py   (installs, builds, starts the database)
"""
import json, os, subprocess, sys, time, urllib.request

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

        # The floor: COPY the same rows into empty tables of the same shape.
        copy_ms = 0.0
        for table in ("tweet_metrics", "outcomes", "learning_posts"):
            data = sh("psql", db, "-qX", "-c", f"\\copy {table} TO STDOUT")
            psql(db, f"DROP TABLE IF EXISTS copy_{table}; CREATE TABLE copy_{table} (LIKE {table} INCLUDING ALL)")
            t0 = time.monotonic()
            subprocess.run(["psql", db, "-qX", "-c", f"\\copy copy_{table} FROM STDIN"], input=data, text=True, check=True)
            copy_ms += (time.monotonic() - t0) * 1000
            psql(db, f"DROP TABLE copy_{table}")
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
    print(f"COPY of the same rows      {copy_ms:.0f} ms  (tweet_metrics + outcomes + learning_posts, psql \\copy)")


if __name__ == "__main__":
    main()
