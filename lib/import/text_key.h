// The comparable form of a short label (a CSV header, a month name, a topic):
// compatibility-normalised, case-folded, accents stripped, with hyphens,
// underscores and runs of white space as one space, trimmed. "Tweet-ID",
// "tweet id" and "ＴＷＥＥＴ ＩＤ" are one key; "Impressões" is "impressoes".
#pragma once

#include <string>

namespace gl::import {

// Invalid UTF-8 gives "".
std::string text_key(const std::string& label);

namespace detail {
// text_key with the whole text through ICU (text_key folds ASCII itself and
// sends ICU only the runs of other characters; a test holds the two equal).
std::string text_key_by_icu(const std::string& label);
}  // namespace detail

}  // namespace gl::import
