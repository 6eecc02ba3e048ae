#include "import/text_key.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <string_view>

#include "x/tweet_text.h"

namespace gl::import {

namespace {

constexpr std::string_view kSeparators = " \t\n\r-_\"";

bool ascii(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

std::string text_key(const std::string& raw) {
  // ASCII folds to its lower case and has nothing to decompose or strip: most
  // texts, and every month name of an export's dates, need no ICU.
  if (ascii(raw)) {
    std::string lower = raw;
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return x::squeeze(lower, kSeparators);
  }
  return detail::text_key_by_icu(raw);
}

std::string detail::text_key_by_icu(const std::string& raw) {
  if (!x::valid_utf8(raw)) return "";
  // A typographic apostrophe is the typed one ("j’aime").
  std::string label = raw;
  for (size_t p; (p = label.find("\xE2\x80\x99")) != std::string::npos;) label.replace(p, 3, "'");
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(err);
  if (U_FAILURE(err)) return "";
  icu::UnicodeString folded = icu::UnicodeString::fromUTF8(label);
  folded.foldCase();
  const icu::UnicodeString decomposed = nfkd->normalize(folded, err);
  if (U_FAILURE(err)) return "";
  // Accents are the combining marks the decomposition split off.
  icu::UnicodeString bare;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    if (u_charType(c) != U_NON_SPACING_MARK) bare.append(c);
    i += U16_LENGTH(c);
  }
  std::string utf8;
  bare.toUTF8String(utf8);
  return x::squeeze(utf8, kSeparators);
}

}  // namespace gl::import
