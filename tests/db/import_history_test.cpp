// import-history, run as a binary against a real PostgreSQL, on the fixtures of
// tests/data/import/make_fixtures.py (40 real tweets of the rtweet fixtures as
// @fixture's past, in each export format) and on hostile files written here.
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support/harness.h"

using namespace gl::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kFixture = source_dir() + "/tests/data/import/fixture";
const std::string kArchive = kFixture + "/archive";
const std::string kCurrent = kFixture + "/account_analytics_content_2018-06-08_2021-09-23.csv";
const std::string kLegacy =
    kFixture + "/tweet_activity_metrics_fixture_2018-06-08_2021-09-23_en.csv";
const std::string kSpanish = kFixture + "/tweet_activity_metrics_fixture_es.csv";
// The fixture's last post was posted at 2021-09-23T23:49:32Z.
const std::string kNow = "2021-10-15T12:00:00Z";

// A scratch folder, removed after the test.
struct Scratch {
  fs::path dir;
  Scratch() {
    dir = fs::temp_directory_path() / ("gl_import_" + std::to_string(getpid()) + "_" +
                                       std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& content) const {
    const fs::path p = dir / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
};

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The analytics export `csv` with `more` impressions for every post: impressions
// follow the permalink (rows of multi-line texts have lines without one).
std::string more_impressions(const std::string& csv, long long more) {
  std::string out;
  std::istringstream lines(csv);
  for (std::string line; std::getline(lines, line);) {
    const auto link = line.find("/status/");
    if (link != std::string::npos) {
      const auto start = line.find(',', link) + 1;
      const auto end = line.find(',', start);
      line = line.substr(0, start) +
             std::to_string(std::stoll(line.substr(start, end - start)) + more) + line.substr(end);
    }
    out += line + "\n";
  }
  return out;
}

void add_account(TestDb& db) {
  REQUIRE(run({"accounts", "add", "fixture", "--x-user-id", "4242", "--topic", "open science",
               "--topic", "music"},
              db.url())
              .exit_code == 0);
}

Result import(TestDb& db, std::vector<std::string> paths, const std::string& now = kNow) {
  std::vector<std::string> args = {"import-history", "--account", "fixture", "--now", now};
  args.insert(args.end(), paths.begin(), paths.end());
  return run(args, db.url());
}

json summary(const Result& r) {
  INFO(r.err);
  REQUIRE(!r.out.empty());
  return json::parse(r.out.substr(0, r.out.find('\n')));
}

// The four tables' contents, to compare before and after.
std::string tables(TestDb& db) {
  return db.scalar(
      "SELECT md5(string_agg(t, '|' ORDER BY t)) FROM ("
      " SELECT row(tweet_id, topic, hook_type, format, content, posted_at, metrics_state, "
      "   next_collect_at, actual_impressions)::text AS t FROM content_metadata"
      " UNION ALL SELECT row(tweet_id, collected_at, impressions, likes, metrics_source)::text "
      "   FROM tweet_metrics"
      " UNION ALL SELECT row(tweet_id, impressions, likes, followers_gained, passed_gates, "
      "   collected_at)::text FROM outcomes"
      " UNION ALL SELECT row(tweet_id, impressions, source, passed_gates)::text "
      "   FROM learning_posts) s");
}

// The archive folder as X's zip.
std::string zip_folder(const std::string& folder, const std::string& zip_path) {
  int err = 0;
  zip_t* z = zip_open(zip_path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  REQUIRE(z != nullptr);
  for (const auto& e : fs::recursive_directory_iterator(folder)) {
    if (!e.is_regular_file()) continue;
    const std::string name = fs::relative(e.path(), folder).string();
    zip_source_t* src = zip_source_file(z, e.path().c_str(), 0, -1);
    REQUIRE(src != nullptr);
    REQUIRE(zip_file_add(z, name.c_str(), src, ZIP_FL_OVERWRITE) >= 0);
  }
  REQUIRE(zip_close(z) == 0);
  return zip_path;
}

}  // namespace

TEST_CASE("import-history joins the archive with both CSV dialects into the four tables") {
  TestDb db;
  add_account(db);
  const Result r = import(db, {kSpanish, kArchive, kLegacy, kCurrent});  // any order
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json s = summary(r);
  CHECK(s["posts_read"] == 40);
  CHECK(s["imported"] == 38);  // 40 less the retweet and the thread's second part
  CHECK(s["skipped"]["retweet"] == 1);
  CHECK(s["skipped"]["thread_part"] == 1);
  CHECK(s["problems_total"] == 0);
  CHECK(s["formats"] == json({{"reply", 1}, {"single", 36}, {"thread", 1}}));
  CHECK(s["date_range"]["to"] == "2021-09-23T23:49:32Z");
  CHECK(s["metrics_available"]["impressions"] == 38);
  std::multiset<std::string> dialects;
  for (const auto& f : s["files"]) {
    if (f["kind"] == "analytics")
      dialects.insert(f["dialect"].get<std::string>() + " " + f["language"].get<std::string>());
  }
  CHECK(dialects == std::multiset<std::string>{"current en", "legacy en", "legacy es"});

  // History, not plans: posted, imported, written by no persona.
  CHECK(db.scalar("SELECT count(*) FROM content_metadata WHERE status = 'posted' AND source = "
                  "'imported' AND generator_name = 'imported'") == "38");
  CHECK(db.scalar("SELECT count(*) FROM tweet_metrics WHERE metrics_source = 'imported'") == "38");
  CHECK(db.scalar("SELECT count(*) FROM learning_posts WHERE source = 'imported'") == "38");
  // Every post has analytics, joined by id: impressions are 40 x likes + 100 in the fixture,
  // including the row whose id a spreadsheet mangled (1.38194E+18, read from the permalink).
  CHECK(db.scalar("SELECT count(*) FROM outcomes WHERE impressions = 40 * likes + 100") == "38");
  CHECK(db.scalar("SELECT impressions FROM outcomes WHERE tweet_id = '1381940387883982848'") ==
        "621940");
  // The archive counts the retweet but it is never written.
  CHECK(db.scalar("SELECT count(*) FROM content_metadata WHERE tweet_id = '1005020859881394176'") ==
        "0");
  // A reply to another account stays a reply; the account's reply to itself makes a thread.
  CHECK(db.scalar("SELECT format FROM content_metadata WHERE tweet_id = '1149680375817494529'") ==
        "reply");
  CHECK(db.scalar("SELECT format || ' ' || cardinality(thread_parts) FROM content_metadata "
                  "WHERE tweet_id = '1265899960228360195'") ==
        "thread 1");  // the parts after the first
  // The long post's full text comes from note-tweet.js, not the truncated full_text.
  CHECK(db.scalar("SELECT content FROM content_metadata WHERE tweet_id = '1168049059413643265'")
            .find("And there is more to say. And there is more to say.") != std::string::npos);
  // Topics matched to the account's topics, else the stated fallback.
  CHECK(db.scalar("SELECT count(*) FROM content_metadata WHERE topic = 'open science'") == "1");
  CHECK(db.scalar("SELECT count(*) FROM content_metadata WHERE topic NOT IN ('open science', "
                  "'music', 'other')") == "0");
  // Posted more than 7 days before --now: nothing left to collect.
  CHECK(db.scalar("SELECT count(*) FROM content_metadata WHERE next_collect_at IS NOT NULL") ==
        "0");
}

TEST_CASE("import-history twice changes nothing, a later export updates and keeps both readings") {
  TestDb db;
  add_account(db);
  // --now after the files' times: each export is as of its file's time, as in real use.
  const std::string now = "2099-01-01T00:00:00Z";
  REQUIRE(import(db, {kArchive, kCurrent, kLegacy, kSpanish}, now).exit_code == 0);
  const std::string before = tables(db);
  const Result again = import(db, {kCurrent, kArchive, kSpanish, kLegacy}, now);
  REQUIRE(again.exit_code == 0);
  const json s = summary(again);
  CHECK(s["imported"] == 0);
  CHECK(s["updated"] == 0);
  CHECK(s["unchanged"] == 38);
  CHECK(tables(db) == before);

  // Later, the same export with 1,000 more impressions for every post.
  Scratch tmp;
  const std::string bumped = more_impressions(read(kCurrent), 1000);
  const std::string newer = tmp.write("account_analytics_content_later.csv", bumped);
  // With the archive again: only the archive tells a thread's later part (one of the 19 rows)
  // from a post of its own.
  const Result upd = import(db, {kArchive, newer}, now);
  INFO(upd.err);
  REQUIRE(upd.exit_code == 0);
  const json u = summary(upd);
  CHECK(u["updated"] == 18);  // 19 rows, one of them the thread part, which is no post
  CHECK(u["imported"] == 0);
  CHECK(db.scalar("SELECT impressions FROM outcomes WHERE tweet_id = '1149680375817494529'") ==
        std::to_string(40 * 95 + 100 + 1000));
  CHECK(
      db.scalar("SELECT impressions FROM learning_posts WHERE tweet_id = '1149680375817494529'") ==
      std::to_string(40 * 95 + 100 + 1000));
  CHECK(db.scalar("SELECT string_agg(impressions::text, ',' ORDER BY collected_at) FROM "
                  "tweet_metrics WHERE tweet_id = '1149680375817494529'") == "3900,4900");
  // The older export read after the newer one does not take the numbers back,
  // and says so.
  const Result older = import(db, {kCurrent}, now);
  REQUIRE(older.exit_code == 0);
  CHECK(summary(older)["updated"] == 0);
  CHECK(db.scalar("SELECT impressions FROM outcomes WHERE tweet_id = '1149680375817494529'") ==
        "4900");
}

TEST_CASE(
    "an older export read after a newer one adds its readings, keeps the numbers and says so") {
  TestDb db;
  add_account(db);
  Scratch tmp;
  const std::string now = "2099-01-01T00:00:00Z";
  const std::string newer =
      tmp.write("account_analytics_content_later.csv", more_impressions(read(kCurrent), 1000));
  const std::string older = tmp.write("account_analytics_content_earlier.csv", read(kCurrent));
  fs::last_write_time(older, fs::last_write_time(newer) - std::chrono::hours(24 * 30));
  const Result first = import(db, {newer}, now);
  REQUIRE(first.exit_code == 0);
  REQUIRE(summary(first)["imported"] == 19);  // without the archive, a thread's part is a post
  const std::string outcomes =
      "SELECT string_agg(tweet_id || ':' || impressions, ',' ORDER BY tweet_id) FROM outcomes";
  const std::string numbers = db.scalar(outcomes);

  const Result r = import(db, {older}, now);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json s = summary(r);
  CHECK(s["imported"] == 0);
  CHECK(s["updated"] == 0);
  CHECK(s["older_readings"] == 19);
  CHECK(db.scalar(outcomes) == numbers);
  CHECK(db.scalar("SELECT string_agg(impressions::text, ',' ORDER BY collected_at) FROM "
                  "tweet_metrics WHERE tweet_id = '1149680375817494529'") == "3900,4900");
}

TEST_CASE("two exports of one moment imported apart join in tweet_metrics as in outcomes") {
  TestDb db;
  add_account(db);
  // Both as of kNow: the archive's likes and reposts, then the analytics' impressions and
  // replies. The snapshot of that moment holds what outcomes holds.
  REQUIRE(import(db, {kArchive}).exit_code == 0);
  const Result csv = import(db, {kLegacy});
  INFO(csv.err);
  REQUIRE(csv.exit_code == 0);
  REQUIRE(summary(csv)["updated"].get<int>() > 0);
  CHECK(db.scalar("SELECT count(*) FROM outcomes o WHERE o.impressions IS NOT NULL") != "0");
  CHECK(db.scalar(
            "SELECT count(*) FROM outcomes o JOIN LATERAL (SELECT * FROM tweet_metrics t "
            "  WHERE t.account_id = o.account_id AND t.tweet_id = o.tweet_id "
            "  ORDER BY t.collected_at DESC LIMIT 1) t ON true "
            "WHERE (o.impressions, o.likes, o.retweets, o.replies, o.engagement_rate) IS DISTINCT "
            "  FROM (t.impressions, t.likes, t.retweets, t.replies, t.engagement_rate)") == "0");
}

TEST_CASE("a later export that changes one post's numbers updates that post alone") {
  TestDb db;
  add_account(db);
  const std::string now = "2099-01-01T00:00:00Z";
  REQUIRE(import(db, {kArchive, kCurrent}, now).exit_code == 0);
  const std::string post = "1149680375817494529";
  const std::string others =
      "SELECT md5(string_agg(row(cm.tweet_id, cm.updated_at, cm.collect_count, "
      "cm.actual_impressions, o.impressions, o.collected_at, lp.impressions)::text, '|' "
      "ORDER BY cm.tweet_id)) FROM content_metadata cm JOIN outcomes o USING (account_id, "
      "decision_id) JOIN learning_posts lp USING (account_id, decision_id) WHERE cm.tweet_id <> '" +
      post + "'";
  const std::string before = db.scalar(others);
  const std::string snapshots_before = db.scalar("SELECT count(*) FROM tweet_metrics");

  // The same export, made later, with 1,000 more impressions for this post alone.
  Scratch tmp;
  std::string later;
  std::istringstream lines(read(kCurrent));
  for (std::string line; std::getline(lines, line);) {
    if (line.find("/status/" + post + ",") != std::string::npos) {
      const auto start = line.find(',', line.find("/status/")) + 1;
      const auto end = line.find(',', start);
      line = line.substr(0, start) +
             std::to_string(std::stoll(line.substr(start, end - start)) + 1000) + line.substr(end);
    }
    later += line + "\n";
  }
  // With the archive again, which tells a thread's later part from a post of its own.
  const Result r = import(
      db, {kArchive, tmp.write("account_analytics_content_2018-06-08_2021-10-01.csv", later)}, now);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json s = summary(r);
  CHECK(s["updated"] == 1);
  CHECK(s["imported"] == 0);
  CHECK(db.scalar(others) == before);
  CHECK(db.scalar("SELECT count(*) FROM tweet_metrics") ==
        std::to_string(std::stoll(snapshots_before) + 1));
  CHECK(db.scalar("SELECT string_agg(impressions::text, ',' ORDER BY collected_at) FROM "
                  "tweet_metrics WHERE tweet_id = '" +
                  post + "'") == "3900,4900");
  CHECK(db.scalar("SELECT o.impressions || ' ' || lp.impressions || ' ' || cm.actual_impressions "
                  "|| ' ' || cm.collect_count FROM content_metadata cm JOIN outcomes o USING "
                  "(account_id, decision_id) JOIN learning_posts lp USING (account_id, "
                  "decision_id) WHERE cm.tweet_id = '" +
                  post + "'") == "4900 4900 4900 2");
}

// An archive of n posts a day apart, from 2021-01-01, each with a like.
std::string archive_of(const Scratch& tmp, int n) {
  tmp.write("big/data/account.js",
            "window.YTD.account.part0 = [ {\"account\": {\"accountId\": \"4242\", "
            "\"username\": \"fixture\"}} ]\n");
  std::string js = "window.YTD.tweets.part0 = [\n";
  for (int i = 0; i < n; ++i) {
    const long long ms = 1609459200000LL + i * 86400000LL;
    const std::string id = std::to_string(((ms - 1288834974657LL) << 22) + i);
    const time_t secs = static_cast<time_t>(ms / 1000);
    char when[64];
    std::strftime(when, sizeof when, "%a %b %d %H:%M:%S +0000 %Y", std::gmtime(&secs));
    js += (i ? ",\n" : "") +
          json{{"tweet",
                {{"id_str", id},
                 {"full_text", "Post number " + std::to_string(i) + " about music"},
                 {"created_at", when},
                 {"favorite_count", "1"},
                 {"retweet_count", "0"}}}}
              .dump();
  }
  tmp.write("big/data/tweets.js", js + "\n]\n");
  return (tmp.dir / "big").string();
}

TEST_CASE(
    "import-history analyzes what it wrote once committed, and nothing when it wrote nothing") {
  TestDb db;
  add_account(db);
  Scratch tmp;
  const std::string archive = archive_of(tmp, 120);
  const std::string analyzed =
      "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'content_metadata'";
  REQUIRE(import(db, {archive}).exit_code == 0);
  CHECK(db.scalar("SELECT count(*) FROM content_metadata") == "120");
  // The planner knows the rows the import committed (one ANALYZE, after the commit).
  CHECK(db.scalar("SELECT reltuples FROM pg_class WHERE relname = 'content_metadata'") == "120");
  const std::string once = db.scalar(analyzed);
  CHECK(once == "1");
  const Result again = import(db, {archive});
  REQUIRE(again.exit_code == 0);
  CHECK(summary(again)["unchanged"] == 120);
  CHECK(db.scalar(analyzed) == once);
}

TEST_CASE(
    "import-history finds each post by its key when the statistics predate the account's rows") {
  TestDb db;
  add_account(db);
  // Another account's few posts, analyzed: to the planner, account 1 has no rows.
  db.scalar(
      "INSERT INTO accounts (handle) VALUES ('other'); "
      "INSERT INTO content_metadata (account_id, generator_name, topic, content, status, "
      "  posted_at, tweet_id) SELECT a.account_id, 'coach', 'x', 'text ' || g, 'posted', now(), "
      "  (1000 + g)::text FROM accounts a, generate_series(1, 50) g WHERE a.handle = 'other'; "
      "ANALYZE; SELECT 1");
  Scratch tmp;
  const int posts = 3000;
  const Result r = import(db, {archive_of(tmp, posts)}, "2030-01-01T00:00:00Z");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(summary(r)["imported"] == posts);
  // Rows of content_metadata read through indexes: a few per post. Any index that
  // starts with account_id looked as cheap as the key's, and one read all of the
  // account's posts for each post: millions of rows.
  const long long fetched = std::stoll(db.scalar(
      "SELECT idx_tup_fetch FROM pg_stat_user_tables WHERE relname = 'content_metadata'"));
  CHECK(fetched < 20LL * posts);
}

TEST_CASE("import-history reads the archive zip as it reads the folder") {
  TestDb folder_db, zip_db;
  add_account(folder_db);
  add_account(zip_db);
  Scratch tmp;
  const std::string zip = zip_folder(kArchive, (tmp.dir / "twitter-2021-10-01.zip").string());
  REQUIRE(import(folder_db, {kArchive}).exit_code == 0);
  const Result r = import(zip_db, {zip});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(summary(r)["imported"] == 38);
  CHECK(tables(zip_db) == tables(folder_db));
}

TEST_CASE("import-history keeps collecting imported posts younger than 7 days") {
  TestDb db;
  add_account(db);
  REQUIRE(import(db, {kArchive, kCurrent, kLegacy, kSpanish}, "2021-09-25T00:00:00Z").exit_code ==
          0);
  CHECK(db.scalar("SELECT tweet_id || ' ' || metrics_state FROM content_metadata WHERE "
                  "next_collect_at IS NOT NULL") == "1441188009827733514 collected");
}

TEST_CASE("import-history reports bad rows by file and line and imports the rest of the file") {
  TestDb db;
  add_account(db);
  Scratch tmp;
  std::string csv = read(kCurrent);
  const std::string header = csv.substr(0, csv.find('\n') + 1);
  // Lines `first` and `first + 1` (texts span lines): a broken id, then invalid UTF-8; then one
  // id twice with different numbers.
  const long first = static_cast<long>(std::count(csv.begin(), csv.end(), '\n')) + 1;
  csv +=
      "12ab,\"Mon, Sep 20, 2021\",broken id,https://x.com/fixture/status/12ab,"
      "5,1,1,0,0,0,0,0,0,0,0,0,0\n";
  csv +=
      "1441188009827733514,\"Thu, Sep 23, 2021\",bad \xE4 text,"
      "https://x.com/fixture/status/1441188009827733514,5,1,1,0,0,0,0,0,0,0,0,0,0\n";
  const std::string dup =
      "1440000000000000000,\"Tue, Sep 21, 2021\",twice,"
      "https://x.com/fixture/status/1440000000000000000,";
  csv += dup + "100,1,1,0,0,0,0,0,0,0,0,0,0\n" + dup + "200,1,1,0,0,0,0,0,0,0,0,0,0\n";
  const std::string path = tmp.write("current.csv", csv);
  const Result r = import(db, {path});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  const json s = summary(r);
  CHECK(s["problems_total"].get<int>() >= 2);
  std::set<long> lines;
  for (const auto& p : s["problems"]) {
    CHECK(p["file"] == path);
    lines.insert(p["line"].get<long>());
  }
  CHECK(lines.count(first) == 1);
  CHECK(lines.count(first + 1) == 1);
  CHECK(r.err.find(path + ":" + std::to_string(first) + ": id \"12ab\" is not a post id") !=
        std::string::npos);
  // The good rows are written; the bad ones are not.
  CHECK(db.scalar("SELECT count(*) FROM content_metadata WHERE tweet_id IN "
                  "('1149680375817494529', '1440000000000000000')") == "2");
  CHECK(db.scalar("SELECT count(*) FROM content_metadata WHERE tweet_id = '12ab'") == "0");
  // Twice in one file with other numbers: counters only grow, the larger reading is kept.
  CHECK(db.scalar("SELECT impressions FROM outcomes WHERE tweet_id = '1440000000000000000'") ==
        "200");

  // --strict: any bad row and nothing is written at all.
  TestDb strict_db;
  add_account(strict_db);
  const Result strict =
      run({"import-history", "--account", "fixture", "--now", kNow, "--strict", kArchive, path},
          strict_db.url());
  CHECK(strict.exit_code == 2);
  CHECK(strict_db.scalar("SELECT count(*) FROM content_metadata") == "0");
  CHECK(strict_db.scalar("SELECT count(*) FROM tweet_metrics") == "0");
}

TEST_CASE(
    "an archive's blank post, NUL post and post dated before X are skipped, the rest imported") {
  TestDb db;
  add_account(db);
  Scratch tmp;
  std::string tweets = read(kArchive + "/data/tweets.js");
  const std::string extra =
      R"({"tweet": {"id_str": "1005020859881394999", "full_text": "   ",)"
      R"( "created_at": "Fri Jun 08 10:37:00 +0000 2018", "favorite_count": "3",)"
      R"( "retweet_count": "0"}},)"
      R"({"tweet": {"id_str": "1005020859881394998", "full_text": "nul \u0000 inside",)"
      R"( "created_at": "Fri Jun 08 10:38:00 +0000 2018", "favorite_count": "3",)"
      R"( "retweet_count": "0"}},)"
      R"({"tweet": {"id_str": "15", "full_text": "a post from before X existed",)"
      R"( "created_at": "Mon Jan 01 10:00:00 +0000 2001", "favorite_count": "3",)"
      R"( "retweet_count": "0"}},)";
  tweets.insert(tweets.find('[') + 1, extra);
  tmp.write("archive/data/tweets.js", tweets);
  tmp.write("archive/data/account.js", read(kArchive + "/data/account.js"));
  const Result r = import(db, {(tmp.dir / "archive").string()});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  const json s = summary(r);
  CHECK(s["skipped"]["no_text"] == 1);
  CHECK(s["skipped"]["nul_in_text"] == 1);
  CHECK(s["skipped"]["before_x"] == 1);
  // As many posts as the fixture's own archive gives.
  TestDb plain;
  add_account(plain);
  REQUIRE(import(plain, {kArchive}).exit_code == 0);
  CHECK(db.scalar("SELECT count(*) FROM content_metadata") ==
        plain.scalar("SELECT count(*) FROM content_metadata"));
  CHECK(db.scalar("SELECT count(*) FROM content_metadata WHERE tweet_id IN "
                  "('1005020859881394999', '15')") == "0");
}

TEST_CASE("a malformed archive writes nothing of itself, and the other files are imported") {
  TestDb db;
  add_account(db);
  Scratch tmp;
  const std::string tweets = read(kArchive + "/data/tweets.js");
  SECTION("truncated") { tmp.write("archive/data/tweets.js", tweets.substr(0, tweets.size() / 2)); }
  SECTION("a JS prefix that is no archive's") {
    tmp.write("archive/data/tweets.js", "var tweets = " + tweets.substr(tweets.find('[')));
  }
  tmp.write("archive/data/account.js", read(kArchive + "/data/account.js"));
  const Result r = import(db, {(tmp.dir / "archive").string(), kCurrent});
  INFO(r.out);
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find((tmp.dir / "archive").string()) != std::string::npos);
  // Only the analytics file's 19 posts (the archive's 40 are not half-written).
  CHECK(db.scalar("SELECT count(*) FROM content_metadata") == "19");
}

TEST_CASE("a 100 MB CSV line is skipped and reported without being held") {
  TestDb db;
  add_account(db);
  Scratch tmp;
  const std::string csv = read(kCurrent);
  const fs::path path = tmp.dir / "huge.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << csv.substr(0, csv.find('\n') + 1);
    out << "1441188009827733514,\"Thu, Sep 23, 2021\",\"";
    const std::string block(1 << 20, 'a');
    for (int i = 0; i < 100; ++i) out << block;
    out << "\",https://x.com/fixture/status/1441188009827733514,5,1,1,0,0,0,0,0,0,0,0,0,0\n";
    out << csv.substr(csv.find('\n') + 1);
  }
  const Result r = import(db, {path.string()});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  const json s = summary(r);
  CHECK(s["problems_total"] == 1);
  CHECK(s["problems"][0]["line"] == 2);
  CHECK(s["imported"] == 19);
}

