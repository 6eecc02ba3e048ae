#!/usr/bin/env python3
"""Where the learner loses against the oracle: a regret decomposition of its plans.

Runs bench/simulate.py's cold start (the account learning_import imports --cold-start past posts,
lean steps, the oracle beside it) and, each time learning_import plans one post, asks plan-post
three times with the same inputs (the same --now, queue and options): the oracle's plan and the
posterior mean's (--exploration 0) as dry runs, then the learner's real plan. Each plan is scored
by x-sandbox's truth (POST /sandbox/score: expected value, the reward's weighted actions before
the log, for the account as it stands then, at the plan's slot), and so is the learner's plan with
one part changed to the oracle's:

  hour     the learner's text at the oracle's slot
  topic    the learner's text with the oracle's topic in place of its own
  text     the oracle's text (its hook and wording) with the learner's topic, at the learner's slot
  voice    the learner's text without its persona's voice line (the oracle writes with no persona)

The loss of a plan is oracle - learner; each part's share is the mean gain of its swap over the
mean loss (the shares need not add up to 100%: the parts interact). Exploration's share is
(posterior mean - learner) over the loss.

  bench/regret.py --days 12 --seeds 1 [--truth bench/audiences/X.json] [--json out.json]

Where the build has bench/regret-drafts (bench/regret_drafts.cpp: the offline composer's drafts; or
GL_REGRET_DRAFTS names such a program), plans are also valued over their drafts (the mean of 12
drafts' values), which splits the loss into the oracle's pick among its drafts, the plan's choice (topic, hook, hour,
persona; each swapped to the oracle's in turn) and the learner's own pick among its drafts.

The truth is read only here, never by the learners.
"""
import argparse, json, os, re, statistics, subprocess, sys, zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simulate as sim  # noqa: E402

PARTS = ("hour", "topic", "text", "voice")
PLAN_PARTS = ("hook", "hour", "topic", "persona", "hook_hour")
# A program printing N offline drafts of {"topic", "hook", "generator", "seed", "n"} per input line
# (a JSON list per line): with it, plans are also valued over their drafts.
BUILT_DRAFTS = os.path.join(os.path.dirname(sim.BIN), "bench", "regret-drafts")
DRAFTS = os.environ.get("GL_REGRET_DRAFTS") or (BUILT_DRAFTS if os.path.exists(BUILT_DRAFTS) else None)
DRAFTS_N = 12
_drafter = None


