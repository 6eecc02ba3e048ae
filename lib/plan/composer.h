// The offline composer: writes a post for a topic in a hook's structure and a
// persona's voice, with no LLM. Deterministic given the rng.
#pragma once

#include <random>
#include <string>

#include "learn/text_features.h"

namespace gl::plan {

struct DraftRequest {
  std::string topic;
  learn::HookType hook = learn::HookType::kStatement;
  std::string generator;
  std::string structure;  // the formula's structure, when one was chosen
};

std::string compose_offline(const DraftRequest& r, std::mt19937_64& rng);

// The hooks a persona writes in most naturally (its default without a formula).
std::vector<learn::HookType> persona_hooks(const std::string& generator);

}  // namespace gl::plan
