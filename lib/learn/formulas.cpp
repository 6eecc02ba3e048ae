#include "learn/formulas.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <deque>
#include <unordered_set>

#include "core/regex.h"
#include "learn/rules.h"
#include "learn/stats.h"

namespace gl::learn {

namespace {

// Our own posts and replies are one author.
constexpr const char* kOwnAuthor = "";

// A post that made it through the checks: its text read, its lift measured.
struct Member {
  const std::string* tweet_id = nullptr;
  const std::string* text = nullptr;
  std::string source;
  std::string author;  // lower-case handle; kOwnAuthor for ours
  std::string generator;
  std::optional<double> views, engagement_rate, followers_gained;
  double lift = 0;
  // The text's analysis: a known one, or one analysed here and kept in the
  // run's Analysed (not copied: a run meets thousands).
  const TextFeatures* features = nullptr;
};

using Analysed = std::deque<TextFeatures>;
using Seen = std::unordered_set<std::string>;

// The prose a copy shares with its original: lower case, white space collapsed.
// In ASCII, as std::tolower and std::isspace read it in the C locale (no tool
// sets another), without their call per byte: a tenth of a learner's formulas
// at 10,000 posts.
std::string text_identity(const std::string& prose) {
  std::string out;
  out.reserve(prose.size());
  bool space = false;
  for (const char c : prose) {
    if (c == ' ' || (c >= '\t' && c <= '\r')) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

// An outside row measured: ln(1 + views), else ln(1 + likes + retweets).
struct Measured {
  size_t row = 0;
  const TextFeatures* features = nullptr;
  bool by_views = false;
  double log_value = 0;
};

// Where the row stops, or "" when it is measured into `out`.
std::string check_outside(const OutsidePost& p, Seen& ids, Seen& texts, Analysed& analysed,
                          Measured& out) {
  if (!ids.insert(p.tweet_id).second) return kSkipDuplicateTweet;
  if (is_unavailable_notice(p.text)) return kSkipNotice;
  out.features = &analysed.emplace_back(analyze_text(p.text));
  if (out.features->words == 0) return kSkipNoProse;
  if (!texts.insert(text_identity(out.features->prose)).second) return kSkipDuplicateText;
  const auto& c = p.counts;
  if (c.impressions && *c.impressions > 0) {
    out.by_views = true;
    out.log_value = std::log1p(static_cast<double>(*c.impressions));
  } else if (c.likes && c.retweets) {
    out.log_value = std::log1p(static_cast<double>(*c.likes + *c.retweets));
  } else {
    return kSkipCountsUnknown;
  }
  return "";
}

// ln(1 + value) per 1,000 followers, smoothed so an account of a few followers stays finite.
double per_thousand_followers(double log_value, long long followers) {
  return log_value - std::log1p(static_cast<double>(followers) / 1000.0);
}

std::string author_key(const std::string& handle) {
  std::string h = lower(handle);
  if (!h.empty() && h[0] == '@') h.erase(0, 1);
  return h;
}

// Measures the outside rows against their authors' baselines; returns the successful ones.
std::vector<Member> outside_members(const std::vector<OutsidePost>& rows, Seen& ids, Seen& texts,
                                    Analysed& analysed,
                                    std::map<std::string, SourceReport>& report) {
  std::vector<Measured> measured;
  for (size_t i = 0; i < rows.size(); ++i) {
    Measured m;
    m.row = i;
    const std::string why = check_outside(rows[i], ids, texts, analysed, m);
    SourceReport& r = report[rows[i].source];
    ++r.rows;
    if (why.empty()) {
      measured.push_back(std::move(m));
    } else {
      ++r.skipped[why];
    }
  }
  // Baselines: each author's own median, and the pool's per 1,000 followers, per measure.
  std::map<std::pair<std::string, bool>, std::vector<double>> by_author;
  std::map<bool, std::vector<double>> per_follower;
  for (const auto& m : measured) {
    const OutsidePost& p = rows[m.row];
    by_author[{author_key(p.author), m.by_views}].push_back(m.log_value);
    if (p.author_followers && *p.author_followers > 0)
      per_follower[m.by_views].push_back(per_thousand_followers(m.log_value, *p.author_followers));
  }
  std::map<std::pair<std::string, bool>, double> author_median;
  for (const auto& [k, v] : by_author) {
    if (static_cast<int>(v.size()) >= kMinAuthorPosts) author_median[k] = median(v);
  }
  std::map<bool, double> pool_median;
  for (const auto& [k, v] : per_follower) pool_median[k] = median(v);

  std::vector<Member> out;
  for (auto& m : measured) {
    const OutsidePost& p = rows[m.row];
    SourceReport& r = report[p.source];
    const std::string author = author_key(p.author);
    double lift = 0;
    if (auto a = author_median.find({author, m.by_views}); a != author_median.end()) {
      lift = m.log_value - a->second;
    } else if (p.author_followers && *p.author_followers > 0) {
      lift = per_thousand_followers(m.log_value, *p.author_followers) - pool_median[m.by_views];
    } else {
      ++r.skipped[kSkipNoBaseline];
      continue;
    }
    if (lift < kOutsideMinLift || (m.by_views && !meets_success(p.counts))) {
      ++r.skipped[kSkipNotSuccessful];
      continue;
    }
    Member x;
    x.tweet_id = &p.tweet_id;
    x.text = &p.text;
    x.source = p.source;
    x.author = author;
    if (m.by_views) x.views = static_cast<double>(*p.counts.impressions);
    x.engagement_rate = engagement_rate(p.counts);
    x.lift = lift;
    x.features = m.features;
    out.push_back(std::move(x));
  }
  return out;
}

std::vector<Member> own_members(const std::vector<FormulaObservation>& own,
                                const std::unordered_map<std::string, KnownText>& known, Seen& ids,
                                Seen& texts, Analysed& analysed,
                                std::map<std::string, SourceReport>& report) {
  std::vector<Member> out;
  out.reserve(own.size());
  for (const auto& o : own) {
    const auto stored = known.find(o.tweet_id);
    const KnownText* k = stored == known.end() ? nullptr : &stored->second;
    SourceReport& r = report[o.source];
    ++r.rows;
    if (!ids.insert(o.tweet_id).second) {
      ++r.skipped[kSkipDuplicateTweet];
      continue;
    }
    if (k ? k->unavailable_notice : is_unavailable_notice(o.text)) {
      ++r.skipped[kSkipNotice];
      continue;
    }
    Member x;
    x.features = k ? &k->features : &analysed.emplace_back(analyze_text(o.text));
    if (x.features->words == 0) {
      ++r.skipped[kSkipNoProse];
      continue;
    }
    if (!texts.insert(text_identity(x.features->prose)).second) {
      ++r.skipped[kSkipDuplicateText];
      continue;
    }
    if (o.views <= 0) {
      ++r.skipped[kSkipCountsUnknown];
      continue;
    }
    x.tweet_id = &o.tweet_id;
    x.text = &o.text;
    x.source = o.source;
    x.author = kOwnAuthor;
    x.generator = o.generator;
    x.views = o.views;
    x.engagement_rate = o.engagement_rate;
    x.followers_gained = o.followers_gained;
    x.lift = std::log(o.views) - o.baseline_log_views;
    out.push_back(std::move(x));
  }
  return out;
}

// The units a formula's score is averaged over: each own post, and each outside
// author's mean lift (an author's ten posts are one piece of evidence).
std::vector<double> lift_units(const std::vector<const Member*>& members) {
  std::vector<double> units;
  std::map<std::string, std::pair<double, int>> by_author;
  for (const Member* m : members) {
    if (m->author == kOwnAuthor) {
      units.push_back(m->lift);
    } else {
      auto& [sum, n] = by_author[m->author];
      sum += m->lift;
      ++n;
    }
  }
  for (const auto& [a, s] : by_author) units.push_back(s.first / s.second);
  return units;
}

// The member most like the formula: a sentence whose lift is nearest the members' median.
const Member* representative(const std::vector<const Member*>& members) {
  std::vector<double> lifts;
  for (const Member* m : members) lifts.push_back(m->lift);
  const double mid = median(lifts);
  const Member* best = nullptr;
  for (const Member* m : members) {
    // is_sentence without its notice check: no member is a notice (both sources drop them).
    if (m->features->words < kMinExampleWords) continue;
    const double d = std::fabs(m->lift - mid);
    const double best_d = best ? std::fabs(best->lift - mid) : 0;
    if (!best || d < best_d || (d == best_d && *m->tweet_id < *best->tweet_id)) best = m;
  }
  return best;
}

}  // namespace

std::string formula_key(const TextFeatures& f) {
  std::string body;
  for (const auto& b : f.body) body += (body.empty() ? "" : "+") + b;
  return std::string(hook_name(f.hook)) + "|" + body + "|" + f.length_band + "|" +
         (f.has_numbers ? "numbers" : "no_numbers");
}

std::string formula_name(const TextFeatures& f) {
  std::string name = hook_label(f.hook);
  for (const auto& b : f.body) name += " + " + b;
  return name + " (" + f.length_band + (f.has_numbers ? ", with numbers" : "") + ")";
}

std::vector<std::string> generators_for_hook(HookType h) {
  switch (h) {
    case HookType::kSurprisingStat:
      return {"dataNerd", "investigator", "interestingContent", "newsReporter"};
    case HookType::kContrarian:
      return {"contrarian", "provocateur", "thoughtLeader"};
    case HookType::kQuestion:
      return {"provocateur", "philosopher", "explorer"};
    case HookType::kPersonalStory:
      return {"storyteller", "experimenter", "culturalBridge"};
    case HookType::kList:
      return {"pragmatist", "teacher", "patternFinder"};
    case HookType::kHowTo:
      return {"coach", "teacher", "translator"};
    case HookType::kMythBusting:
      return {"mythBuster", "contrarian", "historian"};
    case HookType::kStatement:
      return {"philosopher", "connector", "dynamicContent", "popCultureAnalyst"};
  }
  return {};
}

bool is_unavailable_notice(const std::string& text) {
  // X's wording changed over the years: "This Tweet from @x has been withheld in response to
  // a report from the copyright holder.", "This Tweet was deleted by the Tweet author.",
  // "This post is unavailable.", "This Post is from a suspended account."
  static const Regex kNotice(
      R"(^\s*this (tweet|post|media|account)( from @\w+)? )"
      R"((has been (withheld|deleted|removed|disabled)|was (withheld|deleted|removed)|)"
      R"(is (unavailable|not available|no longer available|from a suspended account)|violated))"
      R"((\s*(\.|$)|\s+(in|by|based|for|due|under|because|the)\b))");
  return kNotice.search(lower(text));
}

bool is_sentence(const TextFeatures& f, const std::string& text) {
  return f.words >= kMinExampleWords && !is_unavailable_notice(text);
}

FormulaRun extract_formulas(const FormulaInputs& inputs) {
  FormulaRun run;
  Seen ids, texts;
  ids.reserve(inputs.own.size() + inputs.outside.size());
  texts.reserve(inputs.own.size() + inputs.outside.size());
  Analysed analysed;
  std::vector<Member> members =
      own_members(inputs.own, inputs.known_own, ids, texts, analysed, run.sources);
  auto outside = outside_members(inputs.outside, ids, texts, analysed, run.sources);
  members.reserve(members.size() + outside.size());
  for (auto& m : outside) members.push_back(std::move(m));

  std::map<std::string, std::vector<const Member*>> groups;
  for (const auto& m : members) groups[formula_key(*m.features)].push_back(&m);

  const auto drop = [&](const std::vector<const Member*>& ms, const char* why) {
    for (const Member* m : ms) ++run.sources[m->source].skipped[why];
  };
  // Outside members from one author mostly measure that author: they are dropped
  // (our own posts stay, they are the account we learn for).
  struct Kept {
    std::vector<const Member*> members;
    const Member* example = nullptr;
    std::vector<double> units;
  };
  std::map<std::string, Kept> kept;
  std::vector<double> all_units;
  for (auto& [key, ms] : groups) {
    std::vector<const Member*> own, outside;
    std::map<std::string, int> per_author;
    for (const Member* m : ms) {
      (m->author == kOwnAuthor ? own : outside).push_back(m);
      if (m->author != kOwnAuthor) ++per_author[m->author];
    }
    int top = 0;
    for (const auto& [a, n] : per_author) top = std::max(top, n);
    if (!outside.empty() &&
        static_cast<double>(top) > kMaxAuthorShare * static_cast<double>(outside.size())) {
      drop(outside, kSkipOneAuthor);
      ms = own;
    }
    if (ms.empty()) continue;
    const Member* example = representative(ms);
    if (!example) {
      drop(ms, kSkipNoExample);
      continue;
    }
    Kept k{ms, example, lift_units(ms)};
    all_units.insert(all_units.end(), k.units.begin(), k.units.end());
    kept[key] = std::move(k);
  }

  // Pooled spread of the units, for every formula's posterior.
  const double noise_var = std::max(0.05, variance(all_units));
  for (const auto& [key, k] : kept) {
    ViralFormula f;
    const TextFeatures& t = *k.example->features;
    f.key = key;
    f.name = formula_name(t);
    f.hook = hook_name(t.hook);
    for (const auto& b : t.body) f.body_pattern += (f.body_pattern.empty() ? "" : " + ") + b;
    f.length_band = t.length_band;
    f.has_numbers = t.has_numbers;
    f.has_cta = t.has_cta;
    f.structure = structure_string(t);
    f.example = *k.example->text;
    f.example_tweet_id = *k.example->tweet_id;
    for (const auto& gen : generators_for_hook(t.hook)) f.generators.insert(gen);
    std::set<std::string> authors;
    double views = 0, views_n = 0, er = 0, er_n = 0, followers = 0, follower_views = 0;
    for (const Member* m : k.members) {
      ++run.sources[m->source].used;
      ++f.sample_size;
      f.sources.insert(m->source);
      authors.insert(m->author);
      if (!m->generator.empty()) f.generators.insert(m->generator);
      if (m->views) {
        views += *m->views;
        views_n += 1;
      }
      if (m->engagement_rate) {
        er += *m->engagement_rate;
        er_n += 1;
      }
      if (m->followers_gained && m->views) {
        followers += *m->followers_gained;
        follower_views += *m->views;
      }
    }
    f.authors = static_cast<int>(authors.size());
    if (views_n > 0) f.avg_views = views / views_n;
    if (er_n > 0) f.avg_engagement_rate = er / er_n;
    if (follower_views > 0) f.followers_per_1000_views = 1000.0 * followers / follower_views;
    double sum = 0;
    for (double u : k.units) sum += u;
    const auto n = static_cast<double>(k.units.size());
    f.avg_lift = sum / n;
    const NormalPosterior p = normal_posterior(sum, n, 0, noise_var, kPriorWeight);
    f.score = p.mean;
    f.confidence = prob_above(p, 0);
    run.formulas.push_back(std::move(f));
  }
  std::sort(run.formulas.begin(), run.formulas.end(),
            [](const ViralFormula& a, const ViralFormula& b) {
              return a.score != b.score ? a.score > b.score : a.key < b.key;
            });
  return run;
}

std::vector<ViralFormula> extract_formulas(const std::vector<FormulaObservation>& own) {
  return extract_formulas(FormulaInputs{own, {}, {}}).formulas;
}

}  // namespace gl::learn
