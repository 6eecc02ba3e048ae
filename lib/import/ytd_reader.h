// The data files of X's account archive: JavaScript of the form
//   window.YTD.<name>.part<N> = [ {...}, {...} ]
// recognised by their first bytes and streamed one array element at a time
// (a hand-written splitter of the top-level array), so a file of any size is
// read in constant memory; each element is small and parsed on its own.
#pragma once

#include <optional>
#include <string>

#include "import/byte_source.h"

namespace gl::import {

// The <name> a data file's first bytes declare ("tweets", "note_tweet"), or
// nullopt when they do not begin with window.YTD. (after an optional BOM).
std::optional<std::string> ytd_name(const std::string& head);

// An element larger than this is skipped and reported, never held.
inline constexpr size_t kMaxElementBytes = 8u << 20;

struct YtdElement {
  std::string text;  // the element's JSON text ("" when oversized)
  long line = 0;     // where it starts
  bool oversized = false;
};

class YtdReader {
 public:
  // Reads the prefix up to the array's '['. Throws gl::Error (exit 2) with
  // subject "label:line" when it is not `window.YTD.<name>.partN = [`.
  YtdReader(ByteSource& src, std::string label);

  const std::string& name() const { return name_; }

  // The next element; false after the closing ']'. Throws gl::Error (exit 2)
  // on anything but a well-formed array of objects (a truncated file, text
  // after the array).
  bool next(YtdElement& out);

 private:
  [[noreturn]] void fail(const std::string& reason) const;
  int skip_space();  // the next byte that is not white space (consumed), or -1

  ByteStream in_;
  std::string label_;
  std::string name_;
  bool first_ = true;
  bool done_ = false;
};

}  // namespace gl::import
