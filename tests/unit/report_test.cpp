// The report's pure renderer: escaping of hostile text, SVG geometry, and
// sections that say what is missing. No database.
#include <catch2/catch.hpp>

#include "core/regex.h"
#include "report/html.h"
#include "report/svg.h"

using namespace gl::report;

namespace {

const std::string kHostile =
    "<script>console.error('x')</script><img src=x onerror=\"alert(1)\"> & 'quoted' \x01";

// The text of the section with this id, from its tag to the next </section>.
std::string section(const std::string& html, const std::string& id) {
  const auto start = html.find("<section id=\"" + id + "\"");
  if (start == std::string::npos) return "";
  return html.substr(start, html.find("</section>", start) - start);
}

Report full_report() {
  Report r;
  r.handle = "demo";
  r.timezone = "America/New_York";
  r.generated_at = "2026-11-05T23:00:00Z";
  r.curve.weeks = {{"2026-10-26", 3, 5.5, 5.0, 6.0}, {"2026-11-02", 9, 6.1, 5.8, 6.4}};
  r.when.cells = {{1, 9, 3, 6.0, 0.2, 0.8, false}, {4, 14, 5, 5.5, -0.3, 0.1, true}};
  r.when.best_hours = {9};
  r.works.summary_at = "2026-11-05T23:00:00Z";
  r.works.posts_used = 12;
  RankedItem formula{kHostile, 6, 0.4, 0.1, 0.7, 0.97, true, std::nullopt, kHostile, "[Question]"};
  r.works.families = {{"topic", {{"sleep", 6, 0.3, 0.05, 0.55, 0.96, true, std::nullopt, "", ""}}},
                      {"formula", {formula}}};
  r.followers.series = {{1.7e9, "2026-11-01T00:00:00Z", 1000},
                        {1.7e9 + 86400, "2026-11-02T00:00:00Z", 1012}};
  r.followers.top_posts = {{"1", kHostile, kHostile, 4.5, 0.6, 3}};
  r.predictor.version = 2;
  r.predictor.trained_at = "2026-11-05T22:00:00Z";
  r.predictor.targets = {{"log_views", true, 20, 5, 0.4, 0.6, 0.5, 0.3, true, ""}};
  r.predictor.views = {{150, 180}, {900, 700}};
  QueuedPost q;
  q.scheduled_at = "2026-11-06T14:00:00Z";
  q.local_slot = "Fri 2026-11-06 09:00";
  q.content = kHostile;
  q.topic = q.persona = q.hook = q.formula = kHostile;
  q.policy = "thompson";
  q.choices = {{"topic", kHostile, 0.3}};
  q.plan_p = 0.002;
  r.queue.posts = {q};
  r.operations.tools = {
      {"publish", 10, 1, "2026-11-05T22:00:00Z", "2026-11-05T23:00:00Z", 75, kHostile}};
  r.operations.usage_recorded = true;
  r.operations.spend = {{"2026-11-05", 12, 40, 0.215}};
  return r;
}

}  // namespace

TEST_CASE("html_escape makes a post's text inert in an element and in an attribute") {
  CHECK(html_escape("<b>\"a\" & 'b'</b>") == "&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;");
  CHECK(html_escape("tab\there\nline\x01\x1f") == "tab\there\nline");
  CHECK(html_escape("caf\xc3\xa9 \xff") == "caf\xc3\xa9 \xef\xbf\xbd");  // bad UTF-8 replaced
}

