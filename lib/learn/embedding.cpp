#include "learn/embedding.h"

#include <cctype>
#include <cmath>

#include "core/hash.h"

namespace gl::learn {

namespace {}  // namespace

std::vector<float> local_embedding(const std::string& text, int dims) {
  std::vector<float> v(static_cast<size_t>(dims), 0.0f);
  std::vector<std::string> words;
  std::string cur;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c >= 0x80) {
      cur.push_back(static_cast<char>(std::tolower(c)));
    } else if (!cur.empty()) {
      words.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) words.push_back(cur);
  const auto add = [&](const std::string& token, float weight) {
    const unsigned long long h = fnv1a64(token);
    v[h % static_cast<unsigned long long>(dims)] += ((h >> 63) ? -weight : weight);
  };
  for (size_t i = 0; i < words.size(); ++i) {
    add(words[i], 1.0f);
    if (i + 1 < words.size()) add(words[i] + " " + words[i + 1], 0.7f);
  }
  double norm = 0;
  for (float x : v) norm += static_cast<double>(x) * x;
  if (norm > 0) {
    const float inv = static_cast<float>(1.0 / std::sqrt(norm));
    for (float& x : v) x *= inv;
  }
  return v;
}

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size() || a.empty()) return 0;
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += static_cast<double>(a[i]) * b[i];
    na += static_cast<double>(a[i]) * a[i];
    nb += static_cast<double>(b[i]) * b[i];
  }
  return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0;
}

}  // namespace gl::learn
