#!/usr/bin/env python3
"""Learners over a fleet of unequal accounts: 60 accounts of 200 posts and one of 10,000
(zbig, the last by handle, so its runs come after the others' in a worker's session, where
PostgreSQL may have switched the learners' prepared statements to a generic plan made on
small accounts). Per learner, three rounds of: one new post for every account, the tool over
all accounts (-j 1: one worker, one session), then one new post for zbig and zbig alone (a
session of its own). Prints zbig's run time in both and the small accounts' median
(job_runs).

Run from a clean clone: bench/plan_skew.py   (builds; its own cluster in build/skew-db)
"""
import os, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import learners_1m as l1m  # noqa: E402  (its synthetic history)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build"))
BIN = os.path.join(BUILD, "bin")
DB_ENV = dict(os.environ, BUILD_DIR=os.path.join(BUILD, "skew-db"))
TOOLS = ["learn-hourly", "aggregate", "update-generators", "extract-formulas"]


def main():
    if "--no-build" not in sys.argv:
        subprocess.run([os.path.join(ROOT, "scripts/setup")], check=True)
        subprocess.run([os.path.join(ROOT, "scripts/build"), "tools"], check=True, stdout=subprocess.DEVNULL)
    cluster = subprocess.run([os.path.join(ROOT, "scripts/db"), "start"], env=DB_ENV, check=True,
                             capture_output=True, text=True).stdout.strip()
    try:
        db = cluster.rsplit("/", 1)[0] + "/skew"
        l1m.psql(cluster, "DROP DATABASE IF EXISTS skew")
        l1m.psql(cluster, "CREATE DATABASE skew")
        env = dict(os.environ, DATABASE_URL=db)
        subprocess.run([os.path.join(BIN, "migrate")], env=env, check=True, capture_output=True)
        l1m.psql(db, l1m.ACCOUNTS.format(accounts=60) + l1m.GENERATE.format(
            first=1, last=200, handles="'bench%'", now=l1m.NOW, posted="NULL::timestamptz"))
        l1m.psql(db, "INSERT INTO accounts (handle, timezone, topics) VALUES ('zbig', 'America/New_York', "
                     "ARRAY['sleep', 'focus', 'strength', 'nutrition']);" + l1m.GENERATE.format(
                         first=1, last=10000, handles="'zbig'", now=l1m.NOW, posted="NULL::timestamptz") + "ANALYZE;")

        def run(args, now):
            subprocess.run([os.path.join(BIN, args[0])] + args[1:] + ["--now", now], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

        def ms(tool, who):
            return float(l1m.psql(db, f"""
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at) * 1000)
                FROM job_runs j JOIN accounts a USING (account_id) WHERE tool = '{tool}' AND {who}
                  AND business_now = (SELECT max(business_now) FROM job_runs WHERE tool = '{tool}')"""))

        print(f"{'tool':<18}{'zbig in the worker ms':>24}{'zbig alone ms':>18}{'small accounts ms':>20}")
        h = 1
        for tool in TOOLS:
            run([tool, "--all-accounts", "--full"], l1m.at(h))  # first runs: every choice made from scratch
            h += 3
            fleet, alone, small = [], [], []
            for _ in range(3):
                n = -h
                l1m.psql(db, l1m.GENERATE.format(first=n, last=n, handles="'%'", now=l1m.at(h),
                                                 posted=f"timestamptz '{l1m.at(h - 2.5)}'"))
                run([tool, "--all-accounts"], l1m.at(h))
                fleet.append(ms(tool, "a.handle = 'zbig'"))
                small.append(ms(tool, "a.handle <> 'zbig'"))
                h += 1
                l1m.psql(db, l1m.GENERATE.format(first=n - 100000, last=n - 100000, handles="'zbig'",
                                                 now=l1m.at(h), posted=f"timestamptz '{l1m.at(h - 2.5)}'"))
                run([tool, "--account", "zbig"], l1m.at(h))
                alone.append(ms(tool, "a.handle = 'zbig'"))
                h += 1
            show = lambda xs: ", ".join(f"{x:.0f}" for x in xs)
            print(f"{tool:<18}{show(fleet):>24}{show(alone):>18}{show(small):>20}", flush=True)
    finally:
        subprocess.run([os.path.join(ROOT, "scripts/db"), "destroy"], env=DB_ENV, check=False, capture_output=True)


if __name__ == "__main__":
    main()
