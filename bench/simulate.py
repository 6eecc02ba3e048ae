#!/usr/bin/env python3
"""Runs growthloop's crontab chain over simulated days against x-sandbox, for
several policies side by side, and prints the learning curve.

Each policy gets its own account (and sandbox user) in one database and one
sandbox per seed; the clock advances by --step-minutes through every tool's
--now. Policies: learning (Thompson sampling, the default plan-post), random
(learning off), epsilon (epsilon-greedy 20%), oracle (the best possible
policy: the sandbox's hidden truth scores every choice).

Used by scripts/demo (30 days, one seed) and bench/learning_curve.py.
"""
import argparse, concurrent.futures, datetime as dt, json, math, os, subprocess, sys, urllib.request, zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(os.environ.get("BUILD_DIR", os.path.join(ROOT, "build")), "bin")
# Extra scrape-metrics flags for a benchmark that compares its modes (bench/harvest.py).
SCRAPE_ARGS = os.environ.get("GL_BENCH_SCRAPE_ARGS", "").split()
POLICIES = {"learning": "thompson", "random": "random", "epsilon": "epsilon", "oracle": "oracle"}
LEARNERS = {"learning", "epsilon"}
TOPICS = ["sleep science", "focus", "strength training", "nutrition myths"]
START = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
# Posts per local day for every policy. With 3, a policy that prefers the evening could fill only two
# slots there (4 h apart) while one posting at any hour filled three: totals measured how often a policy
# posted, not what it chose. With 2 (and the queue filled to 2 within the next day) every policy posts
# twice a day and chooses the topic, hook, persona and the hours.
DAILY_CAP = 2


# A second build's plan-post (GL_BENCH_ALT_BIN, a bin directory) for the accounts named "<policy>_alt":
# two planners side by side against the same audience and seed (e.g. main's and a branch's).
ALT_BIN = os.environ.get("GL_BENCH_ALT_BIN")


def policy_of(name):
    """An account's policy and its exploration: "learning_x05" is the learning policy at --exploration 0.5
    (tenths), for the sensitivity to the exploration scale; "learning_alt" the learning policy of
    GL_BENCH_ALT_BIN's plan-post; every other name is its policy."""
    if name.startswith("learning_x") and name[len("learning_x"):].isdigit():
        return "learning", int(name[len("learning_x"):]) / 10
    if name.endswith("_alt"):
        return name[:-len("_alt")], None
    return name, None


# The sandbox's name of each reward action where it differs from the learners' (learning_posts') column.
SANDBOX_KEYS = {"followers_gained": "followers"}
# The same for POST /sandbox/score's expected metrics.
SCORE_KEYS = {"followers_gained": "follows"}


def reward_weights():
    """The reward's weights as the learners use them (learn-hourly --print-rules), never repeated here."""
    r = subprocess.run([os.path.join(BIN, "learn-hourly"), "--print-rules"], capture_output=True, text=True,
                       check=True)
    return json.loads(r.stdout)["reward"]["weights"]


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def http(url, body=None, headers=None):
    req = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", **(headers or {})})
    return json.load(urllib.request.urlopen(req))


