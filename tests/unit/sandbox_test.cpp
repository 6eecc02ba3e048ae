#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "sandbox/audience.h"
#include "sandbox/faults.h"
#include "sandbox/llm.h"
#include "sandbox/post_length.h"
#include "sandbox/reading.h"
#include "sandbox/world.h"

using namespace gl::sandbox;
using nlohmann::json;

namespace {

gl::TimePoint at(const char* iso) { return gl::parse_iso8601(iso).value(); }

// A truth with nothing but what a test plants (no noise in expectations matters).
Truth flat_truth() {
  Truth t = parse_truth(json::object(), "test");
  t.timezone = "UTC";
  t.topics = {{"sleep", 0}, {"focus", 0}};
  t.hours = {};
  t.weekdays = {};
  t.hooks = {};
  t.lengths = {};
  t.numbers = t.question = t.cta = t.link = 0;
  t.topic_hours = {};
  t.hook_topics = {};
  t.topic_fatigue = t.hook_fatigue = 0;
  t.actions = {};
  t.viral_probability = 0;  // keeps expected reach a pure product of the effects
  return t;
}

double reach(const Truth& t, const std::string& text, const char* when,
             const AuthorState& author = {}) {
  return expected_final(t, text, at(when), author).impressions;
}

const char* kSleepFigure = "73% of adults get sleep wrong, and it shows by Friday.";
const char* kSleepPlain = "Sleep is a skill you can practise.";
const char* kFocusFigure = "73% of adults get focus wrong, and it shows by Friday.";
const char* kFocusPlain = "Focus is a skill you can practise.";

}  // namespace

TEST_CASE("the audience reads text its own way") {
  const std::vector<std::string> topics = {"sleep", "focus", "strength"};
  const Reading r = read_post("Why does focus fade after lunch? Sleep is only half of it.", topics);
  CHECK(r.topic == "focus");  // mentioned first
  CHECK(r.opening == "question");
  CHECK(r.question);
  CHECK_FALSE(r.numbers);
  CHECK(read_post("41% of people never track their sleep.", topics).opening == "figure");
  CHECK(read_post("I slept 9 hours for a month. Here is what changed.", topics).opening == "story");
  CHECK(read_post("Unpopular opinion: sleep trackers are overrated.", topics).opening ==
        "pushback");
  CHECK(read_post("Myth: you can catch up on sleep.", topics).opening == "myth");
  CHECK(read_post("How to fall asleep faster: dim the lights at 9.", topics).opening == "steps");
  CHECK(read_post("Sleep basics:\n1. Dark room\n2. Cool room\n3. Same hour", topics).opening ==
        "list");
  CHECK(read_post("Sleep matters.", topics).opening == "plain");
  CHECK(read_post("Sleep matters.", topics).size == "brief");
  CHECK(read_post(std::string(200, 'a'), topics).size == "full");
  // Years, handles and links are not figures; a link is a link.
  const Reading link = read_post("Back in 2019 @coach42 said it: https://t.co/abc123", topics);
  CHECK_FALSE(link.numbers);
  CHECK(link.link);
  CHECK(read_post("Reply with your best sleep tip", topics).cta);
  CHECK(read_post("Nothing about any of it", topics).topic.empty());
  CHECK(read_post("Strengthening your focus", topics).topic == "strength");  // word start
  CHECK(read_post("Refocus on sleep", topics).topic == "sleep");
}

TEST_CASE("the same seed and tweet id draw the same post; another seed draws another") {
  const Truth t = default_truth();
  const auto when = at("2026-11-20T23:00:00Z");
  const auto a = draw_final(t, kSleepFigure, when, {}, 1, "42");
  const auto b = draw_final(t, kSleepFigure, when, {}, 1, "42");
  const auto c = draw_final(t, kSleepFigure, when, {}, 2, "42");
  const auto d = draw_final(t, kSleepFigure, when, {}, 1, "43");
  CHECK(a.impressions == b.impressions);
  CHECK(a.actions == b.actions);
  CHECK(a.impressions != c.impressions);
  CHECK(a.impressions != d.impressions);
}

