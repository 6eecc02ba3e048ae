#!/usr/bin/env python3
"""Issue 10's benchmark: the learning policy against the best possible policy
under the same posting rules (oracle: x-sandbox's hidden truth scores every
choice), epsilon-greedy 20% and random, on audience presets of different
structure (several seeds each), plus a run where the audience drifts.

Prints per-week curves and one table: the total expected value of each
policy's posts (what each choice was worth, without the luck of the draw:
simulate.scored_posts), learning relative to each baseline (totals and per
post; and in the value drawn), the share of late plans
(the last third of the days) on the oracle's most frequent topic and part of
the day in the same period (an interaction's winning combination, found by a
rule that does not read the preset), the days after a drift until the
learner's 7-day expected value is back to 90% of the oracle's, and the
sensitivity to the exploration scale (extra learning accounts at other
--exploration values on the first preset's first seed).

The goals (issue 10): >= 90% of best, >= 1.15x epsilon, >= 2x random, back
to 90% within 14 days of a drift. Long: on 2 shared cores, one 60-day run of
four policies takes hours; --lean skips the tools no policy's plans read.

  bench/learning_curve.py [--days 60 --seeds 1,2,3 --truths A.json,B.json --drift C.json]
"""
import argparse, collections, datetime as dt, json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import simulate  # noqa: E402

POLICIES = ["learning", "random", "epsilon", "oracle"]
AUDIENCES = os.path.join(ROOT, "bench", "audiences")


