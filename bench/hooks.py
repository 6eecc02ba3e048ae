#!/usr/bin/env python3
"""How well the offline hook classifier agrees with the human labels.

Reads tests/data/hooks/labels.csv (id,hook,note,split) and the texts of
tests/data/real-tweets/tweets.csv, runs every text through inspect-text (the
same code the learners use; the API's HTML escaping decoded first), and prints
for each split: the confusion matrix (rows: label, columns: classifier),
per-hook precision, recall and F1, accuracy and macro-F1, next to always
answering "statement".

    bench/hooks.py                 both splits (builds inspect-text if needed)
    bench/hooks.py --split dev     one split
    bench/hooks.py --split dev --errors   also list the disagreements (tune on dev only)
    bench/hooks.py --distinct      count identical texts (GUIDE.md's normalized text) once
    bench/hooks.py --rules         dev only: each rule's support, right and wrong, in
                                   each half of dev (the split hash's next bit), so
                                   a rule resting on one example or one half shows
    bench/hooks.py --tweets T.csv --labels L.csv
                                   a set of your own instead (T: id,text with the text
                                   as posted, HTML entities decoded; L: id,hook and an
                                   optional split: dev to write rules on, test only
                                   to score), "outside": real tweets the rules were
                                   not written on
"""
import argparse, csv, hashlib, html, json, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build"))
TOOL = os.path.join(BUILD, "bin", "inspect-text")
HOOKS = ["question", "list", "how_to", "surprising_stat", "contrarian", "myth_busting",
         "personal_story", "statement"]
# The classifier's name for the labels' "contrarian".
ALIASES = {"contrarian_take": "contrarian"}


