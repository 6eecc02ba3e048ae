// MD5 as lowercase hex (OpenSSL), as PostgreSQL's md5() gives it: the key
// post_text_features stores a content's analysis under. Computed here, a
// learner reading thousands of posts does not ask the server for an md5 per
// post (PostgreSQL's costs about 3 µs each: 30 ms of a 10,000-post read).
#pragma once

#include <string>
#include <string_view>

namespace gl {
std::string md5_hex(std::string_view data);
}
