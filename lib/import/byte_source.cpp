#include "import/byte_source.h"

#include <sys/stat.h>
#include <zip.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/error.h"

namespace gl::import {

namespace fs = std::filesystem;

struct ZipHandle {
  zip_t* z = nullptr;
  ~ZipHandle() {
    if (z) zip_discard(z);  // read-only: nothing to write back
  }
};

namespace {

class FileSource : public ByteSource {
 public:
  FileSource(const std::string& path, std::string label) : label_(std::move(label)) {
    f_ = std::fopen(path.c_str(), "rb");
    if (!f_) throw usage_error(label_, std::string("cannot open: ") + std::strerror(errno));
  }
  ~FileSource() override { std::fclose(f_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  size_t read(char* buf, size_t n) override {
    const size_t got = std::fread(buf, 1, n, f_);
    if (got == 0 && std::ferror(f_)) throw usage_error(label_, "read error");
    return got;
  }

 private:
  std::string label_;
  std::FILE* f_ = nullptr;
};

class ZipEntrySource : public ByteSource {
 public:
  ZipEntrySource(std::shared_ptr<ZipHandle> zip, long long index, std::string label)
      : zip_(std::move(zip)), label_(std::move(label)) {
    f_ = zip_fopen_index(zip_->z, static_cast<zip_uint64_t>(index), 0);
    if (!f_) throw usage_error(label_, std::string("cannot open: ") + zip_strerror(zip_->z));
  }
  ~ZipEntrySource() override { zip_fclose(f_); }
  ZipEntrySource(const ZipEntrySource&) = delete;
  ZipEntrySource& operator=(const ZipEntrySource&) = delete;
  size_t read(char* buf, size_t n) override {
    const zip_int64_t got = zip_fread(f_, buf, n);
    if (got < 0) {
      throw usage_error(label_, std::string("cannot read (damaged zip?): ") +
                                    zip_error_strerror(zip_file_get_error(f_)));
    }
    return static_cast<size_t>(got);
  }

 private:
  std::shared_ptr<ZipHandle> zip_;
  std::string label_;
  zip_file_t* f_ = nullptr;
};

std::time_t mtime_of(const fs::path& p) {
  struct stat st;
  if (::stat(p.c_str(), &st) != 0) return 0;
  return st.st_mtime;
}

}  // namespace

std::unique_ptr<ByteSource> open_file(const ExportFile& f) {
  if (f.zip) return std::make_unique<ZipEntrySource>(f.zip, f.zip_index, f.label);
  return std::make_unique<FileSource>(f.path, f.label);
}

std::string head_of(const ExportFile& f, size_t n) {
  auto src = open_file(f);
  std::string out(n, '\0');
  size_t got = 0;
  while (got < n) {
    const size_t k = src->read(out.data() + got, n - got);
    if (k == 0) break;
    got += k;
  }
  out.resize(got);
  return out;
}

bool is_zip(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  char magic[4] = {};
  const size_t got = std::fread(magic, 1, 4, f);
  std::fclose(f);
  return got == 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0;
}

std::vector<ExportFile> zip_entries(const std::string& path) {
  int code = 0;
  auto zip = std::make_shared<ZipHandle>();
  zip->z = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (!zip->z) {
    zip_error_t e;
    zip_error_init_with_code(&e, code);
    const std::string why = zip_error_strerror(&e);
    zip_error_fini(&e);
    throw usage_error(path, "cannot open as a zip: " + why);
  }
  std::vector<ExportFile> out;
  const zip_int64_t n = zip_get_num_entries(zip->z, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(zip->z, static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
    const std::string name = st.name ? st.name : "";
    if (name.empty() || name.back() == '/') continue;
    ExportFile f;
    f.label = path + ":" + name;
    f.path = path;
    f.zip = zip;
    f.zip_index = i;
    f.mtime = (st.valid & ZIP_STAT_MTIME) ? st.mtime : 0;
    f.size = (st.valid & ZIP_STAT_SIZE) ? static_cast<long long>(st.size) : 0;
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(),
            [](const ExportFile& a, const ExportFile& b) { return a.label < b.label; });
  return out;
}

std::vector<ExportFile> folder_files(const std::string& path, int max_depth) {
  std::vector<ExportFile> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) throw usage_error(path, "cannot read the folder: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) throw usage_error(path, "cannot read the folder: " + ec.message());
    if (it.depth() >= max_depth) it.disable_recursion_pending();
    if (!it->is_regular_file(ec)) continue;
    ExportFile f = plain_file(it->path().string());
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(),
            [](const ExportFile& a, const ExportFile& b) { return a.label < b.label; });
  return out;
}

ExportFile plain_file(const std::string& path) {
  ExportFile f;
  f.label = path;
  f.path = path;
  f.mtime = mtime_of(path);
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  f.size = ec ? 0 : static_cast<long long>(size);
  return f;
}

}  // namespace gl::import