def drafts(topic, hook, generator):
    global _drafter
    if _drafter is None:
        _drafter = subprocess.Popen([DRAFTS], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    seed = zlib.crc32(f"{topic}/{hook}/{generator}".encode()) + 1
    _drafter.stdin.write(json.dumps({"topic": topic, "hook": hook, "generator": generator, "seed": seed,
                                     "n": DRAFTS_N}) + "\n")
    _drafter.stdin.flush()
    return json.loads(_drafter.stdout.readline())


def voice_lines():
    """The persona voice lines of the offline composer (lib/plan/composer.cpp's kVoices)."""
    src = open(os.path.join(sim.ROOT, "lib/plan/composer.cpp")).read()
    block = src[src.index("kVoices"):src.index("};", src.index("kVoices"))]
    return [s for s in re.findall(r'" ([^"]+)"', block)]


VOICES = voice_lines()


def swap_topic(text, old, new):
    return text.replace(old, new).replace(old[:1].upper() + old[1:], new[:1].upper() + new[1:])


def without_voice(text):
    for v in VOICES:
        text = text.replace(" " + v, "")
    return text


class Recorder:
    def __init__(self):
        self.rows = []
        self.weights = sim.reward_weights()

    def value(self, acct, text, at):
        m = sim.http(acct.env["X_API_BASE_URL"] + "/sandbox/score", {"text": text, "posted_at": at},
                     headers={"Authorization": f'OAuth oauth_token="sim-{acct.name}", oauth_signature="x"'})
        return sum(w * m[sim.SCORE_KEYS.get(k, k)] for k, w in self.weights.items())

    def score(self, acct, args, L, O, M):
        now = args[args.index("--now") + 1]
        v = lambda text, at: self.value(acct, text, at)  # noqa: E731
        row = {"now": now, "learner": self.brief(L), "oracle": self.brief(O), "mean": self.brief(M),
               "v_learner": v(L["text"], L["scheduled_at"]), "v_oracle": v(O["text"], O["scheduled_at"]),
               "v_mean": v(M["text"], M["scheduled_at"]),
               "v_hour": v(L["text"], O["scheduled_at"]),
               "v_topic": v(swap_topic(L["text"], L["topic"], O["topic"]), L["scheduled_at"]),
               "v_text": v(swap_topic(O["text"], O["topic"], L["topic"]), L["scheduled_at"]),
               "v_voice": v(without_voice(L["text"]), L["scheduled_at"])}
        if DRAFTS:
            # Plans valued over the composer's drafts (the mean of N drafts' values), the learner's with
            # one part swapped to the oracle's; the oracle writes with no persona ("").
            plan = lambda topic, hook, gen, at: statistics.fmean(v(t, at) for t in drafts(topic, hook, gen))  # noqa: E731
            hook = lambda p: p["probabilities"]["hook"]["chosen"]  # noqa: E731
            lt, lh, lg, la = L["topic"], hook(L), L["generator"], L["scheduled_at"]
            row["p_learner"] = plan(lt, lh, lg, la)
            row["p_oracle"] = plan(O["topic"], hook(O), "", O["scheduled_at"])
            row["p_mean"] = plan(M["topic"], hook(M), M["generator"], M["scheduled_at"])
            row["p_hook"] = plan(lt, hook(O), lg, la)
            row["p_hour"] = plan(lt, lh, lg, O["scheduled_at"])
            row["p_topic"] = plan(O["topic"], lh, lg, la)
            row["p_persona"] = plan(lt, lh, "", la)
            row["p_hook_hour"] = plan(lt, hook(O), lg, O["scheduled_at"])
        self.rows.append(row)

    @staticmethod
    def brief(p):
        return {k: p.get(k) for k in ("topic", "hook", "generator", "formula", "scheduled_at", "text")} | {
            "hour": p["rationale"].get("local_hour"), "chosen_hook": p["probabilities"]["hook"]["chosen"]}


def patch(recorder):
    tool = sim.Account.tool

    def planned(self, *args, stdin=None):
        if self.name != sim.IMPORTED or args[0] != "plan-post" or "--dry-run" in args:
            return tool(self, *args, stdin=stdin)
        # Dry runs first (they write nothing), then the real plan, all at the same --now.
        pending = Pending(self, args)
        r = tool(self, *args, stdin=stdin)
        pending.finish(r)
        return r

    class Pending:
        def __init__(self, acct, args):
            self.acct, self.args, self.alt = acct, args, None
            base = list(args[1:])
            i = base.index("--policy")
            calls = {"oracle": base[:i] + ["--policy", "oracle"] + base[i + 2:] + ["--dry-run"],
                     "mean": base + ["--exploration", "0", "--dry-run"]}
            self.alt = {}
            for name, a in calls.items():
                out = [json.loads(line) for line in tool(acct, args[0], *a).stdout.splitlines() if line.strip()]
                self.alt[name] = out

        def finish(self, real):
            plans = [json.loads(line) for line in real.stdout.splitlines() if line.strip()]
            if len(plans) != 1 or any(len(v) != 1 for v in self.alt.values()):
                return
            recorder.score(self.acct, self.args, plans[0], self.alt["oracle"][0], self.alt["mean"][0])

    sim.Account.tool = planned




def summarise(rows, label, out=sys.stdout):
    if not rows:
        out.write(f"{label}: no one-post plans recorded\n")
        return {}
    mean = lambda k: statistics.fmean(r[k] for r in rows)  # noqa: E731
    loss = mean("v_oracle") - mean("v_learner")
    res = {"plans": len(rows), "learner": mean("v_learner"), "oracle": mean("v_oracle"), "mean": mean("v_mean"),
           "loss": loss}
    out.write(f"\n{label}: {len(rows)} plans; expected value per plan: learner {res['learner']:.0f}, "
              f"posterior mean {res['mean']:.0f}, oracle {res['oracle']:.0f} "
              f"(learner {100 * res['learner'] / res['oracle']:.0f}% of the oracle)\n")
    out.write(f"{'part':<14}{'gain/plan':>10}{'share of loss':>15}\n")
    for part in PARTS:
        g = mean("v_" + part) - mean("v_learner")
        res[part] = g / loss if loss else None
        out.write(f"{part:<14}{g:>10.0f}{100 * g / loss if loss else 0:>14.0f}%\n")
    g = mean("v_mean") - mean("v_learner")
    res["exploration"] = g / loss if loss else None
    out.write(f"{'exploration':<14}{g:>10.0f}{100 * g / loss if loss else 0:>14.0f}%\n")
    if "p_learner" in rows[0]:
        ploss = mean("p_oracle") - mean("p_learner")
        out.write(f"plans valued over {DRAFTS_N} drafts each: learner {mean('p_learner'):.0f}, posterior mean "
                  f"{mean('p_mean'):.0f}, oracle {mean('p_oracle'):.0f}; the loss "
                  f"{loss:.0f} = oracle's draft pick {mean('v_oracle') - mean('p_oracle'):.0f} + plan choice "
                  f"{ploss:.0f} - learner's draft pick {mean('v_learner') - mean('p_learner'):.0f}\n")
        for part in PLAN_PARTS:
            g = mean("p_" + part) - mean("p_learner")
            res["plan_" + part] = g / loss if loss else None
            out.write(f"plan {part:<9}{g:>10.0f}{100 * g / loss if loss else 0:>14.0f}%\n")
        res["oracle_draft_pick"] = (mean("v_oracle") - mean("p_oracle")) / loss
        res["plan_choice"] = ploss / loss
        res["learner_draft_pick"] = (mean("v_learner") - mean("p_learner")) / loss
        res["plan_exploration"] = (mean("p_mean") - mean("p_learner")) / loss
    same = {k: sum(r["learner"][k] == r["oracle"][k] for r in rows) / len(rows) for k in ("topic", "hour", "hook")}
    same_mean = {k: sum(r["mean"][k] == r["oracle"][k] for r in rows) / len(rows) for k in ("topic", "hour", "hook")}
    out.write("same as the oracle's: learner " + ", ".join(f"{k} {100 * v:.0f}%" for k, v in same.items()) +
              "; posterior mean " + ", ".join(f"{k} {100 * v:.0f}%" for k, v in same_mean.items()) + "\n")
    res["same"], res["same_mean"] = same, same_mean
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--days", type=float, default=12)
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--cold-start", type=int, default=300)
    ap.add_argument("--truth")
    ap.add_argument("--skip-days", type=float, default=2, help="leave out plans of the first days")
    ap.add_argument("--json")
    ap.add_argument("--tag", default="regret")
    args = ap.parse_args()
    cluster = os.environ.get("DATABASE_URL") or subprocess.run([os.path.join(sim.ROOT, "scripts/db"), "url"],
                                                               capture_output=True, text=True).stdout.strip()
    truth = json.load(open(args.truth)) if args.truth else None
    recorder = Recorder()
    patch(recorder)
    results = []
    for s in args.seeds.split(","):
        recorder.rows = []
        r = sim.run_seed(int(s), args.days, ["oracle", sim.IMPORTED], 60, False, cluster, args.tag, None, truth,
                         True, args.cold_start, False)
        sim.print_curve(r, ["oracle", sim.IMPORTED])
        start = sim.iso(sim.START + sim.dt.timedelta(days=args.skip_days))
        rows = [x for x in recorder.rows if x["now"] >= start]
        summary = summarise(rows, f"seed {s}, {args.truth or 'default'}, plans from day {args.skip_days:g}")
        results.append({"seed": int(s), "summary": summary, "rows": recorder.rows, "curve": r["curve"]})
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f)


if __name__ == "__main__":
    main()