class Account:
    def __init__(self, name, db, sandbox, seed, exploration=None, lean=False):
        self.name, self.seed = name, seed
        self.policy, own = policy_of(name)
        self.exploration, self.lean = (own if own is not None else exploration), lean
        self.env = dict(os.environ, DATABASE_URL=db, X_API_BASE_URL=sandbox, X_CONSUMER_KEY="sim",
                        X_CONSUMER_SECRET="sim", X_ACCESS_TOKEN="sim-" + name, X_ACCESS_TOKEN_SECRET="sim")
        for k in ("LLM_BASE_URL", "LLM_API_KEY", "LLM_MODEL"):
            self.env.pop(k, None)
        self.failures = 0
        self.must_plan = True  # lean: plan at the first step

    def tool(self, *args, stdin=None):
        bin_dir = ALT_BIN if self.name.endswith("_alt") and args[0] == "plan-post" and ALT_BIN else BIN
        r = subprocess.run([os.path.join(bin_dir, args[0]), "--account", self.name, *args[1:]], env=self.env,
                           input=stdin, capture_output=True, text=True)
        if r.returncode not in (0, 75):
            self.failures += 1
            sys.stderr.write(f"{self.name}: {' '.join(args)} exited {r.returncode}: {r.stderr.strip()[:300]}\n")
        return r

    def step(self, now, minute_of_day, step_minutes):
        t = iso(now)
        seed = str(zlib.crc32(f"{self.name}/{self.seed}/{t}".encode()) % (2**31) + 1)
        extra = ["--exploration", str(self.exploration)] if self.exploration is not None else []

        def plan():
            self.tool("plan-post", "--now", t, "--fill-to", "2", "--policy", POLICIES[self.policy], "--seed", seed,
                      "--daily-cap", str(DAILY_CAP), "--min-spacing-hours", "4", *extra)

        if self.lean:
            # Only what changes a plan, for every policy alike: the queue (filled to 2) drops only when
            # publish posts, so plan-post runs after a step that posted (and every 6 hours); its inputs
            # are refreshed right before it (epsilon's arms by aggregate); metrics are read every 3 hours
            # (learning starts at 2 h of age) and before a plan.
            posted = self.tool("publish", "--now", t).stdout.strip() != ""
            if posted or self.must_plan or minute_of_day % 360 < step_minutes:
                self.tool("scrape-metrics", "--now", t, *SCRAPE_ARGS)
                if self.policy == "epsilon":
                    self.tool("aggregate", "--now", t)
                plan()
                self.must_plan = False
            elif minute_of_day % 180 < step_minutes:
                self.tool("scrape-metrics", "--now", t, *SCRAPE_ARGS)
            return
        # crontab.example's order within an hour: trends at :15, plan-post at :50, so every plan,
        # the first included, has the hour's trends to choose from.
        hourly = minute_of_day % 60 < step_minutes
        if hourly and self.policy in LEARNERS:
            self.tool("harvest", "--now", t, "--only", "trends")
        plan()
        self.tool("publish", "--now", t)
        scraped = self.tool("scrape-metrics", "--now", t, *SCRAPE_ARGS)
        if self.policy not in LEARNERS:
            return
        self.tool("update-generators", "--now", t, stdin=scraped.stdout)
        if hourly:
            self.tool("learn-hourly", "--now", t)
        if minute_of_day % 120 < step_minutes:
            self.tool("aggregate", "--now", t)
        # The other sources every 6 hours (before extract-formulas, which learns from them).
        if minute_of_day % 360 < step_minutes:
            self.tool("harvest", "--now", t, "--only", "viral,peers,replies")
            self.tool("extract-formulas", "--now", t)