def load(tweets=None, labels=None):
    with open(tweets or os.path.join(ROOT, "tests/data/real-tweets/tweets.csv"), newline="", encoding="utf-8") as f:
        texts = {r["id"]: r["text"] for r in csv.DictReader(f)}
    with open(labels or os.path.join(ROOT, "tests/data/hooks/labels.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if tweets:
        # Decoded already: escaped again, so that --html-escaped gives the text back.
        return [dict(r, text=html.escape(texts[r["id"]], quote=False),
                     split=" ".join(["outside"] + ([r["split"]] if r.get("split") else [])))
                for r in rows]
    return [dict(r, text=texts[r["id"]]) for r in rows]


def classify(rows):
    if not os.path.exists(TOOL):
        subprocess.run([os.path.join(ROOT, "scripts/build"), "inspect-text"], check=True,
                       stdout=subprocess.DEVNULL)
    lines = "".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in rows)
    out = subprocess.run([TOOL, "--html-escaped"], input=lines, text=True, capture_output=True,
                         check=True).stdout
    got, rules = {}, {}
    for line in out.splitlines():
        j = json.loads(line)
        got[j["id"]] = ALIASES.get(j["hook"], j["hook"])
        rules[j["id"]] = j.get("hook_rule", "")
    return got, rules


def norm(text):
    """The labelling guide's normalized text: what the split is hashed from."""
    return re.sub(r"@\w+", "", re.sub(r"https?://\S+", "", html.unescape(text))).strip().lower()


def half(text):
    """The dev half of a text: the next bit of the hash that chose its split (GUIDE.md)."""
    return (hashlib.sha256(norm(text).encode()).digest()[0] >> 1) % 2


def rule_support(rows, got, rules):
    """Per rule on dev: how often it fired and was right, in each half of dev."""
    dev = [r for r in rows if r["split"].endswith("dev")]  # "dev", or "outside dev"
    counts = {}
    for r in dev:
        rule = rules[r["id"]]
        if not rule:
            continue
        c = counts.setdefault(rule, [[0, 0], [0, 0]])
        c[half(r["text"])][0 if got[r["id"]] == r["hook"] else 1] += 1
    print(f"\n== rules on dev ({len(dev)} tweets; halves by the hash's next bit)")
    print(f"{'rule':>22}  {'half 0 right/wrong':>18}  {'half 1 right/wrong':>18}")
    for rule in sorted(counts):
        (r0, w0), (r1, w1) = counts[rule]
        print(f"{rule:>22}  {r0:>9}/{w0:<8}  {r1:>9}/{w1:<8}")
    for h in (0, 1):
        part = [r for r in dev if half(r["text"]) == h]
        report(f"dev half {h}", part, got)


def scores(pairs):
    """pairs: (label, predicted). Returns per-hook (tp, fp, fn) and the matrix."""
    matrix = {a: {b: 0 for b in HOOKS} for a in HOOKS}
    for label, pred in pairs:
        matrix[label][pred] += 1
    per = {}
    for h in HOOKS:
        tp = matrix[h][h]
        fp = sum(matrix[o][h] for o in HOOKS if o != h)
        fn = sum(matrix[h][o] for o in HOOKS if o != h)
        per[h] = (tp, fp, fn)
    return per, matrix


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * p * r / (p + r) if p and r else 0.0
    return p, r, f


def summary(pairs):
    per, _ = scores(pairs)
    f1s = [prf(*per[h])[2] for h in HOOKS]
    accuracy = sum(1 for a, b in pairs if a == b) / len(pairs)
    return accuracy, sum(f1s) / len(f1s)


def fmt(x):
    return "  -  " if x is None else f"{x:5.2f}"


def report(name, rows, got):
    pairs = [(r["hook"], got[r["id"]]) for r in rows]
    if not pairs:
        print(f"\n== {name}: no tweets")
        return
    per, matrix = scores(pairs)
    print(f"\n== {name}: {len(pairs)} tweets")
    width = max(len(h) for h in HOOKS)
    print(" " * (width + 2) + " ".join(f"{h[:6]:>6}" for h in HOOKS) + "   (rows: label, columns: classifier)")
    for h in HOOKS:
        print(f"{h:>{width}}  " + " ".join(f"{matrix[h][o]:6d}" for o in HOOKS))
    print(f"\n{'hook':>{width}}  label  said  prec  recall   F1")
    for h in HOOKS:
        tp, fp, fn = per[h]
        p, r, f = prf(tp, fp, fn)
        print(f"{h:>{width}}  {tp + fn:5d} {tp + fp:5d} {fmt(p)} {fmt(r)} {f:5.2f}")
    accuracy, macro = summary(pairs)
    base_accuracy, base_macro = summary([(a, "statement") for a, _ in pairs])
    print(f"\naccuracy {accuracy:.3f}  macro-F1 {macro:.3f}   "
          f"(always statement: accuracy {base_accuracy:.3f}, macro-F1 {base_macro:.3f})")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["dev", "test", "all"], help="only this split")
    ap.add_argument("--errors", action="store_true", help="list the disagreements of the split(s) shown")
    ap.add_argument("--distinct", action="store_true", help="count identical texts once")
    ap.add_argument("--rules", action="store_true", help="dev only: support of each rule, by half")
    ap.add_argument("--tweets", help="a CSV of your own tweets (id,text), with --labels")
    ap.add_argument("--labels", help="a CSV of your own labels (id,hook[,split]), with --tweets")
    args = ap.parse_args()
    if bool(args.tweets) != bool(args.labels):
        ap.error("--tweets and --labels go together")
    rows = load(args.tweets, args.labels)
    got, rules = classify(rows)
    if args.rules:
        rule_support(rows, got, rules)
        return 0
    if args.distinct:
        seen, kept = set(), []
        for r in rows:  # identical once links and handles are gone, as the split sees them
            if norm(r["text"]) not in seen:
                seen.add(norm(r["text"]))
                kept.append(r)
        rows = kept
    if args.tweets:
        splits = sorted({r["split"] for r in rows})
        if args.split == "all":
            splits = ["all"]
        elif args.split:
            splits = ["outside " + args.split]
            if splits[0] not in {r["split"] for r in rows}:
                ap.error(f"--split {args.split}: {args.labels} has no such split (a split column)")
    else:
        splits = [args.split] if args.split else ["dev", "test"]
    for split in splits:
        chosen = rows if split == "all" else [r for r in rows if r["split"] == split]
        report(split, chosen, got)
        if args.errors:
            print(f"\n-- disagreements ({split})")
            for r in chosen:
                if got[r["id"]] != r["hook"]:
                    text = r["text"].replace("\n", " / ")
                    print(f"{r['id']}  label={r['hook']}  said={got[r['id']]}  {text[:160]}")


if __name__ == "__main__":
    sys.exit(main())
