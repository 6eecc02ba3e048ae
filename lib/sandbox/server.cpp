#include "sandbox/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <openssl/evp.h>

#include <random>
#include <thread>

#include "core/error.h"
#include "core/regex.h"
#include "sandbox/billing.h"
#include "sandbox/llm.h"
#include "sandbox/outside.h"
#include "sandbox/post_length.h"
#include "sandbox/search_query.h"
#include "sandbox/world.h"

namespace gl::sandbox {

namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

constexpr const char* kJson = "application/json; charset=utf-8";

json problem(const std::string& title, const std::string& detail, const std::string& type,
             int status) {
  return {{"title", title}, {"detail", detail}, {"type", type}, {"status", status}};
}

std::string problem_url(const std::string& suffix) {
  return "https://api.x.com/2/problems/" + suffix;
}

void send(Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), kJson);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

// A posts answer with `field` left out of each post's metrics objects, as X
// leaves out a metric it stopped reporting. Other bodies pass unchanged.
std::string without_metric(const std::string& body, const std::string& field) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("data")) return body;
  const auto strip = [&field](json& post) {
    if (!post.is_object()) return;
    for (const char* section : {"public_metrics", "non_public_metrics", "organic_metrics"}) {
      if (post.contains(section) && post[section].is_object()) post[section].erase(field);
    }
  };
  if (j["data"].is_array()) {
    for (auto& post : j["data"]) strip(post);
  } else {
    strip(j["data"]);
  }
  return j.dump();
}

// X shows every link of a post it creates as a t.co link: the text it
// returns, on the timeline too, is not the text it was sent. The code is the
// link's hash here, so the same text gives the same post text again.
std::string wrap_links(const std::string& text) {
  static const Regex kLink(R"(https?://[^\s]+)");
  static const std::string kTrailing = ".,;:!?)]'\"";
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string out;
  size_t done = 0;
  for (const RegexMatch& found : kLink.all(text)) {
    std::string link = found.str();
    while (!link.empty() && kTrailing.find(link.back()) != std::string::npos) link.pop_back();
    const size_t at = found.position();
    out += text.substr(done, at - done) + "https://t.co/";
    uint64_t h = std::hash<std::string>{}(link);
    for (int i = 0; i < 10; ++i, h /= 62) out += kAlphabet[h % 62];
    done = at + link.size();
  }
  return out + text.substr(done);
}

std::string form_value(const std::string& body, const std::string& key) {
  for (const auto& pair : split(body, '&')) {
    const auto eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == key) {
      return httplib::detail::decode_url(pair.substr(eq + 1), true);
    }
  }
  return "";
}

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

std::string base64_decode(const std::string& in) {
  std::string out(in.size() / 4 * 3 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  if (n < 0) return "";
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '\0') out.pop_back();  // padding
  return out;
}

}  // namespace

struct Server::Impl {
  SandboxOptions options;
  httplib::Server http;
  std::mutex mutex;  // guards world, stats and tokens
  World world;
  Outside outside{world, options.seed};
  Billing billing;
  FaultPlan faults;
  std::map<std::string, long long> requests;  // by endpoint
  long long posts_read = 0;
  long long users_read = 0;
  std::set<std::string> used_refresh_tokens;
  std::map<std::string, std::string> access_tokens;  // access token -> user key
  std::mt19937_64 rng{42};

  explicit Impl(SandboxOptions o) : options(std::move(o)), world(options.truth, options.seed) {
    faults.replace(options.faults);
    routes();
  }

  // The business clock of a call: X-Growthloop-Now, or ?now=, or the system clock.
  TimePoint now_of(const Request& req) {
    std::string v = req.get_header_value("X-Growthloop-Now");
    if (v.empty() && req.has_param("now")) v = req.get_param_value("now");
    if (!v.empty()) {
      if (auto t = parse_iso8601(v)) return *t;
    }
    return options.default_now ? *options.default_now : std::chrono::system_clock::now();
  }

  // The credential a request carries: "bearer:..", "oauth1:<token>", "oauth2:<client>", or "".
  std::string credential(const Request& req, bool& user_context) {
    const std::string auth = req.get_header_value("Authorization");
    user_context = false;
    if (starts_with(auth, "Bearer ")) {
      const std::string token = auth.substr(7);
      auto it = access_tokens.find(token);
      if (it != access_tokens.end()) {
        user_context = true;
        return it->second;
      }
      return token.empty() ? "" : "bearer:" + token;
    }
    if (starts_with(auth, "OAuth ")) {
      static const Regex kToken(R"(oauth_token=\"([^\"]*)\")");
      static const Regex kSig(R"(oauth_signature=\"([^\"]+)\")");
      RegexMatch m;
      if (!kSig.search(auth)) return "";
      if (kToken.search(auth, m) && !m.str(1).empty()) {
        user_context = true;
        return "oauth1:" + m.str(1);
      }
    }
    return "";
  }