TEST_CASE("hostile text from X or the LLM never reaches the page as markup") {
  const std::string html = render_html(full_report());
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("onerror=\"") == std::string::npos);
  CHECK(html.find("&lt;script&gt;console.error(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
  // No reference the page would fetch: self-contained.
  CHECK(!gl::Regex("<[^>]*\\s(src|onerror)=").search(html));
  CHECK(html.find("href=\"http") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
}

TEST_CASE("a report with data fills every section with numbers and a phone viewport") {
  const std::string html = render_html(full_report());
  CHECK(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") !=
        std::string::npos);
  CHECK(html.find("@media print") != std::string::npos);
  for (const char* id : kSectionIds) {
    INFO(id);
    const std::string s = section(html, id);
    REQUIRE(!s.empty());
    CHECK(s.find("data-state=\"data\"") != std::string::npos);
    CHECK(gl::Regex("class=\"headline\">[^<]*[0-9]").search(s));
    CHECK(s.find("nan") == std::string::npos);
  }
  // Insufficient evidence is shown as such, ranked items as ranked.
  CHECK(section(html, "what-works").find("ranked") != std::string::npos);
  CHECK(section(html, "operations").find("$0.215") != std::string::npos);
  CHECK(section(html, "what-comes-next").find("p 0.3") != std::string::npos);
}

TEST_CASE("an empty report says in every section what is missing") {
  Report r;
  r.handle = "nobody";
  r.curve.missing = "no gated posts yet";
  r.when.missing = "no hours";
  r.works.missing = "no summary";
  r.followers.missing = "no snapshots";
  r.predictor.missing = "no predictor";
  r.queue.missing = "nothing queued";
  r.operations.missing = "no runs";
  r.operations.spend_missing = "not recorded";
  const std::string html = render_html(r);
  for (const char* id : kSectionIds) {
    INFO(id);
    const std::string s = section(html, id);
    CHECK(s.find("data-state=\"empty\"") != std::string::npos);
    CHECK(s.find("class=\"missing\"") != std::string::npos);
    CHECK(s.find("<svg") == std::string::npos);
  }
}

TEST_CASE("a scale maps its ends and a degenerate range to the middle") {
  const Scale s{0, 10, 100, 200};
  CHECK(s(0) == Approx(100));
  CHECK(s(10) == Approx(200));
  CHECK(s(2.5) == Approx(125));
  const Scale flat{3, 3, 100, 200};
  CHECK(flat(3) == Approx(150));
  CHECK(num(1.50) == "1.5");
  CHECK(num(-0.0001) == "0");
  CHECK(num(std::nan("")) == "?");
  CHECK(num(1.0 / 0.0) == "?");
}

TEST_CASE("charts keep every point inside the canvas and draw nothing without data") {
  CHECK(line_chart({}, true, "t", "y").empty());
  CHECK(scatter_chart({}, "t").empty());
  CHECK(heatmap({}, 1, "t").empty());
  CHECK(interval_chart({}, "t").empty());
  const std::string svg =
      line_chart({{0, 1, 0.5, 1.5, "a"}, {1, 3, 2, 4, "b"}, {2, -2, -3, -1, "c"}}, true, "t", "y");
  const gl::Regex circle("cx=\"([-0-9.]+)\" cy=\"([-0-9.]+)\"");
  int n = 0;
  for (const gl::RegexMatch& m : circle.all(svg)) {
    ++n;
    const double x = std::stod(m.str(1)), y = std::stod(m.str(2));
    CHECK(x >= kLeft);
    CHECK(x <= kWidth - kRight);
    CHECK(y >= kTop);
    CHECK(y <= kHeight - kBottom);
  }
  CHECK(n == 3);
  // The highest mean is drawn highest (smallest y).
  CHECK(svg.find("cy=\"") != std::string::npos);
  const auto ys = [&](const std::string& label) {
    gl::RegexMatch m;
    REQUIRE(gl::Regex("cy=\"([-0-9.]+)\" r=\"[0-9.]+\"><title>" + label + ":").search(svg, m));
    return std::stod(m.str(1));
  };
  CHECK(ys("b") < ys("a"));
  CHECK(ys("a") < ys("c"));
}

TEST_CASE("the heatmap puts a cell at its weekday row and hour column") {
  const std::string svg = heatmap({{2, 14, 0.5, 1, "3", "Tue 14:00"}}, 0.5, "t");
  // left 40, column width (640 - 44) / 24, row height 26, top 18.
  const double x = 40 + 14 * (596.0 / 24) + 0.5, y = 18 + 2 * 26 + 0.5;
  const std::string at = "<g class=\"cell\"><rect x=\"" + num(x) + "\" y=\"" + num(y) + "\"";
  CHECK(svg.find(at) != std::string::npos);
  CHECK(svg.find("<title>Tue 14:00</title>") != std::string::npos);
  // A full positive effect at full sureness is saturated orange, opaque.
  CHECK(svg.find("fill=\"rgb(230,120,30)\" fill-opacity=\"1\"") != std::string::npos);
}

TEST_CASE("the scatter draws y = x across the common log range") {
  const std::string svg = scatter_chart({{100, 1000}, {5000, 50}}, "t");
  CHECK(svg.find("class=\"diagonal\"") != std::string::npos);
  CHECK(svg.find("predicted 5000, actual 50") != std::string::npos);
  // Rates below 1 keep their decimals and their own decades; 0 sits on the lowest one.
  const std::string rates = scatter_chart({{0.02, 0.03}, {0.0, 0.05}}, "t", "engagement rate");
  CHECK(rates.find("predicted 0.02, actual 0.03") != std::string::npos);
  CHECK(rates.find(">0.01</text>") != std::string::npos);
  CHECK(rates.find(">0.1</text>") != std::string::npos);
  CHECK(rates.find("actual engagement rate") != std::string::npos);
}

TEST_CASE("the index links every account's page, escaped") {
  const std::string html =
      render_index({{"a_b", "a_b.html", "t", 3, 2, 0, ""}, {"c", "", "", 0, 0, 0, "<disk> full"}},
                   "2026-11-05T23:00:00Z");
  CHECK(html.find("<a href=\"a_b.html\">@a_b</a>") != std::string::npos);
  CHECK(html.find("@c: no report, it failed: &lt;disk&gt; full") != std::string::npos);
  CHECK(render_index({}, "t").find("class=\"missing\"") != std::string::npos);
}

TEST_CASE("report --format json carries every section") {
  const auto j = to_json(full_report());
  for (const char* k : {"learning_curve", "when_to_post", "what_works", "followers", "predictor",
                        "what_comes_next", "operations"})
    CHECK(j.contains(k));
  CHECK(j["what_works"]["families"]["formula"][0]["example"] == kHostile);
  CHECK(j["operations"]["spend"][0]["usd"] == Approx(0.215));
  CHECK(j["learning_curve"]["weeks"].size() == 2);
}
