// Fuzzes the parsers of X API v2 bodies. The first byte picks the parser;
// a parser may reject a body (MalformedBody), never crash or throw anything else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "x/errors.h"
#include "x/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const std::string body(reinterpret_cast<const char*>(data) + 2, size - 2);
  using namespace gl::x;
  try {
    switch (data[0] % 5) {
      case 0: {
        const LookupResult r = parse_tweet_lookup(body);
        for (const auto& p : r.problems) is_definitive_absence(p.type);
        break;
      }
      case 1:
        parse_user(body);
        break;
      case 2:
        parse_timeline(body);
        break;
      case 3:
        parse_post(body);
        break;
      default: {
        // An error answer: the status from the second byte, headers from the body's first line.
        static const long kStatuses[] = {400, 401, 402, 403, 404, 422, 429, 500, 503, 200};
        gl::HttpResponse resp;
        resp.status = kStatuses[data[1] % 10];
        resp.body = body;
        const auto nl = body.find('\n');
        resp.headers["x-rate-limit-reset"] = body.substr(0, nl == std::string::npos ? 0 : nl);
        resp.headers["x-user-limit-24hour-remaining"] = "0";
        resp.headers["x-user-limit-24hour-reset"] = resp.headers["x-rate-limit-reset"];
        const Classified c = classify_response(resp);
        to_error("GET /2/tweets", c);
        problem_type_suffix(body);
        break;
      }
    }
  } catch (const MalformedBody&) {
  }
  return 0;
}
