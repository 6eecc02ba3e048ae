#!/usr/bin/env python3
"""Runs growthloop's crontab chain over simulated days against x-sandbox, for
several policies side by side, and prints the learning curve.

Each policy gets its own account (and sandbox user) in one database and one
sandbox per seed; the clock advances by --step-minutes through every tool's
--now. Policies: learning (Thompson sampling, the default plan-post), random
(learning off), epsilon (epsilon-greedy 20%), oracle (the best possible
policy: the sandbox's hidden truth scores every choice).

The accounts do not pool what they learn (accounts add --pooling off): in one database the
learning account would otherwise start from the oracle's and the other policies' effects.
--pooling turns it on for every account.

Used by scripts/demo (30 days, one seed) and bench/learning_curve.py.
"""
import argparse, collections, concurrent.futures, csv, datetime as dt, json, math, os, shutil, subprocess, sys, \
    tempfile, urllib.request, zlib
from zoneinfo import ZoneInfo

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


# The account that starts from its imported past (--cold-start N), and how cold start is judged: the
# first day each learner's expected value over a trailing COLD_WINDOW days reaches COLD_SHARE of the
# oracle's over the same days (and, for a run where no learner gets there, the first day at HALF_SHARE).
IMPORTED = "learning_import"
TIMEZONE = "America/New_York"
COLD_WINDOW, COLD_SHARE, HALF_SHARE = 3, 0.8, 0.5

# A second build's plan-post (GL_BENCH_ALT_BIN, a bin directory) for the accounts named "<policy>_alt":
# two planners side by side against the same audience and seed (e.g. main's and a branch's).
ALT_BIN = os.environ.get("GL_BENCH_ALT_BIN")


def policy_of(name):
    """An account's policy and its exploration: "learning_x05" is the learning policy at --exploration 0.5
    (tenths), for the sensitivity to the exploration scale; "learning_alt" the learning policy of
    GL_BENCH_ALT_BIN's plan-post; "learning_import" the learning policy on an account that imported
    its past (--cold-start); every other name is its policy."""
    if name.startswith("learning_x") and name[len("learning_x"):].isdigit():
        return "learning", int(name[len("learning_x"):]) / 10
    if name.endswith("_alt"):
        return name[:-len("_alt")], None
    if name == IMPORTED:
        return "learning", None
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
    def __init__(self, name, db, sandbox, seed, exploration=None, lean=False, pooling=False):
        self.name, self.seed, self.pooling = name, seed, pooling
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

        # A step longer than publish's default tolerance would fail posts for being late.
        late = ["--max-late-minutes", str(max(60, step_minutes))]

        def plan():
            self.tool("plan-post", "--now", t, "--fill-to", "2", "--policy", POLICIES[self.policy], "--seed", seed,
                      "--daily-cap", str(DAILY_CAP), "--min-spacing-hours", "4", *extra)

        if self.lean:
            # Only what changes a plan, for every policy alike: the queue (filled to 2) drops only when
            # publish posts, so plan-post runs after a step that posted (and every 6 hours); its inputs
            # are refreshed right before it (epsilon's arms by aggregate); metrics are read every 3 hours
            # (learning starts at 2 h of age) and before a plan.
            posted = self.tool("publish", "--now", t, *late).stdout.strip() != ""
            if posted or self.must_plan or minute_of_day % 360 < step_minutes:
                self.tool("scrape-metrics", "--now", t, *SCRAPE_ARGS)
                # aggregate keeps epsilon's arms, and the effects pooled accounts share.
                if self.policy == "epsilon" or (self.pooling and self.policy in LEARNERS):
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
        self.tool("publish", "--now", t, *late)
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


