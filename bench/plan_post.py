#!/usr/bin/env python3
"""plan-post's wall time for one plan (--dry-run, fixed seed) on an account with a
long history and on a small one, median of --runs runs, and its process's CPU time
(the rest is the database's and the waits), with the plans it printed
saved under --out (compare them before and after a change: same seed, same data,
same plan).

The history is learners_1m.py's synthetic one. Before timing, learn-hourly runs once
per account, as cron runs it, so the posts' text analyses are stored
(jobs/post_text.h); --cold skips it.

Run: bench/plan_post.py [--posts 10000 --small 200 --runs 5 --out DIR] [--reuse]
"""
import argparse, os, resource, statistics, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from learners_1m import ACCOUNTS, BIN, GENERATE, NOW, ROOT, psql  # noqa: E402

DATABASE = "bench_plan_post"


def plan_post(db, account):
    """(wall seconds, the process's CPU seconds, its output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    p = subprocess.run([os.path.join(BIN, "plan-post"), "--account", account, "--now", NOW, "--dry-run",
                        "--seed", "1"], env=dict(os.environ, DATABASE_URL=db), capture_output=True, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"plan-post --account {account} failed: {p.stderr}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--posts", type=int, default=10000, help="posts of the large account")
    ap.add_argument("--small", type=int, default=200, help="posts of the small account")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", help="folder to write each account's plan-post output to")
    ap.add_argument("--reuse", action="store_true", help="keep the database of a previous run")
    ap.add_argument("--cold", action="store_true", help="do not store the posts' text analyses first")
    args = ap.parse_args()
    cluster = subprocess.run([os.path.join(ROOT, "scripts/db"), "start"], check=True, capture_output=True,
                             text=True).stdout.strip()
    db = cluster.rsplit("/", 1)[0] + "/" + DATABASE
    accounts = {"bench1": args.posts, "small1": args.small}
    if not args.reuse:
        psql(cluster, f"DROP DATABASE IF EXISTS {DATABASE}")
        psql(cluster, f"CREATE DATABASE {DATABASE}")
        subprocess.run([os.path.join(BIN, "migrate")], env=dict(os.environ, DATABASE_URL=db), check=True,
                       capture_output=True)
        for handle, posts in accounts.items():
            prefix = handle.rstrip("1")
            psql(db, ACCOUNTS.format(accounts=1).replace("'bench'", f"'{prefix}'") +
                 GENERATE.format(first=1, last=posts, handles=f"'{handle}'", now=NOW,
                                 posted="NULL::timestamptz") + "ANALYZE;")
            if not args.cold:
                subprocess.run([os.path.join(BIN, "learn-hourly"), "--account", handle, "--now", NOW],
                               env=dict(os.environ, DATABASE_URL=db), check=True, capture_output=True)
    print(f"plan-post --dry-run --seed 1 --now {NOW}, median of {args.runs} runs, "
          f"{os.getloadavg()[0]:.1f} load")
    for handle, posts in accounts.items():
        walls, cpus, outputs = [], [], set()
        for _ in range(args.runs):
            wall, cpu, out = plan_post(db, handle)
            walls.append(wall)
            cpus.append(cpu)
            outputs.add(out)
        if len(outputs) != 1:
            sys.exit(f"{handle}: plan-post printed different plans with the same seed")
        if args.out:
            os.makedirs(args.out, exist_ok=True)
            with open(os.path.join(args.out, f"{handle}.json"), "w") as f:
                f.write(outputs.pop())
        print(f"{handle:<10}{posts:>7} posts {statistics.median(walls):>8.3f} s  "
              f"(min {min(walls):.3f}, max {max(walls):.3f}), plan-post's CPU "
              f"{statistics.median(cpus):.3f} s")


if __name__ == "__main__":
    main()
