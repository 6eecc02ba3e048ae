#include "plan/drafter.h"

#include "core/error.h"
#include "learn/text_features.h"
#include "plan/composer.h"
#include "plan/draft_check.h"
#include "x/tweet_text.h"

namespace gl::plan {

namespace {

constexpr const char* kSystemPrompt =
    "You write single posts for an X (Twitter) account. Rules: output only the post text; at most "
    "260 characters; no hashtags; no placeholders or brackets; no claims of being an AI; plain, "
    "specific, true.";

// Composer drafts compared by a posterior draw under Thompson.
constexpr int kBestOf = 4;

learn::HookType hook_of(const Plan& plan) {
  learn::HookType h = learn::HookType::kStatement;
  learn::parse_hook(plan.hook, h);
  return h;
}

}  // namespace

void Draft::describe(nlohmann::json& rationale) const {
  rationale["text_source"] = source;
  if (!rejected.empty()) rationale["rejected_drafts"] = rejected;
  if (llm_error) rationale["llm_error"] = *llm_error;
  if (drafts_considered) rationale["drafts_considered"] = *drafts_considered;
}

Drafter::Drafter(const PlanInputs& in, const PlanOptions& o, llm::ChatModel* llm)
    : in_(in), o_(o), llm_(llm) {}

std::string Drafter::prompt(const Plan& plan) const {
  const Persona* p = in_.persona(plan.persona);
  const learn::HookType hook = hook_of(plan);
  std::string prompt = "Persona: " + plan.persona;
  if (p) prompt += " (" + p->description + ")\nStyle: " + p->style;
  prompt += "\nTopic: " + in_.topic_name(plan.topic) + "\nHook: " + learn::hook_name(hook) + " (" +
            learn::hook_label(hook) + ")\n";
  if (const Formula* f = plan.formula ? in_.formula(*plan.formula) : nullptr)
    prompt += "Formula: " + f->structure + "\nExample of the formula: " + f->example + "\n";
  if (!in_.best_recent.empty()) {
    prompt += "The account's best recent posts:\n";
    for (const auto& b : in_.best_recent) prompt += "- " + b + "\n";
  }
  prompt += "Write one new post on the topic in this persona's voice, opening with the hook.";
  return prompt;
}

// Under Thompson, the best of a few checked composer drafts by one posterior
// draw's score of their wording; otherwise the composer's first draft.
std::string Drafter::compose_best(const Plan& plan, std::mt19937_64& rng, Draft& draft) const {
  const Formula* f = plan.formula ? in_.formula(*plan.formula) : nullptr;
  const DraftRequest request{in_.topic_name(plan.topic), hook_of(plan), plan.persona,
                             f ? f->structure : ""};
  if (o_.policy != Policy::kThompson) return compose_offline(request, rng);
  auto draw = in_.reward_model.draw(rng, o_.exploration);
  std::string best;
  double best_score = -1e300;
  int considered = 0;
  for (int i = 0; i < kBestOf * 3 && considered < kBestOf; ++i) {
    const std::string text = compose_offline(request, rng);
    if (check_draft(text, in_.topic_name(plan.topic), in_.recent)) continue;
    ++considered;
    const double score = draw.score(learn::wording_features(text));
    if (score > best_score) {
      best_score = score;
      best = text;
    }
  }
  draft.drafts_considered = considered;
  return best.empty() ? compose_offline(request, rng) : best;
}

Draft Drafter::write(const Plan& plan, std::mt19937_64& rng) const {
  Draft d;
  std::string text = plan.text;
  if (!text.empty() && check_draft(text, in_.topic_name(plan.topic), in_.recent)) text.clear();
  for (int attempt = 0; text.empty() && attempt < o_.max_draft_attempts; ++attempt) {
    // The last attempt is always the composer's.
    const bool last = attempt + 1 == o_.max_draft_attempts;
    if (llm_ && !d.llm_error && !last) {
      try {
        text = clean_llm_text(
            llm_->chat({{"system", kSystemPrompt}, {"user", prompt(plan)}}, 0.9, 200));
        d.source = "llm";
        if (text.empty()) d.llm_error = "LLM: nothing left after removing quotes and labels";
      } catch (const Error& e) {
        d.llm_error = e.what();
      }
    }
    if (text.empty()) {
      text = compose_best(plan, rng, d);
      d.source = llm_ ? "offline_fallback" : "offline";
    }
    if (const auto why = check_draft(text, in_.topic_name(plan.topic), in_.recent)) {
      d.rejected.push_back(d.source + ": " + *why);
      text.clear();
    }
  }
  if (text.empty()) {
    std::string reasons;
    for (const auto& r : d.rejected) reasons += (reasons.empty() ? "" : "; ") + r;
    throw NoDraft(kExitFailure, "plan-post",
                  "no acceptable draft after " + std::to_string(o_.max_draft_attempts) +
                      " attempts (" + reasons + "); nothing queued");
  }
  d.text = x::nfc(text);
  return d;
}

}  // namespace gl::plan
