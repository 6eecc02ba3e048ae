#include "x/errors.h"

#include <nlohmann/json.hpp>

namespace gl::x {

namespace {

std::optional<TimePoint> epoch_header(const HttpResponse& resp, const char* name) {
  const std::string v = resp.header(name);
  if (v.empty()) return std::nullopt;
  char* end = nullptr;
  const long long secs = std::strtoll(v.c_str(), &end, 10);
  // A time past 2200 is no reset X means (and would overflow the clock's nanoseconds).
  constexpr long long kYear2200 = 7258118400;
  if (end == v.c_str() || secs <= 0 || secs >= kYear2200) return std::nullopt;
  return TimePoint(std::chrono::seconds(secs));
}

std::string json_string(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

const char* problem_name(Problem p) {
  switch (p) {
    case Problem::kNone:
      return "none";
    case Problem::kRateLimited:
      return "rate_limited";
    case Problem::kUsageCapped:
      return "usage_capped";
    case Problem::kCreditsDepleted:
      return "credits_depleted";
    case Problem::kUnauthorized:
      return "unauthorized";
    case Problem::kForbidden:
      return "forbidden";
    case Problem::kDuplicate:
      return "duplicate_content";
    case Problem::kReplyNotAllowed:
      return "reply_not_allowed";
    case Problem::kTooLong:
      return "text_too_long";
    case Problem::kBadRequest:
      return "bad_request";
    case Problem::kNotFound:
      return "not_found";
    case Problem::kServer:
      return "server_error";
    case Problem::kMalformed:
      return "malformed_response";
    case Problem::kTransport:
      return "transport";
    case Problem::kTimeout:
      return "timeout";
  }
  return "unknown";
}

std::string problem_type_suffix(const std::string& type_url) {
  std::string s = type_url;
  const auto hash = s.find('#');
  if (hash != std::string::npos) s = s.substr(hash + 1);
  while (!s.empty() && s.back() == '/') s.pop_back();
  const auto slash = s.rfind('/');
  return slash == std::string::npos ? s : s.substr(slash + 1);
}

bool is_definitive_absence(const std::string& problem_type) {
  return problem_type == "resource-not-found" || problem_type == "not-authorized-for-resource" ||
         problem_type == "resource-unavailable";
}

Classified classify_response(const HttpResponse& resp) {
  Classified c;
  if (resp.status >= 200 && resp.status < 300) return c;
  const auto body = nlohmann::json::parse(resp.body, nullptr, false);
  std::string type, title, detail;
  if (body.is_object()) {
    type = problem_type_suffix(json_string(body, "type"));
    title = json_string(body, "title");
    detail = json_string(body, "detail");
    // v1.1 shape {"errors":[{"code":88,"message":"..."}]} and v2 validation errors.
    if (auto errs = body.find("errors"); errs != body.end() && errs->is_array() && !errs->empty()) {
      const auto& first = (*errs)[0];
      if (detail.empty() && first.is_object()) {
        detail = json_string(first, "message");
        if (detail.empty()) detail = json_string(first, "detail");
      }
    }
  }
  c.detail = detail.empty() ? title : detail;
  if (c.detail.empty()) c.detail = "HTTP " + std::to_string(resp.status);

  switch (resp.status) {
    case 429: {
      if (type == "usage-capped" || title == "UsageCapExceeded") {
        c.problem = Problem::kUsageCapped;
        break;
      }
      c.problem = Problem::kRateLimited;
      c.retry_at = epoch_header(resp, "x-rate-limit-reset");
      for (const char* scope : {"x-user-limit-24hour", "x-app-limit-24hour"}) {
        if (resp.header(std::string(scope) + "-remaining") == "0") {
          if (auto day = epoch_header(resp, (std::string(scope) + "-reset").c_str()))
            c.retry_at = day;
        }
      }
      break;
    }
    case 402:
      c.problem = Problem::kCreditsDepleted;
      break;
    case 401:
      c.problem = Problem::kUnauthorized;
      break;
    case 403:
      // Since 2026 X lets a program reply only to posts that mention or quote
      // its account: "You can only reply to or quote posts where you are
      // mentioned or are the author." That is about the one post.
      if (detail.find("duplicate") != std::string::npos) {
        c.problem = Problem::kDuplicate;
      } else if (detail.find("only reply") != std::string::npos ||
                 detail.find("are mentioned") != std::string::npos) {
        c.problem = Problem::kReplyNotAllowed;
      } else {
        c.problem = Problem::kForbidden;
      }
      break;
    case 404:
      c.problem = Problem::kNotFound;
      break;
    case 400:
    case 422:
      c.problem =
          detail.find("too long") != std::string::npos ? Problem::kTooLong : Problem::kBadRequest;
      break;
    default:
      c.problem = resp.status >= 500 ? Problem::kServer : Problem::kBadRequest;
  }
  return c;
}

bool is_retryable(Problem p) {
  return p == Problem::kServer || p == Problem::kTimeout || p == Problem::kTransport ||
         p == Problem::kMalformed;
}

Error to_error(const std::string& endpoint, const Classified& c) {
  const std::string what = "X API " + endpoint;
  switch (c.problem) {
    case Problem::kRateLimited:
      return temp_error(
          what, "rate limited" + (c.retry_at ? "; retry after " + format_iso8601(*c.retry_at)
                                             : std::string("; retry later")));
    case Problem::kUsageCapped:
      return failure(what, "usage cap exceeded (" + c.detail +
                               "); not retried: raise the plan's cap or wait for the next period");
    case Problem::kCreditsDepleted:
      return failure(what,
                     "credits depleted (" + c.detail + "); add credits in the developer console");
    case Problem::kUnauthorized:
      return failure(what,
                     "401 unauthorized (" + c.detail +
                         "): check X_BEARER_TOKEN or the OAuth keys and tokens, and that they "
                         "belong to the same app");
    case Problem::kForbidden:
      return failure(what, "403 forbidden (" + c.detail +
                               "): check the app is in a Project, its permissions (read and write "
                               "for posting), the token's scopes, and that the account's or the "
                               "app's access is not suspended");
    case Problem::kServer:
    case Problem::kTimeout:
    case Problem::kTransport:
      // Whether it was retried is the call's (POST /2/tweets never is), not said here.
      return temp_error(
          what, std::string(problem_name(c.problem)) + " (" + c.detail + "); try again later");
    case Problem::kMalformed:
      return temp_error(what, "malformed response (" + c.detail + ")");
    default:
      return failure(what, std::string(problem_name(c.problem)) + ": " + c.detail);
  }
}

ApiError::ApiError(const std::string& endpoint, Classified c)
    : Error(to_error(endpoint, c)), classified_(std::move(c)) {}

}  // namespace gl::x
