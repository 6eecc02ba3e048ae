// x-sandbox's bill, as X's pay-per-use bills: per resource returned, each
// resource once per UTC day per caller, at X's prices (mid-2026). What it
// billed is reported by GET /sandbox/stats, so tests can hold growthloop's own
// accounting (api_usage) against it.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>

#include "core/clock.h"

namespace gl::sandbox {

// The kinds X prices: a post read, a user read, an owned read (the caller's
// own timeline), a trends request, a post created, a post created with a URL.
inline constexpr const char* kBillPost = "post_read";
inline constexpr const char* kBillUser = "user_read";
inline constexpr const char* kBillOwned = "owned_read";
inline constexpr const char* kBillTrends = "trends_request";
inline constexpr const char* kBillCreate = "post_create";
inline constexpr const char* kBillCreateUrl = "post_create_url";

double price_usd(const std::string& kind);

class Billing {
 public:
  // One resource of `kind` returned to `caller` at `at`; an empty id is a
  // per-request charge (trends, creates), never deduplicated.
  void charge(const std::string& caller, const std::string& kind, const std::string& id,
              TimePoint at);
  // {"returned": {kind: n}, "billed": {kind: n}, "usd": total}
  nlohmann::json report() const;

 private:
  std::map<std::string, long long> returned_, billed_;
  std::set<std::tuple<std::string, std::string, std::string, long long>> seen_;
};

}  // namespace gl::sandbox