def run_seed(seed, days, policies, step_minutes, shift, db_cluster, tag, exploration=None, truth=None, lean=False,
             cold_start=0, pooling=False):
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
            subprocess.run([os.path.join(BIN, "accounts"), "add", name, "--timezone", "America/New_York", *topic_args,
                            "--pooling", "on" if pooling else "off"], env=env, check=True, capture_output=True)
            # Two of the sandbox's other accounts as peers (it names them topic + "coach", "_daily").
            keywords = sorted(http(base + "/sandbox/truth")["active"].get("topics", {}))[:2]
            peers = [("".join(c for c in k + sfx if c.isalnum() or c == "_"))[:15]
                     for k, sfx in zip(keywords, ("coach", "_daily"))]
            if peers:
                subprocess.run([os.path.join(BIN, "accounts"), "peers", "add", name, *peers],
                               env=env, check=True, capture_output=True)
            accounts.append(Account(name, db, base, seed, exploration, lean, pooling))
        past = None
        if cold_start:
            workdir = tempfile.mkdtemp(prefix="gl_cold_")
            try:
                past = give_past(base, accounts, cold_start, seed, workdir)
            finally:
                shutil.rmtree(workdir)
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
        daily = bucketed(posts, names, 86400, math.ceil(days))
        out = {"seed": seed, "curve": curve, "daily": daily, "plans": posted_plans(db),
               "summary": summary, "failures": sum(a.failures for a in accounts)}
        if past:
            out["cold_start"] = {"past": past, "days": cold_start_days(daily, names, days)}
        return out
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


# --- Cold start (--cold-start N): an account that imports its past against one that does not. ---

def past_posts(acct, n, seed):
    """N posts of a person who posted before START, 2 a day over the previous N/2 days: each local day
    (the account's timezone), the random policy's plan of that day (plan-post --policy random --dry-run:
    topic, hook, persona and hours at random among the account's topics, the hooks and the posting
    hours 7-23, at most 2 a day, 4 hours apart; its offline texts). Nothing is written. Oldest first."""
    zone = ZoneInfo(TIMEZONE)
    first = START.astimezone(zone).date() - dt.timedelta(days=math.ceil(n / DAILY_CAP))
    posts = []
    for d in range(math.ceil(n / DAILY_CAP)):
        day = first + dt.timedelta(days=d)
        midnight = dt.datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(dt.timezone.utc)
        r = acct.tool("plan-post", "--now", iso(midnight), "--policy", "random", "--dry-run", "--count",
                      str(DAILY_CAP), "--daily-cap", str(DAILY_CAP), "--min-spacing-hours", "4", "--seed",
                      str(zlib.crc32(f"past/{seed}/{day}".encode()) % (2**31) + 1))
        for line in r.stdout.splitlines():
            plan = json.loads(line)
            at = dt.datetime.fromisoformat(plan["scheduled_at"].replace("Z", "+00:00"))
            if at < START:
                posts.append((at, plan["text"], plan["topic"], plan["hook"]))
    posts.sort()
    return posts[-n:]


def give_past(base, accounts, n, seed, workdir):
    """Every account gets the same N past posts on X (POST /sandbox/import: the sandbox draws their
    metrics from its truth as for any post, and they give the account its followers and fatigue, so
    every account starts from the same audience); only IMPORTED's are exported and loaded into
    growthloop with the real import-history, as a user would: the archive (data/tweets.js,
    data/account.js) and the current analytics CSVs (at most 90 days per file), with the metrics the
    sandbox shows for them at START (the drawn counts; X's exports carry no quotes). Posts younger
    than 7 days stay on scrape-metrics' schedule, and the sandbox knows their ids. Returns what was
    imported (import-history's summary) and the past's spread."""
    acct = next(a for a in accounts if a.name == IMPORTED)
    posts = past_posts(acct, n, seed)
    ids = {}
    for a in accounts:
        r = http(base + "/sandbox/import", {"user_key": "oauth1:sim-" + a.name,
                                           "tweets": [{"text": text, "created_at": iso(at)} for at, text, _, _ in posts]})
        ids[a.name] = (r["user_id"], r["ids"])
    user_id, mine = ids[IMPORTED]
    shown = {t["id"]: t for t in http(base + "/sandbox/tweets?now=" + iso(START))}
    rows = [(tid, at, text, shown[tid]) for tid, (at, text, _, _) in zip(mine, posts)]
    paths = write_exports(os.path.join(workdir, "export"), IMPORTED, user_id, rows)
    r = acct.tool("import-history", "--now", iso(START), *paths)
    if r.returncode != 0:
        raise RuntimeError(f"import-history exited {r.returncode}: {r.stderr.strip()[-500:]}")
    summary = json.loads(r.stdout.splitlines()[-1])
    return {"posts": len(posts), "first": iso(posts[0][0]), "last": iso(posts[-1][0]),
            "topics": dict(collections.Counter(p[2] for p in posts)),
            "hooks": dict(collections.Counter(p[3] for p in posts)), "import": summary}


