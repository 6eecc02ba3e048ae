#include "db/accounts.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <utility>

#include "core/cli.h"
#include "core/error.h"
#include "core/regex.h"
#include "core/timezone.h"
#include "db/connection.h"
#include "learn/text_features.h"

namespace gl::db {

namespace {

constexpr const char* kSelectAccount =
    "SELECT account_id, handle, x_user_id, timezone, topics, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    "posting_hour_from, posting_hour_to, pooling, posting "
    "FROM accounts ";

Account from_row(const pqxx::row& r) {
  Account a;
  a.id = r[0].as<long long>();
  a.handle = r[1].as<std::string>();
  if (!r[2].is_null()) a.x_user_id = r[2].as<std::string>();
  a.timezone = r[3].as<std::string>();
  a.topics = from_pg_array(r[4]);
  a.created_at = r[5].as<std::string>();
  a.posting_hour_from = r[6].as<int>();
  a.posting_hour_to = r[7].as<int>();
  a.pooling = r[8].as<bool>();
  a.posting = r[9].as<bool>();
  return a;
}

// --hours "7-23": two local hours 0-23, both included.
std::pair<int, int> parse_posting_hours(const std::string& text) {
  static const Regex kRange("^([0-9]{1,2})-([0-9]{1,2})$");
  RegexMatch m;
  if (kRange.full_match(text, m)) {
    const int from = std::stoi(m.str(1)), to = std::stoi(m.str(2));
    if (from <= 23 && to <= 23) return {from, to};
  }
  throw usage_error("--hours \"" + text + "\"",
                    "expected local hours FROM-TO, each 0-23, both included (e.g. 7-23, or 22-2 "
                    "across midnight)");
}

std::string fmt_hex(long cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04lX", cp);
  return buf;
}

constexpr size_t kMaxTopicChars = 100;
constexpr size_t kMaxTopics = 50;

// A topic as an error message shows it: short, and without the characters that made it bad.
std::string shown_topic(const std::string& topic) {
  std::string out;
  for (unsigned char c : topic.substr(0, 40))
    out += c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c);
  return "\"" + out + (topic.size() > 40 ? "...\"" : "\"");
}

// What is wrong with a topic, or "" when nothing is: plan-post writes it into
// prompts and posts, so it must be short, valid UTF-8 and printable.
std::string topic_problem(const std::string& topic) {
  if (topic.find_first_not_of(" \t") == std::string::npos) return "a topic cannot be empty";
  const auto* p = reinterpret_cast<const uint8_t*>(topic.data());
  if (topic.size() > (1u << 20)) return "is over a megabyte long";
  const auto length = static_cast<int32_t>(topic.size());
  size_t chars = 0;
  for (int32_t i = 0; i < length;) {
    UChar32 cp = 0;
    U8_NEXT(p, i, length, cp);
    if (cp < 0) return "is not valid UTF-8";
    const auto category = static_cast<UCharCategory>(u_charType(cp));
    // Zero-width joiners hold emoji sequences together; other format characters
    // (bidi overrides, zero-width spaces) only hide what a topic says.
    const bool format_ok = cp == 0x200D;
    if (category == U_CONTROL_CHAR || category == U_SURROGATE || category == U_UNASSIGNED ||
        category == U_PRIVATE_USE_CHAR || category == U_LINE_SEPARATOR ||
        category == U_PARAGRAPH_SEPARATOR || (category == U_FORMAT_CHAR && !format_ok)) {
      return "contains a control or invisible character (U+" + fmt_hex(cp) + ")";
    }
    ++chars;
  }
  if (chars > kMaxTopicChars) {
    return "is " + std::to_string(chars) + " characters long; at most " +
           std::to_string(kMaxTopicChars);
  }
  return "";
}

}  // namespace

nlohmann::json to_json(const Account& a) {
  return {{"account_id", a.id},
          {"handle", a.handle},
          {"x_user_id", a.x_user_id ? nlohmann::json(*a.x_user_id) : nlohmann::json(nullptr)},
          {"timezone", a.timezone},
          {"topics", a.topics},
          {"created_at", a.created_at},
          {"posting_hours",
           std::to_string(a.posting_hour_from) + "-" + std::to_string(a.posting_hour_to)},
          {"pooling", a.pooling},
          {"posting", a.posting}};
}

std::optional<Account> find_account(pqxx::transaction_base& t, const std::string& handle) {
  auto r = t.exec_params(std::string(kSelectAccount) + "WHERE lower(handle) = lower($1)",
                         strip_handle_at(handle));
  if (r.empty()) return std::nullopt;
  return from_row(r[0]);
}

std::vector<Account> list_accounts(pqxx::transaction_base& t) {
  std::vector<Account> out;
  for (const auto& r : t.exec(std::string(kSelectAccount) + "ORDER BY lower(handle)")) {
    out.push_back(from_row(r));
  }
  return out;
}

namespace {

// An account a run can use: its stored time zone is one tzdata knows (accounts
// checks it, but a row can be changed by hand), or every local hour would be
// UTC's without a word.
const Account& usable(const Account& a) {
  if (!is_known_timezone(a.timezone)) {
    throw usage_error("account @" + a.handle + "'s time zone",
                      "\"" + a.timezone + "\" is not a known IANA time zone; fix it with: " +
                          "accounts add " + a.handle + " --timezone ZONE");
  }
  return a;
}

}  // namespace

