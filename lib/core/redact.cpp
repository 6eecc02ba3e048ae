#include "core/redact.h"

#include <algorithm>
#include <cctype>

namespace gl {

namespace {

constexpr size_t kMinLiteralSecret = 4;

bool ends_value(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '&';
}

// [begin, end) of each URL userinfo password in text.
std::vector<std::pair<size_t, size_t>> url_password_spans(const std::string& text) {
  std::vector<std::pair<size_t, size_t>> spans;
  for (size_t scheme = text.find("://"); scheme != std::string::npos;
       scheme = text.find("://", scheme + 3)) {
    const size_t start = scheme + 3;
    size_t stop = start;
    while (stop < text.size() && !std::isspace(static_cast<unsigned char>(text[stop])) &&
           text[stop] != '"' && text[stop] != '\'' && text[stop] != '?' && text[stop] != '#') {
      ++stop;
    }
    const size_t at = text.rfind('@', stop == 0 ? 0 : stop - 1);
    if (at == std::string::npos || at < start) continue;
    const size_t colon = text.find(':', start);
    if (colon == std::string::npos || colon >= at) continue;
    spans.emplace_back(colon + 1, at);
  }
  return spans;
}

// [begin, end) of each password=VALUE value ('quoted' values included).
std::vector<std::pair<size_t, size_t>> keyword_password_spans(const std::string& text) {
  std::vector<std::pair<size_t, size_t>> spans;
  static const std::string kKey = "password";
  for (size_t k = text.find(kKey); k != std::string::npos; k = text.find(kKey, k + 1)) {
    size_t p = k + kKey.size();
    while (p < text.size() && text[p] == ' ') ++p;
    if (p >= text.size() || text[p] != '=') continue;
    ++p;
    while (p < text.size() && text[p] == ' ') ++p;
    size_t begin = p, end = p;
    if (p < text.size() && text[p] == '\'') {
      begin = end = p + 1;
      while (end < text.size() && text[end] != '\'') end += text[end] == '\\' ? 2 : 1;
      end = std::min(end, text.size());
    } else {
      while (end < text.size() && !ends_value(text[end])) ++end;
    }
    if (end > begin) spans.emplace_back(begin, end);
  }
  return spans;
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

void replace_spans(std::string& text, std::vector<std::pair<size_t, size_t>> spans) {
  // Right to left, so earlier offsets stay valid.
  std::sort(spans.begin(), spans.end());
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
    if (it->first >= text.size() || it->second <= it->first) continue;
    text.replace(it->first, std::min(it->second, text.size()) - it->first, kRedacted);
  }
}

}  // namespace

std::vector<std::string> passwords_in(const std::string& conninfo) {
  std::vector<std::string> out;
  auto spans = url_password_spans(conninfo);
  const auto keyword = keyword_password_spans(conninfo);
  spans.insert(spans.end(), keyword.begin(), keyword.end());
  for (const auto& [b, e] : spans) {
    const std::string raw = conninfo.substr(b, e - b);
    for (const std::string& whole : {raw, percent_decode(raw)}) {
      if (std::find(out.begin(), out.end(), whole) == out.end()) out.push_back(whole);
      // A password with a bare '@', '/' or ':' is cut there by libpq's URL parser,
      // which then quotes a piece back ("invalid integer value "Hunter2" for
      // connection option "port"", "could not translate host name "Secret@h""):
      // every piece is a secret too.
      size_t from = 0;
      while (from < whole.size()) {
        const size_t cut = whole.find_first_of("@/:", from);
        const size_t to = cut == std::string::npos ? whole.size() : cut;
        const std::string piece = whole.substr(from, to - from);
        if (to - from < whole.size() && !piece.empty() &&
            std::find(out.begin(), out.end(), piece) == out.end())
          out.push_back(piece);
        from = to + 1;
      }
    }
  }
  return out;
}

std::string redact_credentials(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.size() < kMinLiteralSecret) continue;
    for (size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + std::char_traits<char>::length(kRedacted))) {
      text.replace(at, secret.size(), kRedacted);
    }
  }
  auto spans = url_password_spans(text);
  const auto keyword = keyword_password_spans(text);
  spans.insert(spans.end(), keyword.begin(), keyword.end());
  // Overlapping spans (a password=... inside a URL) are merged first.
  std::sort(spans.begin(), spans.end());
  std::vector<std::pair<size_t, size_t>> merged;
  for (const auto& s : spans) {
    if (!merged.empty() && s.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, s.second);
    } else {
      merged.push_back(s);
    }
  }
  replace_spans(text, merged);
  return text;
}

}  // namespace gl
