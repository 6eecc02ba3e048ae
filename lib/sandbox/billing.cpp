#include "sandbox/billing.h"

namespace gl::sandbox {

double price_usd(const std::string& kind) {
  static const std::map<std::string, double> kPrices = {
      {kBillPost, 0.005},   {kBillUser, 0.010},   {kBillOwned, 0.001},
      {kBillTrends, 0.010}, {kBillCreate, 0.015}, {kBillCreateUrl, 0.200}};
  auto it = kPrices.find(kind);
  return it == kPrices.end() ? 0 : it->second;
}

void Billing::charge(const std::string& caller, const std::string& kind, const std::string& id,
                     TimePoint at) {
  ++returned_[kind];
  const long long day =
      std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count() / 86400;
  if (!id.empty() && !seen_.insert({caller, kind, id, day}).second) return;
  ++billed_[kind];
}

nlohmann::json Billing::report() const {
  double usd = 0;
  for (const auto& [kind, n] : billed_) usd += price_usd(kind) * static_cast<double>(n);
  return {{"returned", returned_}, {"billed", billed_}, {"usd", usd}};
}

}  // namespace gl::sandbox
