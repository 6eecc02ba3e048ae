#include "import/text_key.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <string_view>

#include "x/tweet_text.h"

namespace gl::import {

namespace {

constexpr std::string_view kSeparators = " \t\n\r-_\"";

bool ascii(unsigned char c) { return c < 0x80; }

// The key's letters of valid UTF-8 before the separators are squeezed:
// case-folded (full folding), compatibility-decomposed, without the combining
// marks the decomposition split off.
std::string fold_by_icu(std::string_view utf8) {
  // A typographic apostrophe is the typed one ("j’aime").
  std::string label(utf8);
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
  std::string out;
  bare.toUTF8String(out);
  return out;
}

}  // namespace

// ASCII folds to its lower case and has nothing to decompose or strip, and
// each ASCII character is a starter that neither folding nor decomposition
// joins with its neighbours: only the runs of other characters go through ICU,
// one run at a time (most texts are ASCII or nearly; a test holds this equal
// to folding the whole text at once).
std::string text_key(const std::string& raw) {
  if (!x::valid_utf8(raw)) return "";
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    const unsigned char c = static_cast<unsigned char>(raw[i]);
    if (ascii(c)) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      ++i;
      continue;
    }
    size_t end = i;
    while (end < raw.size() && !ascii(static_cast<unsigned char>(raw[end]))) ++end;
    out += fold_by_icu(std::string_view(raw).substr(i, end - i));
    i = end;
  }
  return x::squeeze(out, kSeparators);
}

std::string detail::text_key_by_icu(const std::string& raw) {
  if (!x::valid_utf8(raw)) return "";
  return x::squeeze(fold_by_icu(raw), kSeparators);
}

}  // namespace gl::import
