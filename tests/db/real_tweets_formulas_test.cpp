// The 714 real tweets of tests/data/real-tweets as outside posts (vi_tweets and
// peer_posts, some in both, one copied under another id), through
// extract-formulas. X gave them no views and no reply counts. What comes out is
// checked against a recomputation, written here from README's rule, from the
// rows this test inserts: members, authors, lifts, and what became of each row.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "learn/formulas.h"
#include "learn/text_features.h"
#include "support/harness.h"
#include "support/sandbox.h"
#include "unit/test_data.h"
#include "x/tweet_text.h"

using namespace gl::test;
using nlohmann::json;

namespace {

constexpr const char* kNow = "2023-02-01T00:00:00Z";  // after the newest tweet

struct Row {
  std::string source, id, text, author;
  long long followers = 0, likes = 0, retweets = 0;
};

std::string lower_handle(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string identity(const std::string& prose) {
  std::string out;
  bool space = false;
  for (char c : prose) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isspace(u)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(u));
  }
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Authors alternate between the two tables by name; every 7th vi_tweets row is also a
// peer post (the same tweet harvested twice); one tweet is copied by another account.
std::vector<Row> split_rows() {
  const auto tweets = read_csv_file("real-tweets/tweets.csv");
  std::set<std::string> authors;
  for (const auto& t : tweets) authors.insert(t.at("user"));
  std::map<std::string, int> author_index;
  for (const auto& a : authors) author_index[a] = static_cast<int>(author_index.size());
  std::vector<Row> rows;
  int vi = 0;
  for (const auto& t : tweets) {
    Row r;
    r.id = t.at("id");
    r.text = gl::x::decode_html_entities(t.at("text"));  // as our X client stores it
    r.author = t.at("user");
    r.followers = std::stoll(t.at("followers"));
    r.likes = std::stoll(t.at("likes"));
    r.retweets = std::stoll(t.at("retweets"));
    r.source = author_index[r.author] % 2 == 0 ? "vi_tweets" : "peer_posts";
    rows.push_back(r);
    if (r.source == "vi_tweets" && ++vi % 7 == 0) {
      r.source = "peer_posts";
      rows.push_back(r);
    }
  }
  // A copy: another account posts the same words, shouted, with a link of its own.
  for (const auto& r : rows) {
    if (r.source == "vi_tweets" && r.text.find("http") == std::string::npos && r.text.size() > 80) {
      Row copy = r;
      copy.source = "peer_posts";
      copy.id = "999999999999999999";
      copy.author = "copycat";
      copy.text = r.text + " https://t.co/copycat1";
      for (auto& c : copy.text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      rows.push_back(copy);
      break;
    }
  }
  return rows;
}

void load(TestDb& db, const std::vector<Row>& rows) {
  pqxx::work w(db.conn());
  w.exec0("INSERT INTO accounts (handle, timezone) VALUES ('real', 'UTC')");
  for (const auto& r : rows) {
    const bool vi = r.source == "vi_tweets";
    // No impressions and no reply counts: the CSV's "reply" is a flag.
    w.exec_params0(std::string("INSERT INTO ") + (vi ? "vi_tweets" : "peer_posts") +
                       " (account_id, tweet_id, " + (vi ? "author_handle" : "peer_handle") + ", " +
                       (vi ? "author_followers" : "peer_followers") +
                       ", content, likes, retweets, collected_at) "
                       "VALUES (1, $1, $2, $3, $4, $5, $6, $7)",
                   r.id, r.author, r.followers, r.text, r.likes, r.retweets, kNow);
  }
  w.commit();
}

struct Expected {
  std::vector<Row> rows_in_order;                                   // what the members point into
  std::map<std::string, std::map<std::string, long long>> skipped;  // source -> reason -> n
  std::map<std::string, long long> rows, used;
  struct Formula {
    std::vector<const Row*> members;
    std::vector<double> lifts;
  };
  std::map<std::string, Formula> formulas;  // by key
};

// README's outside rule, restated: each row once (by id, vi_tweets first, then by
// prose), no notices, no posts without prose; ln(1 + likes + retweets) against the
// author's median with 3 posts or more, else per 1,000 followers against the median
// of all; successful at 1.5 times the baseline; no author above half of a formula.
Expected recompute(const std::vector<Row>& rows) {
  Expected e;
  e.rows_in_order = rows;
  std::stable_sort(e.rows_in_order.begin(), e.rows_in_order.end(), [](const Row& a, const Row& b) {
    return a.source != b.source ? a.source > b.source : a.id < b.id;
  });
  std::set<std::string> ids, texts;
  struct M {
    const Row* row;
    gl::learn::TextFeatures f;
    double log_value;
  };
  std::vector<M> measured;
  for (const Row& r : e.rows_in_order) {
    ++e.rows[r.source];
    auto& skip = e.skipped[r.source];
    if (!ids.insert(r.id).second) {
      ++skip["duplicate_tweet"];
      continue;
    }
    if (r.text.find("has been withheld") != std::string::npos) {
      ++skip["withheld_or_deleted_notice"];
      continue;
    }
    const auto f = gl::learn::analyze_text(r.text);
    if (f.words == 0) {
      ++skip["no_prose"];
      continue;
    }
    if (!texts.insert(identity(f.prose)).second) {
      ++skip["duplicate_text"];
      continue;
    }
    measured.push_back({&r, f, std::log1p(static_cast<double>(r.likes + r.retweets))});
  }
  std::map<std::string, std::vector<double>> by_author;
  std::vector<double> per_follower;
  for (const auto& m : measured) {
    by_author[lower_handle(m.row->author)].push_back(m.log_value);
    if (m.row->followers > 0)
      per_follower.push_back(m.log_value - std::log1p(m.row->followers / 1000.0));
  }
  const double pool = median(per_follower);
  std::map<std::string, std::vector<std::pair<const M*, double>>> groups;
  for (const auto& m : measured) {
    const auto& mine = by_author[lower_handle(m.row->author)];
    double lift;
    if (mine.size() >= 3) {
      lift = m.log_value - median(mine);
    } else if (m.row->followers > 0) {
      lift = m.log_value - std::log1p(m.row->followers / 1000.0) - pool;
    } else {
      ++e.skipped[m.row->source]["no_baseline"];
      continue;
    }
    if (lift < std::log(1.5)) {
      ++e.skipped[m.row->source]["not_successful"];
      continue;
    }
    groups[gl::learn::formula_key(m.f)].push_back({&m, lift});
  }
  for (const auto& [key, ms] : groups) {
    std::map<std::string, int> per_author;
    bool sentence = false;
    for (const auto& [m, lift] : ms) {
      ++per_author[lower_handle(m->row->author)];
      sentence = sentence || m->f.words >= 6;
    }
    int top = 0;
    for (const auto& [a, n] : per_author) top = std::max(top, n);
    const char* drop = 2 * top > static_cast<int>(ms.size()) ? "formula_dominated_by_one_author"
                       : !sentence                           ? "formula_without_sentence_example"
                                                             : nullptr;
    for (const auto& [m, lift] : ms) {
      if (drop) {
        ++e.skipped[m->row->source][drop];
      } else {
        ++e.used[m->row->source];
        e.formulas[key].members.push_back(m->row);
        e.formulas[key].lifts.push_back(lift);
      }
    }
  }
  return e;
}

}  // namespace

TEST_CASE("formulas from real outside tweets measure the structure, not the author") {
  TestDb db;
  const std::vector<Row> rows = split_rows();
  load(db, rows);
  const Result r = run({"extract-formulas", "-v", "--now", kNow}, db.url());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Expected e = recompute(rows);

  // What became of every row, by source and reason, as recomputed; also said with -v.
  const json stats = json::parse(
      db.scalar("SELECT stats->'sources'->'single' FROM job_runs WHERE tool = 'extract-formulas'"));
  long long total_rows = 0;
  for (const char* source : {"vi_tweets", "peer_posts"}) {
    INFO(source << ": " << stats.dump());
    const auto& s = stats.at(source);
    CHECK(s["rows"] == e.rows.at(source));
    CHECK(s["used"] == (e.used.count(source) ? e.used.at(source) : 0));
    CHECK(s["skipped"] == json(e.skipped.at(source)));
    long long sum = s["used"].get<long long>();
    for (const auto& [why, n] : s["skipped"].items()) sum += n.get<long long>();
    CHECK(sum == s["rows"].get<long long>());
    total_rows += s["rows"].get<long long>();
    CHECK(r.err.find("single: " + std::string(source) + ": " + std::to_string(e.rows.at(source)) +
                     " rows, " + std::to_string(s["used"].get<long long>()) + " used") !=
          std::string::npos);
  }
  CHECK(total_rows == static_cast<long long>(rows.size()));
  // Each tweet once: the copies and the rows in both tables are skipped.
  CHECK(stats["peer_posts"]["skipped"]["duplicate_tweet"].get<long long>() > 10);
  CHECK(stats["peer_posts"]["skipped"]["duplicate_text"].get<long long>() >= 1);
  CHECK(stats["vi_tweets"]["skipped"].contains("withheld_or_deleted_notice") !=
        stats["peer_posts"]["skipped"].contains("withheld_or_deleted_notice"));

  const auto lines = json_lines(r.out);
  REQUIRE(lines.size() == e.formulas.size());
  REQUIRE(lines.size() >= 5);
  CHECK(db.scalar("SELECT count(*) FROM viral_formulas") == std::to_string(lines.size()));
  std::set<std::string> names, members;
  long long sample = 0;
  for (const auto& f : lines) {
    const std::string key = f["key"];
    INFO(f.dump());
    REQUIRE(e.formulas.count(key));
    const auto& x = e.formulas.at(key);
    CHECK(f["performance"]["sampleSize"] == x.members.size());
    sample += f["performance"]["sampleSize"].get<long long>();
    // Several authors, none above half of the members.
    std::map<std::string, int> per_author;
    std::map<std::string, std::pair<double, int>> author_lift;
    std::set<std::string> member_ids;
    for (size_t i = 0; i < x.members.size(); ++i) {
      const auto a = lower_handle(x.members[i]->author);
      ++per_author[a];
      author_lift[a].first += x.lifts[i];
      ++author_lift[a].second;
      member_ids.insert(x.members[i]->id);
      CHECK(members.insert(x.members[i]->id).second);  // in one formula only
    }
    CHECK(f["performance"]["authors"] == per_author.size());
    CHECK(per_author.size() >= 2);
    for (const auto& [a, n] : per_author) CHECK(2 * n <= static_cast<int>(x.members.size()));
    double lift = 0;
    for (const auto& [a, s] : author_lift) lift += s.first / s.second;
    CHECK(f["performance"]["avgLift"].get<double>() ==
          Approx(lift / static_cast<double>(author_lift.size())).margin(1e-9));
    CHECK(f["performance"]["avgLift"].get<double>() >= std::log(1.5) - 1e-9);
    // No views and no reply counts: nothing is invented.
    CHECK(f["performance"]["avgViews"].is_null());
    CHECK(f["performance"]["avgEngagementRate"].is_null());
    // The example is a real sentence by one of the members.
    const std::string example = f["example"];
    CHECK(member_ids.count(f["example_tweet_id"].get<std::string>()));
    CHECK(gl::learn::analyze_text(example).words >= 6);
    CHECK(example.find("withheld") == std::string::npos);
    CHECK(names.insert(f["name"].get<std::string>()).second);
  }
  long long used = 0;
  for (const auto& [s, n] : e.used) used += n;
  CHECK(sample == used);
  CHECK(members.size() == static_cast<size_t>(used));
}
