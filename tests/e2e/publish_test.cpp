#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <thread>

#include "e2e/fixture.h"

using namespace gl::test;
using nlohmann::json;

namespace {
long long sandbox_tweets_with(Sandbox& s, const std::string& text) {
  long long n = 0;
  for (const auto& t : s.get("/sandbox/tweets")) n += t["text"] == text ? 1 : 0;
  return n;
}
}  // namespace

TEST_CASE("publish posts what is due, records the tweet id, and leaves the future queued") {
  LoopFixture f;
  const auto due =
      f.queue("Sleep debt is real: 7 hours is the floor, not the goal.", "2026-11-20T12:00:00Z");
  const auto later = f.queue("Focus is a budget you spend before noon.", "2026-11-20T18:00:00Z");
  Result r = run_tool({"publish", "--now", "2026-11-20T12:05:00Z"}, f.env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["decision_id"] == due);
  CHECK(lines[0]["status"] == "posted");
  const std::string id = lines[0]["tweet_id"];
  CHECK(f.db.scalar("SELECT tweet_id FROM content_metadata WHERE decision_id = '" + due + "'") ==
        id);
  CHECK(f.db.scalar("SELECT status FROM content_metadata WHERE decision_id = '" + later + "'") ==
        "queued");
  CHECK(
      f.db.scalar(
          "SELECT posted_at = '2026-11-20T12:05:00Z' FROM content_metadata WHERE decision_id = '" +
          due + "'") == "t");
  // Re-running posts nothing again.
  Result again = run_tool({"publish", "--now", "2026-11-20T12:06:00Z"}, f.env);
  CHECK(again.out.empty());
  CHECK(f.sandbox.get("/sandbox/stats")["tweets"] == 1);
}

TEST_CASE("after an outage the posts that missed their slot fail instead of going out at once") {
  LoopFixture f;
  const auto nine = f.queue("Sleep debt is real: 7 hours is the floor.", "2026-11-20T09:00:00Z");
  const auto ten = f.queue("Focus is a budget you spend before noon.", "2026-11-20T10:00:00Z");
  const auto eleven =
      f.queue("Nutrition starts at the shop, not the plate.", "2026-11-20T11:00:00Z");
  const auto status = [&](const std::string& id) {
    return f.db.scalar("SELECT status FROM content_metadata WHERE decision_id = '" + id + "'");
  };
  // publish last ran before 09:00; it runs again at 11:20.
  Result dry = run_tool({"publish", "--now", "2026-11-20T11:20:00Z", "--dry-run"}, f.env);
  INFO(dry.err);
  REQUIRE(dry.exit_code == 0);
  std::map<std::string, std::string> said;
  for (const auto& l : json_lines(dry.out)) said[l["decision_id"]] = l["status"];
  CHECK(said == std::map<std::string, std::string>{
                    {nine, "would_miss"}, {ten, "would_miss"}, {eleven, "would_post"}});
  CHECK(status(nine) == "queued");

  Result r = run_tool({"publish", "--now", "2026-11-20T11:20:00Z"}, f.env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  said.clear();
  for (const auto& l : json_lines(r.out)) said[l["decision_id"]] = l["status"];
  CHECK(said ==
        std::map<std::string, std::string>{{nine, "missed"}, {ten, "missed"}, {eleven, "posted"}});
  CHECK(status(nine) == "failed");
  CHECK(status(ten) == "failed");
  CHECK(status(eleven) == "posted");
  CHECK(f.db.scalar("SELECT failure_reason FROM content_metadata WHERE decision_id = '" + ten + "'")
            .find("missed its slot") != std::string::npos);
  CHECK(f.sandbox.get("/sandbox/tweets").size() == 1);
  CHECK(r.err.find("2 queued post(s) missed their slot") != std::string::npos);

  // A wider tolerance is the operator's to choose.
  const auto late = f.queue("Rest is part of the training plan.", "2026-11-20T12:00:00Z");
  Result wide =
      run_tool({"publish", "--now", "2026-11-20T14:00:00Z", "--max-late-minutes", "180"}, f.env);
  INFO(wide.err);
  CHECK(wide.exit_code == 0);
  CHECK(status(late) == "posted");
}

TEST_CASE("publish --dry-run prints what it would post and posts nothing") {
  LoopFixture f;
  f.queue("A dry run shows this text.", "2026-11-20T12:00:00Z");
  Result r = run_tool({"publish", "--dry-run", "--now", "2026-11-20T12:05:00Z"}, f.env);
  REQUIRE(r.exit_code == 0);
  const auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["status"] == "would_post");
  CHECK(f.sandbox.get("/sandbox/stats")["tweets"] == 0);
  CHECK(f.db.scalar("SELECT status FROM content_metadata") == "queued");
}

