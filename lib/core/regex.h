// std::regex with the same answers, faster on the hot paths of text analysis.
// libstdc++'s matcher asks its traits, at every character it tries, for the
// ctype facet of the locale (a dynamic_cast) to fold case, and at every \b for
// the class "w" by name (string compares): most of the time the hook and
// call-to-action rules took. These traits read both from the same locale
// once, into tables, when it is imbued.
#pragma once

#include <array>
#include <regex>

namespace gl {

class RegexTraits : public std::regex_traits<char> {
  using Base = std::regex_traits<char>;

 public:
  RegexTraits() { cache(); }

  char translate_nocase(char c) const { return lower_[index(c)]; }

  template <typename It>
  char_class_type lookup_classname(It first, It last, bool icase = false) const {
    if (!icase && last - first == 1 && *first == 'w') return word_;
    return Base::lookup_classname(first, last, icase);
  }

  bool isctype(char c, char_class_type f) const {
    if (f == word_) return is_word_[index(c)];
    return Base::isctype(c, f);
  }

  locale_type imbue(locale_type loc) {
    locale_type old = Base::imbue(loc);
    cache();
    return old;
  }

 private:
  static unsigned char index(char c) { return static_cast<unsigned char>(c); }

  void cache() {
    static const char kWord[] = "w";
    word_ = Base::lookup_classname(kWord, kWord + 1);
    for (int i = 0; i < 256; ++i) {
      const char c = static_cast<char>(i);
      lower_[i] = Base::translate_nocase(c);
      is_word_[i] = Base::isctype(c, word_);
    }
  }

  char_class_type word_;
  std::array<char, 256> lower_{};
  std::array<bool, 256> is_word_{};
};

using Regex = std::basic_regex<char, RegexTraits>;

}  // namespace gl
