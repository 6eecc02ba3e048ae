#!/usr/bin/env python3
"""Writes import-history's test fixtures from real tweets, in each export format.

    tests/data/import/make_fixtures.py [--tweets /work/shared/data/real-tweets/tweets.csv] OUT_DIR

Takes the first 40 tweets of the rtweet fixtures (real text: emoji, URLs,
mentions, entities still escaped) as one account's past and writes:
  archive/data/tweets.js        window.YTD.tweets.part0 = [...], counts as strings
  archive/data/note-tweet.js    the full text of one long post
  archive/data/account.js       the account
  account_analytics_content_<from>_<to>.csv   current dialect, dates without a time
  tweet_activity_metrics_<h>_<from>_<to>_en.csv  legacy dialect; one id Excel-mangled
  tweet_activity_metrics_<h>_es.csv  legacy dialect with Spanish headers
The account is @fixture (user id 4242). Post 0 is a retweet, post 1 a reply to
another account, post 2 a long post whose full text is in note-tweet.js,
posts 3 and 4 a thread (4 replies to 3). Impressions are 40x the likes + 100,
a rule the tests use to check the join.
"""
import argparse
import csv
import json
import os
from datetime import datetime, timezone

HANDLE, USER_ID = "fixture", "4242"
N = 40


def posted_at(tweet_id):
    return datetime.fromtimestamp(((int(tweet_id) >> 22) + 1288834974657) / 1000, timezone.utc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tweets", default="/work/shared/data/real-tweets/tweets.csv")
    ap.add_argument("out")
    a = ap.parse_args()
    with open(a.tweets, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if int(r["id"]) > 30000000000000000][:N]
    # Snowflake ids carry the posting time; the archive's created_at agrees with it.
    for r in rows:
        r["when"] = posted_at(r["id"])
    rows.sort(key=lambda r: int(r["id"]))
    rows[0]["text"] = "RT @someone: " + rows[0]["text"]
    long_text = rows[2]["text"] + " " + " ".join(["And there is more to say."] * 12)

    os.makedirs(os.path.join(a.out, "archive", "data"), exist_ok=True)
    tweets = []
    for i, r in enumerate(rows):
        t = {
            "id_str": r["id"], "id": r["id"],
            "full_text": r["text"] if i != 2 else long_text[:270] + "\u2026 https://t.co/abcdefghij",
            "created_at": r["when"].strftime("%a %b %d %H:%M:%S +0000 %Y"),
            "favorite_count": str(r["likes"]), "retweet_count": str(r["retweets"]),
            "lang": r["lang"], "source": "<a href=\"https://x.com\">X</a>",
            "entities": {"hashtags": [], "user_mentions": [], "urls": []},
        }
        if i == 1:
            t.update(in_reply_to_status_id_str="1000000000000000000",
                     in_reply_to_user_id_str="777", in_reply_to_screen_name="someone_else")
        if i == 4:
            t.update(in_reply_to_status_id_str=rows[3]["id"], in_reply_to_user_id_str=USER_ID,
                     in_reply_to_screen_name=HANDLE)
        tweets.append({"tweet": t})
    with open(os.path.join(a.out, "archive", "data", "tweets.js"), "w", encoding="utf-8") as f:
        f.write("window.YTD.tweets.part0 = " + json.dumps(tweets, indent=2, ensure_ascii=False))
    notes = [{"noteTweet": {"noteTweetId": "9" + rows[2]["id"][1:],
                            "createdAt": rows[2]["when"].strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                            "core": {"text": long_text}}}]
    with open(os.path.join(a.out, "archive", "data", "note-tweet.js"), "w", encoding="utf-8") as f:
        f.write("window.YTD.note_tweet.part0 = " + json.dumps(notes, indent=2, ensure_ascii=False))
    with open(os.path.join(a.out, "archive", "data", "account.js"), "w", encoding="utf-8") as f:
        f.write("window.YTD.account.part0 = " + json.dumps(
            [{"account": {"username": HANDLE, "accountId": USER_ID, "accountDisplayName": "Fixture"}}]))

    def imp(r):
        return 40 * int(r["likes"]) + 100

    first, last = rows[0]["when"].strftime("%Y-%m-%d"), rows[-1]["when"].strftime("%Y-%m-%d")
    # Current dialect: the first half, dates without a time of day.
    with open(os.path.join(a.out, f"account_analytics_content_{first}_{last}.csv"), "w",
              newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Post id", "Date", "Post text", "Post Link", "Impressions", "Likes",
                    "Engagements", "Bookmarks", "Shares", "New follows", "Replies", "Reposts",
                    "Profile visits", "Detail Expands", "URL Clicks", "Hashtag Clicks",
                    "Permalink Clicks"])
        for r in rows[1:20]:
            w.writerow([r["id"], r["when"].strftime("%a, %b %d, %Y"), r["text"],
                        f"https://x.com/{HANDLE}/status/{r['id']}", imp(r), r["likes"],
                        int(r["likes"]) + 5, 2, 1, 1, 3, r["retweets"], 4, 0, 0, 0, 0])
    # Legacy dialect: the second half; one id as a spreadsheet writes it.
    legacy = ["Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "engagements",
              "engagement rate", "retweets", "replies", "likes", "user profile clicks",
              "url clicks", "hashtag clicks", "detail expands", "permalink clicks", "app opens",
              "app installs", "follows", "email tweet", "dial phone", "media views",
              "media engagements", "promoted impressions", "promoted likes"]

    def legacy_row(r, mangle=False):
        tid = "%.5E" % int(r["id"]) if mangle else r["id"]
        return [tid, f"https://twitter.com/{HANDLE}/status/{r['id']}", r["text"],
                r["when"].strftime("%Y-%m-%d %H:%M +0000"), imp(r), int(r["likes"]) + 5,
                (int(r["likes"]) + 5) / imp(r), r["retweets"], 2, r["likes"], 6, 0, 0, 0, 0, 0,
                0, 1, 0, 0, 0, 0, "-", "-"]

    with open(os.path.join(a.out, f"tweet_activity_metrics_{HANDLE}_{first}_{last}_en.csv"), "w",
              newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(legacy)
        for k, r in enumerate(rows[20:35]):
            w.writerow(legacy_row(r, mangle=k == 0))
    spanish = ["ID del Tweet", "Enlace permanente del Tweet", "Texto del Tweet", "hora",
               "impresiones", "interacciones", "tasa de interacción", "Retweets", "respuestas",
               "Me gusta", "clics en el perfil de usuario", "clics en URL",
               "clics en etiquetas", "ampliaciones del detalle", "clics en enlaces permanentes",
               "aperturas de aplicaciones", "descargas de aplicaciones", "seguimientos",
               "enviar Tweet por correo electrónico", "marcar número de teléfono",
               "visualizaciones multimedia", "interacciones con el contenido multimedia",
               "impresiones promocionadas", "Me gusta promocionados"]
    with open(os.path.join(a.out, f"tweet_activity_metrics_{HANDLE}_es.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(spanish)
        for r in rows[35:]:
            w.writerow(legacy_row(r))


if __name__ == "__main__":
    main()
