// The accounts registry: one row per X account growthloop runs.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/clock.h"

namespace gl::db {

struct Account {
  long long id = 0;
  std::string handle;
  std::optional<std::string> x_user_id;
  std::string timezone = "UTC";
  std::vector<std::string> topics;
  std::string created_at;
  // The local hours it posts in, both ends included (from > to wraps past midnight).
  int posting_hour_from = 7;
  int posting_hour_to = 23;
  // Whether it pools what it learned with the database's other accounts (both
  // ways; off unless asked for: the accounts of one database may have different owners).
  bool pooling = false;
  // Off: plan-post and publish do nothing for it; collecting and learning go on.
  bool posting = true;
};

nlohmann::json to_json(const Account& a);

struct AccountChange {
  std::string handle;
  std::optional<std::string> x_user_id;
  std::optional<std::string> timezone;
  std::optional<std::vector<std::string>> topics;  // replaces the list when set
  std::optional<std::string> posting_hours;        // "7-23"
  std::optional<bool> pooling;
  std::optional<bool> posting;
};

std::optional<Account> find_account(pqxx::transaction_base& t, const std::string& handle);
std::vector<Account> list_accounts(pqxx::transaction_base& t);

// The account named by --account; with none named, the only account there is.
Account resolve_account(pqxx::connection& conn, const std::string& handle);

// Adds the account, or updates the fields given when the handle exists (in
// any case; the stored spelling stays). Validates handle, user id (not another
// account's), timezone (known, not empty) and topics (at most
// 50, each 1-100 printable characters of valid UTF-8, no two differing only in
// case), naming the bad input. The caller commits (or, for a dry run, not).
Account upsert_account(pqxx::work& w, const AccountChange& change, TimePoint now);

}  // namespace gl::db
