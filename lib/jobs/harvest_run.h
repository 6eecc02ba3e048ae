// Inside a harvest run: its purse (what it may still spend, from its own caps
// and the account's daily and monthly budgets, against what api_usage says
// was spent) and the sources, each a function over the same run.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "db/account_sources.h"
#include "db/job_run.h"
#include "jobs/usage.h"
#include "x/client.h"

namespace gl::jobs {

class HarvestSpend {
 public:
  HarvestSpend(const UsageRecorder& usage, std::map<std::string, double> prices,
               std::optional<long long> max_reads, std::optional<double> run_usd,
               double day_left_usd, double month_left_usd)
      : usage_(usage),
        prices_(std::move(prices)),
        max_reads_(max_reads),
        run_usd_(run_usd),
        day_left_(day_left_usd),
        month_left_(month_left_usd) {}

  double price(const std::string& kind) const {
    auto it = prices_.find(kind);
    return it == prices_.end() ? 0 : it->second;
  }
  // Why a call that may cost `usd` and return `reads` resources cannot be
  // made, or "" when it can. Assumes the worst: every resource billed.
  std::string refuse(double usd, long long reads) const;
  // The largest page (min_page..100 results) affordable when each result
  // costs `usd_each` and returns `reads_each` resources; 0 when none is.
  int page_size(double usd_each, int reads_each, int min_page) const;

 private:
  const UsageRecorder& usage_;
  std::map<std::string, double> prices_;
  std::optional<long long> max_reads_;
  std::optional<double> run_usd_;
  double day_left_, month_left_;
};

struct HarvestRun {
  db::AccountRun& run;
  x::XClient& client;
  const HarvestSpend& spend;
  db::HarvestSettings settings;
  long long skipped = 0;

  // Prints and counts what the run leaves out: {"source", "skipped", "reason"}.
  void skip(const std::string& source, const std::string& what, const std::string& reason);
  // A query's watermark: the newest post read and the adaptive min_likes.
  struct Watermark {
    std::string since_id;
    std::optional<int> min_likes;
  };
  Watermark watermark(const std::string& source, const std::string& key);
};

void harvest_trends(HarvestRun& h);
void harvest_viral(HarvestRun& h);
void harvest_peers(HarvestRun& h);
void harvest_replies(HarvestRun& h);

}  // namespace gl::jobs
