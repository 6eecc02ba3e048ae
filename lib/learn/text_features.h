// What a post's text is made of, recognised deterministically: its hook type,
// body pattern, length band, numbers, question, call to action. The learners,
// the planner and inspect-text all read text through this. Everything but the
// length is read from the prose: the NFC text with its URLs, mentions, hashtags
// and cashtags (found as X finds them) taken out.
#pragma once

#include <string>
#include <vector>

#include "learn/text_features_numbers.h"
#include "x/tweet_text.h"

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
// Also takes "contrarian" (the labels' name) for kContrarian.
bool parse_hook(const std::string& name, HookType& out);

// The version of analyze_text's results. Bump it with any change to what
// analyze_text returns: stored analyses (post_text_features) of another
// version are analysed again.
inline constexpr int kTextFeaturesVersion = 8;

struct TextFeatures {
  HookType hook = HookType::kStatement;
  std::string hook_rule;          // the rule that read the hook ("list.items"), "" for a statement
  std::vector<std::string> body;  // body pattern elements, e.g. {"Contrarian take", "Evidence"}
  std::string length_band;        // short (< 100), medium (100-199), long (>= 200) weighted chars
  bool has_numbers = false;       // a quantity or statistic in the prose (not a year, date, ...)
  bool has_stat = false;          // a statistic in the prose: %, 1 in 4, 3x, money, 10,000
  bool has_question = false;      // a question mark in the prose
  bool has_cta = false;           // the ending asks the reader to act (follow, reply, share, ...)
  bool has_url = false;
  int weighted_length = 0;             // X's weighted length of the whole text
  int words = 0;                       // words of the prose
  std::vector<x::Entity> entities;     // in the NFC text, UTF-16 indices
  std::vector<NumberMention> numbers;  // every number of the prose, with its kind
  std::string prose;                   // the NFC text, each entity replaced by a space
};

TextFeatures analyze_text(const std::string& text);

// What post_tags files a post under (hook, length band, numbers), read as
// analyze_text reads them, without the rest (body pattern, call to action,
// words, question): import-history reads every post of an archive for these
// alone, and the rest was a fifth of its reading.
struct TagFeatures {
  HookType hook = HookType::kStatement;
  std::string length_band;
  bool has_numbers = false;
};
TagFeatures tag_features(const std::string& text);

// The hook of a post's prose (as in TextFeatures::prose, but with its hashtags
// left in: a hashtag inside a sentence is read as its word, one ending a line is
// dropped), and the rule that found it ("question.asks", "how_to.title"; "" for a
// statement): each hook is a few named signals with their exclusions (README,
// "How text is read").
struct HookReading {
  HookType hook = HookType::kStatement;
  std::string rule;
};
HookReading read_hook(const std::string& prose);
HookType classify_hook(const std::string& prose);
// What follows the hook: "Contrarian take", "Evidence", "Mechanism", "Steps",
// else "Explanation".
std::vector<std::string> body_pattern(const std::string& prose, HookType hook);
// The tags a post is filed under (the tag bandit's arms): hook, length band, numbers.
std::vector<std::string> post_tags(const TextFeatures& f);
std::vector<std::string> post_tags(const TagFeatures& f);

// "[Surprising stat] + [Contrarian take] + [Evidence] + [Call to action]"
std::string structure_string(const TextFeatures& f);

// Lower-case ASCII copy, for matching.
std::string lower(const std::string& s);

// The typographic apostrophe (U+2019, as phones type it: "don’t") inside a
// word as the ASCII one the rules spell ("don'?t").
std::string ascii_apostrophes(std::string s);
// Lower case of every letter, by Unicode's simple case mapping ("Ökonomie" ->
// "ökonomie"), as PostgreSQL's lower() in a UTF-8 database: topics are
// compared in both. Bytes that are not UTF-8 are kept as they are.
std::string lower_unicode(const std::string& s);
// How many letters of any script the text has (Unicode's alphabetic property).
int letter_count(const std::string& s);

}  // namespace gl::learn
