// What harvest reads for an account and what it may spend: its peer accounts
// (resolved to X user ids on first read) and its harvest settings (WOEIDs of
// the places whose trends it follows, language, daily and monthly budgets).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/clock.h"

namespace gl::db {

struct Peer {
  std::string handle;  // lower case, without @
  std::optional<std::string> x_user_id;
  std::optional<long long> followers;
  bool not_found = false;
};

nlohmann::json to_json(const Peer& p);

// Adds peers (a handle already there is kept as it is); validates each handle.
// These changes are made in the caller's transaction, which commits them.
void add_peers(pqxx::work& w, long long account_id, const std::vector<std::string>& handles,
               TimePoint now);
// Removes peers; returns how many there were.
int remove_peers(pqxx::work& w, long long account_id, const std::vector<std::string>& handles);
std::vector<Peer> list_peers(pqxx::transaction_base& t, long long account_id);

struct HarvestSettings {
  std::vector<long long> woeids = {1};  // 1 = worldwide
  std::string language = "en";
  double daily_budget_usd = 2.0;
  double monthly_budget_usd = 50.0;
};

nlohmann::json to_json(const HarvestSettings& s);

struct HarvestSettingsChange {
  std::optional<std::vector<long long>> woeids;
  std::optional<std::string> language;
  std::optional<double> daily_budget_usd, monthly_budget_usd;
};

// The account's settings, the defaults when it has none stored.
HarvestSettings load_harvest_settings(pqxx::transaction_base& t, long long account_id);
HarvestSettings update_harvest_settings(pqxx::work& w, long long account_id,
                                        const HarvestSettingsChange& change, TimePoint now);

}  // namespace gl::db
