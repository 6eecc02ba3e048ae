#!/usr/bin/env python3
"""import-history on large archives: speed, and memory flat in the file's size.

    bench/import.py [--posts 10000,100000] [--zip] [--bin DIR]

For each size writes an X account archive (data/tweets.js with counts as
strings, data/account.js) of that many posts, their texts and counts taken in
turn from the 714 real tweets of tests/data/real-tweets, ids snowflakes
spread over the three years before --now. Imports it into a fresh database
and prints, per size: the archive's size, wall time, posts per second, peak
memory (max RSS of import-history), what the summary says was imported, and
the time of a second import of the same archive (idempotent: nothing changes).
Memory is flat when the peak does not grow with the archive. Where the time
goes: the CPU seconds of import-history itself (client) and of the
PostgreSQL processes that served it (its backend, and any other that exited
meanwhile, read from the postmaster's children's times).

Run from a clean clone (installs, builds, starts the database); --bin DIR
takes the tools in DIR as they are instead (to compare two builds).
"""
import argparse, calendar, csv, json, os, shutil, subprocess, sys, tempfile, time, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build"))
BIN = os.path.join(BUILD, "bin")
TICKS = os.sysconf("SC_CLK_TCK")
NOW = "2026-11-20T12:00:00Z"
NOW_MS = int(calendar.timegm(time.strptime(NOW, "%Y-%m-%dT%H:%M:%SZ"))) * 1000
TWITTER_EPOCH_MS = 1288834974657
SPAN_MS = 3 * 365 * 86400 * 1000


def sh(*args, **kw):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kw).stdout


def psql(url, sql):
    return sh("psql", url, "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql).strip()


def real_tweets():
    with open(os.path.join(ROOT, "tests/data/real-tweets/tweets.csv"), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_archive(folder, n, tweets):
    """An archive of n posts, oldest first, written as a stream."""
    data = os.path.join(folder, "data")
    os.makedirs(data, exist_ok=True)
    with open(os.path.join(data, "account.js"), "w") as f:
        f.write('window.YTD.account.part0 = [ {"account": {"accountId": "4242", "username": "bench"}} ]\n')
    step = SPAN_MS // n
    with open(os.path.join(data, "tweets.js"), "w", encoding="utf-8") as f:
        f.write("window.YTD.tweets.part0 = [\n")
        for i in range(n):
            r = tweets[i % len(tweets)]
            ms = NOW_MS - SPAN_MS + i * step
            tid = str(((ms - TWITTER_EPOCH_MS) << 22) + i % 4096)
            when = time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime(ms / 1000))
            t = {"id_str": tid, "id": tid, "full_text": f"{r['text']} #{i}", "created_at": when,
                 "favorite_count": r["likes"], "retweet_count": r["retweets"], "lang": r["lang"],
                 "entities": {"hashtags": [], "user_mentions": [], "urls": []}}
            f.write(("" if i == 0 else ",\n") + json.dumps({"tweet": t}, ensure_ascii=False))
        f.write("\n]\n")


def postmaster_cpu(url):
    """CPU seconds of the cluster's postmaster and its exited children (its backends)."""
    pid = psql(url, "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")
    with open(f"/proc/{pid}/stat") as f:
        ppid = f.read().rsplit(")", 1)[1].split()[1]
    with open(f"/proc/{ppid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / TICKS  # utime, stime, cutime, cstime


def run_import(args, env, cluster):
    """Runs import-history; wall seconds, peak RSS in KiB, its summary, its CPU
    seconds and PostgreSQL's."""
    pg_before = postmaster_cpu(cluster)
    start = time.monotonic()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    if status != 0:
        sys.exit(f"import-history failed ({status}): {err.decode()[-2000:]}")
    # The backend exits just after its client: wait until the postmaster has reaped it.
    for _ in range(100):
        if psql(cluster, "SELECT count(*) FROM pg_stat_activity WHERE datname = 'bench_import'") == "0":
            break
        time.sleep(0.05)
    pg = postmaster_cpu(cluster) - pg_before
    return wall, usage.ru_maxrss, json.loads(out.decode().splitlines()[0]), \
        usage.ru_utime + usage.ru_stime, pg


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", default="10000,100000", help="archive sizes, comma-separated")
    ap.add_argument("--zip", action="store_true", help="import the archive as X's zip, not the folder")
    ap.add_argument("--bin", help="the tools of this folder, as they are (no setup, no build)")
    a = ap.parse_args()
    sizes = [int(s) for s in a.posts.split(",")]

    global BIN
    if a.bin:
        BIN = os.path.abspath(a.bin)
    else:
        subprocess.run([os.path.join(ROOT, "scripts/setup")], check=True)
        subprocess.run([os.path.join(ROOT, "scripts/build")], check=True, stdout=subprocess.DEVNULL)
    cluster = sh(os.path.join(ROOT, "scripts/db"), "start").strip()
    tweets = real_tweets()
    rows = []
    for n in sizes:
        psql(cluster, "DROP DATABASE IF EXISTS bench_import")
        psql(cluster, "CREATE DATABASE bench_import")
        db = cluster.rsplit("/", 1)[0] + "/bench_import"
        env = dict(os.environ, DATABASE_URL=db)
        sh(os.path.join(BIN, "migrate"), env=env)
        sh(os.path.join(BIN, "accounts"), "add", "bench", "--x-user-id", "4242", "--topic", "science",
           "--topic", "music", env=env)
        work = tempfile.mkdtemp(prefix="gl_bench_import_")
        try:
            folder = os.path.join(work, "archive")
            write_archive(folder, n, tweets)
            path = folder
            if a.zip:
                path = os.path.join(work, "archive.zip")
                with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
                    for name in ("data/tweets.js", "data/account.js"):
                        z.write(os.path.join(folder, name), name)
            size_mb = os.path.getsize(os.path.join(folder, "data/tweets.js")) / 2**20
            args = [os.path.join(BIN, "import-history"), "--account", "bench", "--now", NOW, path]
            wall, peak_kb, summary, client, pg = run_import(args, env, cluster)
            again, _, summary2, _, _ = run_import(args, env, cluster)
            stored = int(psql(db, "SELECT count(*) FROM content_metadata"))
        finally:
            shutil.rmtree(work)
        rows.append((n, size_mb, wall, peak_kb, summary, again, summary2, stored, client, pg))

    print(f"{'posts':>8} {'tweets.js':>10} {'wall':>8} {'posts/s':>9} {'max RSS':>9} {'client':>8} "
          f"{'pg':>7} {'imported':>9} {'stored':>8} {'again':>7} {'changed':>8}")
    for n, size_mb, wall, peak_kb, s, again, s2, stored, client, pg in rows:
        changed = s2.get("imported", 0) + s2.get("updated", 0)
        print(f"{n:>8} {size_mb:>8.1f}MB {wall:>7.2f}s {n / wall:>9.0f} {peak_kb / 1024:>7.1f}MB "
              f"{client:>7.2f}s {pg:>6.2f}s {s.get('imported', 0):>9} {stored:>8} {again:>6.2f}s {changed:>8}")
    print(f"(import-history --account bench --now {NOW} {'ARCHIVE.zip' if a.zip else 'ARCHIVE/'}; "
          f"'client' and 'pg' are the CPU seconds of import-history and of PostgreSQL's processes; "
          f"'again' is a second import of the same archive, 'changed' what it imported or updated)")


if __name__ == "__main__":
    main()
