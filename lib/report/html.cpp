#include "report/html.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/svg.h"

namespace gl::report {

namespace {

const char* const kStyle = R"css(
:root{color-scheme:light;--ink:#1d2329;--muted:#5b6670;--line:#d5dbe0;--accent:#c8590b;--band:#f4c9a6}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fbfbfa}
main{max-width:980px;margin:0 auto;padding:12px 14px 40px}
header h1{font-size:1.5rem;margin:.4rem 0 .1rem}
header p{margin:0;color:var(--muted)}
nav{margin:.6rem 0 0;display:flex;flex-wrap:wrap;gap:.3rem .8rem;font-size:.9rem}
nav a{color:var(--accent)}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 14px;margin:14px 0;break-inside:avoid}
h2{font-size:1.15rem;margin:.2rem 0 .4rem}
h3{font-size:1rem;margin:.9rem 0 .3rem}
.headline{font-weight:600}
.missing{background:#fff7e6;border-left:4px solid #e3a008;padding:6px 10px;margin:.5rem 0}
.note{color:var(--muted);font-size:.9rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.insufficient{color:var(--muted)}
tr.failed td{color:#b42318}
.tag{display:inline-block;border:1px solid var(--line);border-radius:4px;padding:0 4px;font-size:.8rem}
.post{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f7f8;border-radius:6px;padding:6px 8px;margin:.3rem 0}
.card{border-top:1px solid var(--line);padding:.5rem 0}
svg.chart{width:100%;height:auto;display:block;margin:.4rem 0}
svg .grid{stroke:#eceff1}
svg .tick,svg .axis{font-size:12px;fill:var(--muted)}
svg .line{fill:none;stroke:var(--accent);stroke-width:2}
svg .band{fill:var(--band);opacity:.5}
svg .whisker{stroke:var(--accent);stroke-width:1}
svg .dot{fill:var(--accent)}
svg .diagonal,svg .zero{stroke:#7a8590;stroke-dasharray:4 3}
svg .interval{stroke:var(--accent);stroke-width:3}
svg .interval.weak{stroke:#9aa5ae;stroke-dasharray:3 2}
svg .empty{fill:#f3f4f5}
svg .cell-text{font-size:10px;fill:#1d2329}
@media print{body{background:#fff}section{border:none;padding:0}nav{display:none}main{max-width:none}}
)css";

std::string e(const std::string& s) { return html_escape(s); }

std::string pct(double v) { return num(100 * v, 0) + "%"; }

std::string signed_num(double v) { return (v > 0 ? "+" : "") + num(v); }

std::string open_section(const char* id, const std::string& title, bool has_data) {
  return fmt::format(FMT_STRING("<section id=\"{}\" data-state=\"{}\"><h2>{}</h2>"), id,
                     has_data ? "data" : "empty", e(title));
}

std::string missing(const std::string& text) {
  return text.empty() ? "" : "<p class=\"missing\">" + e(text) + "</p>";
}

std::string table(const std::vector<std::string>& head, const std::vector<std::string>& rows,
                  const std::vector<bool>& numeric = {}) {
  std::string s = "<div class=\"scroll\"><table><thead><tr>";
  for (size_t i = 0; i < head.size(); ++i)
    s += std::string(i < numeric.size() && numeric[i] ? "<th class=\"num\">" : "<th>") +
         e(head[i]) + "</th>";
  s += "</tr></thead><tbody>";
  for (const auto& r : rows) s += r;
  return s + "</tbody></table></div>";
}

// One row of cells already escaped; numeric cells right-aligned.
std::string row(const std::vector<std::pair<std::string, bool>>& cells,
                const std::string& cls = "") {
  std::string s = cls.empty() ? "<tr>" : "<tr class=\"" + cls + "\">";
  for (const auto& [text, numeric] : cells)
    s += std::string(numeric ? "<td class=\"num\">" : "<td>") + text + "</td>";
  return s + "</tr>";
}

// A week's interval, which has one when the week has two posts or more.
std::string interval_text(const WeekReward& w) { return num(*w.low) + " to " + num(*w.high); }

std::string curve_section(const LearningCurve& c) {
  std::string s = open_section(kSectionIds[0], "Is it learning? Reward per week", !c.weeks.empty());
  if (!c.weeks.empty()) {
    long long posts = 0;
    for (const auto& w : c.weeks) posts += w.posts;
    const auto& first = c.weeks.front();
    const auto& last = c.weeks.back();
    s += fmt::format(
        FMT_STRING("<p class=\"headline\">{} gated posts over {} week(s); the latest week's mean "
                   "reward is {} ({}, {} posts), the first week's {}.</p>"),
        posts, c.weeks.size(), num(last.mean_reward),
        last.low ? "95% interval " + interval_text(last) : "no interval from one post", last.posts,
        num(first.mean_reward));
    std::vector<SeriesPoint> pts;
    for (size_t i = 0; i < c.weeks.size(); ++i) {
      const auto& w = c.weeks[i];
      pts.push_back({double(i), w.mean_reward, w.low.value_or(w.mean_reward),
                     w.high.value_or(w.mean_reward), w.week_start});
    }
    s += line_chart(pts, true, "Mean reward of the week's gated posts, with its 95% interval",
                    "mean reward");
    std::vector<std::string> rows;
    for (const auto& w : c.weeks)
      rows.push_back(row({{e(w.week_start), false},
                          {std::to_string(w.posts), true},
                          {num(w.mean_reward), true},
                          {w.low ? interval_text(w) : "-", true}}));
    s +=
        table({"week of", "posts", "mean reward", "95% interval"}, rows, {false, true, true, true});
    s += "<p class=\"note\">The reward is the learners' own (learn-hourly --print-rules): "
         "ln(1 + impressions x the weighted, smoothed rates of likes, retweets, replies, quotes, "
         "bookmarks, profile clicks and followers).</p>";
  }
  if (!c.estimates.empty()) {
    std::vector<std::string> rows;
    for (const auto& p : c.estimates)
      rows.push_back(row({{e(p.policy), false},
                          {e(p.estimator), false},
                          {p.value ? num(*p.value) : "-", true},
                          {p.low && p.high ? num(*p.low) + " to " + num(*p.high) : "-", true},
                          {e(p.warning), false}}));
    s += "<h3>What other policies would have earned (off-policy)</h3>" +
         table({"policy", "estimator", "mean reward", "95% interval", "warning"}, rows,
               {false, false, true, true, false});
  }
  if (!c.estimates_note.empty()) {
    s += "<p class=\"note\">" + e(c.estimates_note) + "</p>";
  }
  return s + missing(c.missing) + "</section>";
}

std::string when_section(const WhenToPost& w) {
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  std::string s = open_section(kSectionIds[1], "When to post", !w.cells.empty());
  if (!w.cells.empty()) {
    long long posts = 0, sure = 0;
    double scale = 0;
    const HeatCell* best = &w.cells.front();
    for (const auto& c : w.cells) {
      posts += c.posts;
      sure += c.sufficient ? 1 : 0;
      scale = std::max(scale, std::fabs(c.effect));
      if (c.effect > best->effect) best = &c;
    }
    std::string hours;
    for (int h : w.best_hours) hours += (hours.empty() ? "" : ", ") + fmt::format("{:02d}:00", h);
    s += fmt::format(
        FMT_STRING("<p class=\"headline\">{} of 168 weekday x hour slots tried ({} gated posts, "
                   "{} time); {} with enough evidence to rank. Highest so far: {} {:02d}:00 "
                   "(effect {}, P(beats the mean) {}). Best hours by the learning summary: "
                   "{}.</p>"),
        w.cells.size(), posts, e(w.timezone), sure, kDays[std::clamp(best->weekday, 0, 6)],
        best->hour, signed_num(best->effect), pct(best->confidence),
        hours.empty() ? "none ranked yet" : hours);
    std::vector<HeatmapCell> cells;
    for (const auto& c : w.cells) {
      cells.push_back(
          {c.weekday, c.hour, c.effect, std::fabs(c.confidence - 0.5) * 2, std::to_string(c.posts),
           fmt::format(FMT_STRING("{} {:02d}:00 — {} posts, reward {}, effect {}, P(beats the "
                                  "mean) {}{}"),
                       kDays[std::clamp(c.weekday, 0, 6)], c.hour, c.posts, num(c.mean_reward),
                       signed_num(c.effect), pct(c.confidence),
                       c.sufficient ? "" : ", insufficient evidence")});
    }
    s += heatmap(cells, scale, "Reward effect by weekday and hour (" + w.timezone + ")");
    s += "<p class=\"note\">Each cell: the number of gated posts. Orange beats the account's mean "
         "reward, blue falls short; the stronger the colour, the surer (opacity grows with "
         "|P(beats the mean) - 50%|). Empty cells were never tried. Hover a cell for its "
         "numbers.</p>";
  }
  return s + missing(w.missing) + "</section>";
}

std::string works_section(const WhatWorks& w) {
  std::string s = open_section(kSectionIds[2], "What works", !w.summary_at.empty());
  if (!w.summary_at.empty()) {
    std::string skipped;
    for (const auto& [k, v] : w.posts_skipped)
      if (v > 0) skipped += (skipped.empty() ? "" : ", ") + e(k) + " " + std::to_string(v);
    s += fmt::format(
        FMT_STRING("<p class=\"headline\">From the learning summary of {}: {} posts learned "
                   "from{}; the account's mean reward is {}.</p>"),
        e(w.summary_at), w.posts_used, skipped.empty() ? "" : ", skipped: " + skipped,
        w.account_mean_reward ? num(*w.account_mean_reward) : "unknown");
    s += "<p class=\"note\">Effect: the item's reward against the account's mean, with its 95% "
         "interval. An item is ranked with at least 5 posts and an interval that excludes 0; "
         "the rest is listed as insufficient_evidence, never ranked.</p>";
    if (!w.stale.empty()) s += missing(w.stale);
    for (const auto& f : w.families) {
      const std::string title = f.family == "persona" ? "personas" : f.family + "s";
      s += "<h3>" + e(title) + "</h3>";
      if (f.items.empty()) {
        s += "<p class=\"note\">No gated post names a " + e(f.family) + " yet.";
        if (f.family == "formula" && w.formulas_learned > 0)
          s += fmt::format(
              " extract-formulas has learned {} from the account's and others' posts; plan-post "
              "writes with them, and they are ranked here once posts that used them pass the "
              "gates.",
              w.formulas_learned);
        s += "</p>";
        continue;
      }
      std::vector<IntervalRow> chart;
      std::vector<std::string> rows;
      for (const auto& i : f.items) {
        if (chart.size() < 12) chart.push_back({i.key, i.effect, i.low, i.high, i.sufficient});
        std::string key = e(i.key);
        if (!i.example.empty())
          key += "<div class=\"post\">" + e(i.example) + "</div>" +
                 (i.structure.empty() ? "" : "<span class=\"note\">" + e(i.structure) + "</span>");
        rows.push_back(row({{key, false},
                            {std::to_string(i.posts), true},
                            {signed_num(i.effect), true},
                            {num(i.low) + " to " + num(i.high), true},
                            {pct(i.confidence), true},
                            {i.engagement_rate ? num(100 * *i.engagement_rate, 2) + "%" : "", true},
                            {i.sufficient ? "ranked" : "insufficient_evidence", false}},
                           i.sufficient ? "" : "insufficient"));
      }
      s += interval_chart(chart, "Effect on the reward of each " + f.family + ", 95% interval");
      s += table(
          {f.family, "posts", "effect", "95% interval", "P(beats mean)", "eng. rate", "evidence"},
          rows, {false, true, true, true, true, true, false});
    }
  }
  return s + missing(w.missing) + "</section>";
}

std::string followers_section(const Followers& f) {
  std::string s = open_section(kSectionIds[3], "Followers", !f.series.empty());
  if (!f.series.empty()) {
    const auto& first = f.series.front();
    const auto& last = f.series.back();
    s += fmt::format(
        FMT_STRING("<p class=\"headline\">{} followers at {}, {} since {}; {} followers attributed "
                   "to posts, with a mean confidence of {}.</p>"),
        last.followers, e(last.at), signed_num(double(last.followers - first.followers)),
        e(first.at), num(f.attributed_total, 1), pct(f.mean_confidence));
    std::vector<SeriesPoint> pts;
    for (const auto& p : f.series)
      pts.push_back({p.epoch, double(p.followers), 0, 0, p.at.substr(0, 10)});
    s += line_chart(pts, false, "Followers over time", "followers");
    if (!f.top_posts.empty()) {
      std::vector<std::string> rows;
      for (const auto& p : f.top_posts)
        rows.push_back(row({{"<div class=\"post\">" + e(p.content) + "</div>", false},
                            {e(p.topic), false},
                            {num(p.followers_gained, 1), true},
                            {pct(p.confidence), true},
                            {std::to_string(p.windows), true}}));
      s += "<h3>Posts that drew the most followers</h3>" +
           table({"post", "topic", "followers", "confidence", "windows"}, rows,
                 {false, false, true, true, true});
      s += "<p class=\"note\">A change in followers between two snapshots is split across the "
           "posts live in that window by their profile clicks (confidence 0.9), else impressions "
           "(0.7), else evenly (0.4), divided by the square root of the posts sharing it.</p>";
    }
    if (!f.drivers.empty()) {
      std::vector<std::string> rows;
      for (const auto& d : f.drivers)
        rows.push_back(row({{e(d.dimension), false},
                            {e(d.key), false},
                            {std::to_string(d.posts), true},
                            {num(d.per_1000_views, 3), true}}));
      s += "<h3>What drives follows (learning summary)</h3>" +
           table({"by", "value", "posts", "followers per 1000 views"}, rows,
                 {false, false, true, true});
    }
  }
  return s + missing(f.missing) + "</section>";
}

std::string predictor_section(const Predictor& p) {
  std::string s = open_section(kSectionIds[4], "The predictor", p.version.has_value());
  if (p.version) {
    long long beat = 0, trained = 0;
    for (const auto& t : p.targets) {
      trained += t.trained ? 1 : 0;
      beat += t.beats_mean ? 1 : 0;
    }
    s += fmt::format(
        FMT_STRING("<p class=\"headline\">Model version {} trained {}: {} of {} targets trained, "
                   "{} beat predicting the mean on held-out posts; plan-post {} it.</p>"),
        *p.version, e(p.trained_at), trained, p.targets.size(), beat,
        p.used_for_planning ? "uses" : "does not use");
    std::vector<std::string> rows;
    for (const auto& t : p.targets) {
      if (!t.trained) {
        rows.push_back(row({{e(t.target), false},
                            {"not trained: " + e(t.reason), false},
                            {"", true},
                            {"", true},
                            {"", true},
                            {"", true},
                            {"", true}},
                           "insufficient"));
        continue;
      }
      rows.push_back(
          row({{e(t.target), false},
               {std::to_string(t.train_samples) + " / " + std::to_string(t.holdout_samples), false},
               {num(t.holdout_rmse, 3), true},
               {num(t.baseline_rmse, 3), true},
               {t.beats_mean ? "yes" : "no", true},
               {num(t.spearman, 2), true},
               {num(t.r2, 2), true}}));
    }
    s += table({"target", "train / held-out posts", "held-out RMSE", "mean's RMSE", "beats mean",
                "Spearman", "R²"},
               rows, {false, false, true, true, true, true, true});
  }
  const auto scatter = [&](const std::vector<PredictionPoint>& points, const std::string& what) {
    std::vector<std::pair<double, double>> pts;
    for (const auto& v : points) pts.emplace_back(v.predicted, v.actual);
    s += "<h3>" + e(what) + " predicted when planned, against what came (" +
         std::to_string(pts.size()) + " posts)</h3>" +
         scatter_chart(pts,
                       "Predicted against actual " + what +
                           " (log scale; the dashed line is a perfect prediction)",
                       what);
  };
  if (!p.views.empty()) scatter(p.views, "views");
  if (!p.engagement_rates.empty()) scatter(p.engagement_rates, "engagement rate");
  if (p.views.empty() && p.engagement_rates.empty() && p.version)
    s += "<p class=\"note\">No post planned with a prediction has metrics yet: plan-post "
         "predicts a target once it beats the mean on held-out posts.</p>";
  return s + missing(p.missing) + "</section>";
}

std::string queue_section(const Queue& q, const std::string& tz) {
  std::string s = open_section(kSectionIds[5], "What comes next", !q.posts.empty());
  if (!q.posts.empty()) {
    s += fmt::format(FMT_STRING("<p class=\"headline\">{} post(s) queued; the next one at {} "
                                "({}).</p>"),
                     q.posts.size(), e(q.posts.front().local_slot), e(tz));
    for (const auto& p : q.posts) {
      s += "<div class=\"card\"><div>" + e(p.local_slot) + " <span class=\"note\">(" +
           e(p.scheduled_at) + ")</span>";
      for (const auto& t : {p.topic, p.persona, p.hook, p.formula})
        if (!t.empty()) s += " <span class=\"tag\">" + e(t) + "</span>";
      s += "</div><div class=\"post\">" + e(p.content) + "</div>";
      std::string why;
      for (const auto& c : p.choices)
        why += (why.empty() ? "" : "; ") + e(c.family) + " " + e(c.chosen) + " (p " + num(c.p, 3) +
               ")";
      s += "<div class=\"note\">Chosen by " + (p.policy.empty() ? "?" : e(p.policy)) + ": " +
           (why.empty() ? "no probabilities recorded" : why);
      if (p.plan_p) s += "; the whole plan p " + num(*p.plan_p, 5);
      if (p.predicted_views) s += "; predicted views " + num(*p.predicted_views, 0);
      if (p.predicted_engagement)
        s += ", engagement rate " + num(100 * *p.predicted_engagement, 2) + "%";
      s += ".</div></div>";
    }
  }
  return s + missing(q.missing) + "</section>";
}

std::string operations_section(const Operations& o) {
  bool ran = false;
  for (const auto& t : o.tools) ran = ran || t.runs > 0;
  std::string s = open_section(kSectionIds[6], "Operations", ran);
  if (ran) {
    long long runs = 0, failing = 0;
    for (const auto& t : o.tools) {
      runs += t.runs;
      failing += (!t.last_failure_at.empty() && t.last_failure_at > t.last_ok_at) ? 1 : 0;
    }
    s += fmt::format(FMT_STRING("<p class=\"headline\">{} recorded runs of {} tools; {} tool(s) "
                                "whose last run failed.</p>"),
                     runs, o.tools.size(), failing);
    std::vector<std::string> rows;
    for (const auto& t : o.tools)
      rows.push_back(row({{e(t.tool), false},
                          {std::to_string(t.runs), true},
                          {std::to_string(t.failures), true},
                          {t.last_ok_at.empty() ? "never" : e(t.last_ok_at), false},
                          {t.last_failure_at.empty() ? "never" : e(t.last_failure_at), false},
                          {t.last_exit_code ? std::to_string(*t.last_exit_code) : "", true},
                          {e(t.last_error), false}},
                         t.runs == 0 ? "insufficient" : ""));
    s += table({"tool", "runs", "failed", "last success", "last failure", "exit code", "error"},
               rows, {false, true, true, false, false, true, false});
    s += "<p class=\"note\">Times are the business clock (--now) of each run, UTC. Exit codes: 0 "
         "ok, 1 failure, 2 bad usage or input, 75 try again later.</p>";
  }
  s += "<h3>API spend per day</h3>";
  if (!o.spend.empty()) {
    std::vector<std::string> rows;
    for (const auto& d : o.spend)
      rows.push_back(row({{e(d.day), false},
                          {std::to_string(d.requests), true},
                          {std::to_string(d.resources), true},
                          {"$" + fmt::format(FMT_STRING("{:.3f}"), d.usd), true}}));
    s += table({"day (UTC)", "requests", "resources", "spend"}, rows, {false, true, true, true});
  }
  s += missing(o.spend_missing);
  return s + missing(o.missing) + "</section>";
}

std::string page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>" +
         e(title) + "</title><style>" + kStyle + "</style></head><body><main>" + body +
         "</main></body></html>\n";
}

}  // namespace

std::string render_html(const Report& r) {
  std::string body = "<header><h1>growthloop: @" + e(r.handle) + "</h1><p>Report as of " +
                     e(r.generated_at) + " · timezone " + e(r.timezone) +
                     " · single posts</p><nav>";
  static const char* const kTitles[] = {"Learning curve", "When to post", "What works",
                                        "Followers",      "Predictor",    "What comes next",
                                        "Operations"};
  for (size_t i = 0; i < std::size(kSectionIds); ++i)
    body += fmt::format(FMT_STRING("<a href=\"#{}\">{}</a>"), kSectionIds[i], kTitles[i]);
  body += "</nav></header>";
  body += curve_section(r.curve);
  body += when_section(r.when);
  body += works_section(r.works);
  body += followers_section(r.followers);
  body += predictor_section(r.predictor);
  body += queue_section(r.queue, r.timezone);
  body += operations_section(r.operations);
  return page("growthloop report: @" + r.handle, body);
}

std::string render_index(const std::vector<IndexEntry>& entries, const std::string& generated_at) {
  std::string body = "<header><h1>growthloop: " + std::to_string(entries.size()) +
                     " account(s)</h1><p>Reports as of " + e(generated_at) + "</p></header>";
  std::vector<std::string> rows;
  for (const auto& x : entries) {
    if (!x.failure.empty()) {
      rows.push_back(row({{"@" + e(x.handle) + ": no report, it failed: " + e(x.failure), false},
                          {"", true},
                          {"", true},
                          {"", true}},
                         "failed"));
      continue;
    }
    rows.push_back(row({{"<a href=\"" + e(x.file) + "\">@" + e(x.handle) + "</a>", false},
                        {std::to_string(x.gated_posts), true},
                        {std::to_string(x.queued), true},
                        {std::to_string(x.failing_tools), true}}));
  }
  body += "<section id=\"accounts\" data-state=\"" +
          std::string(entries.empty() ? "empty" : "data") + "\"><h2>Accounts</h2>" +
          (entries.empty() ? missing("no accounts yet: accounts add HANDLE")
                           : table({"account", "gated posts", "queued", "tools failing"}, rows,
                                   {false, true, true, true})) +
          "</section>";
  return page("growthloop reports", body);
}

}  // namespace gl::report
