// Formulas from outside posts: each post against its own author's baseline, one
// count per tweet, sentences as examples, several authors per formula.
#include "learn/formulas.h"

#include <catch2/catch.hpp>
#include <cmath>

using namespace gl::learn;

namespace {

OutsidePost post(std::string id, std::string text, std::string author,
                 std::optional<long long> followers, std::optional<long long> likes,
                 std::optional<long long> retweets, std::optional<long long> views = std::nullopt,
                 const char* source = kSourceVi) {
  OutsidePost p;
  p.tweet_id = std::move(id);
  p.text = std::move(text);
  p.source = source;
  p.author = std::move(author);
  p.author_followers = followers;
  p.counts.impressions = views;
  p.counts.likes = likes;
  p.counts.retweets = retweets;
  return p;
}

const ViralFormula* find(const FormulaRun& run, const std::string& text) {
  const std::string key = formula_key(analyze_text(text));
  for (const auto& f : run.formulas)
    if (f.key == key) return &f;
  return nullptr;
}

long long skipped(const FormulaRun& run, const char* source, const char* why) {
  const auto s = run.sources.find(source);
  if (s == run.sources.end()) return 0;
  const auto w = s->second.skipped.find(why);
  return w == s->second.skipped.end() ? 0 : w->second;
}

}  // namespace

TEST_CASE("an outside post is measured against its own author's median, else per follower") {
  FormulaInputs in;
  // A famous author: every post gets ~1,000 reactions; only the one with 3,000 beats its usual.
  const std::vector<long long> famous = {1000, 900, 1100, 3000};
  for (size_t i = 0; i < famous.size(); ++i) {
    in.outside.push_back(post("10" + std::to_string(i),
                              "Here is a thing I wrote about sleep, number " +
                                  std::vector<std::string>{"one", "two", "three", "four"}[i],
                              "Famous", 100'000'000, famous[i], 0));
  }
  // Authors of one post each: per 1,000 followers against the pool's median.
  in.outside.push_back(post("201", "A small account wrote this plain sentence about sleep today",
                            "small", 1000, 30, 0));
  in.outside.push_back(
      post("202", "Another account wrote a plain sentence about rest", "quiet", 1'000'000, 0, 0));
  in.outside.push_back(post("203", "Nobody knows how many follow this author of a sentence",
                            "unknown", std::nullopt, 50, 0));
  const FormulaRun run = extract_formulas(in);

  // By hand: the famous author's median ln(1 + reactions) is ln(1 + 1050) (median of four).
  const double famous_median = (std::log1p(1000.0) + std::log1p(1100.0)) / 2;
  CHECK(std::log1p(3000.0) - famous_median > kOutsideMinLift);
  CHECK(std::log1p(1100.0) - famous_median < kOutsideMinLift);
  // Per follower: ln(1 + reactions) - ln(1 + followers / 1000), against the median of the
  // pool (the famous posts included): the small account is far above it.
  const auto& vi = run.sources.at(kSourceVi);
  CHECK(vi.rows == 7);
  CHECK(skipped(run, kSourceVi, kSkipNoBaseline) == 1);     // 203: no followers, one post
  CHECK(skipped(run, kSourceVi, kSkipNotSuccessful) == 4);  // 3 famous ones and "quiet"
  long long total = vi.used;
  for (const auto& [why, n] : vi.skipped) total += n;
  CHECK(total == vi.rows);
  // The two successes (famous 3,000 and small) share a structure with two authors.
  CHECK(vi.used == 2);
  const ViralFormula* f = find(run, "A small account wrote this plain sentence about sleep today");
  REQUIRE(f);
  CHECK(f->authors == 2);
  CHECK(f->sample_size == 2);
  CHECK_FALSE(f->avg_views);  // no views known: none invented
}

