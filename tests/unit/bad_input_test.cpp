// Input from outside checked at the edge: times, numbers, connection errors,
// credentials in messages, per-item X errors, LLM answers (issue 15).
#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>

#include "core/clock.h"
#include "core/error.h"
#include "core/json_lines.h"
#include "core/number_flags.h"
#include "core/redact.h"
#include "core/secrets.h"
#include "db/connection.h"
#include "llm/parse.h"
#include "x/errors.h"

using gl::parse_iso8601;

TEST_CASE("times outside 1970-2199 are rejected instead of wrapping around") {
  CHECK_FALSE(parse_iso8601("1677-09-21T00:12:43Z"));
  CHECK_FALSE(parse_iso8601("2262-04-12T00:00:00Z"));
  CHECK_FALSE(parse_iso8601("9999-12-31T23:59:59Z"));
  CHECK_FALSE(parse_iso8601("1969-12-31T23:59:59Z"));
  CHECK_FALSE(parse_iso8601("2199-12-31T23:00:00-05:00"));  // 2200 in UTC
  CHECK(gl::format_iso8601(*parse_iso8601(gl::kEarliestTime)) == gl::kEarliestTime);
  CHECK(gl::format_iso8601(*parse_iso8601(gl::kLatestTime)) == gl::kLatestTime);
}

TEST_CASE("a bad --now says whether it is empty, malformed or out of range") {
  const auto reason = [](const std::string& text) {
    try {
      gl::parse_now_flag(text);
    } catch (const gl::Error& e) {
      CHECK(e.exit_code() == gl::kExitUsage);
      CHECK(e.subject() == "--now");
      return e.reason();
    }
    return std::string("accepted");
  };
  CHECK(reason("").find("empty") != std::string::npos);
  CHECK(reason("yesterday").find("not an ISO 8601 time") != std::string::npos);
  CHECK(reason("1677-09-21T00:12:43Z").find("outside the supported range") != std::string::npos);
  CHECK(reason("2262-04-12").find("outside the supported range") != std::string::npos);
  CHECK(gl::parse_now_flag("2026-11-24T10:00:00Z") == *parse_iso8601("2026-11-24T10:00:00Z"));
}

TEST_CASE("number flags must be finite, whole when asked, and in range") {
  using gl::check_number;
  CHECK(check_number("0.3", 0, 2, false).empty());
  CHECK(check_number("2", 0, 2, false).empty());
  CHECK(check_number("1e-3", 0, 1, false).empty());
  for (const char* bad : {"nan", "NaN", "-nan", "inf", "infinity", "-inf"}) {
    INFO(bad);
    CHECK(check_number(bad, 0, 2, false).find("not a finite number") != std::string::npos);
  }
  CHECK(check_number("1e308", 0, 168, false).find("out of range") != std::string::npos);
  CHECK(check_number("-0.1", 0, 1, false).find("out of range") != std::string::npos);
  CHECK(check_number("", 0, 1, false).find("empty") != std::string::npos);
  CHECK(check_number("0.5x", 0, 1, false).find("not a number") != std::string::npos);
  CHECK(check_number(" 1", 0, 2, false).find("not a number") != std::string::npos);
  CHECK(check_number("12", 1, 100, true).empty());
  CHECK(check_number("2.5", 1, 100, true).find("not a whole number") != std::string::npos);
  CHECK(check_number("1e3", 1, 100, true).find("not a whole number") != std::string::npos);
  CHECK(check_number("99999999999999999999999", 1, 100, true).find("out of range") !=
        std::string::npos);
  CHECK(check_number("0", 1, 100, true).find("1 to 100") != std::string::npos);
  CHECK(check_number("-", 1, 100, true).find("not a whole number") != std::string::npos);
}

TEST_CASE("number settings from the environment are checked, naming the variable") {
  setenv("GL_TEST_SETTING", "abc", 1);
  try {
    gl::env_whole("GL_TEST_SETTING", 5, 0, 10);
    FAIL("accepted abc");
  } catch (const gl::Error& e) {
    CHECK(e.exit_code() == gl::kExitUsage);
    CHECK(e.subject() == "GL_TEST_SETTING");
  }
  setenv("GL_TEST_SETTING", "7", 1);
  CHECK(gl::env_whole("GL_TEST_SETTING", 5, 0, 10) == 7);
  unsetenv("GL_TEST_SETTING");
  CHECK(gl::env_whole("GL_TEST_SETTING", 5, 0, 10) == 5);
}

