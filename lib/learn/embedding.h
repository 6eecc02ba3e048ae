// A local text embedding: hashed word unigrams and bigrams with signs,
// L2-normalised. Deterministic, no model to download; good enough to catch
// near-duplicates and group similar posts.
#pragma once

#include <string>
#include <vector>

namespace gl::learn {

inline constexpr int kLocalEmbeddingDims = 256;

std::vector<float> local_embedding(const std::string& text, int dims = kLocalEmbeddingDims);

// Cosine similarity; 0 when either vector is zero or the sizes differ.
double cosine(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace gl::learn
