#!/usr/bin/env python3
"""What harvest costs for what it brings: runs the demo's loop (bench/simulate.py, the
learning policy only) for --days simulated days against x-sandbox, then prints from the
database what harvest read and spent per source, the useful rows it brought (vi_tweets that
pass the learning's own gates and success rule, viral replies with 10K-100K views as
extract-formulas takes them, the top fifth of each peer's posts), the formulas learned from
outside sources, the plans the trending rule chose out of those that had a trending topic to
choose (with the number its logged probabilities expect), reads and dollars per useful row and per
formula, and what scrape-metrics spent per post.

Prices are api_prices' (X's pay-per-use of mid-2026); costs are what X would bill after its
once-per-UTC-day rule, as recorded in api_usage.
"""
import argparse, json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(os.environ.get("BUILD_DIR", os.path.join(ROOT, "build")), "bin")


def psql(db, sql):
    r = subprocess.run(["psql", db, "-qAtXc", sql], capture_output=True, text=True, check=True)
    return [line.split("|") for line in r.stdout.strip().splitlines() if line]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--days", type=float, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scrape-read-through", choices=["auto", "lookup"], default="auto",
                    help="scrape-metrics --read-through: compare the owned-read timeline with lookups")
    args = ap.parse_args()
    subprocess.run([os.path.join(ROOT, "scripts/setup")], check=True)
    subprocess.run([os.path.join(ROOT, "scripts/build"), "tools"], check=True, stdout=subprocess.DEVNULL)
    cluster = subprocess.run([os.path.join(ROOT, "scripts/db"), "start"], capture_output=True, text=True,
                             check=True).stdout.strip()
    env = dict(os.environ, DATABASE_URL=cluster,
               GL_BENCH_SCRAPE_ARGS=f"--read-through {args.scrape_read_through}")
    subprocess.run([sys.executable, os.path.join(ROOT, "bench/simulate.py"), "--days", str(args.days), "--seeds",
                    str(args.seed), "--policies", "learning", "--tag", "harvest"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    db = cluster.rsplit("/", 1)[0] + f"/sim_harvest_{args.seed}"
    rules = json.loads(subprocess.run([os.path.join(BIN, "learn-hourly"), "--print-rules"], capture_output=True,
                                      text=True, check=True).stdout)
    gates, success = rules["gates"], rules["success"]

    print(f"harvest over {args.days:g} simulated days, seed {args.seed} (account 'learning', topics of simulate.py)")
    # A record is one call's resources of one kind (a search gives a post_read and a user_read record).
    print(f"\n{'endpoint':<38} {'records':>7} {'returned':>9} {'billed':>7} {'usd':>9}")
    for endpoint, calls, returned, billed, usd in psql(
            db, "SELECT endpoint, count(*), sum(resources), sum(billable), "
                "round(sum(cost_usd), 4) FROM api_usage WHERE tool = 'harvest' GROUP BY 1 ORDER BY 1"):
        print(f"{endpoint:<38} {calls:>7} {returned:>9} {billed:>7} {usd:>9}")
    reads, usd = psql(db, "SELECT coalesce(sum(resources), 0), coalesce(sum(cost_usd), 0)::float8 "
                          "FROM api_usage WHERE tool = 'harvest'")[0]
    reads, usd = int(reads), float(usd)

    er = "(v.likes + v.retweets + v.replies + coalesce(v.quotes, 0) + coalesce(v.bookmarks, 0))::float8 " \
         "/ nullif(v.impressions, 0)"
    useful_vi = int(psql(db, f"SELECT count(*) FROM vi_tweets v WHERE v.impressions >= {gates['min_views']} "
                             f"AND v.likes >= {gates['min_likes']} AND ({er} >= {success['min_engagement_rate']} "
                             f"OR v.impressions >= {success['min_views']})")[0][0])
    useful_replies = int(psql(db, "SELECT count(*) FROM reply_metrics WHERE impressions BETWEEN 10000 AND 100000")[0][0])
    useful_peers = int(psql(db, "SELECT count(*) FROM (SELECT percent_rank() OVER (PARTITION BY peer_handle "
                                "ORDER BY impressions) AS pr FROM peer_posts WHERE impressions > 0) p "
                                "WHERE pr >= 0.8")[0][0])
    rows = {t: int(psql(db, f"SELECT count(*) FROM {t}")[0][0])
            for t in ("trending_topics", "vi_tweets", "peer_posts", "reply_metrics")}
    formulas = int(psql(db, "SELECT count(*) FROM viral_formulas WHERE sources && "
                            "ARRAY['vi_tweets', 'peer_posts', 'viral_replies']")[0][0])
    all_formulas = int(psql(db, "SELECT count(*) FROM viral_formulas")[0][0])
    # The trending rule (lib/plan/choice.cpp trending_rule) can fire only when a fresh trending topic off
    # cooldown is a candidate: plan-post's first plans come before the first harvest, and trends fade. The
    # topic's logged distribution sums to the probability of the branch taken (within_branch): 1 when no
    # trending topic was a candidate, else the rule's (0.35 for the trending branch, 0.65 for the other).
    # p_trend is the probability the plan had of the trending branch.
    branch = ("SELECT (choice_probabilities->'topic'->>'trending')::bool AS trending, "
              "(SELECT sum(value::float8) FROM jsonb_each_text(choice_probabilities->'topic'->'distribution')) "
              "AS p_branch FROM content_metadata WHERE source = 'planned' AND choice_probabilities ? 'topic'")
    rule = (f"SELECT trending, trending OR p_branch < 1 - 1e-9 AS candidate, "
            f"CASE WHEN trending THEN p_branch ELSE 1 - p_branch END AS p_trend FROM ({branch}) b")
    plans, candidate_plans, trending_plans, expected, variance = psql(
        db, f"SELECT count(*), count(*) FILTER (WHERE candidate), count(*) FILTER (WHERE trending), "
            f"coalesce(sum(p_trend), 0), coalesce(sum(p_trend * (1 - p_trend)), 0) FROM ({rule}) r")[0]
    plans, candidate_plans, trending_plans = int(plans), int(candidate_plans), int(trending_plans)
    expected, variance = float(expected), float(variance)
    logged = psql(db, f"SELECT round(p_trend::numeric, 3), count(*) FROM ({rule}) r WHERE candidate "
                      f"GROUP BY 1 ORDER BY 1")
    useful = useful_vi + useful_replies + useful_peers
    print(f"\nrows: " + ", ".join(f"{t} {n}" for t, n in rows.items()))
    print(f"useful rows: {useful} (vi_tweets passing the success rule {useful_vi}, viral replies {useful_replies}, "
          f"peers' top fifth {useful_peers})")
    print(f"formulas with an outside source: {formulas} of {all_formulas}")
    by_source = psql(db, "SELECT s, count(*) FROM viral_formulas, unnest(sources) AS s GROUP BY 1 ORDER BY 1")
    print("formulas drawing on each source: " + (", ".join(f"{s} {n}" for s, n in by_source) or "none"))
    print(f"plans on a trending topic by the trending rule: {trending_plans} of the {candidate_plans} plans "
          f"that had a trending candidate ({plans} plans), expected {expected:.1f} +- {variance ** 0.5:.1f} "
          f"from the logged branch probabilities (P(trending) "
          + (", ".join(f"{float(p):g} in {n}" for p, n in logged) or "none") + ")")
    print(f"\nharvest: {reads} resources read, ${usd:.4f}")
    if useful:
        print(f"per useful row: {reads / useful:.1f} reads, ${usd / useful:.4f}")
    if formulas:
        print(f"per formula with an outside source: {reads / formulas:.1f} reads, ${usd / formulas:.4f}")

    posts, scrape_usd, scrape_reads = psql(
        db, "SELECT (SELECT count(*) FROM content_metadata WHERE status = 'posted'), "
            "coalesce(sum(cost_usd), 0)::float8, coalesce(sum(resources), 0) FROM api_usage "
            "WHERE tool = 'scrape-metrics'")[0]
    posts, scrape_usd = int(posts), float(scrape_usd)
    by_endpoint = psql(db, "SELECT endpoint, coalesce(kind, '-'), sum(requests), sum(billable), "
                           "sum(cost_usd)::float8 FROM api_usage WHERE tool = 'scrape-metrics' "
                           "GROUP BY 1, 2 ORDER BY 1, 2")
    if posts:
        print(f"\nscrape-metrics (--read-through {args.scrape_read_through}): {posts} posts, "
              f"{scrape_reads} resources read, ${scrape_usd:.4f}: ${scrape_usd / posts:.4f} per post "
              f"over this run")
        for endpoint, kind, requests, billable, usd in by_endpoint:
            print(f"  {endpoint:28} {kind:11} {requests:>6} requests {billable:>6} billed ${float(usd):.4f}")

if __name__ == "__main__":
    main()
