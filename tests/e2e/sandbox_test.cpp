#include "support/sandbox.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace gl::test;
using nlohmann::json;

namespace {

std::filesystem::path audiences() {
  return std::filesystem::path(source_dir()) / "bench" / "audiences";
}

std::vector<std::string> auth(const std::string& token) {
  return {"Authorization: OAuth oauth_token=\"" + token + "\", oauth_signature=\"x\""};
}

}  // namespace

TEST_CASE("x-sandbox refuses a truth file with a bad key, exit 2 naming the key") {
  const auto path =
      std::filesystem::temp_directory_path() / ("gl_truth_" + std::to_string(getpid()) + ".json");
  for (const auto& [text, key] : std::vector<std::pair<std::string, std::string>>{
           {R"({"topics": {"sleep": "high"}})", "topics.sleep"},
           {R"({"hooks": {"figure": 0.2, "shouting": 1}})", "hooks.shouting"},
           {R"({"base_impressions": 600, "likes_rate": 0.1})", "likes_rate"}}) {
    std::ofstream(path) << text;
    const Result r = run_tool({"x-sandbox", "--port", "0", "--truth", path.string()}, {});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(key) != std::string::npos);
  }
  std::filesystem::remove(path);
}

TEST_CASE("x-sandbox serves every audience preset as its truth") {
  int presets = 0;
  for (const auto& entry : std::filesystem::directory_iterator(audiences())) {
    if (entry.path().extension() != ".json") continue;
    ++presets;
    std::ifstream in(entry.path());
    const json preset = json::parse(in);
    Sandbox s({"--truth", entry.path().string()});
    const json truth = s.get("/sandbox/truth")["truth"];
    INFO(entry.path());
    CHECK(truth["timezone"] == preset["timezone"]);
    if (preset.contains("topics")) CHECK(truth["topics"] == preset["topics"]);
  }
  CHECK(presets >= 4);
}

TEST_CASE("/sandbox/score answers for the calling user: its fatigue and its followers") {
  const json request = {{"text", "Sleep is a skill you can practise."},
                        {"posted_at", "2026-11-18T23:00:00Z"}};
  Sandbox s;
  const json neutral = s.post("/sandbox/score", request);
  for (const char* field : {"impressions", "likes", "retweets", "replies", "quotes", "bookmarks",
                            "profile_clicks", "follows"}) {
    CHECK(neutral[field].get<double>() > 0);
  }
  // A caller the sandbox has not seen is a neutral account.
  CHECK(s.post("/sandbox/score", request, auth("tired"))["impressions"] == neutral["impressions"]);
  // Its own post on sleep three hours before makes another one earn less; nobody else's does.
  s.import("oauth1:tired", {"Sleep tonight, not tomorrow."}, "2026-11-18T20:00:00Z");
  s.import("oauth1:someone-else", {"Sleep early, sleep well."}, "2026-11-18T21:00:00Z");
  CHECK(s.post("/sandbox/score", request, auth("tired"))["impressions"].get<double>() <
        0.9 * neutral["impressions"].get<double>());
  CHECK(s.post("/sandbox/score", request)["impressions"] == neutral["impressions"]);

  // An account whose posts have brought followers reaches further.
  Sandbox growth({"--truth", (audiences() / "weekdays_growth.json").string()});
  const json before = growth.post("/sandbox/score", request, auth("grower"));
  for (int day = 1; day <= 14; ++day) {
    const std::string date = std::string("2026-11-") + (day < 10 ? "0" : "") + std::to_string(day);
    growth.import("oauth1:grower",
                  {"I was wrong about strength for years, day " + std::to_string(day)},
                  date + "T17:00:00Z");
  }
  const json grown = growth.post("/sandbox/score", request, auth("grower"));
  CHECK(grown["impressions"].get<double>() > 1.1 * before["impressions"].get<double>());
}
