// Reading an export's files as byte streams, whether they lie in a folder or
// inside a zip (libzip), so the parsers stream them in fixed-size chunks and
// never hold a whole file: an archive's tweets.js can be hundreds of MB.
#pragma once

#include <algorithm>
#include <cstddef>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gl::import {

struct ZipHandle;  // an open zip, shared by its entries

// A sequential reader of one file's bytes.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes into buf; 0 at the end. Throws gl::Error on a read error.
  virtual size_t read(char* buf, size_t n) = 0;
};

// Bytes held in memory (tests, fuzz targets, a file's first bytes).
class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string data) : data_(std::move(data)) {}
  size_t read(char* buf, size_t n) override {
    const size_t k = std::min(n, data_.size() - pos_);
    data_.copy(buf, k, pos_);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

// A file of an export: where it is, what it is called in messages, and how to open it.
struct ExportFile {
  std::string label;  // "path/to/file" or "archive.zip:data/tweets.js"
  std::time_t mtime = 0;
  long long size = 0;
  std::shared_ptr<ZipHandle> zip;  // set for a zip entry
  std::string path;                // the file, or the zip itself
  long long zip_index = -1;
};

// Opens a file of an export for reading from its start.
std::unique_ptr<ByteSource> open_file(const ExportFile& f);

// The first `n` bytes of a file (fewer when it is shorter).
std::string head_of(const ExportFile& f, size_t n);

// True when the file at `path` is a zip (by its first bytes).
bool is_zip(const std::string& path);

// The files of a zip, or of a folder and its subfolders (to `max_depth`), in
// name order. Throws gl::Error (exit 2) naming the path when it cannot be read.
std::vector<ExportFile> zip_entries(const std::string& path);
std::vector<ExportFile> folder_files(const std::string& path, int max_depth = 3);
ExportFile plain_file(const std::string& path);

// Bytes from a source, one at a time, with the line number of the current
// position (1-based): what the streaming parsers read through.
class ByteStream {
 public:
  explicit ByteStream(ByteSource& src) : src_(src), buf_(kChunk) {}
  // The next byte, or -1 at the end.
  int get() {
    if (pos_ == len_ && !fill()) return -1;
    const unsigned char c = static_cast<unsigned char>(buf_[pos_++]);
    if (c == '\n') ++line_;
    return c;
  }
  int peek() {
    if (pos_ == len_ && !fill()) return -1;
    return static_cast<unsigned char>(buf_[pos_]);
  }
  long line() const { return line_; }
  // The bytes read ahead and not consumed yet (empty only at the end).
  std::string_view ahead() {
    if (pos_ == len_) fill();
    return {buf_.data() + pos_, len_ - pos_};
  }

 private:
  static constexpr size_t kChunk = 1 << 16;
  bool fill() {
    len_ = src_.read(buf_.data(), buf_.size());
    pos_ = 0;
    return len_ > 0;
  }
  ByteSource& src_;
  std::vector<char> buf_;
  size_t pos_ = 0, len_ = 0;
  long line_ = 1;
};

}  // namespace gl::import
