#!/usr/bin/env python3
"""What pooling buys a new account (issue 10): in one database and one x-sandbox audience, a
learning account ("veteran") posts from day 0; on day --join three accounts join, a learning
account that pools ("pooled", starting from the veteran's effects), one that does not ("alone"),
and the oracle (the best possible policy, for scale). Prints, per period after joining, the
expected value of the newcomers' posts (bench/simulate.py's scored_posts) and pooled / alone.

    bench/pooling.py --seeds 1,2 --join 10 --days 20 [--truth bench/audiences/X.json]
"""
import argparse, concurrent.futures, datetime as dt, json, math, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simulate  # noqa: E402

ACCOUNTS = {"veteran": ("learning", True, 0), "pooled": ("learning", True, None),
            "alone": ("learning", False, None), "oracle": ("oracle", False, None)}


def run_seed(seed, days, join, cluster, truth, tag):
    dbname = f"sim_pool_{tag}_{seed}"
    subprocess.run(["psql", cluster, "-qXc", f"DROP DATABASE IF EXISTS {dbname}"], check=True, capture_output=True)
    subprocess.run(["psql", cluster, "-qXc", f"CREATE DATABASE {dbname}"], check=True, capture_output=True)
    db = cluster.rsplit("/", 1)[0] + "/" + dbname
    truth_file = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"gl_truth_pool_{tag}_{seed}_{os.getpid()}.json")
    with open(truth_file, "w") as f:
        json.dump(truth or {}, f)
    sandbox = subprocess.Popen([os.path.join(simulate.BIN, "x-sandbox"), "--port", "0", "--seed", str(seed),
                                "--truth", truth_file], stdout=subprocess.PIPE, text=True)
    try:
        base = json.loads(sandbox.stdout.readline())["url"]
        env = dict(os.environ, DATABASE_URL=db)
        subprocess.run([os.path.join(simulate.BIN, "migrate")], env=env, check=True, capture_output=True)
        accounts, start_step = [], {}
        for name, (policy, pooling, start_day) in ACCOUNTS.items():
            topics = sum((["--topic", t] for t in simulate.TOPICS), [])
            subprocess.run([os.path.join(simulate.BIN, "accounts"), "add", name, "--timezone", "America/New_York",
                            *topics, "--pooling", "on" if pooling else "off"], env=env, check=True, capture_output=True)
            a = simulate.Account(name, db, base, seed, lean=True, pooling=pooling)
            a.policy = policy
            accounts.append(a)
            start_step[name] = int((join if start_day is None else start_day) * 24)
        steps = int(days * 24)
        # In lockstep: every account active at an hour runs it before any runs the next, so a
        # newcomer pools what the others had learned by then, not later.
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(accounts)) as pool:
            for i in range(steps):
                now = simulate.START + dt.timedelta(hours=i)
                active = [a for a in accounts if i >= start_step[a.name]]
                list(pool.map(lambda a: a.step(now, (i * 60) % (24 * 60), 60), active))
        posts = simulate.scored_posts(base, accounts, simulate.START + dt.timedelta(days=days))
        daily = simulate.bucketed(posts, list(ACCOUNTS), 86400, math.ceil(days))
        return {"seed": seed, "daily": daily, "failures": sum(a.failures for a in accounts)}
    finally:
        sandbox.terminate()
        sandbox.wait()
        os.unlink(truth_file)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--days", type=int, default=20)
    ap.add_argument("--join", type=int, default=10, help="the day the newcomers join")
    ap.add_argument("--truth", help="x-sandbox's hidden truth (bench/audiences/*.json)")
    ap.add_argument("--json")
    ap.add_argument("--tag", default="run", help="names the databases (sim_pool_TAG_SEED): runs side by side")
    args = ap.parse_args()
    cluster = os.environ.get("DATABASE_URL") or subprocess.run([os.path.join(simulate.ROOT, "scripts/db"), "url"],
                                                               capture_output=True, text=True).stdout.strip()
    truth = json.load(open(args.truth)) if args.truth else None
    results = [run_seed(int(s), args.days, args.join, cluster, truth, args.tag) for s in args.seeds.split(",")]
    # Periods after joining: the first 3 days, the next 4, the rest.
    n = args.days - args.join
    periods = [(0, min(3, n)), (3, min(7, n)), (7, n)]
    periods = [(a, b) for a, b in periods if b > a]
    periods += [(0, n)] if len(periods) > 1 else []
    print(f"Newcomers joining on day {args.join} of {args.days}; expected value of their posts "
          f"(simulate.scored_posts), per period of days since joining")
    print(f"{'seed':>4} {'days':>7} {'pooled':>9} {'alone':>9} {'oracle':>9} {'pooled/alone':>13} "
          f"{'pooled %best':>13} {'alone %best':>12} {'posts p/a':>10}")
    total = {}
    for r in results:
        for a, b in periods:
            s = {k: sum(r["daily"][k][d]["expected"] for d in range(args.join + a, args.join + b))
                 for k in ("pooled", "alone", "oracle")}
            posts = {k: sum(r["daily"][k][d]["posts"] for d in range(args.join + a, args.join + b))
                     for k in ("pooled", "alone")}
            for k, v in s.items():
                total.setdefault((a, b), {}).setdefault(k, 0.0)
                total[(a, b)][k] += v
            print(f"{r['seed']:>4} {a:>3}-{b:<3} {s['pooled']:>9.0f} {s['alone']:>9.0f} {s['oracle']:>9.0f} "
                  f"{s['pooled'] / max(1e-9, s['alone']):>13.2f} {100 * s['pooled'] / max(1e-9, s['oracle']):>12.0f}% "
                  f"{100 * s['alone'] / max(1e-9, s['oracle']):>11.0f}% {posts['pooled']:>5}/{posts['alone']}")
    for (a, b), s in total.items():
        print(f"{'all':>4} {a:>3}-{b:<3} {s['pooled']:>9.0f} {s['alone']:>9.0f} {s['oracle']:>9.0f} "
              f"{s['pooled'] / max(1e-9, s['alone']):>13.2f} {100 * s['pooled'] / max(1e-9, s['oracle']):>12.0f}% "
              f"{100 * s['alone'] / max(1e-9, s['oracle']):>11.0f}%")
    simulate.finish(results, args.json)


if __name__ == "__main__":
    main()