TEST_CASE("a tweet counts once across sources, by id and by its prose") {
  FormulaInputs in;
  FormulaObservation own{"1",          "We measured sleep in forty people for a month.",
                         kSourceOwn,   "dataNerd",
                         9000,         0.05,
                         std::nullopt, std::log(2000.0)};
  in.own.push_back(own);
  in.outside.push_back(post("1", own.text, "peer", 1000, 100, 5));  // ours, harvested again
  in.outside.push_back(
      post("2", "A sentence found in two tables by its id alone.", "a", 1000, 100, 5));
  in.outside.push_back(post("2", "A sentence found in two tables by its id alone.", "a", 1000, 100,
                            5, std::nullopt, kSourcePeer));
  // A copy: same prose, other id, links and case aside.
  in.outside.push_back(
      post("3", "Copied words travel far https://t.co/abc @someone", "b", 1000, 100, 5));
  in.outside.push_back(
      post("4", "copied   WORDS travel far", "c", 1000, 100, 5, std::nullopt, kSourcePeer));
  in.outside.push_back(post("5", "This Tweet from @x has been withheld in response to a report.",
                            "d", 1000, 100, 5));
  in.outside.push_back(post("6", "This post is unavailable.", "e", 1000, 100, 5));
  in.outside.push_back(post("7", "https://t.co/xyz #Beliebers @someone", "f", 1000, 100, 5));
  in.outside.push_back(
      post("8", "A post whose counters nobody knows at all.", "g", 1000, std::nullopt, 5));
  const FormulaRun run = extract_formulas(in);
  CHECK(skipped(run, kSourceVi, kSkipDuplicateTweet) == 1);
  CHECK(skipped(run, kSourcePeer, kSkipDuplicateTweet) == 1);
  CHECK(skipped(run, kSourcePeer, kSkipDuplicateText) == 1);
  CHECK(skipped(run, kSourceVi, kSkipNotice) == 2);
  CHECK(skipped(run, kSourceVi, kSkipNoProse) == 1);
  CHECK(skipped(run, kSourceVi, kSkipCountsUnknown) == 1);
  CHECK(run.sources.at(kSourceOwn).used == 1);
  int members = 0;
  for (const auto& f : run.formulas) members += f.sample_size;
  long long used = 0;
  for (const auto& [s, r] : run.sources) used += r.used;
  CHECK(members == used);
}

TEST_CASE("outside members of one author do not make a formula; ours do") {
  FormulaInputs in;
  for (int i = 0; i < 5; ++i) {
    // One author's posts of a structure, two of them far above their usual.
    in.outside.push_back(post("10" + std::to_string(i),
                              "One author says the same kind of thing again, take " +
                                  std::string(1, static_cast<char>('a' + i)),
                              "solo", std::nullopt, i < 3 ? 1 : 1000, 0));
  }
  FormulaRun run = extract_formulas(in);
  CHECK(run.formulas.empty());
  CHECK(skipped(run, kSourceVi, kSkipOneAuthor) == 2);
  CHECK(skipped(run, kSourceVi, kSkipNotSuccessful) == 3);

  // Our own post of the same structure keeps the formula, without the author's posts.
  in.own.push_back({"9", "One author says the same kind of thing again, take z", kSourceOwn,
                    "coach", 9000, 0.05, std::nullopt, std::log(2000.0)});
  run = extract_formulas(in);
  REQUIRE(run.formulas.size() == 1);
  CHECK(run.formulas[0].sample_size == 1);
  CHECK(run.formulas[0].sources == std::set<std::string>{kSourceOwn});
}

TEST_CASE("an example is a sentence, the member nearest the formula's median lift") {
  std::vector<FormulaObservation> own;
  const auto add = [&](const std::string& id, const std::string& text, double views) {
    own.push_back({id, text, kSourceOwn, "coach", views, 0.05, std::nullopt, std::log(1000.0)});
  };
  add("1", "Sleep more.", 100000);  // best, but not a sentence
  add("2", "Sleep more and you will feel the difference.", 1500);
  add("3", "Sleep more and your mood will follow it too.", 2000);
  add("4", "Sleep earlier and your mind will thank you.", 3000);
  add("5", "Sleep longer and your body will thank you.", 4000);
  const std::string key = formula_key(analyze_text(own[0].text));
  for (const auto& o : own) REQUIRE(formula_key(analyze_text(o.text)) == key);
  const auto fs = extract_formulas(own);
  REQUIRE(fs.size() == 1);
  // Lifts ln 100, ln 1.5, ln 2, ln 3, ln 4: the median is ln 3's member, a sentence.
  CHECK(fs[0].example_tweet_id == "4");
  CHECK(fs[0].sample_size == 5);
  // A formula whose members are all too short has no example and is not kept.
  const auto none = extract_formulas(std::vector<FormulaObservation>{
      {"5", "Sleep more.", kSourceOwn, "coach", 9000, 0.05, std::nullopt, std::log(1000.0)}});
  CHECK(none.empty());
  CHECK(is_unavailable_notice("This Tweet was deleted by the Tweet author. Learn more"));
  CHECK(is_unavailable_notice("This Post is from a suspended account."));
  CHECK(is_unavailable_notice("This Tweet is unavailable."));
  CHECK_FALSE(is_unavailable_notice("This tweet is my favourite of the year, unavailable or not"));
  CHECK_FALSE(is_unavailable_notice("This post was deleted twice and I wrote it again anyway"));
}

TEST_CASE("formula names say the whole structure, so no two are alike") {
  const TextFeatures a = analyze_text("Sleep is the best thing you can do for your health.");
  const TextFeatures b = analyze_text("Sleep is the best of the 37 things you can do for health.");
  REQUIRE(formula_key(a) != formula_key(b));
  CHECK(formula_name(a) != formula_name(b));
  CHECK(formula_name(b).find("with numbers") != std::string::npos);
}