def write_exports(folder, handle, user_id, rows):
    """X's two exports of (id, time, text, the sandbox's /sandbox/tweets row): the archive folder
    (tweets.js with counts as strings, account.js) and account_analytics_content_<from>_<to>.csv files
    of at most 90 days each (dates without a time of day, as X writes them). Every file's time is
    START (exported just before growthloop starts). Returns the paths to give import-history."""
    data = os.path.join(folder, "archive", "data")
    os.makedirs(data, exist_ok=True)
    stamp = START.timestamp()
    with open(os.path.join(data, "account.js"), "w") as f:
        f.write('window.YTD.account.part0 = ' + json.dumps(
            [{"account": {"accountId": user_id, "username": handle, "accountDisplayName": handle}}]) + "\n")
    with open(os.path.join(data, "tweets.js"), "w", encoding="utf-8") as f:
        f.write("window.YTD.tweets.part0 = [\n")
        for i, (tid, at, text, m) in enumerate(rows):
            t = {"edit_info": {"initial": {"editTweetIds": [tid], "editsRemaining": "5", "isEditEligible": True}},
                 "retweeted": False, "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
                 "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []},
                 "display_text_range": ["0", str(len(text))], "favorite_count": str(m["likes"]), "id_str": tid,
                 "truncated": False, "retweet_count": str(m["retweets"]), "id": tid,
                 "created_at": at.strftime("%a %b %d %H:%M:%S +0000 %Y"), "favorited": False, "full_text": text,
                 "lang": "en"}
            f.write(("" if i == 0 else ",\n") + json.dumps({"tweet": t}, ensure_ascii=False, indent=2))
        f.write("\n]\n")
    for name in ("account.js", "tweets.js"):
        os.utime(os.path.join(data, name), (stamp, stamp))
    paths = [os.path.join(folder, "archive")]
    header = ["Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements", "Bookmarks",
              "Shares", "New follows", "Replies", "Reposts", "Profile visits", "Detail Expands", "URL Clicks",
              "Hashtag Clicks", "Permalink Clicks"]
    end = START.date() - dt.timedelta(days=1)
    while True:
        begin = end - dt.timedelta(days=89)
        part = [r for r in rows if begin <= r[1].date() <= end]
        if not part:
            break
        path = os.path.join(folder, f"account_analytics_content_{begin}_{end}.csv")
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            for tid, at, text, m in reversed(part):  # newest first, as X lists them
                engagements = sum(m[k] for k in ("likes", "retweets", "replies", "quotes", "bookmarks",
                                                 "profile_clicks"))
                w.writerow([tid, at.strftime("%a, %b %d, %Y"), text, f"https://x.com/{handle}/status/{tid}",
                            m["impressions"], m["likes"], engagements, m["bookmarks"], 0, int(m["followers"]),
                            m["replies"], m["retweets"], m["profile_clicks"], 0, 0, 0, 0])
        os.utime(path, (stamp, stamp))
        paths.append(path)
        end = begin - dt.timedelta(days=1)
    return paths


def cold_start_days(daily, names, days):
    """Per learner: each day's expected value over the trailing COLD_WINDOW days (fewer in the first
    days) as a share of the oracle's over the same days, the first day (1-based) it reaches
    COLD_SHARE, the first day from which it stays there to the end, and the first day at HALF_SHARE
    (None: not within the run). Days are counted from the first full window (day COLD_WINDOW): a
    shorter window holds two or four posts, too few to say a policy got there."""
    out = {}
    oracle = daily["oracle"]
    for name in names:
        if name == "oracle":
            continue
        shares = []
        for d in range(len(oracle)):
            lo = max(0, d - COLD_WINDOW + 1)
            best = sum(x["expected"] for x in oracle[lo:d + 1])
            shares.append(sum(x["expected"] for x in daily[name][lo:d + 1]) / best if best > 0 else None)
        full = list(enumerate(shares))[COLD_WINDOW - 1:]
        reached = next((d + 1 for d, s in full if s is not None and s >= COLD_SHARE), None)
        stays = None
        for d in range(len(shares) - 1, COLD_WINDOW - 2, -1):
            if shares[d] is None or shares[d] < COLD_SHARE:
                break
            stays = d + 1
        half = next((d + 1 for d, s in full if s is not None and s >= HALF_SHARE), None)
        out[name] = {"share": shares, "reached_day": reached, "stays_from_day": stays, "half_day": half,
                     "days": days}
    return out


