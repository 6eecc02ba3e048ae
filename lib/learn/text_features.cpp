#include "learn/text_features.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <iterator>

#include "core/regex.h"

namespace gl::learn {

namespace {

// Words: runs between white space holding at least one letter or digit (an
// emoji or a dash alone is not a word).
int count_words(const std::string& prose) {
  const auto* s = reinterpret_cast<const uint8_t*>(prose.data());
  const auto n = static_cast<int32_t>(prose.size());
  int words = 0;
  bool counted = false;  // the current run has been counted
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c >= 0 && u_isUWhiteSpace(c)) {
      counted = false;
    } else if (!counted && c >= 0 && u_isalnum(c)) {
      ++words;
      counted = true;
    }
  }
  return words;
}

// A call to action is what the ending asks the reader to do.
bool calls_to_action(const std::string& lo) {
  static const Regex kCta(
      R"(\bfollow (me|us|for|along|back)\b|\bgive (me|us) a follow\b|)"
      R"(\b(save|bookmark) (this|it)\b|\b(share|repost|retweet|rt) (this|it|if|with)\b|)"
      R"(\bplease (share|rt|retweet|repost|help|sign)\b|)"
      R"(\b(reply|comment) (below|with|and|if|here)\b|\b(drop|leave) (a|your) |)"
      R"(\b(let|tell) (me|us) know\b|\btell (me|us)\b|\bwhat do you think\b|)"
      R"(\b(thoughts|agree)\s*\?|\byour turn\b|\bwhat'?s yours\b|\btry (this|it)\b|)"
      R"(\blink in (the )?(bio|comments|reply|replies|thread)\b|)"
      R"(\b(sign up|subscribe|register|enroll|rsvp|donate|download|order|buy|shop|grab) )"
      R"((now|today|here|yours|your|it|for|at|now|tickets)\b|)"
      R"(\bcheck (it|this|them) out\b|\bclick (here|the link|below)\b|)"
      R"(\b(read|learn|find out) more\b|\bwatch (now|here|the full)\b|\bjoin (us|me|now)\b|)"
      R"(\b(go |please )vote\b|\bvote (now|today|for)\b|)"
      R"(\b(would|have|do|did|will|are|can) you\b[^.!\n]*\?)");
  const size_t from = lo.size() > 120 ? lo.size() - 120 : 0;
  return kCta.search(std::string_view(lo).substr(from));
}

bool has_question_mark(const std::string& prose) {
  // Unicode's question marks that NFC keeps (the Greek one becomes ';', which is not one).
  static const char* const kMarks[] = {
      "?",
      "\xEF\xBC\x9F",  // ？ fullwidth
      "\xC2\xBF",      // ¿ Spanish opening
      "\xD8\x9F",      // ؟ Arabic
      "\xD5\x9E",      // ՞ Armenian
      "\xE1\x8D\xA7",  // ፧ Ethiopic
      "\xE2\xB8\xAE",  // ⸮ reversed
  };
  for (const char* mark : kMarks)
    if (prose.find(mark) != std::string::npos) return true;
  return false;
}

}  // namespace

std::vector<std::string> post_tags(const TagFeatures& f) {
  return {hook_name(f.hook), f.length_band, f.has_numbers ? "numbers" : "no_numbers"};
}

std::vector<std::string> post_tags(const TextFeatures& f) {
  return post_tags(TagFeatures{f.hook, f.length_band, f.has_numbers});
}

std::string lower(const std::string& s) {
  std::string out = s;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string ascii_apostrophes(std::string s) {
  // Only inside a word ("don’t", "it’s"): a leading one ("’90s") or a closing
  // quotation mark stays, as the rules do not read it as a quotation.
  const auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  for (size_t at = s.find("\xE2\x80\x99"); at != std::string::npos;
       at = s.find("\xE2\x80\x99", at + 1)) {
    if (at > 0 && letter(s[at - 1]) && at + 3 < s.size() && letter(s[at + 3]))
      s.replace(at, 3, "'");
  }
  return s;
}

std::string lower_unicode(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  const auto length = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) {
      out.append(s, static_cast<size_t>(start), static_cast<size_t>(i - start));
      continue;
    }
    uint8_t buffer[U8_MAX_LENGTH];
    int32_t n = 0;
    UBool error = false;
    U8_APPEND(buffer, n, U8_MAX_LENGTH, u_tolower(c), error);
    if (error) {  // cannot happen for a code point; kept as it was
      out.append(s, static_cast<size_t>(start), static_cast<size_t>(i - start));
      continue;
    }
    out.append(reinterpret_cast<const char*>(buffer), static_cast<size_t>(n));
  }
  return out;
}

