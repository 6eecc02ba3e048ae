#include "x/tweet_text.h"

#include <unicode/normalizer2.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <map>
#include <stdexcept>

#include "x/tweet_text_detail.h"

namespace gl::x {

namespace {

// twitter-text v3's configuration, in hundredths: these code point ranges
// weigh 100, everything else (and each half of a surrogate pair) 200.
constexpr int kScale = 100;
constexpr int kDefaultWeight = 200;
struct WeightRange {
  UChar first, last;
};
constexpr WeightRange kLightRanges[] = {{0, 4351}, {8192, 8205}, {8208, 8223}, {8242, 8247}};

int weight(UChar unit) {
  for (const auto& r : kLightRanges) {
    if (unit >= r.first && unit <= r.last) return kScale;
  }
  return kDefaultWeight;
}

bool invalid_char(UChar unit) { return unit == 0xFFFE || unit == 0xFEFF || unit == 0xFFFF; }

icu::UnicodeString nfc16(const icu::UnicodeString& s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("tweet_text: ICU has no NFC data");
  icu::UnicodeString out = n->normalize(s, status);
  if (U_FAILURE(status)) throw std::runtime_error("tweet_text: NFC failed");
  return out;
}

void append_utf8(std::string& out, uint32_t cp) {
  char buf[4];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, cp, error);
  if (!error) out.append(buf, static_cast<size_t>(n));
}

// A numeric reference's code point, or 0 when it is not one we may decode.
uint32_t numeric_reference(const std::string& s, size_t begin, size_t end) {
  const bool hex = begin < end && (s[begin] == 'x' || s[begin] == 'X');
  if (hex) ++begin;
  if (begin == end || end - begin > 8) return 0;
  uint32_t cp = 0;
  for (size_t i = begin; i < end; ++i) {
    const char c = s[i];
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) return 0;
    cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(digit);
  }
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return cp;
}

}  // namespace

namespace detail {

icu::UnicodeString to_utf16(const std::string& utf8) {
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
}

std::string to_utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace detail

bool valid_utf8(const std::string& text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto n = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < n) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) return false;
  }
  return true;
}

std::string squeeze(const std::string& text, std::string_view separators) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (separators.find(c) != std::string_view::npos) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string nfc(const std::string& utf8) {
  if (!valid_utf8(utf8)) return utf8;
  return detail::to_utf8(nfc16(detail::to_utf16(utf8)));
}

std::string decode_html_entities(const std::string& api_text) {
  static const std::map<std::string, const char*> kNamed = {
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}};
  std::string out;
  out.reserve(api_text.size());
  size_t i = 0;
  while (i < api_text.size()) {
    const size_t semi = api_text[i] == '&' ? api_text.find(';', i + 1) : std::string::npos;
    if (semi != std::string::npos && semi - i <= 10) {
      if (api_text[i + 1] == '#') {
        if (const uint32_t cp = numeric_reference(api_text, i + 2, semi)) {
          append_utf8(out, cp);
          i = semi + 1;
          continue;
        }
      } else if (auto it = kNamed.find(api_text.substr(i + 1, semi - i - 1)); it != kNamed.end()) {
        out += it->second;
        i = semi + 1;
        continue;
      }
    }
    out += api_text[i++];
  }
  return out;
}

namespace {

// The weighted length of `t`, the NFC form of `original`, whose URLs are `urls`.
TweetLength length_of(const icu::UnicodeString& original, const icu::UnicodeString& t,
                      const std::vector<detail::UrlMatch>& urls) {
  std::map<int32_t, int32_t> url_length, emoji_end;  // by start index
  for (const auto& u : urls) url_length[u.start] = u.url.length();
  for (const auto& e : detail::find_emoji_sequences(t)) emoji_end[e.start] = e.end;

  long weighted = 0;
  bool valid = true;
  int32_t valid_index = 0;
  for (int32_t i = 0; i < t.length(); ++i) {
    if (auto u = url_length.find(i); u != url_length.end()) {
      weighted += kUrlWeight * kScale;
      i += u->second - 1;
    } else if (auto e = emoji_end.find(i); e != emoji_end.end()) {
      weighted += kDefaultWeight;
      i = e->second - 1;
    } else {
      if (U16_IS_LEAD(t[i]) && i + 1 < t.length() && U16_IS_TRAIL(t[i + 1])) ++i;
      weighted += weight(t[i]);
    }
    if (valid && i < t.length()) valid = !invalid_char(t[i]);
    if (valid && weighted <= kMaxWeightedLength * kScale) valid_index = i;
  }
  TweetLength r;
  r.weighted_length = static_cast<int>(weighted / kScale);
  r.valid = valid && r.weighted_length > 0 && r.weighted_length <= kMaxWeightedLength;
  r.valid_range_end = valid_index + (original.length() - t.length());
  return r;
}

}  // namespace

TweetLength parse_tweet(const std::string& text) {
  const icu::UnicodeString original = detail::to_utf16(text);
  const icu::UnicodeString t = nfc16(original);
  return length_of(original, t, detail::find_urls(t));
}

TweetReading read_tweet(const std::string& text) {
  const icu::UnicodeString original = detail::to_utf16(text);
  const icu::UnicodeString t = nfc16(original);
  const std::vector<detail::UrlMatch> urls = detail::find_urls(t);
  // The entities are of the text as given: the URLs of its NFC form when the two are one.
  return {length_of(original, t, urls),
          detail::entities_with_urls(original, t == original ? urls : detail::find_urls(original))};
}

int weighted_length(const std::string& text) { return parse_tweet(text).weighted_length; }

}  // namespace gl::x
