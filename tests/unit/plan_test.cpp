#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "core/error.h"
#include "learn/embedding.h"
#include "plan/composer.h"
#include "plan/draft_check.h"
#include "plan/drafter.h"
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
        CHECK_FALSE(check_draft(text, "sleep", {}));
      }
    }
  }
}

TEST_CASE("drafts that are empty, placeholders, too long or near-duplicates are refused") {
  CHECK(check_draft("", "sleep", {}));
  CHECK(check_draft("   \n", "sleep", {}));
  CHECK(check_draft("Here is a post about [insert topic here] for you to enjoy.", "sleep", {}));
  CHECK(check_draft("As an AI language model I cannot write about sleep hygiene today.", "sleep",
                    {}));
  CHECK(check_draft(std::string(281, 'a'), "sleep", {})->find("too long") == 0);
  const std::string emoji_heavy =
      std::string(139, 'a') + "\xF0\x9F\x98\x80";  // 139 + 2 = 141: fine
  CHECK_FALSE(check_draft(emoji_heavy, "sleep", {}));
  std::string cjk;
  for (int i = 0; i < 141; ++i) cjk += "\xE6\x97\xA5";  // 282 weighted
  CHECK(check_draft(cjk, "sleep", {}));
  const std::string post = "73% of adults sleep less than 7 hours. Research shows it costs focus.";
  const std::vector<RecentPost> recent = {{post, gl::learn::local_embedding(post)}};
  CHECK(check_draft("73% of adults sleep less than 7 hours! Research shows it costs focus.",
                    "sleep", recent)
            ->find("near-duplicate") == 0);
  CHECK_FALSE(
      check_draft("Strength training twice a week beats a daily run for longevity, the data says.",
                  "sleep", recent));
  CHECK(clean_llm_text("  \"Tweet: Sleep is a skill.\"  ") == "Sleep is a skill.");
}