TEST_CASE("connection failures: configuration exits 2, what may come back exits 75") {
  using gl::db::connect_error_exit_code;
  for (const char* config :
       {"invalid integer value \"5432:x\" for connection option \"port\"",
        "invalid sslmode value: \"bogus\"", "invalid URI query parameter: \"bogus\"",
        "invalid percent-encoded token: \"***\"", "missing \"=\" after \"x\" in connection info",
        "unterminated quoted string in connection info string",
        "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database \"nope\" does "
        "not exist",
        "connection to server at \"h\", port 5432 failed: FATAL:  password authentication failed "
        "for user \"bob\"",
        "connection to server at \"h\", port 5432 failed: FATAL:  role \"x\" does not exist",
        "could not translate host name \"nosuch.invalid\" to address: Name or service not known",
        "connection to server at \"h\", port 5432 failed: server does not support SSL, but SSL was "
        "required"}) {
    INFO(config);
    CHECK(connect_error_exit_code(config) == gl::kExitUsage);
  }
  for (const char* temporary :
       {"connection to server at \"127.0.0.1\", port 9 failed: Connection refused",
        "connection to server at \"h\", port 5432 failed: timeout expired",
        "connection to server at \"h\", port 5432 failed: FATAL:  the database system is shutting "
        "down",
        "connection to server at \"h\", port 5432 failed: FATAL:  the database system is starting "
        "up",
        "connection to server at \"h\", port 5432 failed: FATAL:  sorry, too many clients already",
        "could not translate host name \"db\" to address: Temporary failure in name resolution"}) {
    INFO(temporary);
    CHECK(connect_error_exit_code(temporary) == gl::kExitTempFail);
  }
}

TEST_CASE("passwords are redacted from messages in every form") {
  using gl::redact_credentials;
  const std::string url = "postgresql://bob:s3cr%zzet@db.example:5432/app";
  const auto secrets = gl::passwords_in(url);
  CHECK(redact_credentials("invalid percent-encoded token: \"s3cr%zzet\"", secrets) ==
        "invalid percent-encoded token: \"***\"");
  CHECK(redact_credentials("in URI: \"postgresql://bob:hunter22@[::1/db\"") ==
        "in URI: \"postgresql://bob:***@[::1/db\"");
  CHECK(redact_credentials("host=h password=hunter22 user=bob") == "host=h password=*** user=bob");
  CHECK(redact_credentials("password = 'a b\\' c' dbname=x") == "password = '***' dbname=x");
  CHECK(redact_credentials("postgresql://h/db?password=hunter22&sslmode=x") ==
        "postgresql://h/db?password=***&sslmode=x");
  CHECK(redact_credentials("https://api.x.com/2/tweets") == "https://api.x.com/2/tweets");
  CHECK(redact_credentials("postgresql://bob@h/db") == "postgresql://bob@h/db");
  // A decoded password is found too; a short one only where it is a password.
  const auto encoded = gl::passwords_in("postgresql://u:p%40ss%20word@h/db");
  CHECK(redact_credentials("bad: p@ss word", encoded) == "bad: ***");
  CHECK(redact_credentials("a cat", gl::passwords_in("postgresql://u:a@h/d")) == "a cat");
  // A bare '/' or '@' in the password: libpq cuts it there and quotes a piece back.
  const auto slash = gl::passwords_in("postgresql://glpw:Hunter2Secret/tail@h:5432/db");
  CHECK(redact_credentials("invalid integer value \"Hunter2Secret\" for connection option "
                           "\"port\"",
                           slash) ==
        "invalid integer value \"***\" for connection option \"port\"");
  const auto at = gl::passwords_in("postgresql://glpw:Hunter2@Secret@h:5432/db");
  CHECK(redact_credentials("could not translate host name \"Secret@h\" to address", at) ==
        "could not translate host name \"***@h\" to address");
}

