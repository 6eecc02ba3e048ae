// SHA-256 as lowercase hex (OpenSSL), for migration checksums.
#pragma once

#include <string>

namespace gl {
std::string sha256_hex(const std::string& data);
}
