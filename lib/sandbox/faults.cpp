#include "sandbox/faults.h"

#include <map>

#include "core/error.h"

namespace gl::sandbox {

std::vector<FaultRule> parse_faults(const nlohmann::json& j, const std::string& source) {
  static const std::map<std::string, FaultKind> kKinds = {
      {"rate_limit", FaultKind::kRateLimit},
      {"usage_cap", FaultKind::kUsageCap},
      {"credits", FaultKind::kCredits},
      {"unauthorized", FaultKind::kUnauthorized},
      {"forbidden", FaultKind::kForbidden},
      {"server_error", FaultKind::kServerError},
      {"slow", FaultKind::kSlow},
      {"timeout", FaultKind::kTimeout},
      {"truncated", FaultKind::kTruncated},
      {"malformed", FaultKind::kMalformed},
      {"partial", FaultKind::kPartial},
      {"duplicate", FaultKind::kDuplicate},
      {"llm_text", FaultKind::kLlmText}};
  const nlohmann::json& rules = j.is_object() ? j.value("rules", nlohmann::json::array()) : j;
  if (!rules.is_array()) throw usage_error(source, "expected {\"rules\": [...]}");
  std::vector<FaultRule> out;
  for (size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    const std::string where = source + " rule " + std::to_string(i + 1);
    if (!r.is_object()) throw usage_error(where, "expected an object");
    FaultRule f{};
    f.endpoint = r.value("endpoint", "*");
    const std::string kind = r.value("kind", "");
    auto k = kKinds.find(kind);
    if (k == kKinds.end()) {
      throw usage_error(where, "unknown kind \"" + kind +
                                   "\" (rate_limit, usage_cap, credits, unauthorized, forbidden, "
                                   "server_error, slow, timeout, truncated, malformed, partial, "
                                   "duplicate, llm_text)");
    }
    f.kind = k->second;
    try {
      f.skip = r.value("skip", 0);
      f.times = r.value("times", -1);
      f.status = r.value("status", 0);
      f.delay_ms = r.value("delay_ms", 0L);
      f.reset_in_s = r.value("reset_in_s", 60L);
      f.fraction = r.value("fraction", 0.5);
      f.text = r.value("text", "");
      f.problem = r.value("problem", "resource-not-found");
    } catch (const nlohmann::json::exception&) {
      throw usage_error(where,
                        "skip, times, status, delay_ms, reset_in_s and fraction are numbers; "
                        "text and problem are strings");
    }
    out.push_back(f);
  }
  return out;
}

void FaultPlan::replace(std::vector<FaultRule> rules) {
  std::lock_guard<std::mutex> lock(mutex_);
  rules_ = std::move(rules);
}

std::optional<FaultRule> FaultPlan::take(const std::string& endpoint) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& r : rules_) {
    if (r.endpoint != "*" && r.endpoint != endpoint) continue;
    const int n = r.seen++;
    if (n < r.skip) continue;
    if (r.times >= 0 && n >= r.skip + r.times) continue;
    return r;
  }
  return std::nullopt;
}

}  // namespace gl::sandbox