def run_seed(seed, days, policies, step_minutes, shift, db_cluster, tag, exploration=None, truth=None, lean=False):
    dbname = f"sim_{tag}_{seed}"
    subprocess.run(["psql", db_cluster, "-qXc", f"DROP DATABASE IF EXISTS {dbname}"], check=True, capture_output=True)
    subprocess.run(["psql", db_cluster, "-qXc", f"CREATE DATABASE {dbname}"], check=True, capture_output=True)
    db = db_cluster.rsplit("/", 1)[0] + "/" + dbname
    truth = dict(truth or {})
    if shift:
        # Halfway through, the audience's taste turns: the best topic becomes the worst.
        truth["shift"] = {"at": iso(START + dt.timedelta(days=days / 2)),
                          "truth": {"topics": {"sleep": -0.4, "focus": 0.7, "strength": 0.1, "nutrition": -0.2}}}
    truth_file = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"gl_truth_{tag}_{seed}_{os.getpid()}.json")
    with open(truth_file, "w") as f:
        json.dump(truth, f)
    sandbox = subprocess.Popen([os.path.join(BIN, "x-sandbox"), "--port", "0", "--seed", str(seed), "--truth", truth_file],
                               stdout=subprocess.PIPE, text=True)
    try:
        base = json.loads(sandbox.stdout.readline())["url"]
        env = dict(os.environ, DATABASE_URL=db)
        subprocess.run([os.path.join(BIN, "migrate")], env=env, check=True, capture_output=True)
        accounts = []
        for name in policies:
            topic_args = sum((["--topic", t] for t in TOPICS), [])
            subprocess.run([os.path.join(BIN, "accounts"), "add", name, "--timezone", "America/New_York", *topic_args],
                           env=env, check=True, capture_output=True)
            # Two of the sandbox's other accounts as peers (it names them topic + "coach", "_daily").
            keywords = sorted(http(base + "/sandbox/truth")["active"].get("topics", {}))[:2]
            peers = [("".join(c for c in k + sfx if c.isalnum() or c == "_"))[:15]
                     for k, sfx in zip(keywords, ("coach", "_daily"))]
            if peers:
                subprocess.run([os.path.join(BIN, "accounts"), "peers", "add", name, *peers],
                               env=env, check=True, capture_output=True)
            accounts.append(Account(name, db, base, seed, exploration, lean))
        steps = int(days * 24 * 60 / step_minutes)

        def drive(acct):
            for i in range(steps):
                minutes = i * step_minutes
                acct.step(START + dt.timedelta(minutes=minutes), minutes % (24 * 60), step_minutes)
            return acct

        with concurrent.futures.ThreadPoolExecutor(max_workers=len(accounts)) as pool:
            list(pool.map(drive, accounts))
        end = START + dt.timedelta(days=days)
        posts = scored_posts(base, accounts, end)
        names = [a.name for a in accounts]
        curve = bucketed(posts, names, 7 * 86400, math.ceil(days / 7))
        summary = None
        if "learning" in policies:
            r = subprocess.run(["psql", db, "-qAtXc", "SELECT summary FROM learning_summaries ls JOIN accounts a "
                                "USING (account_id) WHERE a.handle = 'learning' ORDER BY summary_id DESC LIMIT 1"],
                               capture_output=True, text=True)
            summary = json.loads(r.stdout) if r.stdout.strip() else None
        return {"seed": seed, "curve": curve, "daily": bucketed(posts, names, 86400, math.ceil(days)), "plans": posted_plans(db),
                "summary": summary, "failures": sum(a.failures for a in accounts)}
    finally:
        sandbox.terminate()
        sandbox.wait()
        os.unlink(truth_file)


def final_tweets(base, accounts, end):
    """Every post with its final metrics (read long after the last post, so every post has grown
    fully), and the policy name of each account's user id."""
    tweets = http(base + "/sandbox/tweets?now=" + iso(end + dt.timedelta(days=30)))
    users = {}
    for a in accounts:
        me = http(base + "/2/users/me", headers={"Authorization": f'OAuth oauth_token="sim-{a.name}", oauth_signature="x"',
                                                   "X-Growthloop-Now": iso(START)})
        users[me["data"]["id"]] = a.name
    return tweets, users


def scored_posts(base, accounts, end):
    """Every post as (policy name, created, score), the score holding its final engagement
    (likes+retweets+replies+quotes+bookmarks), followers gained, "value" (the reward's weighted actions
    before its log, of the metrics drawn) and "expected" (the same of the audience's expected metrics
    for that text at that time, for its account as it stood then: POST /sandbox/score, no draw).
    value is what the account got; expected is what its choice was worth, without the luck of the
    draw (one viral post can be most of a policy's value over weeks), so it compares choices."""
    tweets, users = final_tweets(base, accounts, end)
    weights = reward_weights()
    auth = {name: f'OAuth oauth_token="sim-{name}", oauth_signature="x"' for name in users.values()}
    out = []
    for t in tweets:
        name = users.get(t["author_id"])
        if name is None:
            continue
        created = dt.datetime.fromisoformat(t["created_at"].replace("Z", "+00:00"))
        mean = http(base + "/sandbox/score", {"text": t["text"], "posted_at": t["created_at"]},
                    headers={"Authorization": auth[name]})
        out.append((name, created, {
            "engagement": t["likes"] + t["retweets"] + t["replies"] + t["quotes"] + t["bookmarks"],
            "followers": t["followers"],
            "value": sum(w * t[SANDBOX_KEYS.get(k, k)] for k, w in weights.items()),
            "expected": sum(w * mean[SCORE_KEYS.get(k, k)] for k, w in weights.items())}))
    return out


