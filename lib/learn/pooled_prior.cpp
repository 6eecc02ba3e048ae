#include "learn/pooled_prior.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace gl::learn {

std::map<std::string, double> PooledPrior::means() const {
  std::map<std::string, double> out;
  for (const auto& [name, e] : effects) out[name] = e.mean;
  return out;
}

std::vector<std::pair<std::string, double>> PooledPrior::strongest(size_t n) const {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& [name, e] : effects) out.emplace_back(name, e.mean);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::abs(a.second) > std::abs(b.second);
  });
  if (out.size() > n) out.resize(n);
  return out;
}

namespace {

PooledEffect pool_feature(const std::vector<const AccountEffect*>& rows) {
  PooledEffect out;
  out.accounts = static_cast<int>(rows.size());
  double v = 0;
  for (const AccountEffect* r : rows) v += r->prior_sd * r->prior_sd;
  v /= static_cast<double>(rows.size());
  double tau2 = v;
  if (rows.size() >= 2) {
    // DerSimonian-Laird.
    double w = 0, w2 = 0, wmu = 0;
    for (const AccountEffect* r : rows) {
      const double wi = 1 / (r->sd * r->sd);
      w += wi;
      w2 += wi * wi;
      wmu += wi * r->effect;
    }
    const double fixed = wmu / w;
    double q = 0;
    for (const AccountEffect* r : rows)
      q += (r->effect - fixed) * (r->effect - fixed) / (r->sd * r->sd);
    tau2 = std::max(0.0, (q - static_cast<double>(rows.size() - 1)) / (w - w2 / w));
  }
  double w = 0, wmu = 0;
  for (const AccountEffect* r : rows) {
    const double wi = 1 / (r->sd * r->sd + tau2);
    w += wi;
    wmu += wi * r->effect;
  }
  out.population = wmu / w;
  out.spread = std::sqrt(tau2);
  const double se2 = 1 / w;
  out.mean = v > 0 ? out.population * v / (v + tau2 + se2) : 0;
  return out;
}

}  // namespace

PooledPrior pool_effects(const std::vector<AccountEffect>& rows) {
  std::map<std::string, std::vector<const AccountEffect*>> by_feature;
  std::set<long long> accounts;
  for (const AccountEffect& r : rows) {
    if (r.posts <= 0 || !(r.sd > 0)) continue;
    by_feature[r.feature].push_back(&r);
    accounts.insert(r.account_id);
  }
  PooledPrior out;
  out.accounts = static_cast<int>(accounts.size());
  for (const auto& [name, rs] : by_feature) out.effects[name] = pool_feature(rs);
  return out;
}

}  // namespace gl::learn