TEST_CASE("the audience's counts grow with age, never go down, and engagement stays below views") {
  World w(default_truth(), 7);
  auto& u = w.user_for_key("oauth1:t");
  const auto t0 = at("2026-11-20T23:00:00Z");  // 18:00 in New York
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    const std::string text = std::to_string(40 + i) + "% of adults sleep less than they think.";
    ids.push_back(w.post(u, text, std::nullopt, t0 + std::chrono::hours(5 * i)).id);
  }
  for (const auto& id : ids) {
    const SandboxTweet& t = *w.tweet(id);
    Counts prev = w.counts(t, t.created_at);
    CHECK(prev.impressions == 0);
    for (int h = 1; h <= 200; h += 7) {
      const Counts c = w.counts(t, t.created_at + std::chrono::hours(h));
      CHECK(c.impressions >= prev.impressions);
      for (size_t a = 0; a < kActionCount; ++a) CHECK(c.actions[a] >= prev.actions[a]);
      CHECK(c.engagement() <= c.impressions);
      prev = c;
    }
  }
  const auto end = t0 + std::chrono::hours(300);
  CHECK(w.followers(u, end) > w.followers(u, t0));
  CHECK(w.followers(u, end) >= w.followers(u, end - std::chrono::hours(1)));
  // Repeated reads agree.
  CHECK(w.counts(*w.tweet(ids[3]), end).actions == w.counts(*w.tweet(ids[3]), end).actions);
}

TEST_CASE("replies and retweets are their own counts, which content moves differently") {
  const Truth t = default_truth();
  const auto when = at("2026-11-20T23:00:00Z");
  const auto question = expected_final(t, "Why is sleep so hard to fix?", when, {});
  const auto figure = expected_final(t, "73% of adults never fix their sleep.", when, {});
  const auto ratio = [](const FinalMetrics& m, Action a) {
    return m.actions[a] / m.actions[kLikes];
  };
  CHECK(ratio(question, kReplies) > 1.5 * ratio(figure, kReplies));
  CHECK(ratio(figure, kRetweets) > 1.2 * ratio(question, kRetweets));
  // Drawn, not fixed fractions: replies per like vary from post to post.
  std::vector<double> per_like;
  for (int i = 0; i < 50; ++i) {
    const auto m = draw_final(t, "Why is sleep so hard to fix?", when, {}, 3, std::to_string(i));
    if (m.actions[kLikes] > 0) per_like.push_back(m.actions[kReplies] / m.actions[kLikes]);
  }
  REQUIRE(per_like.size() > 40);
  const auto [lo, hi] = std::minmax_element(per_like.begin(), per_like.end());
  CHECK(*hi > 2 * *lo + 0.05);
}

TEST_CASE("interactions: a topic's hours and an opening's topic move reach in the planted way") {
  Truth t = flat_truth();
  t.topic_hours["focus"][19] = 1.0;        // focus works at 19:00 only
  t.hook_topics["figure"]["sleep"] = 0.8;  // figures sell sleep, not focus
  const auto evening = "2026-11-18T19:00:00Z", morning = "2026-11-18T08:00:00Z";
  CHECK(reach(t, kFocusPlain, evening) / reach(t, kFocusPlain, morning) == Approx(std::exp(1.0)));
  CHECK(reach(t, kSleepPlain, evening) / reach(t, kSleepPlain, morning) == Approx(1.0));
  CHECK(reach(t, kSleepFigure, morning) / reach(t, kSleepPlain, morning) ==
        Approx(std::exp(0.8)).epsilon(0.01));
  CHECK(reach(t, kFocusFigure, morning) / reach(t, kFocusPlain, morning) ==
        Approx(1.0).epsilon(0.01));
}

TEST_CASE("fatigue: the same topic again within a day earns less, by the author's own posts") {
  Truth t = flat_truth();
  t.topic_fatigue = 0.5;
  t.hook_fatigue = 0.2;
  const auto when = "2026-11-18T19:00:00Z";
  AuthorState fresh;
  AuthorState same_topic;
  same_topic.recent = {{at("2026-11-18T13:00:00Z"), "sleep", "plain"}};
  AuthorState other_topic;
  other_topic.recent = {{at("2026-11-18T13:00:00Z"), "focus", "plain"}};
  AuthorState long_ago;
  long_ago.recent = {{at("2026-11-16T13:00:00Z"), "sleep", "plain"}};
  const double base = reach(t, kSleepPlain, when, fresh);
  // 6 h of a 24 h window: 3/4 of the fatigue.
  CHECK(reach(t, kSleepPlain, when, same_topic) / base ==
        Approx(std::exp(-0.75 * (0.5 + 0.2))).epsilon(0.01));
  CHECK(reach(t, kSleepPlain, when, other_topic) / base ==
        Approx(std::exp(-0.75 * 0.2)).epsilon(0.01));
  CHECK(reach(t, kSleepPlain, when, long_ago) == Approx(base));

  // In the world, by the account's own recent posts only.
  World w(t, 1);
  auto& me = w.user_for_key("oauth1:me");
  auto& other = w.user_for_key("oauth1:other");
  w.post(other, "Sleep is underrated.", std::nullopt, at("2026-11-18T13:00:00Z"));
  CHECK(w.author_state(&me, at(when)).recent.empty());
  w.post(me, "Sleep is underrated.", std::nullopt, at("2026-11-18T13:00:00Z"));
  CHECK(reach(t, kSleepPlain, when, w.author_state(&me, at(when))) < 0.8 * base);
}