def bucketed(posts, names, seconds, n):
    """Per policy, n buckets of `seconds` from START: posts and the sums of each score."""
    out = {name: [{"posts": 0, "engagement": 0, "followers": 0.0, "value": 0.0, "expected": 0.0, "reward": 0.0}
                  for _ in range(n)] for name in names}
    for name, created, score in posts:
        i = int((created - START).total_seconds() // seconds)
        if not 0 <= i < n:
            continue
        b = out[name][i]
        b["posts"] += 1
        for k, v in score.items():
            b[k] += v
        # reward: per-post ln(1 + value), the learners' target; value is what a plan maximises
        b["reward"] += math.log1p(score["value"])
    return out


def posted_plans(db):
    """Every posted plan: account, day since the start, topic, local hour (the account's timezone), hook."""
    r = subprocess.run(["psql", db, "-qAtXF", "\t", "-c",
                        "SELECT a.handle, extract(epoch FROM cm.posted_at - '" + iso(START) + "'::timestamptz) / 86400, "
                        "lower(cm.topic), extract(hour FROM cm.posted_at AT TIME ZONE a.timezone)::int, cm.hook_type "
                        "FROM content_metadata cm JOIN accounts a USING (account_id) WHERE cm.status = 'posted'"],
                       capture_output=True, text=True)
    return [{"account": f[0], "day": float(f[1]), "topic": f[2], "hour": int(f[3]), "hook": f[4]}
            for f in (line.split("\t") for line in r.stdout.splitlines()) if len(f) == 5]


def print_curve(result, policies, out=sys.stdout):
    curve = result["curve"]
    weeks = len(next(iter(curve.values())))
    out.write(f"\nLearning curve, seed {result['seed']}: per simulated week, the expected value of the posts (x) and "
              f"the value drawn (v): the reward's weighted actions before the log, what every policy maximises "
              f"(scored_posts)\n")
    out.write("week " + "".join(f"{p:>22}" for p in policies) + "\n")
    for w in range(weeks):
        out.write(f"{w + 1:>4} " + "".join(f"{curve[p][w]['expected']:>10.0f} x {curve[p][w]['value']:>7.0f} v"
                                          for p in policies) + "\n")
    totals = {p: (sum(x["expected"] for x in curve[p]), sum(x["value"] for x in curve[p])) for p in policies}
    out.write("all  " + "".join(f"{totals[p][0]:>10.0f} x {totals[p][1]:>7.0f} v" for p in policies) + "\n")
    if "oracle" in totals and totals["oracle"][0] > 0:
        out.write("vs best " + "".join(f"{100 * totals[p][0] / totals['oracle'][0]:>9.0f}% x "
                                       f"{100 * totals[p][1] / max(1, totals['oracle'][1]):>7.0f}% v"
                                       for p in policies) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--days", type=float, default=30)
    ap.add_argument("--seeds", default="1", help="comma-separated seeds")
    ap.add_argument("--policies", default="learning,random,epsilon,oracle")
    ap.add_argument("--step-minutes", type=int, default=60)
    ap.add_argument("--shift", action="store_true", help="the audience's taste changes halfway")
    ap.add_argument("--truth", help="x-sandbox's hidden truth (a JSON file, e.g. bench/audiences/*.json)")
    ap.add_argument("--json", help="write the results here as JSON")
    ap.add_argument("--tag", default="run")
    ap.add_argument("--exploration", type=float, help="plan-post --exploration for the learning policy")
    ap.add_argument("--lean", action="store_true",
                    help="run only the tools each policy's plans read (no learn-hourly, extract-formulas, "
                         "update-generators; aggregate for epsilon): several times faster, no learning summary")
    args = ap.parse_args()
    cluster = os.environ.get("DATABASE_URL") or subprocess.run([os.path.join(ROOT, "scripts/db"), "url"],
                                                               capture_output=True, text=True).stdout.strip()
    policies = args.policies.split(",")
    truth = None
    if args.truth:
        with open(args.truth) as f:
            truth = json.load(f)
    results = [run_seed(int(s), args.days, policies, args.step_minutes, args.shift, cluster, args.tag, args.exploration,
                        truth, args.lean)
               for s in args.seeds.split(",")]
    for r in results:
        if r["summary"]:
            print("\nLearning summary (account 'learning', last learn-hourly run):")
            print(json.dumps({k: r["summary"].get(k) for k in ("top_performing_topics", "best_posting_hours",
                                                              "effective_hooks", "generator_performance",
                                                              "posts_used", "posts_skipped", "predictor")}, indent=2))
        print_curve(r, policies)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f)
    if any(r["failures"] for r in results):
        sys.exit(f"{sum(r['failures'] for r in results)} tool runs failed")


if __name__ == "__main__":
    main()