TEST_CASE("a chat model's refusals, thinking and preambles never become a post") {
  // Refusals as chat models word them, typographic apostrophes included.
  for (const std::string refusal :
       {"I'm sorry, but I can't assist with that request.",
        "I\xE2\x80\x99m sorry, but I can\xE2\x80\x99t help with that.",
        "Sorry, I won't write that. Is there anything else I can help you with?",
        "As a language model, I am unable to produce this content for you."}) {
    INFO(refusal);
    const auto why = check_draft(clean_llm_text(refusal), "sleep", {});
    REQUIRE(why);
    CHECK(why->rfind("refusal text", 0) == 0);
  }
  // A mention would notify an account that did not ask; an address or a price is no mention.
  const auto mention =
      check_draft("As @hubermanlab says, morning light sets the clock for sleep.", "sleep", {});
  REQUIRE(mention);
  CHECK(mention->find("mentions @hubermanlab") == 0);
  CHECK_FALSE(check_draft("Write to sleep@example.com for the 7-hour sleep plan, $5 a month.",
                          "sleep", {}));
  // The prompt asks for no hashtag; a number sign that is no hashtag is text.
  const auto hashtag =
      check_draft("Morning light sets the clock for sleep. #SleepTips", "sleep", {});
  REQUIRE(hashtag);
  CHECK(hashtag->find("hashtag #SleepTips") == 0);
  CHECK_FALSE(
      check_draft("Rule #1 of sleep: the same wake time, every day of the week.", "sleep", {}));
  // A trend's tag is its name.
  CHECK_FALSE(
      check_draft("Start the week with one small win. #MondayMotivation", "#MondayMotivation", {}));
  CHECK_FALSE(check_draft("Morning light sets the clock for #Sleep tonight.", "sleep", {}));
  // X reads "#self-care" as #self; Unicode's lower case, not ASCII's.
  CHECK_FALSE(
      check_draft("Rest is part of the work, not a reward for it. #self-care", "#self-care", {}));
  CHECK_FALSE(
      check_draft("Gute \xC3\x84rzte h\xC3\xB6ren zuerst zu. #\xC3\xA4rzte", "\xC3\x84rzte", {}));
  // Letters of every script count: a Russian or Japanese post is text.
  CHECK_FALSE(check_draft(
      "\xD0\xA1\xD0\xBE\xD0\xBD \xD0\xB2\xD0\xB0\xD0\xB6\xD0\xBD\xD0\xB5\xD0\xB5, "
      "\xD1\x87\xD0\xB5\xD0\xBC \xD0\xBA\xD0\xB0\xD0\xB6\xD0\xB5\xD1\x82\xD1\x81\xD1\x8F: "
      "\xD0\xB1\xD0\xBE\xD0\xBB\xD1\x8C\xD1\x88\xD0\xB8\xD0\xBD\xD1\x81\xD1\x82\xD0\xB2\xD0\xBE.",
      "sleep", {}));
  CHECK_FALSE(check_draft(
      "\xE7\x9D\xA1\xE7\x9C\xA0\xE3\x81\xAF\xE9\x9B\x86\xE4\xB8\xAD\xE5\x8A\x9B\xE3\x81\xAE"
      "\xE5\x9C\x9F\xE5\x8F\xB0\xE3\x81\xA7\xE3\x81\x99\xE3\x80\x82\xE4\xB8\x83\xE6\x99\x82"
      "\xE9\x96\x93\xE3\x81\xAF\xE5\xAF\x9D\xE3\x81\xBE\xE3\x81\x97\xE3\x82\x87\xE3\x81\x86\xE3\x80"
      "\x82",
      "sleep", {}));
  // A NUL would cut the stored text short; no control character passes.
  CHECK(check_draft(std::string("Most people think sleep") + '\0' + " is optional. It is not.",
                    "sleep", {})
            ->rfind("control character U+0000", 0) == 0);
  // A reasoning model's thinking and a chat model's introduction are taken out.
  CHECK(clean_llm_text("<think>The user wants a post about sleep. Keep it short.</think>\n"
                       "Most people think sleep is optional. It is not.") ==
        "Most people think sleep is optional. It is not.");
  CHECK(clean_llm_text("The user wants a post.</think>\n\nSleep is a skill.") ==
        "Sleep is a skill.");
  CHECK(check_draft(clean_llm_text("<think>Still thinking about what to write for the"), "sleep",
                    {}));
  CHECK(clean_llm_text("Here's a post about sleep:\n\nMost people think sleep is optional.") ==
        "Most people think sleep is optional.");
  CHECK(clean_llm_text("Sure! Here is your tweet:\n\n\"Sleep is a skill.\"") ==
        "Sleep is a skill.");
  // A post that opens with its own two lines is left whole.
  const std::string two = "Here's the thing about sleep.\n\nYou cannot store it.";
  CHECK(clean_llm_text(two) == two);
}

TEST_CASE("topics lower-case by Unicode's case mapping, as PostgreSQL's lower()") {
  CHECK(gl::learn::lower_unicode("\xC3\x96konomie") == "\xC3\xB6konomie");  // Ökonomie
  CHECK(gl::learn::lower_unicode("\xC3\x96KONOMIE") == "\xC3\xB6konomie");  // ÖKONOMIE
  CHECK(gl::learn::lower_unicode("\xD0\xA1\xD0\x9E\xD0\x9D") == "\xD1\x81\xD0\xBE\xD0\xBD");  // СОН
  CHECK(gl::learn::lower_unicode("Sleep \xF0\x9F\x98\xB4") == "sleep \xF0\x9F\x98\xB4");
  CHECK(gl::learn::lower_unicode("bad \xFF byte") == "bad \xFF byte");
}

namespace {

// A chat model that answers from a script (an exception is thrown as given).
class ScriptedChat : public gl::llm::ChatModel {
 public:
  explicit ScriptedChat(std::vector<std::string> answers) : answers_(std::move(answers)) {}
  std::string chat(const std::vector<gl::llm::ChatMessage>& messages, double, int) override {
    prompts.push_back(messages.back().content);
    const std::string a = answers_.at(std::min(prompts.size() - 1, answers_.size() - 1));
    if (a == "throw") throw gl::temp_error("LLM POST /chat/completions", "HTTP 503");
    return a;
  }
  std::vector<std::string> prompts;