int letter_count(const std::string& s) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  const auto length = static_cast<int32_t>(s.size());
  int letters = 0;
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c >= 0 && u_isalpha(c)) ++letters;
  }
  return letters;
}

const char* hook_name(HookType h) {
  switch (h) {
    case HookType::kSurprisingStat:
      return "surprising_stat";
    case HookType::kContrarian:
      return "contrarian_take";
    case HookType::kQuestion:
      return "question";
    case HookType::kPersonalStory:
      return "personal_story";
    case HookType::kList:
      return "list";
    case HookType::kHowTo:
      return "how_to";
    case HookType::kMythBusting:
      return "myth_busting";
    case HookType::kStatement:
      return "statement";
  }
  return "statement";
}

const char* hook_label(HookType h) {
  switch (h) {
    case HookType::kSurprisingStat:
      return "Surprising stat";
    case HookType::kContrarian:
      return "Contrarian take";
    case HookType::kQuestion:
      return "Question";
    case HookType::kPersonalStory:
      return "Personal story";
    case HookType::kList:
      return "List";
    case HookType::kHowTo:
      return "How-to";
    case HookType::kMythBusting:
      return "Myth-busting";
    case HookType::kStatement:
      return "Statement";
  }
  return "Statement";
}

bool parse_hook(const std::string& name, HookType& out) {
  if (name == "contrarian") {
    out = HookType::kContrarian;
    return true;
  }
  for (HookType h : kAllHookTypes) {
    if (name == hook_name(h)) {
      out = h;
      return true;
    }
  }
  return false;
}

namespace {

// What both analyze_text and tag_features read: the length, the entities, the
// prose and its numbers; and the text the hook is read from (`hook_text`): the
// prose with its hashtags left in, for the labelling guide strips only the
// hashtags that end a line ("... #rstats"), and one inside a sentence is a word of
// it ("Try this #recipe tonight"); read_hook drops the others.
TextFeatures read_prose(const std::string& text, std::string& hook_text) {
  TextFeatures f;
  const std::string normal = x::nfc(text);
  x::TweetReading tweet = x::read_tweet(normal);
  f.weighted_length = tweet.length.weighted_length;
  f.length_band = f.weighted_length < 100 ? "short" : f.weighted_length < 200 ? "medium" : "long";
  f.entities = std::move(tweet.entities);
  f.prose = x::without_entities(normal, f.entities);
  std::vector<x::Entity> not_hashtags;
  std::copy_if(f.entities.begin(), f.entities.end(), std::back_inserter(not_hashtags),
               [](const x::Entity& e) { return e.type != x::EntityType::kHashtag; });
  hook_text = x::without_entities(normal, not_hashtags);
  f.has_url = std::any_of(f.entities.begin(), f.entities.end(),
                          [](const x::Entity& e) { return e.type == x::EntityType::kUrl; });
  f.numbers = read_numbers(f.prose);
  for (const auto& n : f.numbers) {
    f.has_numbers = f.has_numbers || is_number(n.kind);
    f.has_stat = f.has_stat || is_statistic(n.kind);
  }
  return f;
}

}  // namespace

TextFeatures analyze_text(const std::string& text) {
  std::string hook_text;
  TextFeatures f = read_prose(text, hook_text);
  f.has_question = has_question_mark(f.prose);
  f.words = count_words(f.prose);
  f.has_cta = calls_to_action(lower(ascii_apostrophes(f.prose)));
  const HookReading hook = read_hook(hook_text);
  f.hook = hook.hook;
  f.hook_rule = hook.rule;
  f.body = body_pattern(f.prose, f.hook);
  return f;
}

TagFeatures tag_features(const std::string& text) {
  std::string hook_text;
  TextFeatures f = read_prose(text, hook_text);
  return {read_hook(hook_text).hook, std::move(f.length_band), f.has_numbers};
}

std::string structure_string(const TextFeatures& f) {
  std::string s = std::string("[") + hook_label(f.hook) + "]";
  for (const auto& b : f.body) s += " + [" + b + "]";
  if (f.has_cta) s += " + [Call to action]";
  return s;
}

}  // namespace gl::learn