def daypart(hour):
    return ["night", "morning", "afternoon", "evening"][hour // 6]


def totals(result, policies, key="expected"):
    """Per policy: (the score summed over the run, posts). The score is "expected", the expected value of
    the posts (the reward's weighted actions before its log, what every policy maximises, of the
    audience's mean metrics: simulate.scored_posts), "value" (the same of the metrics drawn) or
    "engagement" (unweighted, drawn)."""
    return {p: (sum(w[key] for w in result["curve"][p]), sum(w["posts"] for w in result["curve"][p]))
            for p in policies}


def late_combo_share(result, days):
    """Share of the learner's late plans on the oracle's most frequent (topic, part of day) then."""
    late = [p for p in result["plans"] if p["day"] >= days * 2 / 3]
    oracle = collections.Counter((p["topic"], daypart(p["hour"])) for p in late if p["account"] == "oracle")
    mine = [(p["topic"], daypart(p["hour"])) for p in late if p["account"] == "learning"]
    if not oracle or not mine:
        return None, None
    best = oracle.most_common(1)[0][0]
    return best, sum(c == best for c in mine) / len(mine)


def recovery_days(result, shift_day):
    """Days after the shift until learning's trailing 7-day expected value is >= 90% of the oracle's."""
    daily = result["daily"]
    n = len(daily["learning"])
    for d in range(shift_day, n):
        lo = max(shift_day, d - 6)
        mine = sum(x["expected"] for x in daily["learning"][lo:d + 1])
        best = sum(x["expected"] for x in daily["oracle"][lo:d + 1])
        if d - lo >= 6 and best > 0 and mine >= 0.9 * best:
            return d - shift_day
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--days", type=float, default=60)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--truths", default=",".join(os.path.join(AUDIENCES, f)
                                                  for f in ("evening_topic.json", "hooks_fatigue.json")))
    ap.add_argument("--drift", default=os.path.join(AUDIENCES, "drifting.json"), help="'' for no drift run")
    ap.add_argument("--exploration-scales", default="0.1,1.0",
                    help="extra learning accounts at these --exploration values (sensitivity); '' for none")
    ap.add_argument("--lean", action="store_true", help="see bench/simulate.py --lean")
    ap.add_argument("--no-build", action="store_true",
                    help="run the tools already built in $BUILD_DIR/bin (e.g. a copy, while the tree is rebuilt)")
    ap.add_argument("--alt", help="a second build's bin directory: its plan-post runs an extra learning account "
                                  "(learning_alt) beside the others, e.g. main's planner against a branch's")
    ap.add_argument("--json", default=os.path.join(ROOT, "build", "learning_curve.json"))
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run([os.path.join(ROOT, "scripts/setup")], check=True)
        subprocess.run([os.path.join(ROOT, "scripts/build"), "tools"], check=True, stdout=subprocess.DEVNULL)
    cluster = subprocess.run([os.path.join(ROOT, "scripts/db"), "start"], check=True, capture_output=True,
                             text=True).stdout.strip()
    seeds = [int(s) for s in args.seeds.split(",")]
    scales = [f"learning_x{round(float(x) * 10):02d}" for x in args.exploration_scales.split(",") if x]
    alt = ["learning_alt"] if args.alt else []
    if args.alt:
        os.environ["GL_BENCH_ALT_BIN"] = simulate.ALT_BIN = args.alt
    runs = []
    for i, path in enumerate(p for p in args.truths.split(",") if p):
        for j, seed in enumerate(seeds):
            extra = scales if i == 0 and j == 0 else []
            runs.append((f"{os.path.basename(path)[:-5]} seed {seed}", path, seed, POLICIES + alt + extra))
    if args.drift:
        runs.append((f"{os.path.basename(args.drift)[:-5]} seed {seeds[0]}", args.drift, seeds[0], POLICIES + alt))
    results = []
    for label, path, seed, policies in runs:
        with open(path) as f:
            truth = json.load(f)
        r = simulate.run_seed(seed, args.days, policies, 60, False, cluster, "curve", truth=truth, lean=args.lean)
        r["label"], r["policies"] = label, policies
        shift = truth.get("shift")
        if isinstance(shift, dict):
            at = dt.datetime.fromisoformat(shift["at"].replace("Z", "+00:00"))
            r["shift_day"] = int((at - simulate.START).total_seconds() // 86400)
        results.append(r)
        print(f"\n== {label}")
        simulate.print_curve(r, policies)
        sys.stdout.flush()
    with open(args.json, "w") as f:
        json.dump(results, f)
    print(f"\nTotals over {args.days:g} days: the posts' expected value (the reward's weighted actions before the "
          "log, what every policy maximises, of the audience's mean metrics for each post as and when it went "
          "out) and posts; learning relative to each baseline in expected value, in expected value per post, "
          "and in the value drawn (with the luck of the draw: heavy-tailed reach)")
    shown = POLICIES + (["learning_alt"] if args.alt else [])
    print(f"{'run':<26}" + "".join(f"{p:>16}" for p in shown) +
          f"{'vs best':>9}{'vs rand':>9}{'vs eps':>8}{'/post vs best':>14}{'drawn vs best':>14}{'late combo':>12}"
          f"{'recovery':>10}" + (f"{'alt vs best':>12}" if args.alt else ""))
    for r in results:
        t = totals(r, shown)
        e = totals(r, POLICIES, "value")
        rel = lambda p: f"{100 * t['learning'][0] / t[p][0]:.0f}%" if t[p][0] else "-"
        per_post = lambda p: t[p][0] / t[p][1] if t[p][1] else 0
        pp = f"{100 * per_post('learning') / per_post('oracle'):.0f}%" if per_post("oracle") else "-"
        eng = f"{100 * e['learning'][0] / e['oracle'][0]:.0f}%" if e["oracle"][0] else "-"
        combo, share = late_combo_share(r, args.days)
        rec = "-"
        if "shift_day" in r:
            d = recovery_days(r, r["shift_day"])
            rec = f"{d} d" if d is not None else "never"
        alt = f"{100 * t['learning_alt'][0] / t['oracle'][0]:>11.0f}%" if args.alt and t["oracle"][0] else ""
        print(f"{r['label']:<26}" + "".join(f"{t[p][0]:>10.0f} ({t[p][1]:>3})" for p in shown) +
              f"{rel('oracle'):>9}{rel('random'):>9}{rel('epsilon'):>8}{pp:>14}{eng:>14}"
              f"{(f'{100 * share:.0f}%' if share is not None else '-'):>12}{rec:>10}{alt}")
        if combo:
            print(f"{'':<26}oracle's late combination: {combo[0]} in the {combo[1]}")
    first = next((r for r in results if len([p for p in r["policies"] if p.startswith("learning_x")])), None)
    if first:
        print(f"\nSensitivity to the exploration scale ({first['label']}): value vs best")
        t = totals(first, first["policies"])
        for p in ["learning"] + [q for q in first["policies"][len(POLICIES):] if q != "learning_alt"]:
            scale = simulate.policy_of(p)[1] or "default"
            print(f"  --exploration {scale}: {100 * t[p][0] / t['oracle'][0]:.0f}% of best, "
                  f"{t[p][0] / max(1, t[p][1]):.1f} expected value per post")
    if any(r["failures"] for r in results):
        sys.exit("some tool runs failed")


if __name__ == "__main__":
    main()
