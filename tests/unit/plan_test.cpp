#include <catch2/catch.hpp>
#include <set>

#include "learn/embedding.h"
#include "plan/composer.h"
#include "plan/draft_check.h"
#include "plan/planner.h"
#include "x/tweet_text.h"

using namespace gl::plan;
using gl::learn::HookType;

TEST_CASE("the offline composer writes each hook so the analyser recognises it, within 280") {
  std::mt19937_64 rng(3);
  for (const std::string topic : {"sleep", "strength training", "nutrition myths"}) {
    for (HookType h : gl::learn::kAllHookTypes) {
      for (int i = 0; i < 20; ++i) {
        const std::string text = compose_offline({topic, h, "dataNerd", ""}, rng);
        INFO(text);
        CHECK(gl::learn::analyze_text(text).hook == h);
        CHECK(gl::x::weighted_length(text) <= 280);
        CHECK(gl::learn::lower(text).find(topic) != std::string::npos);
        CHECK_FALSE(check_draft(text, {}));
      }
    }
  }
}

TEST_CASE("drafts that are empty, placeholders, too long or near-duplicates are refused") {
  CHECK(check_draft("", {}));
  CHECK(check_draft("   \n", {}));
  CHECK(check_draft("Here is a post about [insert topic here] for you to enjoy.", {}));
  CHECK(check_draft("As an AI language model I cannot write about sleep hygiene today.", {}));
  CHECK(check_draft(std::string(281, 'a'), {})->find("too long") == 0);
  const std::string emoji_heavy =
      std::string(139, 'a') + "\xF0\x9F\x98\x80";  // 139 + 2 = 141: fine
  CHECK_FALSE(check_draft(emoji_heavy, {}));
  std::string cjk;
  for (int i = 0; i < 141; ++i) cjk += "\xE6\x97\xA5";  // 282 weighted
  CHECK(check_draft(cjk, {}));
  const std::string post = "73% of adults sleep less than 7 hours. Research shows it costs focus.";
  const std::vector<RecentPost> recent = {{post, gl::learn::local_embedding(post)}};
  CHECK(check_draft("73% of adults sleep less than 7 hours! Research shows it costs focus.", recent)
            ->find("near-duplicate") == 0);
  CHECK_FALSE(check_draft(
      "Strength training twice a week beats a daily run for longevity, the data says.", recent));
  CHECK(clean_llm_text("  \"Tweet: Sleep is a skill.\"  ") == "Sleep is a skill.");
}

TEST_CASE("the trending rule holds: 35% trending when there is one, never when there is none") {
  std::mt19937_64 rng(2026);
  const gl::learn::ArmPosteriors arms;
  const std::vector<std::string> topics = {"sleep", "focus", "nutrition"};
  int trending = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const auto c = choose_topic(arms, topics, {"cold plunges"}, 0.35, Policy::kThompson, 0.2, rng);
    if (c.trending) {
      ++trending;
      CHECK(c.choice.key == "cold plunges");
      CHECK(c.choice.probability == Approx(0.35));
    }
  }
  // sd of the share is 0.0034 at n = 20000: +-0.02 is six of them.
  CHECK(static_cast<double>(trending) / n == Approx(0.35).margin(0.02));
  for (int i = 0; i < 100; ++i)
    CHECK_FALSE(choose_topic(arms, topics, {}, 0.35, Policy::kThompson, 0.2, rng).trending);
  CHECK(choose_topic(arms, {}, {"only trending"}, 0.35, Policy::kThompson, 0.2, rng)
            .choice.probability == 1.0);
}

TEST_CASE(
    "policies: random is uniform, epsilon-greedy exploits the best mean, thompson follows the "
    "evidence") {
  std::vector<gl::learn::BanditArm> stats = {{"a", 30, 30, 30 * 3.0, 30 * 9.3},
                                             {"b", 30, 30, 30 * 2.0, 30 * 4.3}};
  const auto arms = gl::learn::arm_posteriors(stats);
  std::mt19937_64 rng(5);
  const auto r = choose(arms, {"a", "b", "c"}, Policy::kRandom, 0.2, rng);
  CHECK(r.distribution.at("a") == Approx(1.0 / 3));
  const auto e = choose(arms, {"a", "b", "c"}, Policy::kEpsilon, 0.2, rng);
  CHECK(e.distribution.at("a") == Approx(0.8 + 0.2 / 3));
  CHECK(e.distribution.at("c") == Approx(0.2 / 3));
  const auto t = choose(arms, {"a", "b"}, Policy::kThompson, 0.2, rng);
  CHECK(t.distribution.at("a") > 0.9);
  CHECK(t.distribution.at("b") > 0);  // never zero: the log stays usable
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(choose_weighted({{"x", 1}, {"y", 3}}, rng).key);
  CHECK(seen.size() == 2);
}
