#!/usr/bin/env python3
"""The learning curve over 60 simulated days for 3 seeds, and one run where the
audience's taste shifts halfway: total engagement and followers gained by the
learning policy relative to the best possible policy, to random, and to
epsilon-greedy 20%.

Run from a clean clone: bench/learning_curve.py [--days 60 --seeds 1,2,3]
"""
import argparse, json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import simulate  # noqa: E402

POLICIES = ["learning", "random", "epsilon", "oracle"]


def totals(result):
    return {p: (sum(w["engagement"] for w in result["curve"][p]), sum(w["followers"] for w in result["curve"][p]),
                sum(w["reward"] for w in result["curve"][p]))
            for p in POLICIES}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--days", type=float, default=60)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--json", default=os.path.join(ROOT, "build", "learning_curve.json"))
    args = ap.parse_args()
    subprocess.run([os.path.join(ROOT, "scripts/setup")], check=True)
    subprocess.run([os.path.join(ROOT, "scripts/build")], check=True, stdout=subprocess.DEVNULL)
    cluster = subprocess.run([os.path.join(ROOT, "scripts/db"), "start"], check=True, capture_output=True,
                             text=True).stdout.strip()
    runs = [(f"seed {s}", int(s), False) for s in args.seeds.split(",")]
    runs.append((f"seed {args.seeds.split(',')[0]}, truth shifts on day {args.days / 2:g}", int(args.seeds.split(",")[0]), True))
    results = []
    for label, seed, shift in runs:
        r = simulate.run_seed(seed, args.days, POLICIES, 60, shift, cluster, "curve_shift" if shift else "curve")
        r["label"] = label
        results.append(r)
        simulate.print_curve(r, POLICIES)
        sys.stdout.flush()
    with open(args.json, "w") as f:
        json.dump(results, f)
    print(f"\nTotals over {args.days:g} days: engagement (followers gained); learning relative to each baseline")
    print(f"{'run':<34}{'learning':>16}{'random':>16}{'epsilon 20%':>16}{'best possible':>16}"
          f"{'vs best':>9}{'vs random':>11}{'vs eps':>8}")
    for r in results:
        t = totals(r)
        cell = lambda p: f"{t[p][0]:>9.0f} ({t[p][1]:>4.0f})"
        rel = lambda p: f"{100 * t['learning'][0] / t[p][0]:.0f}%"
        print(f"{r['label']:<34}" + "".join(f"{cell(p):>16}" for p in POLICIES) +
              f"{rel('oracle'):>9}{rel('random'):>11}{rel('epsilon'):>8}")
    if any(r["failures"] for r in results):
        sys.exit("some tool runs failed")


if __name__ == "__main__":
    main()
