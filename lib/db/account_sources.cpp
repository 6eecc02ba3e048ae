#include "db/account_sources.h"

#include <algorithm>

#include "core/cli.h"
#include "core/error.h"
#include "core/regex.h"
#include "db/connection.h"

namespace gl::db {

namespace {

std::string peer_handle(const std::string& given) {
  static const Regex kHandle("^@?([A-Za-z0-9_]{1,15})$");
  RegexMatch m;
  if (!kHandle.full_match(given, m)) {
    throw usage_error("peer \"" + given + "\"", "is not an X handle (1-15 letters, digits or _)");
  }
  return handle_key(m.str(1));
}

}  // namespace

nlohmann::json to_json(const Peer& p) {
  return {{"peer", p.handle},
          {"x_user_id", p.x_user_id ? nlohmann::json(*p.x_user_id) : nlohmann::json(nullptr)},
          {"followers", p.followers ? nlohmann::json(*p.followers) : nlohmann::json(nullptr)},
          {"not_found", p.not_found}};
}

void add_peers(pqxx::work& w, long long account_id, const std::vector<std::string>& handles,
               TimePoint now) {
  std::vector<std::string> clean;
  for (const auto& h : handles) clean.push_back(peer_handle(h));
  const auto own =
      w.exec_params1("SELECT lower(handle) FROM accounts WHERE account_id = $1", account_id)[0]
          .as<std::string>();
  if (std::find(clean.begin(), clean.end(), own) != clean.end())
    throw usage_error("peer @" + own, "is the account itself: a peer is another account on X");
  for (const auto& h : clean) {
    w.exec_params0(
        "INSERT INTO account_peers (account_id, handle, added_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (account_id, handle) DO NOTHING",
        account_id, h, format_iso8601(now));
  }
}

int remove_peers(pqxx::work& w, long long account_id, const std::vector<std::string>& handles) {
  std::vector<std::string> clean;
  for (const auto& h : handles) clean.push_back(peer_handle(h));
  int n = 0;
  for (const auto& h : clean) {
    n += static_cast<int>(
        w.exec_params("DELETE FROM account_peers WHERE account_id = $1 AND handle = $2", account_id,
                      h)
            .affected_rows());
  }
  return n;
}

std::vector<Peer> list_peers(pqxx::transaction_base& t, long long account_id) {
  std::vector<Peer> out;
  for (const auto& r : t.exec_params(
           "SELECT handle, x_user_id, followers, not_found_at IS NOT NULL FROM account_peers "
           "WHERE account_id = $1 ORDER BY handle",
           account_id)) {
    Peer p;
    p.handle = r[0].as<std::string>();
    if (!r[1].is_null()) p.x_user_id = r[1].as<std::string>();
    p.followers = optional_count(r[2]);
    p.not_found = r[3].as<bool>();
    out.push_back(std::move(p));
  }
  return out;
}

nlohmann::json to_json(const HarvestSettings& s) {
  return {{"woeids", s.woeids},
          {"language", s.language},
          {"daily_budget_usd", s.daily_budget_usd},
          {"monthly_budget_usd", s.monthly_budget_usd}};
}

HarvestSettings load_harvest_settings(pqxx::transaction_base& t, long long account_id) {
  HarvestSettings s;
  auto r = t.exec_params(
      "SELECT array_to_json(woeids)::text, language, daily_budget_usd::float8, "
      "monthly_budget_usd::float8 FROM harvest_settings WHERE account_id = $1",
      account_id);
  if (r.empty()) return s;
  s.woeids = nlohmann::json::parse(r[0][0].as<std::string>()).get<std::vector<long long>>();
  s.language = r[0][1].as<std::string>();
  s.daily_budget_usd = r[0][2].as<double>();
  s.monthly_budget_usd = r[0][3].as<double>();
  return s;
}

HarvestSettings update_harvest_settings(pqxx::work& w, long long account_id,
                                        const HarvestSettingsChange& c, TimePoint now) {
  HarvestSettings s = load_harvest_settings(w, account_id);
  if (c.woeids) {
    if (c.woeids->empty()) throw usage_error("--woeid", "at least one place is needed");
    for (long long id : *c.woeids) {
      if (id < 1) throw usage_error("--woeid " + std::to_string(id), "is not a WOEID");
    }
    s.woeids = *c.woeids;
  }
  if (c.language) {
    static const Regex kLang("^[a-z]{2,3}$");
    if (!kLang.full_match(*c.language))
      throw usage_error("--language \"" + *c.language + "\"", "is not an ISO 639 code such as en");
    s.language = *c.language;
  }
  if (c.daily_budget_usd) s.daily_budget_usd = *c.daily_budget_usd;
  if (c.monthly_budget_usd) s.monthly_budget_usd = *c.monthly_budget_usd;
  std::string woeids = "{";
  for (size_t i = 0; i < s.woeids.size(); ++i)
    woeids += (i ? "," : "") + std::to_string(s.woeids[i]);
  woeids += "}";
  w.exec_params0(
      "INSERT INTO harvest_settings (account_id, woeids, language, daily_budget_usd, "
      "monthly_budget_usd, updated_at) VALUES ($1, $2::bigint[], $3, $4, $5, $6) "
      "ON CONFLICT (account_id) DO UPDATE SET woeids = EXCLUDED.woeids, language = "
      "EXCLUDED.language, daily_budget_usd = EXCLUDED.daily_budget_usd, monthly_budget_usd = "
      "EXCLUDED.monthly_budget_usd, updated_at = EXCLUDED.updated_at",
      account_id, woeids, s.language, s.daily_budget_usd, s.monthly_budget_usd,
      format_iso8601(now));
  return s;
}

}  // namespace gl::db
