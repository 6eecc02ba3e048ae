// URLs, mentions, hashtags and cashtags as twitter-text 3.1.0 finds them: its
// regular expressions, ported to ICU (which matches on UTF-16, so indices are
// X's), with the Public Suffix List's top-level domains and Unicode's letter,
// mark and digit classes in place of the tables twitter-text generated.
// ICU runs them only where a match can start (each_url_match, each_match_near):
// the same matches, found about three times faster.
#include <unicode/regex.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>

#include "x/tweet_text.h"
#include "x/tweet_text_data.h"
#include "x/tweet_text_detail.h"

namespace gl::x {

namespace {

using icu::RegexMatcher;
using icu::RegexPattern;
using icu::UnicodeString;

// Members of ICU sets, every punctuation character escaped.
constexpr const char* kPunct = R"(\!\'\#\%\&\(\)\*\+\,\\\-\.\/\:\;\<\=\>\?\@\[\]\^\_\{\|\}\~\$)";
constexpr const char* kSpaces =
    R"(\x{9}-\x{D}\x{20}\x{85}\x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000})";
// JavaScript's \s, which the cashtag rule uses.
constexpr const char* kJsSpace =
    R"(\x{9}-\x{D}\x{20}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF})";
constexpr const char* kInvalidChars = R"(\x{FFFE}\x{FEFF}\x{FFFF})";
constexpr const char* kDirectionalMarkers =
    R"(\x{202A}-\x{202E}\x{61C}\x{200E}\x{200F}\x{2066}-\x{2069})";
constexpr const char* kLatinAccents =
    R"(\x{C0}-\x{D6}\x{D8}-\x{F6}\x{F8}-\x{FF}\x{100}-\x{24F}\x{253}\x{254}\x{256}\x{257}\x{259}\x{25B}\x{263}\x{268}\x{26F}\x{272}\x{289}\x{28B}\x{2BB}\x{300}-\x{36F}\x{1E00}-\x{1EFF})";
constexpr const char* kCyrillic = R"(\x{400}-\x{4FF})";
constexpr const char* kHashtagSpecial =
    R"(\_\x{200C}\x{200D}\x{A67E}\x{5BE}\x{5F3}\x{5F4}\x{FF5E}\x{301C}\x{309B}\x{309C}\x{30A0}\x{30FB}\x{3003}\x{F0B}\x{F0C}\x{B7})";

constexpr int kMaxUrlLength = 4096;
constexpr int kMaxTcoSlugLength = 40;
constexpr int kMaxDomainLabelLength = 63;

std::string cat(std::initializer_list<std::string> parts) {
  std::string s;
  for (const auto& p : parts) s += p;
  return s;
}

std::vector<std::string> top_level_domains() {
  std::vector<std::string> tlds;
  std::string all = detail::kTopLevelDomains;
  size_t start = 0;
  while (start < all.size()) {
    size_t bar = all.find('|', start);
    if (bar == std::string::npos) bar = all.size();
    if (bar > start) tlds.push_back(all.substr(start, bar - start));
    start = bar + 1;
  }
  return tlds;
}

std::string hex(UChar32 c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%X", static_cast<unsigned>(c));
  return buf;
}

// The first code point of s case-folded as ICU's case-insensitive matching
// folds a literal (full folding), or 0x80 for every non-ASCII one.
UChar32 folded_start(const std::string& s) {
  UnicodeString folded = detail::to_utf16(s);
  folded.foldCase();
  const UChar32 c = folded.isEmpty() ? 0 : folded.char32At(0);
  return c < 0x80 ? c : 0x80;
}

// The characters that, case-folded, begin with an ASCII character: that
// character in both cases, and the few others folding to it (U+212A KELVIN
// SIGN to k, U+00DF to ss, U+FB01 to fi ...), as a case-sensitive ICU set.
std::map<UChar32, std::string> folding_to_ascii() {
  std::map<UChar32, std::string> sets;
  for (UChar32 c = 0; c < 0x80; ++c) {
    const UChar32 lower = u_tolower(c);
    if (lower != c) continue;  // an upper-case letter joins its lower case
    sets[c] = "\\x{" + hex(c) + "}" + (u_toupper(c) != c ? "\\x{" + hex(u_toupper(c)) + "}" : "");
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeSet changing(UnicodeString(u"[:Changes_When_Casefolded:]"), status);
  if (U_FAILURE(status)) throw std::logic_error("tweet_text: no case folding data");
  for (int32_t r = 0; r < changing.getRangeCount(); ++r) {
    for (UChar32 c = std::max<UChar32>(changing.getRangeStart(r), 0x80);
         c <= changing.getRangeEnd(r); ++c) {
      UnicodeString folded(c);
      folded.foldCase();
      if (folded.char32At(0) < 0x80) sets[folded.char32At(0)] += "\\x{" + hex(c) + "}";
    }
  }
  return sets;
}

// Longest first, so that of two domains that both end here ("भारत", "भारतम्")
// the longer wins, as in twitter-text's own ordering. Grouped by their folded
// first character, each group behind a lookahead for the characters that fold
// to one beginning with it (any non-ASCII one for a non-ASCII start): at one
// place only the domains of one group can match, and within it the order is
// kept, so the first that matches is the same; ICU then tries a few dozen
// lookaheads, not 1,490 case-folded comparisons.
std::string tld_alternation() {
  std::vector<std::string> tlds = top_level_domains();
  std::stable_sort(tlds.begin(), tlds.end(), [](const std::string& a, const std::string& b) {
    return detail::to_utf16(a).length() > detail::to_utf16(b).length();
  });
  std::map<UChar32, std::string> groups;
  for (const auto& t : tlds) {
    std::string& g = groups[folded_start(t)];
    g += (g.empty() ? "" : "|") + std::string("\\Q") + t + "\\E";
  }
  const std::map<UChar32, std::string> starting = folding_to_ascii();
  std::string out;
  for (const auto& [start, alternatives] : groups) {
    // Case-sensitive sets: ICU's closure over case of a large set is slow to compile.
    const std::string guard = start < 0x80 ? starting.at(start) : "\\x{80}-\\x{10FFFF}";
    out += (out.empty() ? "" : "|") + cat({"(?=(?-i:[", guard, "]))(?:", alternatives, ")"});
  }
  return out;
}

std::unique_ptr<RegexPattern> compile(const std::string& pattern, uint32_t flags) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError where;
  std::unique_ptr<RegexPattern> p(
      RegexPattern::compile(detail::to_utf16(pattern), flags, where, status));
  if (U_FAILURE(status)) {
    throw std::logic_error("tweet_text: pattern does not compile at offset " +
                           std::to_string(where.offset) + ": " + u_errorName(status));
  }
  return p;
}

struct Patterns {
  std::unique_ptr<RegexPattern> extract_url, ascii_domain, tco, mention, end_mention, hashtag,
      end_hashtag, cashtag;
};
using PatternOf = std::unique_ptr<RegexPattern> Patterns::*;

// Where extract_url can match (see each_url_match): the characters no part of
// a URL admits, and the ASCII characters a top-level domain can start with.
// Apart from the patterns, which take milliseconds to compile: a text without
// a place for a URL (most drafts) never compiles them.
struct UrlSites {
  icu::UnicodeSet url_spaces;
  bool ascii_domain_start[128] = {};
};

// Marks the ASCII characters that, matched case-insensitively as ICU does
// (full case folding), can begin one of the domains or "xn--".
void mark_domain_starts(bool (&starts)[128]) {
  std::vector<std::string> starting = top_level_domains();
  starting.push_back("xn--");
  for (const auto& t : starting) {
    // ASCII text folds to its lower case; any non-ASCII character counts as a
    // possible start anyway.
    const UChar32 c = folded_start(t);
    if (c >= 0x80) continue;
    starts[c] = true;
    if (c >= 'a' && c <= 'z') starts[c - 'a' + 'A'] = true;
  }
}

const UrlSites& url_sites() {
  static const UrlSites s = [] {
    UrlSites s;
    UErrorCode status = U_ZERO_ERROR;
    s.url_spaces.applyPattern(detail::to_utf16(cat({"[", kSpaces, "]"})), status);
    if (U_FAILURE(status)) throw std::logic_error("tweet_text: the space set does not compile");
    s.url_spaces.freeze();
    mark_domain_starts(s.ascii_domain_start);
    return s;
  }();
  return s;
}

const Patterns& patterns() {
  static const Patterns p = [] {
    const uint32_t i = UREGEX_CASE_INSENSITIVE;
    const std::string domain_char =
        cat({"[^", kPunct, kSpaces, kInvalidChars, kDirectionalMarkers, "]"});
    const std::string subdomain =
        cat({"(?:(?:", domain_char, "(?:[\\_\\-]|", domain_char, ")*)?", domain_char, "\\.)"});
    const std::string domain_name =
        cat({"(?:(?:", domain_char, "(?:\\-|", domain_char, ")*)?", domain_char, "\\.)"});
    const std::string tld = cat({"(?:(?:", tld_alternation(), ")(?=[^0-9a-zA-Z\\@\\+\\-]|\\z))"});
    const std::string punycode = "(?:xn\\-\\-[\\-0-9a-z]+)";
    const std::string domain =
        cat({"(?:", subdomain, "*", domain_name, "(?:", tld, "|", punycode, "))"});
    const std::string path_char = cat({"[a-z", kCyrillic, "0-9\\!\\*\\'\\;\\:\\=\\+\\,\\.\\$\\/\\%",
                                       "\\#\\[\\]\\-\\x{2013}\\_\\~\\@\\|\\&", kLatinAccents, "]"});
    const std::string balanced_parens = cat(
        {"\\((?:", path_char, "+|(?:", path_char, "*\\(", path_char, "+\\)", path_char, "*))\\)"});
    const std::string path_end = cat({"(?:[\\+\\-a-z", kCyrillic, "0-9\\=\\_\\#\\/", kLatinAccents,
                                      "]|(?:", balanced_parens, "))"});
    const std::string path = cat({"(?:(?:", path_char, "*(?:", balanced_parens, path_char, "*)*",
                                  path_end, ")|(?:\\@", path_char, "+\\/))"});
    const std::string query_char =
        "[a-z0-9\\!\\?\\*\\'\\@\\(\\)\\;\\:\\&\\=\\+\\$\\/\\%\\#\\[\\]\\-\\_\\.\\,\\~\\|]";
    const std::string query_end = "[a-z0-9\\-\\_\\&\\=\\#\\/]";
    const std::string url_preceding = cat({"(?:[^A-Za-z0-9\\@\\x{FF20}\\$\\#\\x{FF03}",
                                           kInvalidChars, "]|[", kDirectionalMarkers, "]|^)"});
    Patterns p;
    // Groups: 1 all, 2 preceding, 3 url, 4 protocol, 5 domain, 6 port, 7 path, 8 query.
    p.extract_url =
        compile(cat({"((", url_preceding, ")((https?://)?(", domain, ")(?::([0-9]+))?(/", path,
                     "*)?(\\?", query_char, "*", query_end, ")?))"}),
                i);
    p.ascii_domain = compile(
        cat({"(?:(?:[\\-a-z0-9", kLatinAccents, "]+)\\.)+(?:", tld, "|", punycode, ")"}), i);
    p.tco =
        compile(cat({"https?://t\\.co/([a-z0-9]+)(?:\\?", query_char, "*", query_end, ")?"}), i);

    // Groups: 1 preceding, 2 at sign, 3 screen name, 4 list.
    p.mention = compile(
        "((?:^|[^a-zA-Z0-9\\_\\!\\#\\$\\%\\&\\*\\@\\x{FF20}]|(?:^|[^a-zA-Z0-9\\_\\+\\~\\.\\-])"
        "(?:rt|RT|rT|Rt)\\:?))([\\@\\x{FF20}])([a-zA-Z0-9\\_]{1,20})(/"
        "[a-zA-Z][a-zA-Z0-9\\_\\-]{0,24})?",
        0);
    p.end_mention = compile(cat({"(?:[\\@\\x{FF20}]|[", kLatinAccents, "]|://)"}), 0);

    const std::string alpha = "[\\p{L}\\p{M}]";
    const std::string alnum = cat({"[\\p{L}\\p{M}\\p{Nd}", kHashtagSpecial, "]"});
    const std::string boundary =
        cat({"(?:^|\\x{FE0E}|\\x{FE0F}|\\z|(?!", alnum, "|\\&)[^\\x{D800}-\\x{DFFF}])"});
    // Groups: 1 boundary, 2 hash sign, 3 hashtag.
    p.hashtag = compile(cat({"(", boundary, ")([\\#\\x{FF03}])(?!\\x{FE0F}|\\x{20E3})(", alnum, "*",
                             alpha, alnum, "*)"}),
                        i);
    p.end_hashtag = compile("(?:[\\#\\x{FF03}]|://)", 0);

    // Groups: 1 preceding, 2 dollar, 3 cashtag.
    p.cashtag = compile(cat({"(^|[", kSpaces, "])(\\$)([a-z]{1,6}(?:[\\.\\_][a-z]{1,2})?)(?=\\z|[",
                             kJsSpace, "]|[", kPunct, "])"}),
                        i);
    return p;
  }();
  return p;
}

void check(UErrorCode status) {
  if (U_FAILURE(status))
    throw std::runtime_error(std::string("tweet_text: ") + u_errorName(status));
}

std::unique_ptr<RegexMatcher> matcher(const RegexPattern& p, const UnicodeString& text) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<RegexMatcher> m(p.matcher(text, status));
  check(status);
  m->setStackLimit(0, status);  // backtracking on the heap: long inputs do not fail
  check(status);
  return m;
}

// JavaScript's global exec loop: each search starts where the last match ended.
template <typename F>
void each_match(const RegexPattern& p, const UnicodeString& text, F&& on_match) {
  auto m = matcher(p, text);
  UErrorCode status = U_ZERO_ERROR;
  int32_t from = 0;
  while (from <= text.length() && m->find(from, status)) {
    check(status);
    const int32_t start = m->start(status), end = m->end(status);
    from = end > start ? end : end + 1;
    on_match(*m);
  }
  check(status);
}

// extract_url's matches as each_match finds them, searched only where one can
// be. No part of a URL admits a space (kSpaces: the domain excludes them by
// name, the protocol, port, path and query list their characters), and its
// domain holds a "." directly followed by a top-level domain or "xn--". So a
// match lies in one run of non-spaces holding such a dot, and the space before
// that run (its preceding character). The search runs there alone, with
// transparent bounds (the lookahead after the domain sees the space beyond)
// and without anchoring ones (^ and \z stay the text's ends).
template <typename F>
void each_url_match(const UnicodeString& text, F&& on_match) {
  const UrlSites& p = url_sites();
  std::unique_ptr<RegexMatcher> m;  // made at the first place a URL can be
  const int32_t n = text.length();
  auto domain_dot = [&](int32_t i) {
    if (text[i] != u'.' || i + 1 >= n) return false;
    const UChar next = text[i + 1];
    return next >= 0x80 || p.ascii_domain_start[next];
  };
  int32_t from = 0;
  while (from < n) {
    int32_t dot = from;
    while (dot < n && !domain_dot(dot)) ++dot;
    if (dot == n) return;
    int32_t begin = dot;
    while (begin > from && !p.url_spaces.contains(text[begin - 1])) --begin;
    if (begin > from) --begin;  // the space before the run may precede the URL
    int32_t end = dot + 1;
    while (end < n && !p.url_spaces.contains(text[end])) ++end;
    if (!m) {
      m = matcher(*patterns().extract_url, text);
      m->useTransparentBounds(true);
      m->useAnchoringBounds(false);
    }
    UErrorCode status = U_ZERO_ERROR;
    m->region(begin, end, status);
    check(status);
    if (!m->find(status)) {
      check(status);
      from = end;
      continue;
    }
    check(status);
    from = m->end(status);
    check(status);
    on_match(*m);
  }
}

// The matches of patterns().*p as each_match finds them, when every match holds
// one of the two `marks` (@, #, $ and their full-width forms) at most `reach`
// code units after its start: an anchored attempt at each such start, left to
// right, instead of one at every place. Only at code point boundaries, as ICU's
// search. The patterns are compiled at the first mark, not for a text without one.
template <typename F>
void each_match_near(PatternOf p, const UnicodeString& text, UChar mark, UChar other_mark,
                     int32_t reach, F&& on_match) {
  std::unique_ptr<RegexMatcher> m;
  const int32_t n = text.length();
  int32_t from = 0;  // no match starts before
  for (int32_t k = 0; k < n; ++k) {
    if (text[k] != mark && text[k] != other_mark) continue;
    if (!m) {
      m = matcher(*(patterns().*p), text);
      m->useTransparentBounds(true);
      m->useAnchoringBounds(false);
    }
    for (int32_t at = std::max(from, k - reach); at <= k; ++at) {
      from = at + 1;
      if (at > 0 && U16_IS_TRAIL(text[at]) && U16_IS_LEAD(text[at - 1])) continue;
      UErrorCode status = U_ZERO_ERROR;
      m->region(at, n, status);
      const bool found = m->lookingAt(status);
      check(status);
      if (!found) continue;
      from = m->end(status);
      check(status);
      on_match(*m);
      break;
    }
  }
}

UnicodeString group(RegexMatcher& m, int n) {
  UErrorCode status = U_ZERO_ERROR;
  UnicodeString g = m.group(n, status);
  check(status);
  return g;
}

int32_t group_start(RegexMatcher& m, int n) {
  UErrorCode status = U_ZERO_ERROR;
  const int32_t s = m.start(n, status);
  check(status);
  return s;
}

int32_t group_end(RegexMatcher& m, int n) {
  UErrorCode status = U_ZERO_ERROR;
  const int32_t e = m.end(n, status);
  check(status);
  return e;
}

bool looking_at(const RegexPattern& p, const UnicodeString& text) {
  auto m = matcher(p, text);
  UErrorCode status = U_ZERO_ERROR;
  const bool found = m->lookingAt(status);
  check(status);
  return found;
}

// The length of punycode.toASCII(label) (punycode.js 1.4.1): labels split again
// at the ideographic full stops, each non-ASCII part "xn--" + RFC 3492 encoded.
size_t punycode_length(const std::vector<UChar32>& cps) {
  constexpr uint64_t kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700;
  auto adapt = [&](uint64_t delta, uint64_t points, bool first) {
    delta = first ? delta / kDamp : delta / 2;
    delta += delta / points;
    uint64_t k = 0;
    while (delta > ((kBase - kTMin) * kTMax) / 2) {
      delta /= kBase - kTMin;
      k += kBase;
    }
    return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
  };
  size_t out = 0;
  uint64_t basic = 0;
  for (UChar32 c : cps) basic += c < 0x80 ? 1 : 0;
  out = basic + (basic > 0 ? 1 : 0);
  uint64_t n = 128, delta = 0, bias = 72, h = basic;
  while (h < cps.size()) {
    uint64_t m = UINT64_MAX;
    for (UChar32 c : cps) {
      if (static_cast<uint64_t>(c) >= n && static_cast<uint64_t>(c) < m) m = c;
    }
    delta += (m - n) * (h + 1);
    n = m;
    for (UChar32 c : cps) {
      const auto cu = static_cast<uint64_t>(c);
      if (cu < n) ++delta;
      if (cu == n) {
        uint64_t q = delta;
        for (uint64_t k = kBase;; k += kBase) {
          const uint64_t t = k <= bias ? kTMin : (k >= bias + kTMax ? kTMax : k - bias);
          if (q < t) break;
          ++out;
          q = (q - t) / (kBase - t);
        }
        ++out;
        bias = adapt(delta, h + 1, h == basic);
        delta = 0;
        ++h;
      }
    }
    ++delta;
    ++n;
  }
  return out;
}

size_t to_ascii_length(const UnicodeString& label) {
  size_t total = 0, parts = 0;
  std::vector<UChar32> part;
  bool ascii = true;
  auto flush = [&] {
    total += ascii ? part.size() : 4 + punycode_length(part);
    ++parts;
    part.clear();
    ascii = true;
  };
  for (int32_t i = 0; i < label.length(); i = label.moveIndex32(i, 1)) {
    const UChar32 c = label.char32At(i);
    if (c == 0x2E || c == 0x3002 || c == 0xFF0E || c == 0xFF61) {
      flush();
      continue;
    }
    part.push_back(c);
    if (c < 0x20 || c > 0x7E) ascii = false;
  }
  flush();
  return total + (parts - 1);
}

// twitter-text's isValidUrl with its idna.toAscii: every label 1-63 characters
// once punycode-encoded, the whole at most 4096.
bool valid_url(const UnicodeString& url, int32_t protocol_length, const UnicodeString& domain) {
  if (domain.startsWith(UnicodeString(u"xn--"))) {
    bool found = false;
    each_match(*patterns().ascii_domain, domain, [&](RegexMatcher&) { found = true; });
    if (!found) return false;
  }
  int32_t start = 0;
  while (start <= domain.length()) {
    int32_t dot = domain.indexOf(u'.', start);
    if (dot < 0) dot = domain.length();
    const size_t n = to_ascii_length(domain.tempSubString(start, dot - start));
    if (n < 1 || n > static_cast<size_t>(kMaxDomainLabelLength)) return false;
    start = dot + 1;
  }
  return protocol_length + url.length() <= kMaxUrlLength;
}

Entity make_entity(EntityType type, const UnicodeString& text, int32_t start, int32_t end) {
  Entity e;
  e.type = type;
  e.text = detail::to_utf8(text);
  e.start = start;
  e.end = end;
  return e;
}

// Sorted by start (stable, so at equal starts the earlier kind wins), each
// entity that starts before the previous one ended dropped.
void remove_overlapping(std::vector<Entity>& entities) {
  std::stable_sort(entities.begin(), entities.end(),
                   [](const Entity& a, const Entity& b) { return a.start < b.start; });
  std::vector<Entity> kept;
  for (auto& e : entities) {
    if (!kept.empty() && kept.back().end > e.start) continue;
    kept.push_back(std::move(e));
  }
  entities = std::move(kept);
}

std::vector<Entity> mentions_or_lists(const UnicodeString& text) {
  std::vector<Entity> out;
  // The @ comes after at most a character (two code units), "RT" and ":".
  each_match_near(&Patterns::mention, text, u'@', u'\uFF20', 5, [&](RegexMatcher& m) {
    const int32_t end = group_end(m, 0);
    if (looking_at(*patterns().end_mention, text.tempSubString(end))) return;
    const int32_t start = group_end(m, 1);
    Entity e = make_entity(EntityType::kMention, group(m, 3), start, end);
    e.list_slug = detail::to_utf8(group(m, 4));
    out.push_back(std::move(e));
  });
  return out;
}

std::vector<Entity> hashtags(const UnicodeString& text) {
  std::vector<Entity> out;
  // The # comes after at most one character of the boundary (two code units).
  each_match_near(&Patterns::hashtag, text, u'#', u'\uFF03', 2, [&](RegexMatcher& m) {
    const int32_t end = group_end(m, 0);
    if (looking_at(*patterns().end_hashtag, text.tempSubString(end))) return;
    out.push_back(make_entity(EntityType::kHashtag, group(m, 3), group_start(m, 2), end));
  });
  return out;
}

std::vector<Entity> cashtags(const UnicodeString& text) {
  std::vector<Entity> out;
  // The $ comes first or after one space (all in the BMP).
  each_match_near(&Patterns::cashtag, text, u'$', u'$', 1, [&](RegexMatcher& m) {
    out.push_back(
        make_entity(EntityType::kCashtag, group(m, 3), group_start(m, 2), group_end(m, 0)));
  });
  return out;
}

std::vector<Entity> url_entities(const std::vector<detail::UrlMatch>& found) {
  std::vector<Entity> out;
  for (const auto& u : found) out.push_back(make_entity(EntityType::kUrl, u.url, u.start, u.end));
  return out;
}

std::vector<Entity> urls(const UnicodeString& text) {
  return url_entities(detail::find_urls(text));
}

}  // namespace