 private:
  std::vector<std::string> answers_;
};

struct DrafterFixture {
  PlanInputs in;
  PlanOptions o;
  Plan plan;
  DrafterFixture() {
    in.personas = {{"coach", "a direct coach", "short imperatives"}};
    in.formulas = {{"f1", "Stat", "[Surprising stat] + [Evidence]", "73% of adults...",
                    "surprising_stat", 0.5}};
    in.best_recent = {"Sleep is a skill."};
    plan.topic = "sleep";
    plan.hook = "surprising_stat";
    plan.persona = "coach";
    plan.formula = "f1";
  }
};

}  // namespace

TEST_CASE("the drafter's prompt carries persona, topic, hook, formula and the best posts") {
  DrafterFixture f;
  const Drafter drafter(f.in, f.o, nullptr);
  const std::string prompt = drafter.prompt(f.plan);
  for (const char* part :
       {"Persona: coach (a direct coach)", "Style: short imperatives", "Topic: sleep",
        "Hook: surprising_stat (Surprising stat)", "Formula: [Surprising stat] + [Evidence]",
        "73% of adults...", "- Sleep is a skill."}) {
    CHECK(prompt.find(part) != std::string::npos);
  }
}

TEST_CASE("the drafter uses the LLM's text when it passes, and the composer when it does not") {
  DrafterFixture f;
  std::mt19937_64 rng(1);
  const std::string good =
      "Sleep debt is real: 7 hours beats 5 for focus, every single study says.";
  ScriptedChat ok({"\"" + good + "\""});
  const Draft d = Drafter(f.in, f.o, &ok).write(f.plan, rng);
  CHECK(d.source == "llm");
  CHECK(d.text == good);
  CHECK(ok.prompts.size() == 1);

  ScriptedChat placeholder({"A post about [insert topic] for your audience today."});
  const Draft p = Drafter(f.in, f.o, &placeholder).write(f.plan, rng);
  CHECK(p.source == "offline_fallback");  // the last attempt is the composer's
  CHECK(placeholder.prompts.size() == 4);
  REQUIRE(p.rejected.size() == 4);
  CHECK(p.rejected[0].find("llm: placeholder") == 0);
  CHECK_FALSE(check_draft(p.text, "sleep", {}));

  ScriptedChat failing({"throw"});
  const Draft e = Drafter(f.in, f.o, &failing).write(f.plan, rng);
  CHECK(e.source == "offline_fallback");
  REQUIRE(e.llm_error);
  CHECK(e.llm_error->find("503") != std::string::npos);
  CHECK(failing.prompts.size() == 1);  // given up on after one failure
}

TEST_CASE("the drafter picks the best of four composer drafts by a posterior draw under Thompson") {
  DrafterFixture f;
  f.o.policy = Policy::kThompson;
  std::mt19937_64 rng(2);
  const Draft d = Drafter(f.in, f.o, nullptr).write(f.plan, rng);
  CHECK(d.source == "offline");
  REQUIRE(d.drafts_considered);
  CHECK(*d.drafts_considered == 4);
  f.o.policy = Policy::kRandom;
  CHECK_FALSE(Drafter(f.in, f.o, nullptr).write(f.plan, rng).drafts_considered);
  // A draft the chooser already wrote is kept when it passes.
  f.plan.text = "Focus is a skill: 3 blocks of 50 minutes beat a day of switching.";
  CHECK(Drafter(f.in, f.o, nullptr).write(f.plan, rng).text == f.plan.text);
}

TEST_CASE("a plan that no draft passes fails and names every rejection") {
  DrafterFixture f;
  f.o.max_draft_attempts = 2;
  std::mt19937_64 rng(3);
  // A topic too long for 280 characters: the LLM's drafts and the composer's are all too long.
  f.plan.topic = std::string(300, 'x');
  ScriptedChat long_text({std::string(300, 'y')});
  try {
    Drafter(f.in, f.o, &long_text).write(f.plan, rng);
    FAIL("expected a failure");
  } catch (const gl::Error& e) {
    CHECK(e.exit_code() == gl::kExitFailure);
    CHECK(std::string(e.what()).find("llm: too long") != std::string::npos);
    CHECK(std::string(e.what()).find("nothing queued") != std::string::npos);
  }
}
