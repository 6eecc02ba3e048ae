#include <catch2/catch.hpp>

#include "learn/embedding.h"
#include "learn/text_features.h"
#include "x/tweet_text.h"

using namespace gl::learn;

TEST_CASE("weighted length counts like X: URLs 23, emoji and CJK 2, NFC first") {
  CHECK(gl::x::weighted_length("hello") == 5);
  CHECK(gl::x::weighted_length("see https://example.com/a/very/long/path/that/goes/on?x=1") ==
        4 + 23);
  CHECK(gl::x::weighted_length("\xF0\x9F\x98\x80") == 2);                  // 😀
  CHECK(gl::x::weighted_length("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD") == 2);  // 👍🏽 one emoji
  CHECK(gl::x::weighted_length(
            "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7") ==
        2);                                                        // family ZWJ
  CHECK(gl::x::weighted_length("\xE6\x97\xA5\xE6\x9C\xAC") == 4);  // 日本
  CHECK(gl::x::weighted_length("e\xCC\x81") == 1);  // e + combining acute = é after NFC
  CHECK(gl::x::weighted_length(std::string(280, 'a')) == 280);
  CHECK(gl::x::weighted_length(std::string(140, 'a') + std::string(70, '\xE4')) > 0);
}

TEST_CASE("hook types are recognised on labelled examples") {
  const std::vector<std::pair<std::string, HookType>> labelled = {
      {"73% of adults sleep less than 7 hours. That costs more focus than coffee can buy back.",
       HookType::kSurprisingStat},
      {"People who walk 8,000 steps a day cut their risk by 51%.", HookType::kSurprisingStat},
      {"Sleep fact: 73% of adults get this wrong. Research shows why.", HookType::kSurprisingStat},
      {"The food pyramid is wrong about fat.", HookType::kContrarian},
      {"Unpopular opinion: morning routines are overrated.", HookType::kContrarian},
      {"Everyone says breakfast is the most important meal. The data disagrees.",
       HookType::kContrarian},
      {"Most people think stretching prevents injury. It mostly doesn't.", HookType::kContrarian},
      {"Why do we wake up at 3am?", HookType::kQuestion},
      {"What if your tiredness isn't about sleep at all?", HookType::kQuestion},
      {"I tracked my sleep for 90 days. Here is what changed.", HookType::kPersonalStory},
      {"Last year my resting heart rate was 72. Today it is 58.", HookType::kPersonalStory},
      {"5 habits that fixed my focus:\n1. No phone before 10\n2. One tab\n3. Walks",
       HookType::kList},
      {"3 mistakes people make with creatine", HookType::kList},
      {"How to fall asleep in 10 minutes: dim the lights an hour before bed.", HookType::kHowTo},
      {"Here's how to build a reading habit that sticks.", HookType::kHowTo},
      {"Myth: you need 8 glasses of water a day.", HookType::kMythBusting},
      {"The biggest misconception about protein timing.", HookType::kMythBusting},
      {"Nutrition myths reward patience more than rules.", HookType::kStatement},
      {"Sleep is the foundation of everything else.", HookType::kStatement},
  };
  for (const auto& [text, expected] : labelled) {
    INFO(text);
    CHECK(hook_name(analyze_text(text).hook) == std::string(hook_name(expected)));
  }
}

TEST_CASE("text features and structure strings") {
  const auto f = analyze_text(
      "95% of people think naps ruin sleep, but research shows a 20-minute nap improves recall. "
      "Try it today.");
  CHECK(f.hook == HookType::kSurprisingStat);
  CHECK(f.has_numbers);
  CHECK(f.has_cta);
  CHECK_FALSE(f.has_question);
  CHECK(f.length_band == "medium");
  CHECK(structure_string(f) ==
        "[Surprising stat] + [Contrarian take] + [Evidence] + [Call to action]");
  CHECK(analyze_text("Short.").length_band == "short");
  CHECK(analyze_text(std::string(210, 'a')).length_band == "long");
  HookType h;
  CHECK(parse_hook("myth_busting", h));
  CHECK(h == HookType::kMythBusting);
  CHECK_FALSE(parse_hook("nonsense", h));
}

TEST_CASE("local embeddings make near-duplicates close and different posts far") {
  const auto a = local_embedding("Sleep 7 hours and your focus improves by 30 percent");
  const auto b = local_embedding("sleep 7 hours and your focus improves by 30 percent!");
  const auto c = local_embedding("Creatine timing does not matter for strength gains");
  CHECK(cosine(a, b) > 0.95);
  CHECK(cosine(a, c) < 0.3);
  CHECK(a.size() == static_cast<size_t>(kLocalEmbeddingDims));
  CHECK(cosine(a, {}) == 0);
}
