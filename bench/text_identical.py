#!/usr/bin/env python3
"""Does a change to text analysis keep inspect-text's output byte-identical?

    bench/text_identical.py --old OLD_BIN_DIR [--new build/bin] [--seed 1] [--keep DIR]

Runs OLD_BIN_DIR/inspect-text and NEW/inspect-text on the same texts, with and
without --html-escaped, and compares their output line by line, byte for byte:
  - the 714 real tweets (tests/data/real-tweets/tweets.csv);
  - every text of twitter-text's conformance files (tests/data/twitter-text:
    extract, weighted length, the 600 generated oracle cases);
  - variants of all of those: upper, lower, title and swapped case, spaces
    turned into underscores or into other Unicode spaces, words shuffled,
    texts spliced, and URLs (with and without protocol, punycode, Unicode
    domains, case-folding traps such as U+212A and a final sharp s), mentions,
    hashtags, cashtags and emoji inserted at random places.
Prints the counts and the first differences; exits 1 when any line differs.
Build the old binaries first, e.g. `git worktree add /tmp/old HEAD~1` and
`scripts/build inspect-text` there (or copy build/bin before the change).
"""
import argparse, csv, json, os, random, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests/data")

INSERTS = [
    "https://t.co/AbC123xyz", "http://example.com", "example.com/path?q=1&b=2.", "www.Example.CO.uk",
    "HTTPS://WWW.GOOGLE.COM/#search", "foo.bar.busineß", "x.com", "X.COM/a_b", "t.co/x", "http://t.co/",
    "пример.рф", "http://ουτοπία.δπθ.gr/", "café.com", "xn--80ak6aa92e.com", "http://xn--p1ai.xn--p1ai",
    "a.कॉम", "http://भारत.भारतम्", "日本.みんな", "sub-domain_x.example.org:8080/a(b)c?d=e#f",
    "user@example.com", "@user.com", "#tag.com", "$cash.com", "1.2.3.4", "e.g.", "U.S.A.", "...", ".com",
    "https://twitter.com/user/status/123", "bit.ly/3xYz", "\u212aiwi.\u212aim", "x.\u017fhop", "a.ｃｏｍ",
    "example.com\u200e", "\u202aexample.com", "@user", "@user/list-name", "RT @someone:", "＠fullwidth",
    "#hashtag", "#日本語", "＃fullwidth", "#tag\ufe0f", "$AAPL", "$BRK.B", "$toolong", "\U0001F44D\U0001F3FD",
    "\u2764\ufe0f", "\U0001F468\u200d\U0001F469\u200d\U0001F467", "1\ufe0f\u20e3", "\U0001F1EB\U0001F1F7",
    "\u0130stanbul.com", "stra\u00dfe.de", "ﬁle.com", "e\u0301.com",
]
SPACES = ["\u00a0", "\u3000", "\u2009", "\t", "\u200b", "\u2028", "\u0085", "_", "-", ".", ""]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def base_texts():
    with open(os.path.join(DATA, "real-tweets/tweets.csv"), newline="", encoding="utf-8") as f:
        tweets = [r["text"] for r in csv.DictReader(f)]
    conformance = []
    for name in ("extract.jsonl", "weighted_length_v3.jsonl", "oracle_cases.jsonl"):
        conformance += [c["text"] for c in read_jsonl(os.path.join(DATA, "twitter-text", name))]
    return tweets, conformance


def variants(texts, rng):
    out = []
    for t in texts:
        words = t.split(" ")
        shuffled = words[:]
        rng.shuffle(shuffled)
        inserted = words[:]
        for _ in range(rng.randint(1, 3)):
            inserted.insert(rng.randint(0, len(inserted)), rng.choice(INSERTS))
        out += [t.upper(), t.lower(), t.title(), t.swapcase(), t.replace(" ", "_"),
                t.replace(" ", rng.choice(SPACES)), " ".join(shuffled), " ".join(inserted),
                "".join(inserted), t + " " + rng.choice(texts)[: rng.randint(0, 80)]]
    for _ in range(len(texts)):
        parts = [rng.choice(INSERTS + SPACES + [" ", " ", "."]) for _ in range(rng.randint(1, 12))]
        out.append("".join(parts))
    return out


def run(binary, texts, extra):
    """inspect-text's stdout for these texts (one JSON line each), and its user CPU seconds."""
    with tempfile.TemporaryFile() as f:
        f.write("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts).encode())
        f.seek(0)
        start = os.times()
        proc = subprocess.run([os.path.join(binary, "inspect-text")] + extra, stdin=f,
                              capture_output=True, check=True)
        cpu = os.times().children_user - start.children_user
    return proc.stdout.splitlines(), cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", required=True, help="directory of the inspect-text to compare against")
    ap.add_argument("--new", default=os.path.join(ROOT, "build/bin"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", help="write the texts compared to DIR/texts.jsonl")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    tweets, conformance = base_texts()
    # Texts are JSON lines, so a text holding a newline stays one text; lines
    # of the texts alone are compared too.
    sets = [("real tweets", tweets), ("conformance texts", conformance),
            ("variants", variants(tweets + conformance, rng))]
    lines = [l for t in tweets + conformance for l in t.split("\n") if l.strip()]
    sets.append(("lines of texts", lines))
    if a.keep:
        with open(os.path.join(a.keep, "texts.jsonl"), "w", encoding="utf-8") as f:
            for _, texts in sets:
                for t in texts:
                    f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
    differ = 0
    cpu = {"old": 0.0, "new": 0.0}
    for name, texts in sets:
        for extra in ([], ["--html-escaped"]):
            old, cpu_old = run(a.old, texts, extra)
            new, cpu_new = run(a.new, texts, extra)
            cpu["old"] += cpu_old
            cpu["new"] += cpu_new
            same = sum(1 for o, n in zip(old, new) if o == n)
            bad = len(texts) - same if len(old) == len(new) == len(texts) else len(texts)
            differ += bad
            print(f"{name:>18} {' '.join(extra) or '(as given)':>15}: {len(texts):6} texts, "
                  f"{same:6} identical, {bad} differ")
            shown = 0
            for o, n in zip(old, new):
                if o != n and shown < 3:
                    print("  old:", o.decode(errors="replace")[:400], "\n  new:", n.decode(errors="replace")[:400])
                    shown += 1
    total = 2 * sum(len(t) for _, t in sets)
    print(f"all: {total} texts, {total - differ} identical, {differ} differ; "
          f"inspect-text user CPU old {cpu['old']:.2f} s, new {cpu['new']:.2f} s")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
