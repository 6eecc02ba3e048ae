#include "learn/rules.h"

#include <algorithm>
#include <cmath>

namespace gl::learn {

std::string gate_failure_name(GateFailure f) {
  switch (f) {
    case GateFailure::kUnavailable:
      return "unavailable";
    case GateFailure::kViewsUnknown:
      return "views_unknown";
    case GateFailure::kViewsLow:
      return "views_below_" + std::to_string(kGates.min_views);
    case GateFailure::kLikesUnknown:
      return "likes_unknown";
    case GateFailure::kLikesLow:
      return "likes_below_" + std::to_string(kGates.min_likes);
    case GateFailure::kYoung:
      return "age_below_" + std::to_string(static_cast<int>(kGates.min_age_hours)) + "h";
  }
  return "unknown";
}

GateResult evaluate_gates(const PostCounts& c, double age_hours, bool available) {
  const auto fails = [&](GateFailure f) {
    switch (f) {
      case GateFailure::kUnavailable:
        return !available;
      case GateFailure::kViewsUnknown:
        return !c.impressions;
      case GateFailure::kViewsLow:
        return c.impressions && *c.impressions < kGates.min_views;
      case GateFailure::kLikesUnknown:
        return !c.likes;
      case GateFailure::kLikesLow:
        return c.likes && *c.likes < kGates.min_likes;
      case GateFailure::kYoung:
        return age_hours < kGates.min_age_hours;
    }
    return true;
  };
  GateResult r;
  for (GateFailure f : kGateFailures) {
    if (fails(f)) r.failures.push_back(gate_failure_name(f));
  }
  r.passed = r.failures.empty();
  r.successful = r.passed && meets_success(c);
  return r;
}

bool meets_success(const PostCounts& c) {
  const auto er = engagement_rate(c);
  return (er && *er >= kSuccess.min_engagement_rate) ||
         (c.impressions && *c.impressions >= kSuccess.min_views);
}

long long engagements(const PostCounts& c) {
  return c.likes.value_or(0) + c.retweets.value_or(0) + c.replies.value_or(0) +
         c.quotes.value_or(0) + c.bookmarks.value_or(0);
}

std::optional<double> engagement_rate(const PostCounts& c) {
  if (!c.impressions || *c.impressions <= 0 || !c.likes || !c.retweets || !c.replies) {
    return std::nullopt;
  }
  return static_cast<double>(engagements(c)) / static_cast<double>(*c.impressions);
}

ActionCounts action_counts(const PostOutcome& p) {
  const auto n = [](const Count& v) {
    return v ? std::optional<double>(static_cast<double>(std::max(0LL, *v))) : std::nullopt;
  };
  const auto followers =
      p.followers_gained ? std::optional<double>(std::max(0.0, *p.followers_gained)) : std::nullopt;
  // In kRewardActions' order.
  return {n(p.likes),     n(p.retweets),       n(p.replies), n(p.quotes),
          n(p.bookmarks), n(p.profile_clicks), followers};
}

ActionValues account_rates(const std::vector<PostOutcome>& posts) {
  ActionValues sums{}, impressions{};
  for (const auto& p : posts) {
    const ActionCounts counts = action_counts(p);
    for (size_t a = 0; a < kRewardActionCount; ++a) {
      if (!counts[a]) continue;
      sums[a] += *counts[a];
      impressions[a] += static_cast<double>(p.impressions.value_or(0));
    }
  }
  ActionValues rates{};
  for (size_t a = 0; a < kRewardActionCount; ++a)
    rates[a] = impressions[a] > 0 ? sums[a] / impressions[a] : 0;
  return rates;
}

double post_reward(const PostOutcome& p, const ActionValues& rates) {
  const double imp = static_cast<double>(std::max(0LL, p.impressions.value_or(0)));
  const ActionCounts counts = action_counts(p);
  double per_impression = 0;
  for (size_t a = 0; a < kRewardActionCount; ++a) {
    const double rate =
        counts[a] ? (*counts[a] + kPseudoImpressions * rates[a]) / (imp + kPseudoImpressions)
                  : rates[a];
    per_impression += kRewardActions[a].weight * rate;
  }
  return std::log1p(imp * per_impression);
}

nlohmann::json rules_json() {
  nlohmann::json failures = nlohmann::json::array();
  for (GateFailure f : kGateFailures) failures.push_back(gate_failure_name(f));
  nlohmann::json weights = nlohmann::json::object();
  for (const auto& a : kRewardActions) weights[a.name] = a.weight;
  return {
      {"gates",
       {{"min_views", kGates.min_views},
        {"min_likes", kGates.min_likes},
        {"min_age_hours", kGates.min_age_hours},
        {"failures", failures}}},
      {"success",
       {{"min_engagement_rate", kSuccess.min_engagement_rate}, {"min_views", kSuccess.min_views}}},
      {"engagement_rate",
       {{"numerator", {"likes", "retweets", "replies", "quotes", "bookmarks"}},
        {"denominator", "impressions"},
        {"unknown_when_unknown", {"impressions", "likes", "retweets", "replies"}},
        {"unknown_when_zero", "impressions"}}},
      {"reward",
       {{"weights", weights},
        {"pseudo_impressions", kPseudoImpressions},
        {"formula",
         "ln(1 + impressions * sum_a weight_a * (count_a + pseudo_impressions * "
         "account_rate_a) / (impressions + pseudo_impressions))"}}}};
}

}  // namespace gl::learn
