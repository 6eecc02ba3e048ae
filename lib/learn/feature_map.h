// Named features of a post or a choice ("topic=sleep", "hour_sin1", "numbers"),
// the input every linear model in lib/learn reads.
#pragma once

#include <map>
#include <string>

namespace gl::learn {

using FeatureMap = std::map<std::string, double>;

}  // namespace gl::learn
