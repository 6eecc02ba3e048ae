#include "sandbox/faults.h"

#include <cmath>
#include <map>

#include "core/error.h"

namespace gl::sandbox {

namespace {

// A whole number within [lo, hi] at `key`, or `fallback` when absent; a
// number given as 2.0 is taken, 2.5 or 1e30 is not.
long whole(const nlohmann::json& r, const char* key, long fallback, long lo, long hi,
           const std::string& where) {
  if (!r.contains(key)) return fallback;
  const auto& v = r[key];
  const double d = v.is_number() ? v.get<double>() : std::nan("");
  if (!(d >= static_cast<double>(lo) && d <= static_cast<double>(hi)) || d != std::floor(d)) {
    throw usage_error(where, std::string(key) + " must be a whole number from " +
                                 std::to_string(lo) + " to " + std::to_string(hi));
  }
  return static_cast<long>(d);
}

std::string text(const nlohmann::json& r, const char* key, const std::string& fallback,
                 const std::string& where) {
  if (!r.contains(key)) return fallback;
  if (!r[key].is_string()) throw usage_error(where, std::string(key) + " must be a string");
  return r[key].get<std::string>();
}

}  // namespace

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
      {"llm_text", FaultKind::kLlmText},
      {"missing_field", FaultKind::kMissingField},
      {"stuck_page", FaultKind::kStuckPage}};
  const nlohmann::json* rules = &j;
  if (j.is_object()) {
    static const nlohmann::json kNone = nlohmann::json::array();
    rules = j.contains("rules") ? &j["rules"] : &kNone;
  }
  if (!rules->is_array()) throw usage_error(source, "expected {\"rules\": [...]}");
  constexpr long kDay = 86'400;
  std::vector<FaultRule> out;
  for (size_t i = 0; i < rules->size(); ++i) {
    const auto& r = (*rules)[i];
    const std::string where = source + " rule " + std::to_string(i + 1);
    if (!r.is_object()) throw usage_error(where, "expected an object");
    FaultRule f{};
    f.endpoint = text(r, "endpoint", "*", where);
    const std::string kind = text(r, "kind", "", where);
    auto k = kKinds.find(kind);
    if (k == kKinds.end()) {
      throw usage_error(where, "unknown kind \"" + kind +
                                   "\" (rate_limit, usage_cap, credits, unauthorized, forbidden, "
                                   "server_error, slow, timeout, truncated, malformed, partial, "
                                   "duplicate, llm_text, missing_field, stuck_page)");
    }
    f.kind = k->second;
    f.skip = static_cast<int>(whole(r, "skip", 0, 0, 1'000'000'000, where));
    f.times = static_cast<int>(whole(r, "times", -1, -1, 1'000'000'000, where));
    f.status = static_cast<int>(whole(r, "status", 0, 0, 599, where));
    if (f.status != 0 && f.status < 400) throw usage_error(where, "status must be from 400 to 599");
    f.delay_ms = whole(r, "delay_ms", 0, 0, kDay * 1000, where);
    f.reset_in_s = whole(r, "reset_in_s", 60, 0, kDay, where);
    if (r.contains("fraction")) {
      const auto& v = r["fraction"];
      if (!v.is_number() || !(v.get<double>() >= 0 && v.get<double>() <= 1)) {
        throw usage_error(where, "fraction must be a number from 0 to 1");
      }
      f.fraction = v.get<double>();
    }
    f.text = text(r, "text", "", where);
    f.problem = text(r, "problem", "resource-not-found", where);
    f.field = text(r, "field", "", where);
    if (f.kind == FaultKind::kMissingField && f.field.empty())
      throw usage_error(where, "missing_field needs \"field\": the metric to leave out");
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