  // Wraps a handler with request counting and fault injection.
  httplib::Server::Handler wrap(
      const std::string& endpoint,
      std::function<void(const Request&, Response&, const FaultRule*)> inner) {
    return [this, endpoint, inner](const Request& req, Response& res) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        ++requests[endpoint];
      }
      const auto fault = faults.take(endpoint);
      if (!fault) return inner(req, res, nullptr);
      const auto reset = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count() +
                         fault->reset_in_s;
      switch (fault->kind) {
        case FaultKind::kRateLimit:
          // The OpenAI-compatible part says when to come back as OpenAI does.
          if (endpoint.rfind("POST /v1/", 0) == 0)
            res.set_header("retry-after", std::to_string(fault->reset_in_s));
          res.set_header("x-rate-limit-limit", "900");
          res.set_header("x-rate-limit-remaining", "0");
          res.set_header("x-rate-limit-reset", std::to_string(reset));
          return send(res, 429,
                      problem("Too Many Requests", "Too Many Requests", "about:blank", 429));
        case FaultKind::kUsageCap:
          return send(res, 429,
                      {{"account_id", 1},
                       {"product_name", "standard-basic"},
                       {"title", "UsageCapExceeded"},
                       {"period", "Monthly"},
                       {"scope", "Product"},
                       {"detail", "Usage cap exceeded: Monthly product cap"},
                       {"type", problem_url("usage-capped")}});
        case FaultKind::kCredits:
          return send(
              res, 402,
              {{"account_id", 1},
               {"title", "CreditsDepleted"},
               {"detail",
                "Your enrolled account [1] does not have any credits to fulfill this request."},
               {"type", problem_url("credits")}});
        case FaultKind::kUnauthorized:
          return send(res, 401, problem("Unauthorized", "Unauthorized", "about:blank", 401));
        case FaultKind::kForbidden:
          return send(
              res, 403,
              {{"title", "Client Forbidden"},
               {"detail",
                "When authenticating requests to the Twitter API v2 endpoints, you must use keys "
                "and tokens from a Twitter developer App that is attached to a Project."},
               {"reason", "client-not-enrolled"},
               {"type", problem_url("client-forbidden")}});
        case FaultKind::kServerError:
          return send(res, fault->status ? fault->status : 500,
                      problem("Internal Server Error", "Something went wrong", "about:blank",
                              fault->status ? fault->status : 500));
        case FaultKind::kDuplicate:
          return send(
              res, 403,
              problem("Forbidden", "You are not allowed to create a Tweet with duplicate content.",
                      "about:blank", 403));
        case FaultKind::kSlow:
          std::this_thread::sleep_for(std::chrono::milliseconds(fault->delay_ms));
          return inner(req, res, nullptr);
        case FaultKind::kTimeout:
          inner(req, res, nullptr);
          std::this_thread::sleep_for(std::chrono::milliseconds(fault->delay_ms));
          return;
        case FaultKind::kTruncated:
          inner(req, res, nullptr);
          res.body = res.body.substr(0, res.body.size() / 2);
          return;
        case FaultKind::kMalformed:
          inner(req, res, nullptr);
          res.status = 200;
          res.set_content("<html><body>502 Bad Gateway</body></html>", "text/html");
          return;
        case FaultKind::kMissingField:
          inner(req, res, nullptr);
          res.body = without_metric(res.body, fault->field);
          return;
        case FaultKind::kStuckPage: {
          inner(req, res, nullptr);
          json body = json::parse(res.body, nullptr, false);
          if (!body.is_object()) return;
          body["meta"]["next_token"] = "stuck";  // read back as page 0: the same page again
          res.body = body.dump();
          return;
        }
        case FaultKind::kPartial:
        case FaultKind::kLlmText:
          return inner(req, res, &*fault);
      }
    };
  }

  const char* repost_key() const {
    return options.new_field_names ? "repost_count" : "retweet_count";
  }

  json tweet_json(const SandboxTweet& t, TimePoint now, bool with_private) {
    const Counts c = world.counts(t, now);
    const auto n = [&c](Action a) { return c.actions[a]; };
    json j = {{"id", t.id},
              {"text", t.text},
              {"author_id", t.author_id},
              {"conversation_id", t.conversation_id},
              {"created_at", format_iso8601(t.created_at)},
              {"lang", "en"},
              {"edit_history_tweet_ids", json::array({t.id})}};
    if (t.reply_to) {
      if (const SandboxTweet* parent = world.tweet(*t.reply_to)) {
        j["in_reply_to_user_id"] = parent->author_id;
      }
      j[options.new_field_names ? "referenced_posts" : "referenced_tweets"] =
          json::array({{{"type", "replied_to"}, {"id", *t.reply_to}}});
    }
    if (!t.recorded.empty()) {
      j["public_metrics"] = t.recorded;
      return j;
    }
    j["public_metrics"] = {{repost_key(), n(kRetweets)},      {"reply_count", n(kReplies)},
                           {"like_count", n(kLikes)},         {"quote_count", n(kQuotes)},
                           {"bookmark_count", n(kBookmarks)}, {"impression_count", c.impressions}};
    if (with_private) {
      j["non_public_metrics"] = {{"impression_count", c.impressions},
                                 {"url_link_clicks", 0},
                                 {"user_profile_clicks", n(kProfileClicks)},
                                 {"engagements", c.engagement() + n(kProfileClicks)}};
      j["organic_metrics"] = {{"impression_count", c.impressions},
                              {"like_count", n(kLikes)},
                              {"reply_count", n(kReplies)},
                              {repost_key(), n(kRetweets)},
                              {"url_link_clicks", 0},
                              {"user_profile_clicks", n(kProfileClicks)}};
    }
    return j;
  }

  // The fields a request asks for, under X's documented and its new name.
  static std::string tweet_fields(const Request& req) {
    return req.get_param_value("tweet.fields") + "," + req.get_param_value("post.fields");
  }

  json user_json(const SandboxUser& u, TimePoint now) {
    return {{"data",
             {{"id", u.id},
              {"name", u.username},
              {"username", u.username},
              {"public_metrics",
               {{"followers_count", world.followers(u, now)},
                {"following_count", 120},
                {"tweet_count", static_cast<long long>(u.tweets.size())},
                {"listed_count", 3},
                {"like_count", 0}}}}}};
  }

  bool require_auth(const Request& req, Response& res, std::string& key, bool& user_context) {
    key = credential(req, user_context);
    if (key.empty()) {
      send(res, 401, problem("Unauthorized", "Unauthorized", "about:blank", 401));
      return false;
    }
    return true;
  }

  void unsupported_auth(Response& res) {
    send(res, 403,
         {{"title", "Unsupported Authentication"},
          {"detail",
           "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  "
           "Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context]."},
          {"type", problem_url("unsupported-authentication")},
          {"status", 403}});
  }

  // X gives private metrics for the caller's own posts of the last 30 days only.
  static constexpr auto kPrivateMetricsAge = std::chrono::hours(24 * 30);

  void private_metrics_refused(Response& res) {
    send(res, 400,
         {{"title", "Invalid Request"},
          {"detail",
           "non_public_metrics and organic_metrics are only available for your own "
           "Posts created in the last 30 days"},
          {"type", problem_url("invalid-request")}});
  }

  void lookup(const Request& req, Response& res, const FaultRule* partial) {
    std::string key;
    bool user_ctx;
    if (!require_auth(req, res, key, user_ctx)) return;
    const TimePoint now = now_of(req);
    static const Regex kId("^[0-9]{1,19}$");
    const auto ids = split(req.get_param_value("ids"), ',');
    if (!req.has_param("ids") || ids.empty() || ids.size() > 100) {
      return send(
          res, 400,
          {{"errors",
            {{{"parameters", {{"ids", json::array()}}},
              {"message", "The `ids` query parameter value must have between 1 and 100 ids"}}}},
           {"title", "Invalid Request"},
           {"detail", "One or more parameters to your request was invalid."},
           {"type", problem_url("invalid-request")}});
    }
    for (const auto& id : ids) {
      if (!kId.full_match(id)) {
        return send(res, 400,
                    {{"title", "Invalid Request"},
                     {"detail", "The `ids` query parameter value [" + id + "] is not valid"},
                     {"type", problem_url("invalid-request")}});
      }
    }
    const std::string fields = tweet_fields(req);
    const bool want_private = fields.find("non_public_metrics") != std::string::npos ||
                              fields.find("organic_metrics") != std::string::npos;
    std::lock_guard<std::mutex> lock(mutex);
    if (want_private && !user_ctx) return unsupported_auth(res);
    const SandboxUser* me = want_private ? &world.user_for_key(key) : nullptr;
    json data = json::array(), errors = json::array();
    size_t found = 0;
    for (const auto& id : ids) {
      SandboxTweet* t = world.tweet(id);
      const bool hidden = partial && t && !t->deleted &&
                          (std::hash<std::string>{}(id) % 1000) < partial->fraction * 1000;
      if (hidden && partial->problem != "resource-not-found") {
        errors.push_back({{"value", id},
                          {"detail", "Could not fetch tweet with id: [" + id + "]."},
                          {"title", "Service Unavailable"},
                          {"resource_type", "tweet"},
                          {"parameter", "ids"},
                          {"resource_id", id},
                          {"type", problem_url(partial->problem)}});
        continue;
      }
      if (t == nullptr || t->deleted || hidden) {
        errors.push_back({{"value", id},
                          {"detail", "Could not find tweet with ids: [" + id + "]."},
                          {"title", "Not Found Error"},
                          {"resource_type", "tweet"},
                          {"parameter", "ids"},
                          {"resource_id", id},
                          {"type", problem_url("resource-not-found")}});
        continue;
      }
      if (want_private && (t->author_id != me->id || now - t->created_at > kPrivateMetricsAge)) {
        return private_metrics_refused(res);
      }
      ++found;
      billing.charge(key, kBillPost, t->id, now);
      data.push_back(tweet_json(*t, now, want_private));
    }
    posts_read += static_cast<long long>(found);
    json body = json::object();
    if (!data.empty()) body["data"] = data;
    if (!errors.empty()) body["errors"] = errors;
    send(res, 200, body);
  }

  void me(const Request& req, Response& res) {
    std::string key;
    bool user_ctx;
    if (!require_auth(req, res, key, user_ctx)) return;
    if (!user_ctx) return unsupported_auth(res);
    std::lock_guard<std::mutex> lock(mutex);
    ++users_read;
    const SandboxUser& u = world.user_for_key(key);
    billing.charge(key, kBillUser, u.id, now_of(req));
    send(res, 200, user_json(u, now_of(req)));
  }

  void user(const Request& req, Response& res) {
    std::string key;
    bool user_ctx;
    if (!require_auth(req, res, key, user_ctx)) return;
    std::lock_guard<std::mutex> lock(mutex);
    SandboxUser* u = world.user_by_id(req.matches[1]);
    if (u == nullptr) {
      return send(res, 200,
                  {{"errors",
                    {{{"value", req.matches[1].str()},
                      {"detail", "Could not find user with id: [" + req.matches[1].str() + "]."},
                      {"title", "Not Found Error"},
                      {"resource_type", "user"},
                      {"type", problem_url("resource-not-found")}}}}});
    }
    ++users_read;
    billing.charge(key, kBillUser, u->id, now_of(req));
    send(res, 200, user_json(*u, now_of(req)));
  }

  void timeline(const Request& req, Response& res) {
    std::string key;
    bool user_ctx;
    if (!require_auth(req, res, key, user_ctx)) return;
    const TimePoint now = now_of(req);
    std::optional<TimePoint> start;
    if (req.has_param("start_time")) start = parse_iso8601(req.get_param_value("start_time"));
    const int max_results =
        req.has_param("max_results")
            ? std::clamp(std::atoi(req.get_param_value("max_results").c_str()), 5, 100)
            : 10;
    const std::string since_id = req.get_param_value("since_id");
    const std::string exclude = req.get_param_value("exclude");
    const bool no_replies = exclude.find("replies") != std::string::npos;
    const std::string fields = tweet_fields(req);
    const bool full = fields.find("public_metrics") != std::string::npos;
    const bool want_private = fields.find("non_public_metrics") != std::string::npos ||
                              fields.find("organic_metrics") != std::string::npos;
    size_t skip = 0;
    if (req.has_param("pagination_token"))
      skip = std::strtoul(req.get_param_value("pagination_token").c_str(), nullptr, 10);
    std::lock_guard<std::mutex> lock(mutex);
    SandboxUser* u = world.user_by_id(req.matches[1]);
    if (u != nullptr && u->outside) outside.advance(now);
    // An owned read: the caller's own timeline, in user context.
    const SandboxUser* caller = user_ctx ? world.find_user_for_key(key) : nullptr;
    const char* kind = caller != nullptr && u == caller ? kBillOwned : kBillPost;
    if (want_private && !user_ctx) return unsupported_auth(res);
    if (want_private && u != caller) return private_metrics_refused(res);
    json data = json::array();
    size_t matched = 0;
    bool more = false;
    if (u != nullptr) {
      for (auto it = u->tweets.rbegin(); it != u->tweets.rend(); ++it) {
        const SandboxTweet& t = world.tweets()[*it];
        if (t.deleted || t.created_at > now) continue;
        if (start && t.created_at < *start) break;
        if (!since_id.empty() && !id_after(t.id, since_id)) continue;
        if (no_replies && t.reply_to) continue;
        if (matched++ < skip) continue;
        if (data.size() == static_cast<size_t>(max_results)) {
          more = true;
          break;
        }
        if (want_private && now - t.created_at > kPrivateMetricsAge) {
          return private_metrics_refused(res);
        }
        billing.charge(key, kind, t.id, now);
        if (full) {
          data.push_back(tweet_json(t, now, want_private));
        } else {
          data.push_back({{"id", t.id},
                          {"text", t.text},
                          {"created_at", format_iso8601(t.created_at)},
                          {"edit_history_tweet_ids", json::array({t.id})}});
        }
      }
    }
    send(res, 200, page(data, more ? std::to_string(skip + data.size()) : "", "next_token"));
  }

  // Snowflake ids grow with time: compares them as numbers.
  static bool id_after(const std::string& id, const std::string& since) {
    return id.size() != since.size() ? id.size() > since.size() : id > since;
  }

  static json page(const json& data, const std::string& next_token, const char* token_key) {
    json meta = {{"result_count", data.size()}};
    if (!data.empty()) {
      meta["newest_id"] = data.front()["id"];
      meta["oldest_id"] = data.back()["id"];
    }
    if (!next_token.empty()) meta[token_key] = next_token;
    json body = {{"meta", meta}};
    if (!data.empty()) body["data"] = data;
    return body;
  }

  void invalid_request(Response& res, const std::string& detail) {
    send(res, 400,
         {{"errors", {{{"message", detail}}}},
          {"title", "Invalid Request"},
          {"detail", "One or more parameters to your request was invalid."},
          {"type", problem_url("invalid-request")}});
  }

  // GET /2/tweets/search/recent: the last 7 days, newest first (or by likes
  // with sort_order=relevancy), every returned post and expanded author billed.
  void search(const Request& req, Response& res) {
    std::string key;
    bool user_ctx;
    if (!require_auth(req, res, key, user_ctx)) return;
    SearchQuery q;
    try {
      q = parse_search_query(req.get_param_value("query"));
    } catch (const QueryError& e) {
      return invalid_request(res, e.what());
    }
    const int max_results =
        req.has_param("max_results") ? std::atoi(req.get_param_value("max_results").c_str()) : 10;
    if (max_results < 10 || max_results > 100) {
      return invalid_request(res, "The `max_results` query parameter value [" +
                                      req.get_param_value("max_results") +
                                      "] is not between 10 and 100");
    }
    const std::string sort = req.get_param_value("sort_order");
    if (!sort.empty() && sort != "recency" && sort != "relevancy") {
      return invalid_request(res, "The `sort_order` query parameter value [" + sort +
                                      "] is not one of [recency, relevancy]");
    }
    const std::string since_id = req.get_param_value("since_id");
    const TimePoint now = now_of(req);
    std::optional<TimePoint> start;
    if (req.has_param("start_time")) start = parse_iso8601(req.get_param_value("start_time"));
    if (!start || *start < now - std::chrono::hours(24 * 7))
      start = now - std::chrono::hours(24 * 7);
    size_t skip = 0;
    if (req.has_param("next_token"))
      skip = std::strtoul(req.get_param_value("next_token").c_str(), nullptr, 10);
    const bool with_authors =
        req.get_param_value("expansions").find("author_id") != std::string::npos;
    std::lock_guard<std::mutex> lock(mutex);
    outside.advance(now);
    std::vector<const SandboxTweet*> found;
    const auto& all = world.tweets();
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      const SandboxTweet& t = *it;
      if (t.deleted || t.created_at > now || t.created_at < *start) continue;
      if (!since_id.empty() && !id_after(t.id, since_id)) continue;
      const Counts c = world.counts(t, now);
      PostFacts facts;
      facts.text = t.text;
      facts.is_reply = t.reply_to.has_value();
      facts.conversation_id = t.conversation_id;
      facts.in_reply_to = t.reply_to.value_or("");
      const SandboxUser* author = world.user_by_id(t.author_id);
      facts.author_username = author ? author->username : "";
      facts.likes = c.actions[kLikes];
      facts.replies = c.actions[kReplies];
      facts.reposts = c.actions[kRetweets];
      if (matches(q, facts)) found.push_back(&t);
    }
    std::sort(found.begin(), found.end(), [&](const SandboxTweet* a, const SandboxTweet* b) {
      if (sort == "relevancy") {
        const long long la = world.counts(*a, now).actions[kLikes];
        const long long lb = world.counts(*b, now).actions[kLikes];
        if (la != lb) return la > lb;
      }
      return id_after(a->id, b->id);
    });
    json data = json::array();
    std::vector<std::string> author_ids;
    for (size_t i = skip; i < found.size() && data.size() < static_cast<size_t>(max_results); ++i) {
      billing.charge(key, kBillPost, found[i]->id, now);
      data.push_back(tweet_json(*found[i], now, false));
      if (std::find(author_ids.begin(), author_ids.end(), found[i]->author_id) == author_ids.end())
        author_ids.push_back(found[i]->author_id);
    }
    const bool more = skip + data.size() < found.size();
    json body = page(data, more ? std::to_string(skip + data.size()) : "", "next_token");
    if (with_authors && !author_ids.empty()) {
      json users = json::array();
      for (const auto& id : author_ids) {
        if (SandboxUser* u = world.user_by_id(id)) {
          billing.charge(key, kBillUser, u->id, now);
          users.push_back(user_json(*u, now)["data"]);
        }
      }
      body["includes"] = {{"users", users}};
    }
    send(res, 200, body);
  }

  void user_by_username(const Request& req, Response& res) {
    std::string key;
    bool user_ctx;
    if (!require_auth(req, res, key, user_ctx)) return;
    const TimePoint now = now_of(req);
    std::lock_guard<std::mutex> lock(mutex);
    outside.advance(now);
    const std::string name = req.matches[1];
    SandboxUser* u = world.user_by_username(name);
    if (u == nullptr) {
      return send(res, 200,
                  {{"errors",
                    {{{"value", name},
                      {"detail", "Could not find user with username: [" + name + "]."},
                      {"title", "Not Found Error"},
                      {"resource_type", "user"},
                      {"parameter", "username"},
                      {"type", problem_url("resource-not-found")}}}}});
    }
    ++users_read;
    billing.charge(key, kBillUser, u->id, now);
    send(res, 200, user_json(*u, now));
  }

  void trends(const Request& req, Response& res) {
    std::string key;
    bool user_ctx;
    if (!require_auth(req, res, key, user_ctx)) return;
    const TimePoint now = now_of(req);
    const long long woeid = std::atoll(req.matches[1].str().c_str());
    const int max_trends =
        req.has_param("max_trends") ? std::atoi(req.get_param_value("max_trends").c_str()) : 20;
    if (max_trends < 1 || max_trends > 50) {
      return invalid_request(res, "The `max_trends` query parameter value [" +
                                      req.get_param_value("max_trends") +
                                      "] is not between 1 and 50");
    }
    std::lock_guard<std::mutex> lock(mutex);
    outside.advance(now);
    billing.charge(key, kBillTrends, "", now);
    json data = json::array();
    for (const auto& t : outside.trends(woeid, now)) {
      if (data.size() == static_cast<size_t>(max_trends)) break;
      json j = {{"trend_name", t.name}};
      if (t.volume_known) j[options.new_field_names ? "post_count" : "tweet_count"] = t.volume;
      data.push_back(j);
    }
    send(res, 200, {{"data", data}});
  }

  static std::string post_count_text(long long n) {
    if (n >= 1000000) return fmt::format(FMT_STRING("{:.1f}M posts"), static_cast<double>(n) / 1e6);
    if (n >= 1000) return std::to_string(n / 1000) + "K posts";
    return std::to_string(n) + " posts";
  }

  // GET /2/users/personalized_trends: real only for Premium subscribers.
  void personalized_trends(const Request& req, Response& res) {
    std::string key;
    bool user_ctx;
    if (!require_auth(req, res, key, user_ctx)) return;
    if (!user_ctx) return unsupported_auth(res);
    const TimePoint now = now_of(req);
    std::lock_guard<std::mutex> lock(mutex);
    outside.advance(now);
    billing.charge(key, kBillTrends, "", now);
    const SandboxUser& me = world.user_for_key(key);
    json data = json::array();
    if (!me.premium && !options.premium) {
      data.push_back({{"category", "Unknown"},
                      {"post_count", "Unknown"},
                      {"trend_name", "Unknown"},
                      {"trending_since", "Unknown"}});
    } else {
      for (const auto& t : outside.trends(1, now)) {
        data.push_back({{"category", t.category},
                        {"post_count", post_count_text(t.volume)},
                        {"trend_name", t.name},
                        {"trending_since", "Trending now"}});
      }
    }
    send(res, 200, {{"data", data}});
  }

  void create(const Request& req, Response& res) {
    std::string key;
    bool user_ctx;
    if (!require_auth(req, res, key, user_ctx)) return;
    if (!user_ctx) return unsupported_auth(res);
    const json body = json::parse(req.body, nullptr, false);
    const auto invalid = [&](const std::string& detail) {
      send(res, 400,
           {{"errors", {{{"message", detail}}}},
            {"title", "Invalid Request"},
            {"detail", detail},
            {"type", problem_url("invalid-request")}});
    };
    if (!body.is_object()) return invalid("The request body is not valid JSON.");
    static const std::set<std::string> kAllowed = {"text",
                                                   "reply",
                                                   "quote_tweet_id",
                                                   "media",
                                                   "poll",
                                                   "reply_settings",
                                                   "for_super_followers_only",
                                                   "geo",
                                                   "community_id",
                                                   "share_with_followers",
                                                   "nullcast",
                                                   "card_uri",
                                                   "direct_message_deep_link",
                                                   "paid_partnership",
                                                   "made_with_ai",
                                                   "edit_options"};
    for (auto& [k, v] : body.items()) {
      if (!kAllowed.count(k))
        return invalid(
            "$." + k +
            ": is not defined in the schema and the schema does not allow additional properties");
    }
    if (!body.contains("text") || !body["text"].is_string())
      return invalid("$.text: string expected");
    const std::string text = body["text"].get<std::string>();
    if (post_weight(text) > kMaxPostWeight) return invalid("Your Tweet text is too long.");
    if (text.find_first_not_of(" \t\n") == std::string::npos)
      return invalid("Tweet text is empty.");
    std::optional<std::string> reply_to;
    if (body.contains("reply")) {
      const auto& r = body["reply"];
      if (!r.is_object() || !r.contains("in_reply_to_tweet_id") ||
          !r["in_reply_to_tweet_id"].is_string()) {
        return invalid("$.reply.in_reply_to_tweet_id: string expected");
      }
      reply_to = r["in_reply_to_tweet_id"].get<std::string>();
    }
    const TimePoint now = now_of(req);
    std::lock_guard<std::mutex> lock(mutex);
    SandboxUser& u = world.user_for_key(key);
    if (reply_to) {
      const SandboxTweet* parent = world.tweet(*reply_to);
      if (parent == nullptr || parent->author_id != u.id) {
        return send(
            res, 403,
            {{"detail",
              "You can only reply to or quote posts where you are mentioned or are the author."},
             {"title", "Authorization Error"}});
      }
    }
    const std::string shown = wrap_links(text);
    if (world.recent_duplicate(u, shown, now)) {
      return send(
          res, 403,
          problem("Forbidden", "You are not allowed to create a Tweet with duplicate content.",
                  "about:blank", 403));
    }
    const SandboxTweet& t = world.post(u, shown, reply_to, now);
    billing.charge(key, text.find("http") != std::string::npos ? kBillCreateUrl : kBillCreate, "",
                   now);
    send(res, 201,
         {{"data",
           {{"id", t.id}, {"text", t.text}, {"edit_history_tweet_ids", json::array({t.id})}}}});
  }

  void token(const Request& req, Response& res) {
    const auto fail = [&](const std::string& desc) {
      send(res, 400, {{"error", "invalid_request"}, {"error_description", desc}});
    };
    if (form_value(req.body, "grant_type") != "refresh_token")
      return fail("Value passed for the grant type was invalid.");
    const std::string refresh = form_value(req.body, "refresh_token");
    std::string client = form_value(req.body, "client_id");
    const std::string basic = req.get_header_value("Authorization");
    if (starts_with(basic, "Basic ")) {
      const std::string decoded = base64_decode(basic.substr(6));
      client = decoded.substr(0, decoded.find(':'));
    }
    if (client.empty()) return fail("Missing required parameter [client_id].");
    if (refresh.empty()) return fail("Missing required parameter [refresh_token].");
    std::lock_guard<std::mutex> lock(mutex);
    if (!used_refresh_tokens.insert(refresh).second)
      return fail("Value passed for the token was invalid.");
    const std::string access = "sbx-at-" + std::to_string(rng());
    const std::string next_refresh = "sbx-rt-" + std::to_string(rng());
    access_tokens[access] = "oauth2:" + client;
    send(res, 200,
         {{"token_type", "bearer"},
          {"expires_in", 7200},
          {"access_token", access},
          {"scope", "tweet.read users.read tweet.write offline.access"},
          {"refresh_token", next_refresh}});
  }

  void chat(const Request& req, Response& res, const FaultRule* scripted) {
    if (req.get_header_value("Authorization").empty()) {
      return send(res, 401,
                  {{"error",
                    {{"message", "Incorrect API key provided."},
                     {"type", "invalid_request_error"},
                     {"param", nullptr},
                     {"code", "invalid_api_key"}}}});
    }
    const json body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("messages") || !body["messages"].is_array()) {
      return send(res, 400,
                  {{"error",
                    {{"message", "'messages' is a required property"},
                     {"type", "invalid_request_error"},
                     {"param", "messages"},
                     {"code", nullptr}}}});
    }
    const std::string content = scripted ? scripted->text : chat_answer(body["messages"]);
    send(res, 200,
         {{"id", "chatcmpl-sandbox"},
          {"object", "chat.completion"},
          {"created", 0},
          {"model", body.value("model", "sandbox")},
          {"choices",
           {{{"index", 0},
             {"message", {{"role", "assistant"}, {"content", content}, {"refusal", nullptr}}},
             {"finish_reason", "stop"}}}},
          {"usage", {{"prompt_tokens", 0}, {"completion_tokens", 0}, {"total_tokens", 0}}}});
  }

  void embeddings(const Request& req, Response& res) {
    if (req.get_header_value("Authorization").empty()) {
      return send(
          res, 401,
          {{"error", {{"message", "Incorrect API key provided."}, {"code", "invalid_api_key"}}}});
    }
    const json body = json::parse(req.body, nullptr, false);
    std::vector<std::string> inputs;
    if (body.is_object() && body.contains("input")) {
      if (body["input"].is_string()) inputs.push_back(body["input"]);
      if (body["input"].is_array()) {
        for (const auto& i : body["input"]) {
          if (i.is_string()) inputs.push_back(i);
        }
      }
    }
    if (inputs.empty()) {
      return send(
          res, 400,
          {{"error",
            {{"message", "'input' is a required property"}, {"type", "invalid_request_error"}}}});
    }
    json data = json::array();
    for (size_t i = 0; i < inputs.size(); ++i) {
      data.push_back(
          {{"object", "embedding"}, {"index", i}, {"embedding", text_embedding(inputs[i])}});
    }
    send(res, 200,
         {{"object", "list"},
          {"data", data},
          {"model", body.value("model", "sandbox-embed")},
          {"usage", {{"prompt_tokens", 0}, {"total_tokens", 0}}}});
  }

  void control_routes() {
    http.Get("/sandbox/truth", [this](const Request& req, Response& res) {
      const TimePoint at = now_of(req);
      send(res, 200,
           {{"at", format_iso8601(at)},
            {"active", truth_to_json(active_truth(world.truth(), at))},
            {"truth", truth_to_json(world.truth())},
            {"seed", options.seed}});
    });
    // The audience's expected metrics of a text at a time, without noise. With
    // a user credential, for that user as it stands then (followers, fatigue
    // from its own recent posts); without, for a neutral account.
    http.Post("/sandbox/score", [this](const Request& req, Response& res) {
      const json body = json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.contains("text") || !body["text"].is_string() ||
          !body.contains("posted_at") || !body["posted_at"].is_string()) {
        return send(res, 400, {{"error", "expected {\"text\": ..., \"posted_at\": ISO time}"}});
      }
      const auto at = parse_iso8601(body["posted_at"].get<std::string>());
      if (!at) return send(res, 400, {{"error", "posted_at is not an ISO 8601 time"}});
      std::lock_guard<std::mutex> lock(mutex);
      bool user_ctx = false;
      const std::string key = credential(req, user_ctx);
      const SandboxUser* caller = user_ctx ? world.find_user_for_key(key) : nullptr;
      const FinalMetrics m = expected_final(world.truth(), body["text"].get<std::string>(), *at,
                                            world.author_state(caller, *at));
      json out = {{"impressions", m.impressions}};
      for (size_t a = 0; a < kActionCount; ++a) {
        out[action_name(static_cast<Action>(a))] = m.actions[a];
      }
      out["user_id"] = caller ? json(caller->id) : json(nullptr);
      send(res, 200, out);
    });
    http.Post("/sandbox/faults", [this](const Request& req, Response& res) {
      try {
        faults.replace(parse_faults(json::parse(req.body), "POST /sandbox/faults"));
        send(res, 200, {{"ok", true}});
      } catch (const std::exception& e) {
        send(res, 400, {{"error", e.what()}});
      }
    });
    // {"user_key": ..., "premium": true}: the user of a credential subscribes.
    http.Post("/sandbox/premium", [this](const Request& req, Response& res) {
      const json body = json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.value("user_key", json()).is_string() ||
          !body.value("premium", json()).is_boolean()) {
        return send(res, 400, {{"error", "expected {\"user_key\": ..., \"premium\": true|false}"}});
      }
      std::lock_guard<std::mutex> lock(mutex);
      SandboxUser& u = world.user_for_key(body["user_key"].get<std::string>());
      u.premium = body["premium"].get<bool>();
      send(res, 200, {{"user_id", u.id}, {"premium", u.premium}});
    });
    http.Post("/sandbox/delete", [this](const Request& req, Response& res) {
      const json body = json::parse(req.body, nullptr, false);
      std::lock_guard<std::mutex> lock(mutex);
      int deleted = 0;
      if (body.is_object() && body.contains("ids") && body["ids"].is_array()) {
        for (const auto& id : body["ids"]) {
          if (id.is_string()) {
            if (SandboxTweet* t = world.tweet(id)) {
              t->deleted = true;
              ++deleted;
            }
          }
        }
      }
      send(res, 200, {{"deleted", deleted}});
    });
    // Creates tweets directly (benchmarks, planted and real histories): {"user_key":
    // "oauth1:<token>", "followers": n (optional: a real account's, fixed), "tweets": [{"text",
    // "created_at", "public_metrics": {"like_count": n, ...} (optional: a real post's, served as
    // they are)}]}
    http.Post("/sandbox/import", [this](const Request& req, Response& res) {
      const json body = json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.contains("user_key") || !body["user_key"].is_string() ||
          !body.contains("tweets") || !body["tweets"].is_array()) {
        return send(res, 400, {{"error", "expected {\"user_key\": ..., \"tweets\": [...]}"}});
      }
      const auto count = [](const json& v) {
        return v.is_number_integer() && v.get<long long>() >= 0;
      };
      if (body.contains("followers") && !count(body["followers"]))
        return send(res, 400, {{"error", "followers is not a count"}});
      struct Imported {
        std::string text;
        TimePoint at;
        std::map<std::string, long long> recorded;
      };
      std::vector<Imported> posts;
      for (const auto& t : body["tweets"]) {
        const auto at = t.is_object() && t.value("created_at", json()).is_string()
                            ? parse_iso8601(t["created_at"].get<std::string>())
                            : std::nullopt;
        if (!at) return send(res, 400, {{"error", "created_at is not an ISO 8601 time"}});
        if (!t.value("text", json()).is_string())
          return send(res, 400, {{"error", "each tweet needs a \"text\" string"}});
        Imported p{t["text"].get<std::string>(), *at, {}};
        const json metrics = t.value("public_metrics", json::object());
        if (!metrics.is_object())
          return send(res, 400, {{"error", "public_metrics is not an object"}});
        for (const auto& [k, v] : metrics.items()) {
          if (!count(v))
            return send(res, 400, {{"error", "public_metrics." + k + " is not a count"}});
          p.recorded[k] = v.get<long long>();
        }
        posts.push_back(std::move(p));
      }
      std::lock_guard<std::mutex> lock(mutex);
      SandboxUser& u = world.user_for_key(body["user_key"].get<std::string>());
      if (body.contains("followers")) u.recorded_followers = body["followers"].get<long long>();
      json ids = json::array();
      for (auto& p : posts) {
        const std::string id = world.post(u, p.text, std::nullopt, p.at).id;
        world.tweet(id)->recorded = std::move(p.recorded);
        ids.push_back(id);
      }
      send(res, 200, {{"user_id", u.id}, {"ids", ids}});
    });
    http.Get("/sandbox/stats", [this](const Request&, Response& res) {
      std::lock_guard<std::mutex> lock(mutex);
      long long own = 0;
      for (const auto& t : world.tweets()) {
        const SandboxUser* u = world.user_by_id(t.author_id);
        own += u != nullptr && u->outside ? 0 : 1;
      }
      send(res, 200,
           {{"requests", requests},
            {"posts_read", posts_read},
            {"users_read", users_read},
            {"tweets", own},
            {"outside_tweets", static_cast<long long>(world.tweet_count()) - own},
            {"billing", billing.report()}});
    });
    // The posts on record, with their texts, for rehearsals and tests.
    http.Get("/sandbox/tweets", [this](const Request& req, Response& res) {
      std::lock_guard<std::mutex> lock(mutex);
      const TimePoint now = now_of(req);
      const bool with_outside = req.get_param_value("outside") == "1";
      json out = json::array();
      for (const auto& t : world.tweets()) {
        const SandboxUser* author = world.user_by_id(t.author_id);
        if (!with_outside && author != nullptr && author->outside) continue;
        const Counts c = world.counts(t, now);
        json row = {{"id", t.id},
                    {"text", t.text},
                    {"author_id", t.author_id},
                    {"created_at", format_iso8601(t.created_at)},
                    {"deleted", t.deleted},
                    {"impressions", c.impressions}};
        for (size_t a = 0; a < kActionCount; ++a) {
          if (a != kFollows) row[action_name(static_cast<Action>(a))] = c.actions[a];
        }
        row["followers"] = world.follows_by(t, now);
        out.push_back(row);
      }
      send(res, 200, out);
    });
  }

  void routes() {
    using std::placeholders::_1;
    using std::placeholders::_2;
    using std::placeholders::_3;
    http.Get("/2/tweets", wrap("GET /2/tweets", [this](const Request& q, Response& r,
                                                       const FaultRule* f) { lookup(q, r, f); }));
    http.Get("/2/users/me", wrap("GET /2/users/me", [this](const Request& q, Response& r,
                                                           const FaultRule*) { me(q, r); }));
    http.Get("/2/tweets/search/recent",
             wrap("GET /2/tweets/search/recent",
                  [this](const Request& q, Response& r, const FaultRule*) { search(q, r); }));
    http.Get(
        R"(/2/users/by/username/(\w{1,15}))",
        wrap("GET /2/users/by/username/:username",
             [this](const Request& q, Response& r, const FaultRule*) { user_by_username(q, r); }));
    http.Get("/2/users/personalized_trends",
             wrap("GET /2/users/personalized_trends",
                  [this](const Request& q, Response& r, const FaultRule*) {
                    personalized_trends(q, r);
                  }));
    http.Get(R"(/2/trends/by/woeid/(\d+))",
             wrap("GET /2/trends/by/woeid/:woeid",
                  [this](const Request& q, Response& r, const FaultRule*) { trends(q, r); }));
    http.Get(R"(/2/users/(\d+)/tweets)",
             wrap("GET /2/users/:id/tweets",
                  [this](const Request& q, Response& r, const FaultRule*) { timeline(q, r); }));
    http.Get(R"(/2/users/(\d+))",
             wrap("GET /2/users/:id",
                  [this](const Request& q, Response& r, const FaultRule*) { user(q, r); }));
    http.Post("/2/tweets", wrap("POST /2/tweets", [this](const Request& q, Response& r,
                                                         const FaultRule*) { create(q, r); }));
    http.Post("/2/oauth2/token",
              wrap("POST /2/oauth2/token",
                   [this](const Request& q, Response& r, const FaultRule*) { token(q, r); }));
    http.Post("/v1/chat/completions",
              wrap("POST /v1/chat/completions",
                   [this](const Request& q, Response& r, const FaultRule* f) { chat(q, r, f); }));
    http.Post("/v1/embeddings",
              wrap("POST /v1/embeddings",
                   [this](const Request& q, Response& r, const FaultRule*) { embeddings(q, r); }));
    control_routes();
    http.set_error_handler([](const Request&, Response& res) {
      if (res.body.empty()) {
        send(res, res.status,
             problem("Not Found", "no such endpoint in x-sandbox", "about:blank", res.status));
      }
    });
  }
};

Server::Server(SandboxOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Server::~Server() = default;

int Server::bind() {
  // Each answer is written in more than one piece: with Nagle's algorithm the
  // last one waits for the client's delayed ACK (tens of ms on a kept-alive
  // connection), so a run of requests, as evaluate's truth, ran 30x slower.
  impl_->http.set_tcp_nodelay(true);
  int port = impl_->options.port;
  if (port == 0) {
    port = impl_->http.bind_to_any_port(impl_->options.host);
  } else if (!impl_->http.bind_to_port(impl_->options.host.c_str(), port)) {
    port = -1;
  }
  if (port <= 0) {
    throw temp_error("--port " + std::to_string(impl_->options.port),
                     "cannot listen on " + impl_->options.host);
  }
  return port;
}

void Server::serve() { impl_->http.listen_after_bind(); }
void Server::stop() { impl_->http.stop(); }

}  // namespace gl::sandbox
