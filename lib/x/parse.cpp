#include "x/parse.h"

#include <cmath>
#include <initializer_list>
#include <nlohmann/json.hpp>

#include "core/regex.h"
#include "x/errors.h"
#include "x/tweet_text.h"

namespace gl::x {

namespace {

using nlohmann::json;

json parse_object(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) throw MalformedBody("body is not valid JSON");
  if (!j.is_object()) throw MalformedBody("body is not a JSON object");
  return j;
}

bool valid_id(const json& j) {
  static const Regex kId("^[0-9]{1,19}$");
  return j.is_string() && kId.full_match(j.get<std::string>());
}

std::string str(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// X returns a post's text with &, < and > HTML-escaped; everything after this
// point reads the text as its author wrote it.
std::string post_text(const json& obj) { return decode_html_entities(str(obj, "text")); }

// A count's problem ("" when it is one): negative, above learn::kMaxCount, or not a whole number.
std::string count_problem(const json& v) {
  if (v.is_number_unsigned())
    return v.get<unsigned long long>() <= learn::kMaxCount ? "" : "above any real count";
  if (v.is_number_integer()) return v.get<long long>() >= 0 ? "" : "negative";
  if (!v.is_number()) return "not a count";
  const double d = v.get<double>();
  if (d < 0) return "negative";
  // 500.0 is 500 (a JSON writer's choice); 2.5 is no count.
  if (d != std::floor(d)) return "not a count";
  return d <= static_cast<double>(learn::kMaxCount) ? "" : "above any real count";
}

// Reads a count; missing stays unknown, a bad value is unknown plus an anomaly.
// With two names (X's August 2026 spec renamed some), the first good value is
// taken; an anomaly only when neither name holds one.
void read_count(const json& metrics, std::initializer_list<const char*> keys, learn::Count& out,
                std::vector<std::string>& anomalies, const char* section) {
  std::string bad;
  for (const char* key : keys) {
    auto it = metrics.find(key);
    if (it == metrics.end() || it->is_null()) continue;
    const std::string problem = count_problem(*it);
    if (problem.empty()) {
      out = it->get<long long>();
      return;
    }
    if (bad.empty()) bad = std::string(section) + "." + key + " is " + problem;
  }
  if (!bad.empty()) anomalies.push_back(bad);
}

Tweet parse_tweet(const json& d) {
  Tweet t;
  t.id = d["id"].get<std::string>();
  t.text = post_text(d);
  t.author_id = str(d, "author_id");
  t.created_at = str(d, "created_at");
  t.conversation_id = str(d, "conversation_id");
  t.lang = str(d, "lang");
  for (const char* refs : {"referenced_tweets", "referenced_posts"}) {
    auto r = d.find(refs);
    if (r == d.end() || !r->is_array()) continue;
    for (const auto& ref : *r) {
      if (ref.is_object() && str(ref, "type") == "replied_to" && valid_id(ref.value("id", json())))
        t.replied_to = ref["id"].get<std::string>();
    }
  }
  if (auto pm = d.find("public_metrics"); pm != d.end() && pm->is_object()) {
    read_count(*pm, {"impression_count"}, t.impressions, t.anomalies, "public_metrics");
    read_count(*pm, {"like_count"}, t.likes, t.anomalies, "public_metrics");
    // X's August 2026 openapi spec renamed retweet_count to repost_count.
    read_count(*pm, {"retweet_count", "repost_count"}, t.retweets, t.anomalies, "public_metrics");
    read_count(*pm, {"reply_count"}, t.replies, t.anomalies, "public_metrics");
    read_count(*pm, {"quote_count"}, t.quotes, t.anomalies, "public_metrics");
    read_count(*pm, {"bookmark_count"}, t.bookmarks, t.anomalies, "public_metrics");
  }
  for (const char* section : {"non_public_metrics", "organic_metrics"}) {
    auto m = d.find(section);
    if (m == d.end() || !m->is_object()) continue;
    t.private_metrics = true;
    if (!t.profile_clicks)
      read_count(*m, {"user_profile_clicks"}, t.profile_clicks, t.anomalies, section);
    if (!t.url_clicks) read_count(*m, {"url_link_clicks"}, t.url_clicks, t.anomalies, section);
    if (!t.impressions) read_count(*m, {"impression_count"}, t.impressions, t.anomalies, section);
  }
  return t;
}

}  // namespace

LookupResult parse_tweet_lookup(const std::string& body) {
  const json j = parse_object(body);
  LookupResult r;
  if (auto data = j.find("data"); data != j.end()) {
    if (!data->is_array()) throw MalformedBody("data is not an array");
    for (const auto& d : *data) {
      if (!d.is_object() || !valid_id(d.value("id", json()))) {
        throw MalformedBody("a data item has no valid string id");
      }
      r.tweets.push_back(parse_tweet(d));
    }
  }
  if (auto errors = j.find("errors"); errors != j.end() && errors->is_array()) {
    for (const auto& e : *errors) {
      if (!e.is_object()) continue;
      TweetProblem p;
      p.id = str(e, "resource_id");
      if (p.id.empty()) p.id = str(e, "value");
      p.type = problem_type_suffix(str(e, "type"));
      p.detail = str(e, "detail");
      if (p.detail.empty()) p.detail = str(e, "title");
      if (!p.id.empty()) r.problems.push_back(std::move(p));
    }
  }
  if (!j.contains("data") && !j.contains("errors")) throw MalformedBody("neither data nor errors");
  return r;
}

namespace {

UserInfo user_of(const json& d) {
  if (!valid_id(d.value("id", json()))) throw MalformedBody("a user's id is not a valid id");
  UserInfo u;
  u.id = d["id"].get<std::string>();
  u.username = str(d, "username");
  if (auto pm = d.find("public_metrics"); pm != d.end() && pm->is_object()) {
    std::vector<std::string> ignored;  // a user's bad count stays unknown
    read_count(*pm, {"followers_count"}, u.followers, ignored, "public_metrics");
    read_count(*pm, {"following_count"}, u.following, ignored, "public_metrics");
    read_count(*pm, {"tweet_count", "post_count"}, u.tweet_count, ignored, "public_metrics");
    read_count(*pm, {"listed_count"}, u.listed, ignored, "public_metrics");
  }
  return u;
}

}  // namespace

UserInfo parse_user(const std::string& body) {
  const json j = parse_object(body);
  auto data = j.find("data");
  if (data == j.end() || !data->is_object()) {
    // A handle or id X does not know comes back as a 200 with errors[].
    if (auto e = j.find("errors");
        e != j.end() && e->is_array() && !e->empty() && (*e)[0].is_object()) {
      throw MalformedBody("no such user: " + str((*e)[0], "detail"));
    }
    throw MalformedBody("no data object");
  }
  return user_of(*data);
}

PostPage parse_post_page(const std::string& body) {
  const json j = parse_object(body);
  PostPage page;
  if (auto data = j.find("data"); data != j.end()) {
    if (!data->is_array()) throw MalformedBody("data is not an array");
    for (const auto& d : *data) {
      if (!d.is_object() || !valid_id(d.value("id", json()))) {
        throw MalformedBody("a data item has no valid string id");
      }
      page.tweets.push_back(parse_tweet(d));
    }
  }
  if (auto inc = j.find("includes"); inc != j.end() && inc->is_object()) {
    if (auto users = inc->find("users"); users != inc->end() && users->is_array()) {
      for (const auto& u : *users) {
        if (u.is_object()) page.users.push_back(user_of(u));
      }
    }
  }
  if (auto meta = j.find("meta"); meta != j.end() && meta->is_object()) {
    page.newest_id = str(*meta, "newest_id");
    page.next_token = str(*meta, "next_token");
  } else if (!j.contains("data")) {
    throw MalformedBody("neither data nor meta");
  }
  return page;
}

std::optional<long long> parse_post_count_text(const std::string& text) {
  static const Regex kCount(
      R"(^\s*([0-9]+(?:\.[0-9]+)?)\s*([KkMm]?)\s*(?:posts|Posts|tweets|Tweets)?\s*$)");
  RegexMatch m;
  if (!kCount.full_match(text, m)) return std::nullopt;
  double n = std::stod(m.str(1));
  const std::string unit = m.str(2);
  if (unit == "K" || unit == "k") n *= 1e3;
  if (unit == "M" || unit == "m") n *= 1e6;
  return static_cast<long long>(n + 0.5);
}

std::vector<Trend> parse_trends(const std::string& body) {
  const json j = parse_object(body);
  std::vector<Trend> out;
  auto data = j.find("data");
  if (data == j.end()) {
    if (j.contains("errors")) throw MalformedBody("errors and no data");
    return out;
  }
  if (!data->is_array()) throw MalformedBody("data is not an array");
  for (const auto& d : *data) {
    if (!d.is_object()) throw MalformedBody("a trend is not an object");
    Trend t;
    t.name = str(d, "trend_name");
    t.category = str(d, "category");
    // tweet_count (documented), post_count (August 2026 spec) as a number, or
    // personalized trends' post_count text ("2K posts").
    for (const char* key : {"tweet_count", "post_count"}) {
      auto c = d.find(key);
      if (c == d.end() || t.post_count) continue;
      if (c->is_number_integer() && c->get<long long>() >= 0) t.post_count = c->get<long long>();
      if (c->is_string()) t.post_count = parse_post_count_text(c->get<std::string>());
    }
    if (!t.name.empty()) out.push_back(std::move(t));
  }
  return out;
}

std::vector<TimelineTweet> parse_timeline(const std::string& body) {
  const json j = parse_object(body);
  std::vector<TimelineTweet> out;
  auto data = j.find("data");
  if (data == j.end()) return out;  // meta.result_count = 0
  if (!data->is_array()) throw MalformedBody("data is not an array");
  for (const auto& d : *data) {
    if (!d.is_object() || !valid_id(d.value("id", json()))) {
      throw MalformedBody("a data item has no valid string id");
    }
    out.push_back({d["id"].get<std::string>(), post_text(d), str(d, "created_at")});
  }
  return out;
}

PostedTweet parse_post(const std::string& body) {
  const json j = parse_object(body);
  auto data = j.find("data");
  if (data == j.end() || !data->is_object() || !valid_id(data->value("id", json()))) {
    throw MalformedBody("no data.id in the create response");
  }
  return {(*data)["id"].get<std::string>(), post_text(*data)};
}

ExpectedMetrics parse_sandbox_score(const std::string& body) {
  const json j = parse_object(body);
  ExpectedMetrics m;
  const std::pair<const char*, double*> fields[] = {{"impressions", &m.impressions},
                                                    {"likes", &m.likes},
                                                    {"retweets", &m.retweets},
                                                    {"replies", &m.replies},
                                                    {"quotes", &m.quotes},
                                                    {"bookmarks", &m.bookmarks},
                                                    {"profile_clicks", &m.profile_clicks},
                                                    {"follows", &m.follows}};
  for (const auto& [key, out] : fields) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number() || it->get<double>() < 0)
      throw MalformedBody(std::string("score has no non-negative ") + key);
    *out = it->get<double>();
  }
  return m;
}

}  // namespace gl::x
