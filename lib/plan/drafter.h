// Writing a plan's text: the LLM (through the chat model it is given) with its
// prompt, the offline composer as the fallback and the last attempt, the best
// of a few composer drafts by a posterior draw under Thompson, and the draft
// checks (plan/draft_check) on every draft. Nothing is queued unchecked.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "llm/client.h"
#include "plan/inputs.h"
#include "plan/plan.h"

namespace gl::plan {

struct Draft {
  std::string text;                      // NFC, passed every check
  std::string source = "offline";        // "llm", "offline" or "offline_fallback"
  std::vector<std::string> rejected;     // "source: why" of each refused draft
  std::optional<std::string> llm_error;  // why the LLM was given up on
  std::optional<int> drafts_considered;  // composer drafts compared (Thompson's best-of-N)

  // Adds text_source, rejected_drafts, llm_error and drafts_considered.
  void describe(nlohmann::json& rationale) const;
};

// No draft of the plan passed the checks within max_draft_attempts.
class NoDraft : public Error {
 public:
  using Error::Error;
};

class Drafter {
 public:
  // Without a chat model every draft is the composer's. in is read at each
  // write, so drafts see the posts planned before them.
  Drafter(const PlanInputs& in, const PlanOptions& o, llm::ChatModel* llm);

  // Throws NoDraft (a failure) naming every rejection when no draft passes
  // within max_draft_attempts.
  Draft write(const Plan& plan, std::mt19937_64& rng) const;

  // The LLM's instructions: persona, style, topic, hook, formula and its
  // example, the account's best recent posts.
  std::string prompt(const Plan& plan) const;

 private:
  std::string compose_best(const Plan& plan, std::mt19937_64& rng, Draft& draft) const;

  const PlanInputs& in_;
  const PlanOptions& o_;
  llm::ChatModel* llm_;
};

}  // namespace gl::plan