TEST_CASE("weekdays and followers move reach in the planted direction") {
  Truth t = flat_truth();
  t.weekdays = {0, 0, 0, 0, 0, -0.7, 0};  // Saturday is dead
  t.follower_elasticity = 0.8;
  const double saturday = reach(t, kSleepPlain, "2026-11-21T12:00:00Z");
  const double tuesday = reach(t, kSleepPlain, "2026-11-17T12:00:00Z");
  CHECK(saturday / tuesday == Approx(std::exp(-0.7)));
  AuthorState small, big;
  small.followers = 1000;
  big.followers = 4000;
  CHECK(reach(t, kSleepPlain, "2026-11-17T12:00:00Z", big) /
            reach(t, kSleepPlain, "2026-11-17T12:00:00Z", small) ==
        Approx(std::pow(4.0, 0.8)));
  // Followers come from posts, and a grown account reaches further.
  t.rates[kFollows] = 0.02;
  World w(t, 5);
  auto& u = w.user_for_key("oauth1:grower");
  for (int i = 0; i < 30; ++i) {
    w.post(u, "Sleep note " + std::to_string(i), std::nullopt,
           at("2026-11-02T12:00:00Z") + std::chrono::hours(8 * i));
  }
  const auto later = at("2026-11-20T12:00:00Z");
  CHECK(w.followers(u, later) > 1100);
  CHECK(reach(t, kSleepPlain, "2026-11-20T12:00:00Z", w.author_state(&u, later)) >
        1.05 * reach(t, kSleepPlain, "2026-11-20T12:00:00Z"));
}

TEST_CASE("reach is heavy-tailed: the occasional post travels far") {
  Truth t = default_truth();
  t.viral_probability = 0.02;
  Truth no_tail = t;
  no_tail.viral_probability = 0;
  const auto when = at("2026-11-18T23:00:00Z");
  const auto spread = [&](const Truth& truth) {
    std::vector<double> imp;
    for (int i = 0; i < 3000; ++i) {
      imp.push_back(draw_final(truth, kSleepPlain, when, {}, 11, std::to_string(i)).impressions);
    }
    std::sort(imp.begin(), imp.end());
    const double median = imp[imp.size() / 2];
    return std::count_if(imp.begin(), imp.end(), [&](double x) { return x > 5 * median; });
  };
  const auto far = spread(t);
  CHECK(far >= 15);  // about 2% of 3000 are multiplied by 3 or more
  CHECK(far <= 150);
  CHECK(spread(no_tail) <= 2);
}

TEST_CASE("a truth drifts at its shift and the oracle sees the truth in force") {
  const Truth t = parse_truth(json::parse(R"({"topics":{"sleep":0.5,"focus":-0.5},
    "shift":{"at":"2026-12-01T00:00:00Z","truth":{"topics":{"sleep":-0.5,"focus":0.5}}}})"),
                              "truth.json");
  CHECK(active_truth(t, at("2026-11-25T00:00:00Z")).topics.at("sleep") == 0.5);
  CHECK(active_truth(t, at("2026-12-05T00:00:00Z")).topics.at("sleep") == -0.5);
  CHECK(reach(t, kSleepPlain, "2026-11-25T18:00:00Z") >
        reach(t, kFocusPlain, "2026-11-25T18:00:00Z"));
  CHECK(reach(t, kSleepPlain, "2026-12-05T18:00:00Z") <
        reach(t, kFocusPlain, "2026-12-05T18:00:00Z"));
  // What it prints, it reads back the same.
  CHECK(truth_to_json(parse_truth(truth_to_json(t), "round trip")) == truth_to_json(t));
}

