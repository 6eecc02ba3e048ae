// inspect-text, run as a binary: no database, JSON lines in and out.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/harness.h"

using namespace gl::test;
using nlohmann::json;

namespace {

std::vector<json> lines_of(const std::string& out) {
  std::vector<json> v;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) v.push_back(json::parse(line));
  return v;
}

Result inspect(const std::string& input, std::vector<std::string> flags = {}) {
  Command c;
  c.args = {"inspect-text"};
  c.args.insert(c.args.end(), flags.begin(), flags.end());
  c.stdin_text = input;
  c.env["DATABASE_URL"] = "postgresql://nobody@127.0.0.1:9/none";  // never opened
  return run(c);
}

}  // namespace

TEST_CASE("inspect-text reads plain lines and JSON lines, passing other fields through") {
  const Result r = inspect(
      "Why do we wake up at 3am? https://t.co/abc123 @ana\n"
      "\n"
      "{\"id\": \"42\", \"label\": \"list\", \"text\": \"Top 10 hikes:\\n1. A\\n2. B\\n3. C\"}\n"
      "73% of adults sleep less than 7 hours &amp; 2023 was worse.\n");
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  const auto out = lines_of(r.out);
  REQUIRE(out.size() == 3);
  CHECK(out[0]["text"] == "Why do we wake up at 3am? https://t.co/abc123 @ana");
  CHECK(out[0]["weighted_length"] == 26 + 23 + 5);
  CHECK(out[0]["valid"] == true);
  CHECK(out[0]["hook"] == "question");
  CHECK(out[0]["hook_rule"] == "question.asks");  // the rule that read the hook
  CHECK(out[0]["question"] == true);
  CHECK(out[0]["has_numbers"] == false);  // 3am is a time
  REQUIRE(out[0]["entities"].size() == 2);
  CHECK(out[0]["entities"][0] ==
        json({{"type", "url"}, {"text", "https://t.co/abc123"}, {"indices", {26, 45}}}));
  CHECK(out[0]["entities"][1]["type"] == "mention");
  CHECK(out[0]["length_band"] == "short");
  CHECK(out[0]["formula"].get<std::string>().rfind("question|", 0) == 0);
  CHECK(out[1]["id"] == "42");
  CHECK(out[1]["label"] == "list");
  CHECK(out[1]["hook"] == "list");
  CHECK(out[1]["structure"] == "[List] + [Explanation]");
  CHECK(out[2]["hook"] == "surprising_stat");
  CHECK(out[2]["has_stat"] == true);
  CHECK(out[2]["weighted_length"] == 59);  // &amp; counts 5 unless --html-escaped

  const Result decoded =
      inspect("73% of adults sleep less than 7 hours &amp; 2023 was worse.\n", {"--html-escaped"});
  REQUIRE(decoded.exit_code == 0);
  CHECK(lines_of(decoded.out)[0]["weighted_length"] == 55);
}

TEST_CASE("inspect-text exits 2 naming the bad line, after printing the good ones") {
  const Result r = inspect("fine\n{\"id\": 1}\nnever read\n");
  CHECK(r.exit_code == 2);
  CHECK(lines_of(r.out).size() == 1);
  CHECK(r.err.find("stdin line 2") != std::string::npos);
  CHECK(inspect("{not json\n").exit_code == 2);
  CHECK(inspect("{not json\n", {"--plain"}).exit_code == 0);
  const Result bad_utf8 = inspect("ok\n\xE4\n");
  CHECK(bad_utf8.exit_code == 2);
  CHECK(bad_utf8.err.find("stdin line 2: not valid UTF-8") != std::string::npos);
  CHECK(inspect("x\n", {"--no-such-flag"}).exit_code == 2);
  const Result help = inspect("", {"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--html-escaped") != std::string::npos);
  CHECK(help.out.find("--db") == std::string::npos);  // no database
  const Result version = inspect("", {"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.find("inspect-text") != std::string::npos);
}