TEST_CASE("import-history refuses unknown files and bad flags") {
  TestDb db;
  add_account(db);
  Scratch tmp;
  const std::string notes = tmp.write("notes.csv", "a,b,c\n1,2,3\n");
  const Result r = import(db, {notes});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("notes.csv") != std::string::npos);
  CHECK(db.scalar("SELECT count(*) FROM content_metadata") == "0");
  // An export in a language not read (Italian, a few columns left in English): those match,
  // the rest do not. It is
  // named as unknown, not read in half (its likes and impressions dropped, every row
  // skipped for want of text).
  const std::string italian =
      tmp.write("tweet_activity_metrics_fixture_it.csv",
                "ID del Tweet,Permalink del Tweet,Testo del Tweet,ora,impressioni,interazioni,"
                "Mi piace,user profile clicks,url clicks,follows\n"
                "1441188009827733514,https://x.com/fixture/status/1441188009827733514,Ciao,"
                "2021-09-23 23:49 +0000,500,10,7,1,0,0\n");
  const Result it = import(db, {italian});
  CHECK(it.exit_code == 2);
  CHECK(it.err.find("tweet_activity_metrics_fixture_it.csv") != std::string::npos);
  CHECK(it.err.find("unknown analytics dialect") != std::string::npos);
  CHECK(db.scalar("SELECT count(*) FROM content_metadata") == "0");
  CHECK(run({"import-history", "--account", "fixture"}, db.url()).exit_code == 2);
  CHECK(run({"import-history", "--account", "fixture", "--since", "yesterday", kCurrent}, db.url())
            .exit_code == 2);
}

