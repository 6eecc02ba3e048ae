#!/usr/bin/env python3
"""Two builds' learning policy, paired by audience and seed: does a change to the learner help?

    bench/ab.py --a DIR --b DIR [--audiences default,drifting,...] [--seeds 1-12] [--days 30] [-j 2]

DIR holds the tools of one build (its bin/, or a copy of it taken before the tree is rebuilt).
For every audience (a preset of bench/audiences/, or `default`, x-sandbox's own) and seed, each
build's learning policy alone runs through bench/simulate.py (--lean, --policies learning) in a
throwaway cluster of its own (build/ab-db); the two runs of a pair see the same audience and
seed. Prints per audience each seed's totals (the posts' expected value, what every policy
maximises), A/B over the sum, over the second half of the days (after a drift preset's turn),
how many seeds A won of those where the builds differed and the sign test's two-sided p.

A run is deterministic for one build, audience and seed, but two builds part ways at the
first plan that differs, and from there a seed's total moves by tens of percent either way:
one seed says nothing about a change, a dozen a little (p under 0.05 needs 10 of 12).
"""
import argparse, concurrent.futures, json, math, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build"))
AUDIENCES = os.path.join(ROOT, "bench", "audiences")


def seeds_of(text):
    """ "1-12" or "1,4,7" """
    out = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out += range(int(lo), int(hi or lo) + 1)
    return out


def sign_test(wins, n):
    """Two-sided p of `wins` of `n` under a fair coin."""
    k = min(wins, n - wins)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n)


def run(bin_dir, audience, seed, days, cluster, tag, scratch):
    out = os.path.join(scratch, f"{tag}_{audience}_{seed}.json")
    cmd = [sys.executable, os.path.join(ROOT, "bench", "simulate.py"), "--lean", "--policies", "learning",
           "--days", str(days), "--seeds", str(seed), "--tag", f"ab_{tag}_{audience}".lower(), "--json", out]
    if audience != "default":
        cmd += ["--truth", os.path.join(AUDIENCES, audience + ".json")]
    env = dict(os.environ, BUILD_DIR=os.path.dirname(os.path.abspath(bin_dir)), DATABASE_URL=cluster)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{tag} {audience} seed {seed}: simulate.py exited {done.returncode}:\n"
                           + done.stderr[-2000:])
    with open(out) as f:
        daily = json.load(f)[0]["daily"]["learning"]
    half = len(daily) // 2
    return (sum(d["expected"] for d in daily), sum(d["expected"] for d in daily[half:]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", required=True, help="the tools of build A (a bin/ directory)")
    ap.add_argument("--b", required=True, help="the tools of build B (a bin/ directory)")
    ap.add_argument("--audiences", default="default,drifting,hooks_fatigue,evening_topic")
    ap.add_argument("--seeds", default="1-12")
    ap.add_argument("--days", type=float, default=30)
    ap.add_argument("-j", type=int, default=2, help="simulations at once")
    ap.add_argument("--keep", action="store_true", help="leave the cluster running")
    args = ap.parse_args()
    for d in (args.a, args.b):
        if os.path.basename(os.path.normpath(d)) != "bin" or not os.path.isfile(os.path.join(d, "plan-post")):
            ap.error(f"--a/--b: {d} is not a bin/ directory holding plan-post (simulate.py runs $BUILD_DIR/bin)")
    audiences = [a for a in args.audiences.split(",") if a]
    for a in audiences:
        if a != "default" and not os.path.isfile(os.path.join(AUDIENCES, a + ".json")):
            ap.error(f"--audiences: no bench/audiences/{a}.json")
    db_env = dict(os.environ, BUILD_DIR=os.path.join(BUILD, "ab-db"))
    cluster = subprocess.run([os.path.join(ROOT, "scripts/db"), "start"], env=db_env, check=True,
                             capture_output=True, text=True).stdout.strip()
    seeds = seeds_of(args.seeds)
    jobs = [(tag, path, a, s) for a in audiences for s in seeds for tag, path in (("a", args.a), ("b", args.b))]
    results = {}
    try:
        with tempfile.TemporaryDirectory() as scratch, \
                concurrent.futures.ThreadPoolExecutor(max_workers=args.j) as pool:
            futures = {pool.submit(run, path, a, s, args.days, cluster, tag, scratch): (tag, a, s)
                       for tag, path, a, s in jobs}
            for n, f in enumerate(concurrent.futures.as_completed(futures), 1):
                results[futures[f]] = f.result()
                print(f"  {n}/{len(jobs)} runs", file=sys.stderr, end="\r")
    finally:
        if not args.keep:
            subprocess.run([os.path.join(ROOT, "scripts/db"), "destroy"], env=db_env, check=False,
                           capture_output=True)
    print(f"A = {args.a}\nB = {args.b}\n{args.days:g} days, seeds {args.seeds}; expected value of the "
          "learning policy's posts (A / B)")
    print(f"{'audience':<16}{'A/B all':>9}{'A/B late':>10}{'A wins':>8}{'p':>7}   per seed (A/B)")
    for a in audiences:
        pairs = [(results[("a", a, s)], results[("b", a, s)]) for s in seeds]
        total = sum(x[0] for x, _ in pairs) / sum(y[0] for _, y in pairs)
        late = sum(x[1] for x, _ in pairs) / sum(y[1] for _, y in pairs)
        wins = sum(x[0] > y[0] for x, y in pairs)
        decided = sum(x[0] != y[0] for x, y in pairs)  # a tie: the two builds planned alike
        p = sign_test(wins, decided) if decided else 1.0
        seeds_text = " ".join(f"{x[0] / y[0]:.2f}" for x, y in pairs)
        print(f"{a:<16}{total:>9.3f}{late:>10.3f}{wins:>5}/{decided:<2}{p:>7.3f}   {seeds_text}")


if __name__ == "__main__":
    main()
