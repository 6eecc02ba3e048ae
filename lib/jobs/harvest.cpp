#include "jobs/harvest.h"

#include <fmt/format.h>

#include <cmath>

#include "core/json_lines.h"
#include "jobs/harvest_run.h"
#include "jobs/x_session.h"
#include "learn/trend_match.h"

namespace gl::jobs {

namespace {

// Spent by the account today and this month (UTC), by every tool.
constexpr const char* kSpent =
    "SELECT coalesce(sum(cost_usd) FILTER (WHERE called_at >= date_trunc('day', $2::timestamptz "
    "AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'), 0)::float8, "
    "coalesce(sum(cost_usd), 0)::float8 FROM api_usage WHERE account_id = $1 "
    "AND called_at >= date_trunc('month', $2::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' "
    "AND called_at <= $2::timestamptz";
constexpr const char* kWatermark =
    "SELECT since_id, min_likes FROM harvest_watermarks WHERE account_id = $1 AND source = $2 "
    "AND query_key = $3";
constexpr const char* kTrendRow =
    "INSERT INTO trending_topics (account_id, topic, trend_name, observed_at, score, source, "
    "expires_at, volume, basis) VALUES ($1, $2, $3, $4, $5, $6, $4::timestamptz + interval '6 "
    "hours', $7, $8) ON CONFLICT (account_id, topic, trend_name, source, observed_at) DO UPDATE "
    "SET "
    "score = EXCLUDED.score, volume = EXCLUDED.volume, basis = EXCLUDED.basis";

// X had no personalized trends for the account earlier today: it is not
// Premium, and asking again before tomorrow (UTC) would pay for "Unknown".
constexpr const char* kNotPremiumToday =
    "SELECT EXISTS (SELECT 1 FROM api_usage WHERE account_id = $1 "
    "  AND endpoint = 'GET /2/users/personalized_trends' AND problem IS NULL "
    "  AND called_at >= date_trunc('day', $2::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' "
    "  AND called_at <= $2) "
    "AND NOT EXISTS (SELECT 1 FROM trending_topics WHERE account_id = $1 "
    "  AND source = 'personalized' "
    "  AND observed_at >= date_trunc('day', $2::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE "
    "'UTC')";

std::string usd(double v) { return fmt::format(FMT_STRING("${:.4f}"), v); }

}  // namespace

std::string HarvestSpend::refuse(double cost, long long reads) const {
  if (max_reads_ && usage_.resources() + reads > *max_reads_)
    return fmt::format(FMT_STRING("--max-reads {} reached ({} read)"), *max_reads_,
                       usage_.resources());
  if (run_usd_ && usage_.cost_usd() + cost > *run_usd_ + 1e-9)
    return "--budget-usd " + usd(*run_usd_) + " reached (" + usd(usage_.cost_usd()) + " spent)";
  if (usage_.cost_usd() + cost > day_left_ + 1e-9)
    return "the account's daily budget is spent (" + usd(day_left_ - usage_.cost_usd()) + " left)";
  if (usage_.cost_usd() + cost > month_left_ + 1e-9)
    return "the account's monthly budget is spent (" + usd(month_left_ - usage_.cost_usd()) +
           " left)";
  return "";
}

int HarvestSpend::page_size(double usd_each, int reads_each, int min_page) const {
  for (int n = 100; n >= min_page; n = n > 10 ? n - 10 : n - 1) {
    if (refuse(usd_each * n, static_cast<long long>(reads_each) * n).empty()) return n;
  }
  return 0;
}

void HarvestRun::skip(const std::string& source, const std::string& what,
                      const std::string& reason) {
  ++skipped;
  run.ctx.log.info("{}: skipped {}: {}", source, what, reason);
  emit({{"source", source}, {"skipped", what}, {"reason", reason}});
}

HarvestRun::Watermark HarvestRun::watermark(const std::string& source, const std::string& key) {
  pqxx::read_transaction t(run.conn);
  Watermark w;
  auto r = t.exec_params(kWatermark, run.account.id, source, key);
  if (!r.empty()) {
    if (!r[0][0].is_null()) w.since_id = r[0][0].as<std::string>();
    if (!r[0][1].is_null()) w.min_likes = r[0][1].as<int>();
  }
  return w;
}

// Trends of the account's places, and its personalized trends when X has real
// ones for it, matched to its topics: what relates goes to trending_topics
// with the match's basis, observed now, expiring in 6 hours.
void harvest_trends(HarvestRun& h) {
  struct Seen {
    x::Trend trend;
    std::string source;
  };
  std::vector<Seen> seen;
  const double price = h.spend.price(x::kTrendsRequest);
  for (long long woeid : h.settings.woeids) {
    const std::string source = "woeid:" + std::to_string(woeid);
    if (auto why = h.spend.refuse(price, 0); !why.empty()) {
      h.skip("trends", source, why);
      continue;
    }
    for (auto& t : h.client.trends(woeid, 50)) seen.push_back({std::move(t), source});
  }
  bool not_premium_today = false;
  {
    pqxx::read_transaction t(h.run.conn);
    not_premium_today =
        t.exec_params1(kNotPremiumToday, h.run.account.id, format_iso8601(h.run.now))[0].as<bool>();
  }
  if (!h.client.auth().user_context()) {
    h.skip("trends", "personalized", "needs user context (app-only auth)");
  } else if (not_premium_today) {
    h.skip("trends", "personalized", "X had none for this user earlier today (not Premium)");
  } else if (auto why = h.spend.refuse(price, 0); !why.empty()) {
    h.skip("trends", "personalized", why);
  } else {
    const auto mine = h.client.personalized_trends();
    // X answers a user who is not Premium with "Unknown": no trend at all.
    bool real = false;
    for (const auto& t : mine) {
      if (t.name != "Unknown") {
        real = true;
        seen.push_back({t, "personalized"});
      }
    }
    if (!real) h.skip("trends", "personalized", "X has none for this user (not Premium)");
  }
  long long matched = 0;
  pqxx::work w(h.run.conn);
  for (const auto& s : seen) {
    for (const auto& m : learn::match_trend(s.trend.name, h.run.account.topics)) {
      w.exec_params0(kTrendRow, h.run.account.id, m.topic, s.trend.name, format_iso8601(h.run.now),
                     learn::trend_score(s.trend.post_count), s.source, s.trend.post_count, m.basis);
      emit({{"source", "trends"},
            {"trend", s.trend.name},
            {"topic", m.topic},
            {"basis", m.basis},
            {"volume", s.trend.post_count ? nlohmann::json(*s.trend.post_count) : nullptr},
            {"from", s.source}});
      ++matched;
    }
  }
  if (!h.run.ctx.common.dry_run) w.commit();
  h.run.stats["trends_seen"] = seen.size();
  h.run.stats["trends_matched"] = matched;
}

int run_harvest(db::AccountRun& run, const HarvestOptions& options) {
  std::shared_ptr<UsageRecorder> usage;
  auto client = open_x_client(run, &usage);
  db::HarvestSettings settings;
  std::map<std::string, double> prices;
  double day_spent = 0, month_spent = 0;
  {
    pqxx::read_transaction t(run.conn);
    settings = db::load_harvest_settings(t, run.account.id);
    prices = load_prices(t);
    auto r = t.exec_params1(kSpent, run.account.id, format_iso8601(run.now));
    day_spent = r[0].as<double>();
    month_spent = r[1].as<double>();
  }
  HarvestSpend spend(*usage, prices, options.max_reads, options.budget_usd,
                     settings.daily_budget_usd - day_spent,
                     settings.monthly_budget_usd - month_spent);
  HarvestRun h{run, *client, spend, settings};
  if (options.only.count("trends")) harvest_trends(h);
  if (options.only.count("viral")) harvest_viral(h);
  if (options.only.count("peers")) harvest_peers(h);
  if (options.only.count("replies")) harvest_replies(h);
  run.stats["reads"] = usage->resources();
  run.stats["cost_usd"] = usage->cost_usd();
  run.stats["skipped"] = h.skipped;
  emit({{"harvest", run.account.handle},
        {"reads", usage->resources()},
        {"cost_usd", std::round(usage->cost_usd() * 1e6) / 1e6},
        {"skipped", h.skipped}});
  return 0;
}

}  // namespace gl::jobs
