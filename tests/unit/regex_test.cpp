#include "core/regex.h"

#include <catch2/catch.hpp>
#include <regex>
#include <utility>
#include <vector>

#include "core/error.h"

using gl::Regex;
using gl::RegexMatch;

namespace {

// What std::regex (ECMAScript, over bytes) answers: whether it finds the
// pattern, and where.
struct Found {
  bool found;
  size_t position;
  size_t length;
  bool operator==(const Found& o) const {
    return found == o.found && (!found || (position == o.position && length == o.length));
  }
};

Found std_search(const std::string& pattern, const std::string& s, bool icase) {
  const auto flags = icase ? std::regex::ECMAScript | std::regex::icase : std::regex::ECMAScript;
  std::smatch m;
  if (!std::regex_search(s, m, std::regex(pattern, flags))) return {false, 0, 0};
  return {true, static_cast<size_t>(m.position(0)), static_cast<size_t>(m.length(0))};
}

Found pcre_search(const std::string& pattern, const std::string& s, bool icase) {
  RegexMatch m;
  if (!Regex(pattern, icase ? Regex::kIcase : Regex::kNone).search(s, m)) return {false, 0, 0};
  return {true, m.position(), m.length()};
}

}  // namespace

TEST_CASE("a regex finds what std::regex finds, byte for byte") {
  // The constructs of the text-analysis patterns, at the places PCRE2's and
  // ECMAScript's defaults differ: . and line ends, $ before a final newline,
  // \s and \v, \w and \b next to UTF-8 bytes, ASCII-only case folding,
  // lookaheads, lazy repeats, multi-byte alternations.
  const char* patterns[] = {
      R"(a.b)",
      R"(^x.*$)",
      R"(end$)",
      R"(^start)",
      R"(\s+)",
      R"(\bword\b)",
      R"(\w+)",
      R"(caf\w)",
      R"(^(é|e)cole\b)",
      R"(\bstep (1|one)\b)",
      R"(comment (?!(here|there)\b)\w+(er|ir|re)\b)",
      R"(^((for|to) [^,]{3,20}?,?\s*)?use\b)",
      R"((^|\s|:)\(?1[.)]\s+\S.*\s\(?2[.)]\s+\S)",
      R"([^.!\n]*\?)",
      R"(^([\s:;,.|>-]|–|—)*(rt\b\s*:?\s*)?)",
      R"(\d(\xEF\xB8\x8F)?\xE2\x83\xA3)",
      R"([\w'-]+\s+[a-z'-]+s\b)",
  };
  const std::string subjects[] = {
      "",
      "a\nb",
      "a\rb",
      "axb",
      "x\n",
      "x",
      "the end\n",
      "the end",
      "it's the end",
      "start here",
      "\n start",
      "\v\f\t",
      "word",
      "a word, here",
      "swords",
      "café",
      "CAFÉ",
      "École",
      "école",
      "ecole",
      "STEP 1 then step two",
      "comment faire",
      "comment here there",
      "Comment installer",
      "to make it quick, use jq",
      "for x, use y",
      "rules: 1) sleep 2) walk 3) read",
      "1. a\r\n2. b",
      "would you?\nreally?",
      "a. b! c?",
      " -: RT : hello",
      "— rt: hi",
      "1\xEF\xB8\x8F\xE2\x83\xA3 first",
      "top dog's rules",
      "\xC3\xA9t\xC3\xA9 tips",
  };
  for (const char* p : patterns) {
    for (const std::string& s : subjects) {
      for (const bool icase : {false, true}) {
        INFO("pattern " << p << ", subject \"" << s << "\", icase " << icase);
        CHECK(pcre_search(p, s, icase) == std_search(p, s, icase));
      }
    }
  }
}

TEST_CASE("a regex that does not compile is an error naming it") {
  try {
    Regex bad("(unclosed");
    FAIL("no error");
  } catch (const gl::Error& e) {
    CHECK(std::string(e.what()).find("(unclosed") != std::string::npos);
  }
}

TEST_CASE("a regex reports groups, prefix and suffix") {
  const Regex clock(R"((\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]m)?)", Regex::kIcase);
  RegexMatch m;
  REQUIRE(clock.search("on 18 Feb 9:05 PM, UTC", m));
  CHECK(m.str() == "9:05 PM");
  CHECK(m.str(1) == "9");
  CHECK(m.str(2) == "05");
  CHECK_FALSE(m.matched(3));
  CHECK(m.str(3).empty());
  CHECK(m.str(4) == "PM");
  CHECK(m.prefix() == "on 18 Feb ");
  CHECK(m.suffix() == ", UTC");
}

TEST_CASE("a full match is all of the text") {
  const Regex id("^[0-9]{1,19}$");
  CHECK(id.full_match("1234"));
  CHECK_FALSE(id.full_match("1234\n"));
  CHECK_FALSE(id.full_match(""));
  const Regex count(R"(([0-9]+)\s*(k?))", Regex::kIcase);
  RegexMatch m;
  REQUIRE(count.full_match("12 K", m));
  CHECK(m.str(2) == "K");
  CHECK_FALSE(count.full_match("12 K posts"));
}

TEST_CASE("replacing the first or every match is std::regex_replace") {
  const std::string s = "I don't know how to cook, never how to bake, and how to eat";
  const std::regex std_re(R"(\b(don'?t know|never) how to\b)");
  const Regex re(R"(\b(don'?t know|never) how to\b)");
  CHECK(re.replace_all(s, " ") == std::regex_replace(s, std_re, " "));
  CHECK(re.replace_first(s, "") ==
        std::regex_replace(s, std_re, "", std::regex_constants::format_first_only));
  CHECK(re.replace_all("nothing here", " ") == "nothing here");
  // Empty matches, as std::regex_iterator steps over them.
  const Regex maybe_a("a*");
  CHECK(maybe_a.replace_all("baaac", "-") == std::regex_replace("baaac", std::regex("a*"), "-"));
}

TEST_CASE("every match is what std::sregex_iterator walks") {
  const auto std_all = [](const std::string& pattern, const std::string& s) {
    std::vector<std::pair<size_t, std::string>> out;
    const std::regex re(pattern);
    for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator();
         ++it) {
      out.emplace_back(static_cast<size_t>(it->position()), it->str());
    }
    return out;
  };
  const auto pcre_all = [](const std::string& pattern, const std::string& s) {
    std::vector<std::pair<size_t, std::string>> out;
    for (const RegexMatch& m : Regex(pattern).all(s)) out.emplace_back(m.position(), m.str());
    return out;
  };
  const std::pair<const char*, const char*> cases[] = {
      {R"(https?://[^\s]+)", "see https://a.co/x, then http://b.org/y). and https://c"},
      {"a*", "baaac"},
      {R"(\b\w+\b)", "two words"},
      {"x", "no match"},
      {"", "ab"},
  };
  for (const auto& [pattern, s] : cases) {
    INFO(pattern << " in \"" << s << '"');
    CHECK(pcre_all(pattern, s) == std_all(pattern, s));
  }
  CHECK(Regex("a").all("aaa").size() == 3);
}