namespace detail {

std::vector<UrlMatch> find_urls(const UnicodeString& text) {
  std::vector<UrlMatch> found;
  if (text.indexOf(u'.') < 0) return found;
  each_url_match(text, [&](RegexMatcher& m) {
    const Patterns& p = patterns();
    const UnicodeString before = group(m, 2), protocol = group(m, 4), domain = group(m, 5),
                        path = group(m, 7);
    UnicodeString url = group(m, 3);
    const int32_t start = group_start(m, 3);
    int32_t end = group_end(m, 3);
    if (!valid_url(url, protocol.isEmpty() ? 8 : protocol.length(), domain)) return;
    if (protocol.isEmpty()) {
      // Without a protocol only ASCII domains count, and not after - _ . or /.
      if (!before.isEmpty() &&
          UnicodeString(u"-_./").indexOf(before.char32At(before.length() - 1)) >= 0)
        return;
      int32_t ascii_end = 0;
      size_t last = found.size();
      each_match(*p.ascii_domain, domain, [&](RegexMatcher& a) {
        const UnicodeString ascii = group(a, 0);
        const int32_t ascii_start = domain.indexOf(ascii, ascii_end);
        ascii_end = ascii_start + ascii.length();
        last = found.size();
        found.push_back({start + ascii_start, start + ascii_end, ascii});
      });
      if (last == found.size()) return;
      if (!path.isEmpty()) {
        // The last domain takes the path and query: twitter-text's url.replace(domain, ...).
        const int32_t at = url.indexOf(domain);
        found[last].url =
            UnicodeString(url, 0, at) + found[last].url + UnicodeString(url, at + domain.length());
        found[last].end = end;
      }
      return;
    }
    // A t.co link takes no more path characters than its slug.
    auto tco = matcher(*p.tco, url);
    UErrorCode status = U_ZERO_ERROR;
    if (tco->lookingAt(status)) {
      if (group(*tco, 1).length() > kMaxTcoSlugLength) return;
      url = group(*tco, 0);
      end = start + url.length();
    }
    check(status);
    found.push_back({start, end, url});
  });
  return found;
}

std::vector<Entity> entities_with_urls(const UnicodeString& text,
                                       const std::vector<UrlMatch>& urls) {
  std::vector<Entity> all = url_entities(urls);
  for (auto* part : {&mentions_or_lists, &hashtags, &cashtags}) {
    auto more = (*part)(text);
    all.insert(all.end(), std::make_move_iterator(more.begin()),
               std::make_move_iterator(more.end()));
  }
  remove_overlapping(all);
  return all;
}

}  // namespace detail