TEST_CASE("duplicate content and over-long text mark the post failed with the reason") {
  LoopFixture f;
  const auto first = f.queue("The same words twice.", "2026-11-20T12:00:00Z");
  const auto dup = f.queue("The same words twice.", "2026-11-20T12:01:00Z");
  const auto long_one = f.queue(std::string(281, 'a'), "2026-11-20T12:02:00Z");
  Result r = run_tool({"publish", "--now", "2026-11-20T12:05:00Z"}, f.env);
  REQUIRE(r.exit_code == 0);
  CHECK(f.db.scalar("SELECT status FROM content_metadata WHERE decision_id = '" + first + "'") ==
        "posted");
  CHECK(f.db.scalar("SELECT failure_reason FROM content_metadata WHERE decision_id = '" + dup + "'")
            .rfind("duplicate_content", 0) == 0);
  CHECK(f.db.scalar("SELECT failure_reason FROM content_metadata WHERE decision_id = '" + long_one +
                    "'") == "text_too_long: 281 weighted characters > 280");
  CHECK(f.sandbox.get("/sandbox/stats")["requests"]["POST /2/tweets"] ==
        2);  // the long one never sent
}

TEST_CASE("a threads posts its parts as a self-thread") {
  LoopFixture f;
  const auto id = f.queue("Why we sleep badly, a thread:", "2026-11-20T12:00:00Z", "thread");
  f.db.scalar(
      "UPDATE content_metadata SET thread_parts = ARRAY['1. Light at night.', '2. Late caffeine.'] "
      "RETURNING 1");
  Result r = run_tool({"publish", "--now", "2026-11-20T12:05:00Z"}, f.env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(f.sandbox.get("/sandbox/stats")["tweets"] == 3);
  CHECK(f.db.scalar("SELECT status FROM content_metadata WHERE decision_id = '" + id + "'") ==
        "posted");
}

TEST_CASE("a publish killed between the API call and the commit never posts twice") {
  LoopFixture f;
  const std::string text = "Posted once, even when the run dies.";
  const auto id = f.queue(text, "2026-11-20T12:00:00Z");
  // The sandbox creates the tweet, then holds the answer.
  f.sandbox.faults(json::array(
      {{{"endpoint", "POST /2/tweets"}, {"kind", "timeout"}, {"delay_ms", 20000}, {"times", 1}}}));
  auto env = f.env;
  env["X_HTTP_TIMEOUT_MS"] = "60000";
  Process p(Command{{"publish", "--now", "2026-11-20T12:05:00Z"}, "", env});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (f.sandbox.get("/sandbox/stats")["tweets"] == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  p.kill(SIGKILL);
  p.wait();
  CHECK(f.db.scalar("SELECT status FROM content_metadata WHERE decision_id = '" + id + "'") ==
        "posting");

  Result r = run_tool({"publish", "--now", "2026-11-20T12:10:00Z"}, f.env);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(sandbox_tweets_with(f.sandbox, text) == 1);
  CHECK(f.db.scalar("SELECT status FROM content_metadata WHERE decision_id = '" + id + "'") ==
        "posted");
  CHECK(f.db.scalar("SELECT tweet_id IS NOT NULL FROM content_metadata WHERE decision_id = '" + id +
                    "'") == "t");
  CHECK(f.sandbox.get("/sandbox/stats")["requests"]["POST /2/tweets"] == 1);
}

TEST_CASE("a timed-out post is reconciled, not re-posted; one never sent is queued again") {
  LoopFixture f;
  const std::string text = "The answer never came back.";
  const auto id = f.queue(text, "2026-11-20T12:00:00Z");
  f.sandbox.faults(json::array(
      {{{"endpoint", "POST /2/tweets"}, {"kind", "timeout"}, {"delay_ms", 1500}, {"times", 1}}}));
  auto env = f.env;
  env["X_HTTP_TIMEOUT_MS"] = "500";
  Result first = run_tool({"publish", "--now", "2026-11-20T12:05:00Z"}, env);
  CHECK(first.exit_code == 75);
  CHECK(f.db.scalar("SELECT status FROM content_metadata WHERE decision_id = '" + id + "'") ==
        "posting");
  Result second = run_tool({"publish", "--now", "2026-11-20T12:10:00Z"}, f.env);
  CHECK(second.exit_code == 0);
  CHECK(sandbox_tweets_with(f.sandbox, text) == 1);
  CHECK(f.db.scalar("SELECT status FROM content_metadata WHERE decision_id = '" + id + "'") ==
        "posted");
  // X billed the post whose answer was lost: so does api_usage, once, with no extra request.
  const json billed = f.sandbox.get("/sandbox/stats")["billing"]["billed"];
  REQUIRE(billed.contains("post_create"));
  CHECK(f.db.scalar("SELECT sum(billable) FROM api_usage WHERE kind = 'post_create'") ==
        std::to_string(billed["post_create"].get<long long>()));
  CHECK(f.db.scalar("SELECT sum(requests) FROM api_usage WHERE endpoint = 'POST /2/tweets'") ==
        std::to_string(
            f.sandbox.get("/sandbox/stats")["requests"]["POST /2/tweets"].get<long long>()));

  // A post whose call failed before reaching X is not on the timeline: queued again after a while.
  const auto lost = f.queue("This one never reached X.", "2026-11-20T13:00:00Z");
  f.db.scalar(
      "UPDATE content_metadata SET status = 'posting', posting_started_at = '2026-11-20T13:00:00Z' "
      "WHERE decision_id = '" +
      lost + "' RETURNING 1");
  Result third = run_tool({"publish", "--now", "2026-11-20T13:30:00Z", "--limit", "1"}, f.env);
  CHECK(third.exit_code == 0);
  CHECK(f.db.scalar("SELECT status FROM content_metadata WHERE decision_id = '" + lost + "'") ==
        "queued");
}

TEST_CASE("a timed-out post with a link is found on the timeline, where X shows it as t.co") {
  LoopFixture f;
  const std::string text =
      "Our sleep guide is out: https://example.com/sleep-guide read it tonight.";
  const auto id = f.queue(text, "2026-11-20T12:00:00Z");
  f.sandbox.faults(json::array(
      {{{"endpoint", "POST /2/tweets"}, {"kind", "timeout"}, {"delay_ms", 1500}, {"times", 1}}}));
  auto env = f.env;
  env["X_HTTP_TIMEOUT_MS"] = "500";
  CHECK(run_tool({"publish", "--now", "2026-11-20T12:05:00Z"}, env).exit_code == 75);
  // As X does, the sandbox shows the link as its own t.co link.
  const json tweets = f.sandbox.get("/sandbox/tweets");
  REQUIRE(tweets.size() == 1);
  CHECK(tweets[0]["text"].get<std::string>().find("https://t.co/") != std::string::npos);
  CHECK(tweets[0]["text"] != text);
  // Later runs, past the 15 minutes after which a post not found is queued again.
  for (const char* now : {"2026-11-20T12:10:00Z", "2026-11-20T12:30:00Z", "2026-11-20T12:35:00Z"})
    CHECK(run_tool({"publish", "--now", now}, f.env).exit_code == 0);
  CHECK(f.sandbox.get("/sandbox/tweets").size() == 1);
  CHECK(f.db.scalar("SELECT status || ' ' || tweet_id FROM content_metadata WHERE decision_id = '" +
                    id + "'") == "posted " + tweets[0]["id"].get<std::string>());
}

TEST_CASE("a reply X refuses (its parent does not mention the account) fails alone") {
  LoopFixture f;
  // A reply to a stranger's post (queued by hand: plan-post plans no replies).
  const std::string reply = f.db.scalar(
      "INSERT INTO content_metadata (account_id, generator_name, topic, content, format, "
      "  in_reply_to_tweet_id, status, scheduled_at) VALUES (1, 'coach', 'focus', "
      "  'Totally agree, great point about focus and sleep!', 'reply', '1234567890123', 'queued', "
      "  '2026-11-20T12:00:00Z') RETURNING decision_id::text");
  const auto next = f.queue("Focus is a habit, not a talent.", "2026-11-20T12:01:00Z");
  Result r = run_tool({"publish", "--now", "2026-11-20T12:05:00Z"}, f.env);
  CHECK(r.exit_code == 0);
  CHECK(f.db.scalar("SELECT status || ' ' || failure_reason FROM content_metadata "
                    "WHERE decision_id = '" +
                    reply + "'")
            .rfind("failed reply_not_allowed", 0) == 0);
  CHECK(f.db.scalar("SELECT status FROM content_metadata WHERE decision_id = '" + next + "'") ==
        "posted");
}

TEST_CASE("a rate-limited post goes back to the queue and the run exits 75") {
  LoopFixture f;
  const auto id = f.queue("Rate limits happen.", "2026-11-20T12:00:00Z");
  f.sandbox.faults(json::array({{{"endpoint", "POST /2/tweets"}, {"kind", "rate_limit"}}}));
  Result r = run_tool({"publish", "--now", "2026-11-20T12:05:00Z"}, f.env);
  CHECK(r.exit_code == 75);
  CHECK(f.db.scalar("SELECT status FROM content_metadata WHERE decision_id = '" + id + "'") ==
        "queued");
}

TEST_CASE("publish refuses app-only credentials") {
  LoopFixture f;
  f.queue("Needs user context.", "2026-11-20T12:00:00Z");
  auto env = f.env;
  for (const char* k :
       {"X_CONSUMER_KEY", "X_CONSUMER_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET"})
    env.erase(k);
  env["X_BEARER_TOKEN"] = "app-only";
  Result r = run_tool({"publish", "--now", "2026-11-20T12:05:00Z"}, env);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("user context") != std::string::npos);
}

TEST_CASE("an account with posting off plans and posts nothing, and its past is still collected") {
  LoopFixture f;
  f.posted(1, "2026-11-20T09:00:00Z");
  const auto queued = f.queue("Sleep debt is real: 7 hours is the floor.", "2026-11-20T12:00:00Z");
  REQUIRE(
      run_tool({"accounts", "add", "e2e", "--posting", "off", "--clear-topics"}, f.env).exit_code ==
      0);
  CHECK(f.db.scalar("SELECT posting FROM accounts WHERE handle = 'e2e'") == "f");

  // No topics left, but nothing to plan: not the error an account planning would get.
  Result plan = run_tool({"plan-post", "--all-accounts", "--now", "2026-11-20T11:00:00Z"}, f.env);
  INFO(plan.err);
  CHECK(plan.exit_code == 0);
  CHECK(plan.out.empty());
  Result publish = run_tool({"publish", "--now", "2026-11-20T12:05:00Z", "-v"}, f.env);
  INFO(publish.err);
  CHECK(publish.exit_code == 0);
  CHECK(publish.err.find("posting off") != std::string::npos);
  CHECK(f.sandbox.get("/sandbox/tweets").size() == 1);
  CHECK(f.db.scalar("SELECT status FROM content_metadata WHERE decision_id = '" + queued + "'") ==
        "queued");
  Result scrape = run_tool({"scrape-metrics", "--now", "2026-11-20T12:05:00Z"}, f.env);
  INFO(scrape.err);
  CHECK(scrape.exit_code == 0);
  CHECK(f.count("SELECT count(*) FROM tweet_metrics") == 1);

  // On again: the post still in its slot goes out.
  REQUIRE(run_tool({"accounts", "add", "e2e", "--posting", "on"}, f.env).exit_code == 0);
  Result resumed = run_tool({"publish", "--now", "2026-11-20T12:10:00Z"}, f.env);
  INFO(resumed.err);
  CHECK(resumed.exit_code == 0);
  CHECK(f.db.scalar("SELECT status FROM content_metadata WHERE decision_id = '" + queued + "'") ==
        "posted");
}
