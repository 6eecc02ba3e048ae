#!/usr/bin/env python3
"""Off-policy estimates against the truth: for each seed, a logged simulation
against x-sandbox (plan-post every 6 h, publish when due, scrape-metrics every
6 h, then every post read again once final), then `evaluate --truth-samples`,
printing each policy's estimate next to its true value, the bias and the
interval width. The truth is x-sandbox's POST /sandbox/score (see README, "Did
the learning pay?"); the audience is bench/audiences/quiet.json by default, where
the reward of the expected metrics is the expected reward.
"""
import argparse, datetime as dt, json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(os.environ.get("BUILD_DIR", os.path.join(ROOT, "build")), "bin")
START = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
TOPICS = ["sleep", "focus", "strength", "nutrition"]


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def run(args, env, check=True):
    r = subprocess.run([os.path.join(BIN, args[0]), *args[1:]], env=env, capture_output=True, text=True)
    if check and r.returncode != 0:
        sys.exit(f"{' '.join(args)} exited {r.returncode}: {r.stderr.strip()[:300]}")
    return r


def seed_lines(seed, days, log_policy, policies, truth, samples, cluster):
    dbname = f"evalbench_{seed}"
    subprocess.run(["psql", cluster, "-qXc", f"DROP DATABASE IF EXISTS {dbname}"], check=True, capture_output=True)
    subprocess.run(["psql", cluster, "-qXc", f"CREATE DATABASE {dbname}"], check=True, capture_output=True)
    db = cluster.rsplit("/", 1)[0] + "/" + dbname
    sandbox = subprocess.Popen([os.path.join(BIN, "x-sandbox"), "--port", "0", "--seed", str(seed), "--truth", truth],
                               stdout=subprocess.PIPE, text=True)
    try:
        env = dict(os.environ, DATABASE_URL=db, X_API_BASE_URL=json.loads(sandbox.stdout.readline())["url"],
                   X_CONSUMER_KEY="bench", X_CONSUMER_SECRET="bench", X_ACCESS_TOKEN="bench-eval",
                   X_ACCESS_TOKEN_SECRET="bench")
        for k in ("LLM_BASE_URL", "LLM_API_KEY", "LLM_MODEL"):
            env.pop(k, None)
        run(["migrate"], env)
        run(["accounts", "add", "eval", "--timezone", "America/New_York", *sum((["--topic", t] for t in TOPICS), [])],
            env)
        for hour in range(int(days * 24)):
            now = iso(START + dt.timedelta(hours=hour))
            if hour % 6 == 0:
                run(["plan-post", "--now", now, "--policy", log_policy, "--fill-to", "4", "--daily-cap", "6",
                     "--min-spacing-hours", "2", "--seed", str(seed * 100000 + hour)], env)
            run(["publish", "--now", now], env)
            if hour % 6 == 5:
                run(["scrape-metrics", "--now", now], env)
        end = iso(START + dt.timedelta(days=days + 8))
        run(["scrape-metrics", "--now", end], env)
        args = ["evaluate", "--now", end, "--truth-samples", str(samples)]
        for p in policies:
            args += ["--policy", p]
        return [json.loads(line) for line in run(args, env).stdout.splitlines() if line.strip()]
    finally:
        sandbox.terminate()
        sandbox.wait()
        subprocess.run(["psql", cluster, "-qXc", f"DROP DATABASE IF EXISTS {dbname}"], capture_output=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--days", type=float, default=3)
    ap.add_argument("--log-policy", default="random", help="plan-post --policy of the logged simulation")
    ap.add_argument("--policies", default="logged,random,epsilon:0.2,thompson,fixed:topic=sleep")
    ap.add_argument("--truth", default=os.path.join(ROOT, "bench/audiences/quiet.json"))
    ap.add_argument("--truth-samples", type=int, default=16)
    args = ap.parse_args()
    cluster = os.environ.get("DATABASE_URL") or subprocess.run([os.path.join(ROOT, "scripts/db"), "start"],
                                                               capture_output=True, text=True).stdout.strip()
    policies = args.policies.split(",")
    # covers: the interval holds the truth within the truth's own 95% Monte-Carlo margin (+-).
    print(f"{'seed':>4} {'policy':<20} {'estimator':<9} {'estimate':>8} {'truth':>8} {'+-':>6} {'bias':>7} "
          f"{'width':>6} {'covers':>6} {'ess':>6} {'posts':>5}")
    for seed in map(int, args.seeds.split(",")):
        lines = seed_lines(seed, args.days, args.log_policy, policies, args.truth, args.truth_samples, cluster)
        truth = {j["policy"]: j["value"] for j in lines if j["estimator"] == "truth"}
        margin = {j["policy"]: 1.96 * j.get("mc_error", 0) for j in lines if j["estimator"] == "truth"}
        for j in lines:
            if j["estimator"] == "truth":
                continue
            t, m = truth.get(j["policy"]), margin.get(j["policy"], 0)
            if j.get("value") is None:
                print(f"{seed:>4} {j['policy']:<20} {j['estimator']:<9} {'-':>8} {t:>8.3f} {m:>6.3f}  {j.get('warning')}")
                continue
            covers = j["ci_low"] - m <= t <= j["ci_high"] + m
            print(f"{seed:>4} {j['policy']:<20} {j['estimator']:<9} {j['value']:>8.3f} {t:>8.3f} {m:>6.3f} "
                  f"{j['value'] - t:>+7.3f} {j['ci_high'] - j['ci_low']:>6.3f} {str(covers):>6} {j['ess']:>6.1f} "
                  f"{j['posts']:>5}")


if __name__ == "__main__":
    main()
