#include "import/ytd_reader.h"

#include <cctype>

#include "core/error.h"

namespace gl::import {

namespace {

constexpr char kPrefix[] = "window.YTD.";

bool is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_name_char(int c) { return c >= 0 && (std::isalnum(c) || c == '_'); }

size_t after_bom(const std::string& s) { return s.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0; }

}  // namespace

std::optional<std::string> ytd_name(const std::string& head) {
  size_t pos = after_bom(head);
  while (pos < head.size() && is_space(static_cast<unsigned char>(head[pos]))) ++pos;
  if (head.compare(pos, sizeof(kPrefix) - 1, kPrefix) != 0) return std::nullopt;
  pos += sizeof(kPrefix) - 1;
  std::string name;
  while (pos < head.size() && is_name_char(static_cast<unsigned char>(head[pos])))
    name += head[pos++];
  if (name.empty()) return std::nullopt;
  return name;
}

YtdReader::YtdReader(ByteSource& src, std::string label) : in_(src), label_(std::move(label)) {
  int c = in_.get();
  if (c == 0xEF) {  // a UTF-8 byte order mark
    if (in_.get() != 0xBB || in_.get() != 0xBF) fail("not an X archive data file");
    c = in_.get();
  }
  while (is_space(c)) c = in_.get();
  for (const char* p = kPrefix; *p; ++p) {
    if (c != static_cast<unsigned char>(*p)) {
      fail("expected window.YTD.<name>.partN = [ (not an X archive data file)");
    }
    c = in_.get();
  }
  while (is_name_char(c)) {
    name_ += static_cast<char>(c);
    c = in_.get();
  }
  const std::string part = ".part";
  for (char p : part) {
    if (c != p) fail("expected .partN after window.YTD." + name_);
    c = in_.get();
  }
  if (c < 0 || !std::isdigit(c)) fail("expected .partN after window.YTD." + name_);
  while (c >= 0 && std::isdigit(c)) c = in_.get();
  while (is_space(c)) c = in_.get();
  if (c != '=') fail("expected '= [' after window.YTD." + name_ + ".partN");
  c = skip_space();
  if (c != '[') fail("expected '[' after window.YTD." + name_ + ".partN =");
}

void YtdReader::fail(const std::string& reason) const {
  throw usage_error(label_ + ":" + std::to_string(in_.line()), reason);
}

int YtdReader::skip_space() {
  int c = in_.get();
  while (is_space(c)) c = in_.get();
  return c;
}

bool YtdReader::next(YtdElement& out) {
  if (done_) return false;
  int c = skip_space();
  if (!first_) {
    if (c == ',') {
      c = skip_space();
    } else if (c != ']') {
      fail(c < 0 ? "file ends inside the array (truncated?)" : "expected ',' or ']'");
    }
  }
  if (c == ']') {
    done_ = true;
    c = skip_space();
    if (c == ';') c = skip_space();
    if (c >= 0) fail("unexpected text after the array");
    return false;
  }
  if (c < 0) fail("file ends inside the array (truncated?)");
  if (c != '{') fail("expected an object in the array");
  first_ = false;
  out.text.clear();
  out.line = in_.line();
  out.oversized = false;
  out.text += '{';
  int depth = 1;
  bool in_string = false, escaped = false;
  while (depth > 0) {
    c = in_.get();
    if (c < 0) {
      fail("file ends inside the element that starts at line " + std::to_string(out.line) +
           " (truncated?)");
    }
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
    if (out.oversized) continue;
    out.text += static_cast<char>(c);
    if (out.text.size() > kMaxElementBytes) {
      out.oversized = true;
      std::string().swap(out.text);  // give the memory back at once
    }
  }
  return true;
}

}  // namespace gl::import