const char* entity_type_name(EntityType t) {
  switch (t) {
    case EntityType::kUrl:
      return "url";
    case EntityType::kMention:
      return "mention";
    case EntityType::kHashtag:
      return "hashtag";
    case EntityType::kCashtag:
      return "cashtag";
  }
  return "url";
}

std::vector<Entity> extract_urls(const std::string& text) { return urls(detail::to_utf16(text)); }

std::vector<Entity> extract_mentions(const std::string& text) {
  std::vector<Entity> out;
  for (auto& e : mentions_or_lists(detail::to_utf16(text))) {
    if (e.list_slug.empty()) out.push_back(std::move(e));
  }
  return out;
}

std::vector<Entity> extract_hashtags(const std::string& text) {
  const UnicodeString t = detail::to_utf16(text);
  std::vector<Entity> tags = hashtags(t);
  if (tags.empty()) return tags;
  std::vector<Entity> all = urls(t);
  if (all.empty()) return tags;
  all.insert(all.begin(), tags.begin(), tags.end());
  remove_overlapping(all);
  tags.clear();
  for (auto& e : all) {
    if (e.type == EntityType::kHashtag) tags.push_back(std::move(e));
  }
  return tags;
}

std::vector<Entity> extract_cashtags(const std::string& text) {
  return cashtags(detail::to_utf16(text));
}

std::vector<Entity> extract_entities(const std::string& text) {
  const UnicodeString t = detail::to_utf16(text);
  return detail::entities_with_urls(t, detail::find_urls(t));
}

std::string without_entities(const std::string& text, const std::vector<Entity>& entities) {
  const UnicodeString t = detail::to_utf16(text);
  UnicodeString out;
  int32_t at = 0;
  for (const auto& e : entities) {
    if (e.start < at || e.end > t.length()) continue;
    out.append(t, at, e.start - at).append(u' ');
    at = e.end;
  }
  out.append(t, at, t.length() - at);
  return detail::to_utf8(out);
}

}  // namespace gl::x