def print_cold_start(result, out=sys.stdout):
    cold = result.get("cold_start")
    if not cold:
        return
    past, imp = cold["past"], cold["past"]["import"]
    out.write(f"\nCold start, seed {result['seed']}: {IMPORTED} imported {imp.get('imported')} of {past['posts']} past "
              f"posts ({past['first'][:10]} to {past['last'][:10]}; every account has them on X, only "
              f"{IMPORTED} imported them)\n")
    shares = cold["days"]
    names = list(shares)
    out.write(f"Expected value over the trailing {COLD_WINDOW} days (fewer before day {COLD_WINDOW}) as a share of "
              f"the oracle's\n")
    out.write("day " + "".join(f"{n:>20}" for n in names) + "\n")
    for d in range(len(shares[names[0]]["share"])):
        out.write(f"{d + 1:>3} " + "".join(
            f"{'-' if shares[n]['share'][d] is None else format(100 * shares[n]['share'][d], '.1f') + '%':>20}"
            for n in names) + "\n")
    for n in names:
        s = shares[n]
        never = f"not within {s['days']:g} days"
        out.write(f"{n}: {100 * COLD_SHARE:.0f}% of the oracle "
                  f"{'first on day ' + str(s['reached_day']) if s['reached_day'] else never}, "
                  f"{'and from day ' + str(s['stays_from_day']) + ' on' if s['stays_from_day'] else 'not to the end'}"
                  f"; {100 * HALF_SHARE:.0f}% {'first on day ' + str(s['half_day']) if s['half_day'] else never}\n")


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
    ap.add_argument("--cold-start", type=int, default=0, metavar="N",
                    help=f"add the account {IMPORTED} (the learning policy) that imports N past posts with "
                         f"import-history (every account has them on X); print each learner's days to "
                         f"{100 * COLD_SHARE:.0f}%% of the oracle. Needs the oracle")
    ap.add_argument("--pooling", action="store_true",
                    help="the accounts pool what they learn (off by default: the learning account would start "
                         "from the other policies' effects). The accounts are not run in lockstep, so one may pool "
                         "another's effects of an earlier or later simulated time (bench/pooling.py runs in lockstep)")
    args = ap.parse_args()
    cluster = os.environ.get("DATABASE_URL") or subprocess.run([os.path.join(ROOT, "scripts/db"), "url"],
                                                               capture_output=True, text=True).stdout.strip()
    policies = args.policies.split(",")
    if args.cold_start:
        if "oracle" not in policies:
            ap.error("--cold-start compares with the oracle: add it to --policies")
        if IMPORTED not in policies:
            policies.append(IMPORTED)
    truth = None
    if args.truth:
        with open(args.truth) as f:
            truth = json.load(f)
    results = [run_seed(int(s), args.days, policies, args.step_minutes, args.shift, cluster, args.tag, args.exploration,
                        truth, args.lean, args.cold_start, args.pooling)
               for s in args.seeds.split(",")]
    for r in results:
        if r["summary"]:
            print("\nLearning summary (account 'learning', last learn-hourly run):")
            print(json.dumps({k: r["summary"].get(k) for k in ("top_performing_topics", "best_posting_hours",
                                                              "effective_hooks", "generator_performance",
                                                              "posts_used", "posts_skipped", "predictor")}, indent=2))
        print_curve(r, policies)
        print_cold_start(r)
    finish(results, args.json)


def finish(results, path):
    """Writes the runs' results to `path` (when given) and exits non-zero when a tool run failed."""
    if path:
        with open(path, "w") as f:
            json.dump(results, f)
    if any(r["failures"] for r in results):
        sys.exit(f"{sum(r['failures'] for r in results)} tool runs failed")


if __name__ == "__main__":
    main()
