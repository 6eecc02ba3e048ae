// bench/regret.py's drafts (build/bin/regret-drafts): for each line {"topic", "hook",
// "generator", "seed", "n"} on stdin, the offline composer's n drafts as one JSON list per line.
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "learn/text_features.h"
#include "plan/composer.h"
int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    const auto j = nlohmann::json::parse(line);
    gl::learn::HookType hook = gl::learn::HookType::kStatement;
    for (auto h : gl::learn::kAllHookTypes)
      if (gl::learn::hook_name(h) == j["hook"].get<std::string>()) hook = h;
    std::mt19937_64 rng(j["seed"].get<unsigned long long>());
    nlohmann::json out = nlohmann::json::array();
    for (int i = 0; i < j["n"].get<int>(); ++i)
      out.push_back(gl::plan::compose_offline({j["topic"], hook, j["generator"], ""}, rng));
    std::cout << out.dump() << std::endl;
  }
}
