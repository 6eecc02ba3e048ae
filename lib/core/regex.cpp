#include "core/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <new>

#include "core/error.h"

namespace gl {

namespace {

// ECMAScript's . matches anything but \n and \r; PCRE2's (newline LF) only
// excludes \n. Each . outside a bracket expression becomes [^\n\r].
std::string ecmascript_dots(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size());
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out += c;
      out += pattern[++i];
    } else if (in_class) {
      out += c;
      if (c == ']') in_class = false;
    } else if (c == '[') {
      out += c;
      in_class = true;
      // A ] first in the brackets (after any ^) is a member, not their end.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];
    } else if (c == '.') {
      out += "[^\\n\\r]";
    } else {
      out += c;
    }
  }
  return out;
}

std::string error_message(int code) {
  PCRE2_UCHAR buffer[256];
  if (pcre2_get_error_message(code, buffer, sizeof buffer) < 0)
    return "error " + std::to_string(code);
  return reinterpret_cast<const char*>(buffer);
}

// Each thread's match data (grown to the most groups asked for) and JIT stack,
// so a match allocates nothing.
class MatchState {
 public:
  MatchState() {
    context_ = pcre2_match_context_create(nullptr);
    // The JIT's default stack (32 KiB) is small for a long post; this one grows to 1 MiB.
    stack_ = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, nullptr);
    if (!context_ || !stack_) throw std::bad_alloc();
    pcre2_jit_stack_assign(context_, nullptr, stack_);
  }
  ~MatchState() {
    pcre2_match_data_free(data_);
    pcre2_jit_stack_free(stack_);
    pcre2_match_context_free(context_);
  }
  MatchState(const MatchState&) = delete;
  MatchState& operator=(const MatchState&) = delete;

  pcre2_match_data* data(size_t groups) {
    if (groups > pairs_) {
      pcre2_match_data_free(data_);
      data_ = pcre2_match_data_create(static_cast<uint32_t>(groups), nullptr);
      if (!data_) throw std::bad_alloc();
      pairs_ = groups;
    }
    return data_;
  }
  pcre2_match_context* context() const { return context_; }

 private:
  pcre2_match_context* context_ = nullptr;
  pcre2_jit_stack* stack_ = nullptr;
  pcre2_match_data* data_ = nullptr;
  size_t pairs_ = 0;
};

MatchState& match_state() {
  thread_local MatchState state;
  return state;
}

}  // namespace

std::string RegexMatch::str(size_t group) const {
  return matched(group) ? std::string(subject_.substr(spans_[group].first, length(group))) : "";
}

Regex::Regex(std::string_view pattern, Options options) : pattern_(pattern) {
  pcre2_compile_context* context = pcre2_compile_context_create(nullptr);
  if (!context) throw std::bad_alloc();
  pcre2_set_newline(context, PCRE2_NEWLINE_LF);
  uint32_t flags = PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_UTF | PCRE2_NEVER_UCP;
  if (options & kIcase) flags |= PCRE2_CASELESS;
  const std::string translated = ecmascript_dots(pattern);
  int error = 0;
  PCRE2_SIZE offset = 0;
  code_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(), flags,
                        &error, &offset, context);
  pcre2_compile_context_free(context);
  if (!code_) {
    throw failure("regex \"" + pattern_ + "\"", "cannot compile: " + error_message(error) +
                                                    " (pattern as compiled: \"" + translated +
                                                    "\", offset " + std::to_string(offset) + ")");
  }
  // Without a JIT (an unsupported CPU) the interpreter matches the same, slower.
  pcre2_jit_compile(code_, PCRE2_JIT_COMPLETE);
  uint32_t captures = 0;
  pcre2_pattern_info(code_, PCRE2_INFO_CAPTURECOUNT, &captures);
  groups_ = captures + 1;
}

Regex::~Regex() { pcre2_code_free(code_); }

Regex::Regex(Regex&& other) noexcept
    : pattern_(std::move(other.pattern_)), code_(other.code_), groups_(other.groups_) {
  other.code_ = nullptr;
}

Regex& Regex::operator=(Regex&& other) noexcept {
  if (this != &other) {
    pcre2_code_free(code_);
    pattern_ = std::move(other.pattern_);
    code_ = other.code_;
    groups_ = other.groups_;
    other.code_ = nullptr;
  }
  return *this;
}

bool Regex::run(std::string_view s, size_t start, unsigned options, RegexMatch* m) const {
  MatchState& state = match_state();
  pcre2_match_data* data = state.data(groups_);
  // PCRE2 10.42 refuses a null subject even when it is empty.
  const char* subject = s.data() ? s.data() : "";
  const int rc = pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(subject), s.size(), start, options,
                             data, state.context());
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  if (rc < 0) throw failure("regex \"" + pattern_ + "\"", "cannot match: " + error_message(rc));
  if (m) {
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data);
    m->subject_ = s;
    m->spans_.resize(groups_);
    for (size_t g = 0; g < groups_; ++g) {
      const bool set = ovector[2 * g] != PCRE2_UNSET;
      m->spans_[g] = {set ? ovector[2 * g] : RegexMatch::kUnset, set ? ovector[2 * g + 1] : 0};
    }
  }
  return true;
}

bool Regex::search(std::string_view s) const { return run(s, 0, 0, nullptr); }

bool Regex::search(std::string_view s, RegexMatch& m) const { return run(s, 0, 0, &m); }

bool Regex::full_match(std::string_view s) const {
  return run(s, 0, PCRE2_ANCHORED | PCRE2_ENDANCHORED, nullptr);
}

bool Regex::full_match(std::string_view s, RegexMatch& m) const {
  return run(s, 0, PCRE2_ANCHORED | PCRE2_ENDANCHORED, &m);
}

std::string Regex::replace_first(std::string_view s, std::string_view with) const {
  RegexMatch m;
  if (!run(s, 0, 0, &m)) return std::string(s);
  return m.prefix() + std::string(with) + m.suffix();
}

std::vector<RegexMatch> Regex::all(std::string_view s) const {
  std::vector<RegexMatch> found;
  size_t start = 0;
  unsigned options = 0;
  RegexMatch m;
  // As std::regex_iterator: after an empty match, a non-empty one at the same
  // place, or else the next search one byte on.
  while (start <= s.size()) {
    if (!run(s, start, options, &m)) {
      if (options == 0) break;
      ++start;
      options = 0;
      continue;
    }
    found.push_back(m);
    const size_t begin = m.position(), end = begin + m.length();
    start = end;
    options = end == begin ? PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED : 0;
  }
  return found;
}

std::string Regex::replace_all(std::string_view s, std::string_view with) const {
  std::string out;
  size_t copied = 0;
  for (const RegexMatch& m : all(s)) {
    out.append(s, copied, m.position() - copied);
    out.append(with);
    copied = m.position() + m.length();
  }
  out.append(s.substr(copied));
  return out;
}

}  // namespace gl
