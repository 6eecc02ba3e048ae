#include "core/secrets.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/number_flags.h"

namespace gl {

std::optional<std::string> env_setting(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

long env_whole(const std::string& name, long fallback, long min, long max) {
  const auto v = env_setting(name);
  if (!v) return fallback;
  const std::string problem =
      check_number(*v, static_cast<double>(min), static_cast<double>(max), true);
  if (!problem.empty()) throw usage_error(name, problem);
  return std::stol(*v);
}

std::string account_path(const std::string& variable, const std::string& path) {
  static const std::string kPlaceholder = "{account}";
  if (path.find(kPlaceholder) == std::string::npos) return path;
  const auto account = env_setting("GROWTHLOOP_ACCOUNT");
  if (!account) {
    throw usage_error(variable, path + " names {account}: give --account HANDLE or --all-accounts");
  }
  std::string out = path;
  for (auto at = out.find(kPlaceholder); at != std::string::npos;
       at = out.find(kPlaceholder, at + account->size())) {
    out.replace(at, kPlaceholder.size(), *account);
  }
  return out;
}

std::optional<std::string> env_secret(const std::string& name) {
  const auto direct = env_setting(name);
  const auto file = env_setting(name + "_FILE");
  if (direct && file) {
    throw usage_error(name, "set either " + name + " or " + name + "_FILE, not both");
  }
  if (direct) return direct;
  if (!file) return std::nullopt;
  const std::string path = account_path(name + "_FILE", *file);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw usage_error(name + "_FILE", "cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string value = ss.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  if (value.empty()) throw usage_error(name + "_FILE", path + " is empty");
  return value;
}

}  // namespace gl