TEST_CASE("truth files are strict: a bad key or value is an error naming it") {
  const auto error_of = [](const char* text) -> std::string {
    try {
      parse_truth(json::parse(text), "truth.json");
    } catch (const gl::Error& e) {
      CHECK(e.exit_code() == gl::kExitUsage);
      return e.what();
    }
    return "";
  };
  CHECK(error_of(R"({"topics":{"sleep":"high"}})").find("topics.sleep") != std::string::npos);
  CHECK(error_of(R"({"hours":[1,2]})").find("hours") != std::string::npos);
  CHECK(error_of(R"({"hooks":{"surprising_stat":0.5}})").find("hooks.surprising_stat") !=
        std::string::npos);
  CHECK(error_of(R"({"like_rate":0.02})").find("like_rate") != std::string::npos);
  CHECK(error_of(R"({"noise_sd":-1})").find("noise_sd") != std::string::npos);
  CHECK(error_of(R"({"topic_hours":{"focus":{"dusk":1}}})").find("dusk") != std::string::npos);
  CHECK(error_of(R"({"topic_hours":{"":{"evening":1}}})").find("topic_hours") != std::string::npos);
  CHECK(error_of(R"({"actions":{"likes":{"hook:shout":1}}})").find("hook:shout") !=
        std::string::npos);
  CHECK(error_of(R"({"shift":{"at":"soon","truth":{}}})").find("shift.at") != std::string::npos);
  CHECK(error_of(R"({"shift":{"at":"2026-12-01","truth":{"base_impressions":"a lot"}}})")
            .find("shift.truth.base_impressions") != std::string::npos);
  CHECK(error_of(R"({"timezone":"Mars/Olympus"})").find("timezone") != std::string::npos);
  CHECK(error_of(R"([1,2])").find("truth") != std::string::npos);
  // Hours by number, range and daypart name.
  const Truth t = parse_truth(
      json::parse(R"({"topic_hours":{"focus":{"7":0.1,"22-2":0.2,"evening":0.3}}})"), "t");
  CHECK(t.topic_hours.at("focus")[7] == 0.1);
  CHECK(t.topic_hours.at("focus")[23] == 0.2);
  CHECK(t.topic_hours.at("focus")[1] == 0.2);
  CHECK(t.topic_hours.at("focus")[2] == 0);
  CHECK(t.topic_hours.at("focus")[17] == 0.3);
}

TEST_CASE("the audience presets parse and carry the structure they claim") {
  const std::filesystem::path dir = std::filesystem::path(GL_SOURCE_DIR) / "bench" / "audiences";
  std::map<std::string, Truth> presets;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    presets[entry.path().stem().string()] = parse_truth(json::parse(in), entry.path().string());
  }
  REQUIRE(presets.size() >= 4);
  // The evening topic: focus wins in the evening and loses in the morning (New York).
  const Truth& evening = presets.at("evening_topic");
  const auto tue_evening = "2026-11-18T00:00:00Z", tue_morning = "2026-11-17T14:00:00Z";
  CHECK(reach(evening, "Focus is trainable.", tue_evening) >
        reach(evening, "Sleep is trainable.", tue_evening));
  CHECK(reach(evening, "Focus is trainable.", tue_morning) <
        reach(evening, "Sleep is trainable.", tue_morning));
  // Hooks over topics, with strong fatigue.
  const Truth& hooks = presets.at("hooks_fatigue");
  CHECK(reach(hooks, kSleepFigure, tue_evening) > 2 * reach(hooks, kSleepPlain, tue_evening));
  CHECK(hooks.topic_fatigue >= 0.6);
  // Weekdays and follower growth.
  const Truth& weekly = presets.at("weekdays_growth");
  CHECK(weekly.follower_elasticity >= 0.8);
  CHECK(reach(weekly, kSleepPlain, "2026-11-21T17:00:00Z") <
        0.6 * reach(weekly, kSleepPlain, "2026-11-17T17:00:00Z"));
  // Close to the old default: additive, little fatigue.
  const Truth& classic = presets.at("classic");
  CHECK(classic.topic_hours.empty());
  CHECK(classic.hook_topics.empty());
}

