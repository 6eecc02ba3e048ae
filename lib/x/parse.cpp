#include "x/parse.h"

#include <nlohmann/json.hpp>
#include <regex>

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
  static const std::regex kId("^[0-9]{1,19}$");
  return j.is_string() && std::regex_match(j.get<std::string>(), kId);
}

std::string str(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// X returns a post's text with &, < and > HTML-escaped; everything after this
// point reads the text as its author wrote it.
std::string post_text(const json& obj) { return decode_html_entities(str(obj, "text")); }

// Reads a count; missing stays unknown, a bad value is unknown plus an anomaly.
void read_count(const json& metrics, const char* key, learn::Count& out,
                std::vector<std::string>& anomalies, const char* section) {
  auto it = metrics.find(key);
  if (it == metrics.end() || it->is_null()) return;
  if (it->is_number_integer() && it->get<long long>() >= 0) {
    out = it->get<long long>();
    return;
  }
  anomalies.push_back(std::string(section) + "." + key + " is " +
                      (it->is_number() && it->get<double>() < 0 ? "negative" : "not a count"));
}

Tweet parse_tweet(const json& d) {
  Tweet t;
  t.id = d["id"].get<std::string>();
  t.text = post_text(d);
  t.author_id = str(d, "author_id");
  t.created_at = str(d, "created_at");
  if (auto pm = d.find("public_metrics"); pm != d.end() && pm->is_object()) {
    read_count(*pm, "impression_count", t.impressions, t.anomalies, "public_metrics");
    read_count(*pm, "like_count", t.likes, t.anomalies, "public_metrics");
    read_count(*pm, "retweet_count", t.retweets, t.anomalies, "public_metrics");
    read_count(*pm, "reply_count", t.replies, t.anomalies, "public_metrics");
    read_count(*pm, "quote_count", t.quotes, t.anomalies, "public_metrics");
    read_count(*pm, "bookmark_count", t.bookmarks, t.anomalies, "public_metrics");
  }
  for (const char* section : {"non_public_metrics", "organic_metrics"}) {
    auto m = d.find(section);
    if (m == d.end() || !m->is_object()) continue;
    t.private_metrics = true;
    if (!t.profile_clicks)
      read_count(*m, "user_profile_clicks", t.profile_clicks, t.anomalies, section);
    if (!t.url_clicks) read_count(*m, "url_link_clicks", t.url_clicks, t.anomalies, section);
    if (!t.impressions) read_count(*m, "impression_count", t.impressions, t.anomalies, section);
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

UserInfo parse_user(const std::string& body) {
  const json j = parse_object(body);
  auto data = j.find("data");
  if (data == j.end() || !data->is_object()) throw MalformedBody("no data object");
  if (!valid_id(data->value("id", json()))) throw MalformedBody("data.id is not a valid id");
  UserInfo u;
  u.id = (*data)["id"].get<std::string>();
  u.username = str(*data, "username");
  if (auto pm = data->find("public_metrics"); pm != data->end() && pm->is_object()) {
    std::vector<std::string> ignored;  // a user's bad count stays unknown
    read_count(*pm, "followers_count", u.followers, ignored, "public_metrics");
    read_count(*pm, "following_count", u.following, ignored, "public_metrics");
    read_count(*pm, "tweet_count", u.tweet_count, ignored, "public_metrics");
    read_count(*pm, "listed_count", u.listed, ignored, "public_metrics");
  }
  return u;
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