Account resolve_account(pqxx::connection& conn, const std::string& handle) {
  pqxx::read_transaction t(conn);
  if (!handle.empty()) {
    auto a = find_account(t, handle);
    if (!a) {
      throw usage_error("--account", "no account @" + strip_handle_at(handle) +
                                         "; add it with: accounts add " + strip_handle_at(handle));
    }
    return usable(*a);
  }
  auto all = list_accounts(t);
  if (all.size() == 1) return usable(all[0]);
  if (all.empty())
    throw usage_error("--account",
                      "the database has no accounts; add one with: accounts add HANDLE");
  throw usage_error("--account", "the database has " + std::to_string(all.size()) +
                                     " accounts: name one with --account HANDLE");
}

Account upsert_account(pqxx::work& w, const AccountChange& change, TimePoint now) {
  static const Regex kHandle("^[A-Za-z0-9_]{1,15}$");
  // X's ids have no leading zero: "0111" would be a second spelling of user 111.
  static const Regex kUserId("^[1-9][0-9]{0,18}$");
  const std::string handle = strip_handle_at(change.handle);
  if (!kHandle.full_match(handle)) {
    throw usage_error("handle \"" + change.handle + "\"", "expected 1-15 letters, digits or _");
  }
  if (change.x_user_id && !kUserId.full_match(*change.x_user_id)) {
    throw usage_error("--x-user-id \"" + *change.x_user_id + "\"",
                      "expected 1-19 digits, the first not 0");
  }
  if (change.timezone && change.timezone->empty()) {
    throw usage_error("--timezone", "cannot be empty: give an IANA time zone such as UTC");
  }
  if (change.topics) {
    if (change.topics->size() > kMaxTopics) {
      throw usage_error("--topic", std::to_string(change.topics->size()) + " topics; at most " +
                                       std::to_string(kMaxTopics));
    }
    // Topics differing only in case are one topic to every learner: a second is a mistake.
    std::map<std::string, std::string> seen;  // Unicode lower case -> the spelling given first
    for (const auto& topic : *change.topics) {
      const std::string problem = topic_problem(topic);
      if (!problem.empty()) throw usage_error("--topic " + shown_topic(topic), problem);
      const auto [first, added] = seen.emplace(learn::lower_unicode(topic), topic);
      if (!added)
        throw usage_error("--topic " + shown_topic(topic),
                          "is --topic " + shown_topic(first->second) +
                              " again: topics that differ only in case are one topic");
    }
  }
  std::optional<std::pair<int, int>> hours;
  if (change.posting_hours) hours = parse_posting_hours(*change.posting_hours);
  if (change.timezone) {
    if (w.exec_params1("SELECT count(*) FROM pg_timezone_names WHERE name = $1",
                       *change.timezone)[0]
            .as<int>() == 0) {
      throw usage_error("--timezone \"" + *change.timezone + "\"",
                        "not a known IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)");
    }
  }
  if (change.x_user_id) {
    // Two accounts that are one X user would post and read as each other.
    const auto other = w.exec_params(
        "SELECT handle FROM accounts WHERE x_user_id = $1 AND lower(handle) <> lower($2)",
        *change.x_user_id, handle);
    if (!other.empty()) {
      throw usage_error("--x-user-id " + *change.x_user_id,
                        "X user " + *change.x_user_id + " is @" + other[0][0].as<std::string>() +
                            " already: an X user is one account");
    }
  }
  const std::string now_text = format_iso8601(now);
  const auto opt = [](const std::optional<std::string>& v) -> const char* {
    return v ? v->c_str() : nullptr;
  };
  const std::optional<std::string> topics =
      change.topics ? std::optional<std::string>(to_pg_array(*change.topics)) : std::nullopt;
  std::optional<std::string> hour_from, hour_to;
  if (hours) {
    hour_from = std::to_string(hours->first);
    hour_to = std::to_string(hours->second);
  }
  const auto flag = [](const std::optional<bool>& v) -> const char* {
    return v ? (*v ? "true" : "false") : nullptr;
  };
  // An existing handle keeps its first spelling (accounts add Alice changes
  // alice's settings): token files and monitoring files are named by it.
  w.exec_params(
      "INSERT INTO accounts (handle, x_user_id, timezone, topics, created_at, updated_at, "
      "  posting_hour_from, posting_hour_to, pooling, posting) "
      "VALUES ($1, $2, coalesce($3, 'UTC'), coalesce($4::text[], '{}'), $5, $5, "
      "  coalesce($6::smallint, 7), coalesce($7::smallint, 23), coalesce($8::boolean, false), "
      "  coalesce($9::boolean, true)) "
      "ON CONFLICT (lower(handle)) DO UPDATE SET "
      "  x_user_id = coalesce($2, accounts.x_user_id), "
      "  timezone = coalesce($3, accounts.timezone), "
      "  topics = coalesce($4::text[], accounts.topics), "
      "  posting_hour_from = coalesce($6::smallint, accounts.posting_hour_from), "
      "  posting_hour_to = coalesce($7::smallint, accounts.posting_hour_to), "
      "  pooling = coalesce($8::boolean, accounts.pooling), "
      "  posting = coalesce($9::boolean, accounts.posting), "
      "  updated_at = $5",
      handle, opt(change.x_user_id), opt(change.timezone), opt(topics), now_text, opt(hour_from),
      opt(hour_to), flag(change.pooling), flag(change.posting));
  return *find_account(w, handle);
}

}  // namespace gl::db