TEST_CASE("only not-found, protected and suspended items are definitive absences") {
  CHECK(gl::x::is_definitive_absence("resource-not-found"));
  CHECK(gl::x::is_definitive_absence("not-authorized-for-resource"));
  CHECK(gl::x::is_definitive_absence("resource-unavailable"));
  for (const char* transient : {"", "about:blank", "service-unavailable", "operational-disconnect",
                                "invalid-request", "rate-limit"}) {
    INFO(transient);
    CHECK_FALSE(gl::x::is_definitive_absence(transient));
  }
}

TEST_CASE("LLM answers: text, refusals, cut-offs and garbage") {
  using gl::llm::parse_chat_answer;
  const auto answer = [](const std::string& content, const std::string& extra = "") {
    return R"({"choices":[{"index":0,"message":{"role":"assistant","content":)" + content + extra +
           R"(},"finish_reason":"stop"}]})";
  };
  CHECK(parse_chat_answer(answer("\"Sleep is a skill.\"")) == "Sleep is a skill.");
  const auto code = [](const std::string& body) {
    try {
      parse_chat_answer(body);
    } catch (const gl::Error& e) {
      return e.exit_code();
    }
    return 0;
  };
  CHECK(code(answer("null", R"(,"refusal":"I can't")")) == gl::kExitFailure);
  CHECK(code(answer("\"\"")) == gl::kExitTempFail);
  CHECK(code(answer("42")) == gl::kExitTempFail);
  CHECK(code(R"({"choices":[{"message":{"content":"cut"},"finish_reason":"length"}]})") ==
        gl::kExitTempFail);
  CHECK(code(R"({"choices":[{"message":{"content":"ok"},"finish_reason":null}]})") == 0);
  for (const char* garbage : {"", "<html>", "[]", "{}", R"({"choices":"x"})", R"({"choices":[]})",
                              R"({"choices":[7]})"}) {
    INFO(garbage);
    CHECK(code(garbage) == gl::kExitTempFail);
  }
}

TEST_CASE("LLM embeddings: one vector of numbers per input, in index order") {
  using gl::llm::parse_embeddings;
  const auto v = parse_embeddings(
      R"({"data":[{"index":1,"embedding":[3,4]},{"index":0,"embedding":[1.5,2]}]})", 2);
  REQUIRE(v.size() == 2);
  CHECK(v[0] == std::vector<float>{1.5f, 2.0f});
  CHECK(v[1] == std::vector<float>{3.0f, 4.0f});
  const std::pair<const char*, size_t> bad_bodies[] = {
      {R"({"data":[{"index":0,"embedding":["a"]}]})", 1},
      {R"({"data":[{"index":"0","embedding":[1]}]})", 1},
      {R"({"data":[{"index":0,"embedding":[1e300]}]})", 1},
      {R"({"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[2]}]})", 2},
      {R"({"data":[7]})", 1},
      {R"({"data":[{"index":0,"embedding":[1]}]})", 2}};
  for (const auto& [body, inputs] : bad_bodies) {
    INFO(body);
    CHECK_THROWS_AS(parse_embeddings(body, inputs), gl::Error);
  }
  std::string code;
  CHECK(gl::llm::parse_error_message(R"({"error":{"message":"quota","code":"insufficient_quota"}})",
                                     code) == "quota");
  CHECK(code == "insufficient_quota");
  code.clear();
  CHECK(gl::llm::parse_error_message(R"({"object":"error","message":"bad","code":400})", code) ==
        "bad");
  CHECK(code == "400");
}

TEST_CASE("stdin lines: the named string field of each object, bad lines named") {
  std::istringstream in("{\"generator\":\"coach\"}\n\n{\"generator\":7}\n{\"x\":1}\n");
  CHECK(gl::read_string_field(in, "generator") == std::set<std::string>{"coach"});
  std::istringstream bad("{\"generator\":\"coach\"}\n[1]\n");
  try {
    gl::read_string_field(bad, "generator");
    FAIL("accepted an array line");
  } catch (const gl::Error& e) {
    CHECK(e.subject() == "stdin line 2");
  }
  CHECK(gl::valid_utf8("ok \xff") == "ok \xEF\xBF\xBD");
}
