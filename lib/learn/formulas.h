// Viral formulas: the structures of posts that worked, recognised by our own
// text analysis, grouped, and scored from the posts' numbers only.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "learn/text_features.h"

namespace gl::learn {

// Where a successful example came from (the seed's four sources).
inline constexpr const char* kSourceOwn = "own_posts";
inline constexpr const char* kSourceViralReply = "viral_replies";
inline constexpr const char* kSourceVi = "vi_tweets";
inline constexpr const char* kSourcePeer = "peer_posts";

struct FormulaObservation {
  std::string tweet_id;
  std::string text;
  std::string source;
  std::string generator;  // own posts and replies: who wrote it
  double views = 0;
  std::optional<double> engagement_rate;
  std::optional<double> followers_gained;  // own posts only
  double baseline_log_views = 0;           // the median ln(views) of its source's pool
};

struct ViralFormula {
  std::string key;  // hook|body|length|numbers
  std::string name;
  std::string structure;  // "[Surprising stat] + [Evidence]"
  std::string example;
  std::string example_tweet_id;
  std::string hook;
  std::string body_pattern;
  std::string length_band;
  bool has_numbers = false;
  bool has_cta = false;
  std::set<std::string> sources;
  std::set<std::string> generators;  // personas it suits
  int sample_size = 0;
  double avg_views = 0;
  std::optional<double> avg_engagement_rate;
  std::optional<double> followers_per_1000_views;
  double score = 0;       // posterior mean of ln(views) above its source's median
  double confidence = 0;  // P(score > 0): how sure we are it beats the usual post
};

std::string formula_key(const TextFeatures& f);

// Personas whose style suits a hook (for formulas learned from outside posts).
std::vector<std::string> generators_for_hook(HookType h);

// Groups the observations by structure and scores each group, best first.
std::vector<ViralFormula> extract_formulas(const std::vector<FormulaObservation>& observations);

}  // namespace gl::learn
