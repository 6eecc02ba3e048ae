#include "plan/inputs.h"

#include <algorithm>

#include "learn/embedding.h"
#include "learn/text_features.h"
#include "plan/plan.h"

namespace gl::plan {

namespace {
template <typename T>
const T* find_by(const std::vector<T>& items, std::string T::*field, const std::string& key) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.*field == key; });
  return it == items.end() ? nullptr : &*it;
}
}  // namespace

bool PostingHours::allows(int h) const {
  return from <= to ? h >= from && h <= to : h >= from || h <= to;
}

const Persona* PlanInputs::persona(const std::string& name) const {
  return find_by(personas, &Persona::name, name);
}

const Formula* PlanInputs::formula(const std::string& key) const {
  return find_by(formulas, &Formula::key, key);
}

const std::string& PlanInputs::topic_name(const std::string& key) const {
  const auto it = topic_names.find(key);
  return it == topic_names.end() ? key : it->second;
}

void remember(PlanInputs& in, const Plan& plan, const std::string& text) {
  in.scheduled.push_back(plan.slot);
  in.topic_uses[plan.topic].push_back(plan.slot);
  in.hook_uses[learn::hook_name(learn::analyze_text(text).hook)].push_back(plan.slot);
  in.recent.push_back({text, learn::local_embedding(text)});
}

}  // namespace gl::plan
