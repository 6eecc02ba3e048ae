#include "jobs/generator_figures.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "db/connection.h"
#include "db/row_fields.h"
#include "jobs/learning_data.h"
#include "jobs/learning_sql.h"
#include "learn/rules.h"

namespace gl::jobs {

namespace {

// What the figures read of each post of the account by $2 (the scope's now),
// every format at once: the gates and the reward are evaluated here, by their
// C++ forms (learn/rules.h), which tests/db/rules_test holds equal to the SQL
// forms of the learners' frame. The 7-day window is the database's, as the
// trend's statement read it.
constexpr const char* kPosts =
    "SELECT lp.format, lp.generator_name, lower(lp.topic), lp.impressions, lp.likes, "
    "  lp.retweets, lp.replies, lp.quotes, lp.bookmarks, lp.profile_clicks, "
    "  lp.followers_gained, lp.engagement_rate, lp.available, "
    "  date_part('epoch', $2::timestamptz - lp.posted_at) / 3600, "
    "  lp.posted_at > $2::timestamptz - interval '7 days' "
    "FROM learning_posts lp WHERE lp.account_id = $1 AND lp.posted_at <= $2::timestamptz";

// A gated post: what the figures read of it besides its outcome.
struct Post {
  std::string_view generator, topic_key;  // in the statement's result
  std::optional<double> engagement_rate;  // the stored column
  bool recent = false;                    // posted in the 7 days before now
};

// A format's gated posts, and the outcome and reward of each.
struct GatedPosts {
  std::vector<Post> posts;
  std::vector<learn::PostOutcome> outcomes;
  std::vector<double> rewards;
};

// percentile_cont(0.5) over `values`, as PostgreSQL interpolates it.
double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const double at = 0.5 * static_cast<double>(values.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(at)), hi = static_cast<size_t>(std::ceil(at));
  if (lo == hi) return values[lo];
  return values[lo] + (at - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

std::optional<double> mean(double sum, long long n) {
  if (n == 0) return std::nullopt;
  return sum / static_cast<double>(n);
}

// The figures, the arms and the topic arms of a format's gated posts.
void summarise(const GatedPosts& gated, FormatGenerators& out) {
  struct Sums {
    std::vector<double> views;
    long long views_sum = 0, er_posts = 0, followers_posts = 0, followers_views = 0;
    double er_sum = 0, followers_sum = 0, recent_log_sum = 0, earlier_log_sum = 0;
    long long recent_posts = 0, earlier_posts = 0;
    learn::BanditArm arm;
    std::map<std::string_view, learn::BanditArm> topics;
  };
  std::map<std::string_view, Sums> by_persona;
  for (size_t i = 0; i < gated.posts.size(); ++i) {
    const Post& p = gated.posts[i];
    if (p.generator == kImportedGenerator) continue;  // no persona wrote the imported past
    Sums& s = by_persona[p.generator];
    const learn::PostOutcome& o = gated.outcomes[i];
    const double reward = gated.rewards[i];
    const long long views = *o.impressions;  // known: the post passes the gates
    s.views.push_back(static_cast<double>(views));
    s.views_sum += views;
    if (p.engagement_rate) {
      s.er_sum += *p.engagement_rate;
      ++s.er_posts;
    }
    if (o.followers_gained) {
      s.followers_sum += *o.followers_gained;
      ++s.followers_posts;
      s.followers_views += views;
    }
    const double log_views = std::log(static_cast<double>(views));
    if (p.recent) {
      s.recent_log_sum += log_views;
      ++s.recent_posts;
    } else {
      s.earlier_log_sum += log_views;
      ++s.earlier_posts;
    }
    for (learn::BanditArm* a : {&s.arm, &s.topics[p.topic_key]}) {
      ++a->pulls;
      a->weight += 1;
      a->reward_sum += reward;
      a->reward_sq_sum += reward * reward;
    }
  }
  for (auto& [persona_view, s] : by_persona) {
    const std::string persona(persona_view);
    GeneratorFigures& g = out.figures[persona];
    g.posts = static_cast<long long>(s.views.size());
    g.mean_views = static_cast<double>(s.views_sum) / static_cast<double>(g.posts);
    g.median_views = median(std::move(s.views));
    g.mean_engagement_rate = mean(s.er_sum, s.er_posts);
    if (s.followers_posts > 0 && s.followers_views != 0) {
      g.followers_per_1000_views = 1000 * s.followers_sum / static_cast<double>(s.followers_views);
    }
    g.recent_posts = s.recent_posts;
    g.earlier_posts = s.earlier_posts;
    g.recent_log_views = mean(s.recent_log_sum, s.recent_posts);
    g.earlier_log_views = mean(s.earlier_log_sum, s.earlier_posts);
    // arm_stats leaves out an empty key; the topics keep theirs.
    if (!persona.empty()) {
      s.arm.key = persona;
      out.arms.push_back(s.arm);
    }
    auto& topics = out.topics[persona];
    for (auto& [key, a] : s.topics) {
      a.key = std::string(key);
      topics.push_back(a);
    }
  }
}

}  // namespace

std::map<std::string, FormatGenerators> read_generator_formats(pqxx::transaction_base& t,
                                                               long long account_id,
                                                               TimePoint now) {
  const std::string now_text = format_iso8601(now);
  const pqxx::result rows = t.exec_params(kPosts, account_id, now_text);
  std::map<std::string, FormatGenerators> out;
  std::map<std::string, GatedPosts> gated;
  std::string_view format;  // of the row before, and where its posts go
  FormatGenerators* f = nullptr;
  GatedPosts* passed = nullptr;
  for (const auto& r : rows) {
    db::RowFields in(r);
    if (const std::string_view row_format = in.text(); !f || row_format != format) {
      format = row_format;
      f = &out[std::string(format)];
      if (f->gates.is_null()) f->gates = {{"posts_used", 0}, {"posts_skipped", Json::object()}};
      passed = &gated[std::string(format)];
      if (passed->posts.empty()) {  // room for every row, untouched beyond those it holds
        passed->posts.reserve(rows.size());
        passed->outcomes.reserve(rows.size());
      }
    }
    Post p;
    p.generator = in.text();
    p.topic_key = in.text();
    learn::PostOutcome o;
    for (auto* count : {&o.impressions, &o.likes, &o.retweets, &o.replies, &o.quotes, &o.bookmarks,
                        &o.profile_clicks}) {
      *count = in.count();
    }
    o.followers_gained = in.real();
    p.engagement_rate = in.real();
    const bool available = in.flag();
    const auto verdict = learn::evaluate_gates(o, *in.real(), available);
    if (!verdict.passed) {
      Json& skipped = f->gates["posts_skipped"];
      const std::string& reason = verdict.failures.front();
      skipped[reason] = skipped.value(reason, 0LL) + 1;
      continue;
    }
    p.recent = in.flag();
    passed->posts.push_back(p);
    passed->outcomes.push_back(o);
  }
  for (const auto& [format, n] : posts_without_metrics(t, account_id)) {
    const auto it = out.find(format);
    if (it != out.end()) it->second.gates["posts_skipped"]["no_metrics_yet"] = n;
  }
  for (auto& [format, f] : out) {
    GatedPosts& posts = gated[format];
    f.gates["posts_used"] = static_cast<long long>(posts.posts.size());
    // The reward against the account's rates over the format's gated posts.
    const learn::ActionValues rates = learn::account_rates(posts.outcomes);
    posts.rewards.reserve(posts.outcomes.size());
    for (const auto& o : posts.outcomes) posts.rewards.push_back(learn::post_reward(o, rates));
    summarise(posts, f);
  }
  return out;
}

}  // namespace gl::jobs