TEST_CASE("the sandbox's LLM writes about the prompt's topic with the opening it asks for") {
  const std::vector<std::pair<std::string, std::string>> hooks = {
      {"surprising_stat", "figure"}, {"question", "question"},
      {"personal_story", "story"},   {"list", "list"},
      {"how_to", "steps"},           {"contrarian_take", "pushback"},
      {"myth_busting", "myth"},      {"statement", "plain"}};
  for (const auto& [hook, opening] : hooks) {
    for (int i = 0; i < 6; ++i) {
      const json messages =
          json::array({{{"role", "system"}, {"content", "You write posts."}},
                       {{"role", "user"},
                        {"content", "Persona: coach\nTopic: sleep science\nHook: " + hook +
                                        " (x)\nDraft " + std::to_string(i)}}});
      const std::string post = chat_answer(messages);
      INFO(hook << ": " << post);
      CHECK(post == chat_answer(messages));
      std::string lower = post;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      CHECK(lower.find("sleep science") != std::string::npos);
      CHECK(read_post(post, {"sleep"}).opening == opening);
      CHECK(post_weight(post) <= kMaxPostWeight);
    }
  }
  const auto e = text_embedding("Sleep well, focus better");
  CHECK(e.size() == 64);
}

TEST_CASE("x-sandbox weighs a post as X does: URLs 23, emoji and CJK 2") {
  CHECK(post_weight("hello") == 5);
  CHECK(post_weight(std::string(280, 'a')) == 280);
  CHECK(post_weight("see https://example.com/a/very/long/path/that/goes/on?x=1") == 4 + 23);
  CHECK(post_weight("\xF0\x9F\x98\x80") == 2);                  // 😀
  CHECK(post_weight("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD") == 2);  // 👍🏽
  CHECK(post_weight("\xF0\x9F\x87\xBA\xF0\x9F\x87\xB8") == 2);  // 🇺🇸
  CHECK(post_weight("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7") ==
        2);                                             // family
  CHECK(post_weight("\xE6\x97\xA5\xE6\x9C\xAC") == 4);  // 日本
  CHECK(post_weight("e\xCC\x81") == 1);                 // é
}

TEST_CASE("fault rules skip, then break a set number of requests on their endpoint") {
  FaultPlan plan;
  plan.replace(parse_faults(
      json::parse(
          R"({"rules":[{"endpoint":"GET /2/tweets","kind":"server_error","skip":1,"times":2}]})"),
      "faults"));
  CHECK_FALSE(plan.take("GET /2/users/me"));
  CHECK_FALSE(plan.take("GET /2/tweets"));
  CHECK(plan.take("GET /2/tweets"));
  CHECK(plan.take("GET /2/tweets"));
  CHECK_FALSE(plan.take("GET /2/tweets"));
  CHECK_THROWS_AS(parse_faults(json::parse(R"({"rules":[{"kind":"meteor"}]})"), "faults"),
                  gl::Error);
}

TEST_CASE("a fault rule of the wrong type or out of range is a usage error naming the rule") {
  const auto exit_code = [](const char* text) {
    try {
      parse_faults(json::parse(text), "faults.json");
    } catch (const gl::Error& e) {
      return e.exit_code();
    }
    return 0;
  };
  CHECK(exit_code(R"({"rules":[{"kind":"slow","delay_ms":250}]})") == 0);
  CHECK(exit_code(R"({"rules":[{"kind":"slow","skip":2.0}]})") == 0);
  for (const char* bad :
       {R"({"rules":[{"kind":7}]})", R"({"rules":[{"kind":"slow","endpoint":[]}]})",
        R"({"rules":{"kind":"slow"}})", R"({"rules":[{"kind":"slow","skip":-1}]})",
        R"({"rules":[{"kind":"slow","skip":1e30}]})", R"({"rules":[{"kind":"slow","times":2.5}]})",
        R"({"rules":[{"kind":"server_error","status":200}]})",
        R"({"rules":[{"kind":"partial","fraction":1.5}]})",
        R"({"rules":[{"kind":"llm_text","text":3}]})"}) {
    CAPTURE(bad);
    CHECK(exit_code(bad) == gl::kExitUsage);
  }
  try {
    parse_faults(json::parse(R"({"rules":[{"kind":"slow"},{"kind":"slow","skip":"x"}]})"),
                 "faults.json");
    FAIL("accepted a string skip");
  } catch (const gl::Error& e) {
    CHECK(e.subject() == "faults.json rule 2");
  }
}
