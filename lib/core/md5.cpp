#include "core/md5.h"

#include <openssl/evp.h>

#include <memory>

#include "core/error.h"

namespace gl {

namespace {

// The digest fetched once and one context reused per thread: EVP_Digest
// fetches the algorithm and allocates a context at every call.
struct Md5Context {
  std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md{EVP_MD_fetch(nullptr, "MD5", nullptr),
                                                     &EVP_MD_free};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
};

}  // namespace

std::string md5_hex(std::string_view data) {
  thread_local Md5Context c;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!c.md || !c.ctx || !EVP_DigestInit_ex2(c.ctx.get(), c.md.get(), nullptr) ||
      !EVP_DigestUpdate(c.ctx.get(), data.data(), data.size()) ||
      !EVP_DigestFinal_ex(c.ctx.get(), digest, &len)) {
    throw failure("md5", "OpenSSL cannot compute it");
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out(2 * len, '0');
  for (unsigned int i = 0; i < len; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return out;
}

}  // namespace gl