TEST_CASE("learn-hourly's summary counts the posts learned from that were imported") {
  TestDb db;
  add_account(db);
  REQUIRE(import(db, {kArchive, kCurrent, kLegacy, kSpanish}).exit_code == 0);
  const Result r = run({"learn-hourly", "--account", "fixture", "--now", kNow}, db.url());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json summary = json::parse(r.out.substr(0, r.out.find('\n')));
  REQUIRE(summary["format"] == "single");
  CHECK(summary["posts_used_imported"].get<long long>() > 0);
  CHECK(std::to_string(summary["posts_used_imported"].get<long long>()) ==
        db.scalar("SELECT count(*) FROM learning_posts WHERE passed_gates AND source = 'imported' "
                  "AND format = 'single'"));
  CHECK(summary["other_formats"]["reply"]["posts_used_imported"] == 1);
  // The imported past is no persona's: not ranked, listed or credited as one.
  const std::string everything = summary.dump();
  CHECK(summary["generator_performance"].is_object());
  CHECK_FALSE(summary["generator_performance"].contains("imported"));
  CHECK(everything.find("\"key\":\"imported\"") == std::string::npos);
  for (const char* tool : {"update-generators", "extract-formulas"}) {
    const Result t = run({tool, "--account", "fixture", "--now", kNow}, db.url());
    INFO(tool << ": " << t.err);
    REQUIRE(t.exit_code == 0);
    CHECK(t.out.find("\"imported\"") == std::string::npos);
  }
  CHECK(db.scalar("SELECT count(*) FROM generator_stats WHERE generator_name = 'imported'") == "0");
  CHECK(db.scalar("SELECT count(*) FROM viral_formulas WHERE 'imported' = ANY(generators)") == "0");
  // The report says what formulas were learned, though no post has used one yet.
  const Result report =
      run({"report", "--account", "fixture", "--now", kNow, "--format", "json"}, db.url());
  INFO(report.err);
  REQUIRE(report.exit_code == 0);
  const json works = json::parse(report.out)["what_works"];
  CHECK(works["formulas_learned"].get<long long>() > 0);
  CHECK(std::to_string(works["formulas_learned"].get<long long>()) ==
        db.scalar("SELECT count(*) FROM viral_formulas WHERE format = 'single'"));
}
