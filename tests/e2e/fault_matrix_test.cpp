// The fault matrix: every x-sandbox fault kind, lasting a whole run, on every
// endpoint publish and scrape-metrics call; then clean runs; then the
// invariants that must hold whatever happened: no double post, no lost post,
// no zero-filled metric, the four tables agree, no run left 'running'.
// A new fault kind or endpoint is one line in kKinds or kEndpoints.
#include <catch2/catch.hpp>
#include <iterator>
#include <map>

#include "e2e/fixture.h"

using namespace gl::test;
using nlohmann::json;

namespace {

struct Kind {
  const char* name;
  json params;             // the rule's other fields
  int exit_code;           // of a run whose calls to the endpoint all get this fault
  bool may_spend_refresh;  // on the token endpoint: X may have rotated a token we never saw
};

// The client times out after 500 ms and retries once (fault_env).
const Kind kKinds[] = {
    {"rate_limit", {{"reset_in_s", 60}}, 75, false},
    {"usage_cap", json::object(), 1, false},
    {"credits", json::object(), 1, false},
    {"unauthorized", json::object(), 1, false},
    {"forbidden", json::object(), 1, false},
    {"server_error", {{"status", 503}}, 75, false},
    {"slow", {{"delay_ms", 200}}, 0, false},
    {"timeout", {{"delay_ms", 1200}}, 75, true},
    {"truncated", json::object(), 75, true},
    {"malformed", json::object(), 75, true},
    {"partial", {{"fraction", 0.5}}, 0, false},
    {"duplicate", json::object(), 1, false},
    {"missing_field", {{"field", "impression_count"}}, 0, false},
};

struct Endpoint {
  const char* tool;
  const char* endpoint;
  bool optional;  // what it reads is not needed for the run's job: any fault there exits 0
  const char* read_through = nullptr;  // scrape-metrics: how recent posts are read
};

const Endpoint kEndpoints[] = {
    {"publish", "GET /2/users/me", false},  // reconciling a post left `posting`
    {"publish", "GET /2/users/:id/tweets", false},
    {"publish", "POST /2/tweets", false},
    {"publish", "POST /2/oauth2/token", false},   // OAuth 2.0 credentials
    {"scrape-metrics", "GET /2/users/me", true},  // followers
    {"scrape-metrics", "GET /2/users/:id", true},
    {"scrape-metrics", "GET /2/tweets", false, "lookup"},
    {"scrape-metrics", "GET /2/users/:id/tweets", false},  // the account's own timeline
    {"scrape-metrics", "POST /2/oauth2/token", false},
};

// Where an endpoint answers a kind differently from the kind's exit code.
struct Override {
  const char* endpoint;
  const char* kind;
  int exit_code;
};
const Override kOverrides[] = {
    {"POST /2/tweets", "duplicate", 0},         // the post's own fault: failed, the run goes on
    {"POST /2/oauth2/token", "usage_cap", 75},  // any 429 from the token endpoint waits
};

int expected_exit(const Endpoint& e, const Kind& k) {
  for (const auto& o : kOverrides) {
    if (std::string(o.endpoint) == e.endpoint && std::string(o.kind) == k.name) return o.exit_code;
  }
  return e.optional ? 0 : k.exit_code;
}

constexpr const char* kPosted = "2026-11-20T14:00:00Z";
// publish: the faulty run, then one that requeues what never reached X (15
// min later), then one that posts it. scrape-metrics: the faulty run at 3 h of
// age, then one at 6 h, when every post is due again (followers are read only
// when posts are), and what X said was not found is asked for again.
const std::vector<const char*> kPublishRuns = {"2026-11-20T12:05:00Z", "2026-11-20T12:30:00Z",
                                               "2026-11-20T12:35:00Z"};
const std::vector<const char*> kScrapeRuns = {"2026-11-20T17:00:00Z", "2026-11-20T20:00:00Z"};
constexpr int kScrapePosts = 10;

bool is_token(const Endpoint& e) { return std::string(e.endpoint) == "POST /2/oauth2/token"; }

// One row of the matrix: an account of its own on the shared database and
// sandbox, with credentials that make it a sandbox user of its own.
struct Row {
  const Endpoint& e;
  const Kind& k;
  std::string handle;
  long long account_id = 0;
  std::string user_key;
  std::map<std::string, std::string> env;
};

Row make_row(LoopFixture& f, const Endpoint& e, const Kind& k, int n) {
  Row row{e, k, "matrix" + std::to_string(n), 0, "", {}};
  row.env = f.env;
  row.env["X_HTTP_TIMEOUT_MS"] = "500";
  row.env["X_MAX_RETRIES"] = "1";
  if (is_token(e)) {
    for (const char* key :
         {"X_CONSUMER_KEY", "X_CONSUMER_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET"})
      row.env.erase(key);
    row.env["X_OAUTH2_CLIENT_ID"] = "matrix-client-" + std::to_string(n);
    row.env["X_OAUTH2_REFRESH_TOKEN"] = "matrix-refresh-" + std::to_string(n);
    row.user_key = "oauth2:" + row.env["X_OAUTH2_CLIENT_ID"];
  } else {
    row.env["X_ACCESS_TOKEN"] = "matrix-token-" + std::to_string(n);
    row.user_key = "oauth1:" + row.env["X_ACCESS_TOKEN"];
  }
  Result add = run_tool({"accounts", "add", row.handle, "--topic", "sleep"}, row.env);
  REQUIRE(add.exit_code == 0);
  row.account_id = json::parse(add.out)["account_id"].get<long long>();
  return row;
}

std::string id_of(const Row& row) { return std::to_string(row.account_id); }

void queue(LoopFixture& f, const Row& row, const std::string& text, const std::string& status,
           const std::string& at) {
  pqxx::work w(f.db.conn());
  w.exec_params(
      "INSERT INTO content_metadata (account_id, generator_name, topic, content, status, "
      "scheduled_at, posting_started_at) VALUES ($1, 'coach', 'focus', $2, $3, $4, "
      "CASE WHEN $3 = 'posting' THEN $4::timestamptz END)",
      row.account_id, text, status, at);
  w.commit();
}

// publish: a post a dead run left `posting` (it did reach X) and two due posts.
void set_up_publish(LoopFixture& f, const Row& row) {
  const std::string text = row.handle + ": posted by a run that died before it could say so.";
  f.sandbox.import(row.user_key, {text}, "2026-11-20T12:00:00Z");
  queue(f, row, text, "posting", "2026-11-20T12:00:00Z");
  queue(f, row, row.handle + ": the first post due.", "queued", "2026-11-20T12:00:00Z");
  queue(f, row, row.handle + ": the second post due.", "queued", "2026-11-20T12:01:00Z");
}

// scrape-metrics: posts three hours old; the account's X id known only where
// the endpoint under test needs it.
void set_up_scrape(LoopFixture& f, const Row& row) {
  std::vector<std::string> texts;
  for (int i = 0; i < kScrapePosts; ++i) {
    texts.push_back("Post " + std::to_string(i) +
                    ": 73% of adults get sleep wrong, and research "
                    "shows why.");
  }
  const auto ids = f.sandbox.import(row.user_key, texts, kPosted);
  pqxx::work w(f.db.conn());
  for (size_t i = 0; i < ids.size(); ++i) {
    w.exec_params(
        "INSERT INTO content_metadata (account_id, generator_name, topic, hook_type, content, "
        "status, scheduled_at, posted_at, tweet_id) VALUES ($1, 'dataNerd', 'sleep', "
        "'surprising_stat', $2, 'posted', $3, $3, $4)",
        row.account_id, texts[i], kPosted, ids[i]);
  }
  w.commit();
  if (std::string(row.e.endpoint) == "GET /2/users/:id") {
    const auto user =
        f.sandbox.post("/sandbox/import", {{"user_key", row.user_key}, {"tweets", json::array()}});
    f.db.scalar("UPDATE accounts SET x_user_id = '" + user["user_id"].get<std::string>() +
                "' WHERE account_id = " + id_of(row) + " RETURNING 1");
  }
}

void check_publish_invariants(LoopFixture& f, const Row& row) {
  const bool duplicates_refused =
      std::string(row.k.name) == "duplicate" && std::string(row.e.endpoint) == "POST /2/tweets";
  // No double post: each text at most once on X, and every posted row is its tweet.
  std::map<std::string, int> on_x;
  std::map<std::string, std::string> text_of;
  for (const auto& t : f.sandbox.get("/sandbox/tweets")) {
    ++on_x[t["text"].get<std::string>()];
    text_of[t["id"].get<std::string>()] = t["text"].get<std::string>();
  }
  pqxx::nontransaction t(f.db.conn());
  for (const auto& r : t.exec_params("SELECT content, status, tweet_id, failure_reason FROM "
                                     "content_metadata WHERE account_id = $1",
                                     row.account_id)) {
    const std::string content = r[0].as<std::string>(), status = r[1].as<std::string>();
    INFO(content << ": " << status << " " << r[3].as<std::string>(""));
    CHECK(on_x[content] <= 1);
    // No lost post: everything is on X, unless X called it a duplicate.
    if (duplicates_refused && status == "failed") {
      CHECK(r[3].as<std::string>().rfind("duplicate_content", 0) == 0);
      CHECK(on_x[content] == 0);
      continue;
    }
    CHECK(status == "posted");
    CHECK(on_x[content] == 1);
    CHECK(text_of[r[2].as<std::string>("")] == content);
  }
}

void check_scrape_invariants(LoopFixture& f, const Row& row) {
  const std::string account = " AND account_id = " + id_of(row);
  // No lost metric, none zero-filled: every post read, with X's numbers.
  CHECK(f.count("SELECT count(*) FROM outcomes WHERE available AND impressions > 0 AND likes > 0" +
                account) == kScrapePosts);
  CHECK(f.count("SELECT count(*) FROM content_metadata WHERE (metrics_state = 'unavailable' OR "
                "not_found_at IS NOT NULL)" +
                account) == 0);
  for (const char* table : {"outcomes", "learning_posts", "tweet_metrics"}) {
    INFO(table);
    CHECK(f.count(std::string("SELECT count(*) FROM ") + table +
                  " WHERE (impressions = 0 OR likes = 0)" + account) == 0);
  }
  CHECK(f.count("SELECT count(*) FROM follower_snapshots WHERE true" + account) >= 1);
}

void run_matrix_row(LoopFixture& f, const Endpoint& e, const Kind& k, int n) {
  const bool publish = std::string(e.tool) == "publish";
  Row row = make_row(f, e, k, n);
  if (publish) {
    set_up_publish(f, row);
  } else {
    set_up_scrape(f, row);
  }
  json rule = k.params;
  rule["endpoint"] = e.endpoint;
  rule["kind"] = k.name;
  f.sandbox.faults(json::array({rule}));
  const auto& times = publish ? kPublishRuns : kScrapeRuns;

  const auto args = [&](const char* now) {
    std::vector<std::string> a = {e.tool, "--account", row.handle, "--now", now};
    if (e.read_through) a.insert(a.end(), {"--read-through", e.read_through});
    return a;
  };
  Result faulty = run_tool(args(times[0]), row.env);
  INFO(e.tool << ", " << e.endpoint << ", " << k.name << ": " << faulty.err);
  CHECK(faulty.exit_code == expected_exit(e, k));
  if (faulty.exit_code != 0) {
    const std::string names = is_token(e) ? "OAuth 2.0 token refresh" : e.endpoint;
    CHECK(faulty.err.find(names) != std::string::npos);
  }
  for (const char* secret : {"e2e-consumer-secret", "e2e-token-secret", "matrix-refresh-"}) {
    CHECK(faulty.err.find(secret) == std::string::npos);
    CHECK(faulty.out.find(secret) == std::string::npos);
  }
  CHECK(f.disagreements() == 0);

  f.sandbox.clear_faults();
  if (is_token(e) && k.may_spend_refresh) {
    // X rotated the token but the answer was lost: a person authorizes again.
    row.env["X_OAUTH2_REFRESH_TOKEN"] = "matrix-reauthorized-" + std::to_string(n);
  }
  for (size_t i = 1; i < times.size(); ++i) {
    Result clean = run_tool(args(times[i]), row.env);
    INFO("clean run " << i << ": " << clean.err);
    CHECK(clean.exit_code == 0);
  }
  if (publish) {
    check_publish_invariants(f, row);
  } else {
    check_scrape_invariants(f, row);
  }
  CHECK(f.disagreements() == 0);
  CHECK(f.count("SELECT count(*) FROM job_runs WHERE status = 'running'") == 0);
}

// One database and one sandbox for all of a tool's rows: each row is an
// account and a sandbox user of its own, and rows run one after the other.
void run_matrix(const std::string& tool) {
  LoopFixture f;
  int rows = 0;
  for (const auto& e : kEndpoints) {
    if (e.tool != tool) continue;
    for (const auto& k : kKinds) run_matrix_row(f, e, k, ++rows);
  }
  CHECK(rows >= 3 * static_cast<int>(std::size(kKinds)));
}

}  // namespace

// One test per tool, so ctest runs the two side by side.
TEST_CASE("fault matrix: publish under every fault on every endpoint, then clean runs") {
  run_matrix("publish");
}

TEST_CASE("fault matrix: scrape-metrics under every fault on every endpoint, then clean runs") {
  run_matrix("scrape-metrics");
}
