// What a post's text is made of, recognised deterministically: its hook type,
// body pattern, length band, numbers, question, call to action. The learners,
// the planner and the sandbox's audience all read text through this.
#pragma once

#include <string>
#include <vector>

namespace gl::learn {

enum class HookType {
  kSurprisingStat,
  kContrarian,
  kQuestion,
  kPersonalStory,
  kList,
  kHowTo,
  kMythBusting,
  kStatement,
};

inline constexpr HookType kAllHookTypes[] = {HookType::kSurprisingStat, HookType::kContrarian,
                                             HookType::kQuestion,       HookType::kPersonalStory,
                                             HookType::kList,           HookType::kHowTo,
                                             HookType::kMythBusting,    HookType::kStatement};

const char* hook_name(HookType h);   // "surprising_stat"
const char* hook_label(HookType h);  // "Surprising stat"
bool parse_hook(const std::string& name, HookType& out);

struct TextFeatures {
  HookType hook = HookType::kStatement;
  std::vector<std::string> body;  // body pattern elements, e.g. {"Contrarian take", "Evidence"}
  std::string length_band;        // short (< 100), medium (100-199), long (>= 200) weighted chars
  bool has_numbers = false;
  bool has_question = false;
  bool has_cta = false;
  bool has_url = false;
  int weighted_length = 0;
  int words = 0;
};

TextFeatures analyze_text(const std::string& text);

// "[Surprising stat] + [Contrarian take] + [Evidence] + [Call to action]"
std::string structure_string(const TextFeatures& f);

// Lower-case ASCII copy, for matching.
std::string lower(const std::string& s);

}  // namespace gl::learn
