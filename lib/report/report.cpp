#include "report/report.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/cli.h"
#include "core/error.h"
#include "core/fan_out.h"
#include "core/json_lines.h"
#include "db/job_run.h"
#include "report/gather.h"
#include "report/html.h"

namespace gl::report {

namespace {

// Writes the whole file or nothing: a temporary beside it, then rename. Only
// a file (or a link, replaced itself) is replaced: a device or a folder is not.
// A dry run checks the path and writes nothing.
void write_file(const std::string& path, const std::string& text, bool dry_run) {
  std::error_code error;
  const auto type = std::filesystem::symlink_status(path, error).type();
  using Type = std::filesystem::file_type;
  if (type != Type::none && type != Type::not_found && type != Type::regular &&
      type != Type::symlink) {
    throw usage_error("--out " + path,
                      "is not a file (a folder or a device): name a file to write");
  }
  if (dry_run) return;
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    f.flush();
    if (!f) throw failure(path, std::string("cannot write: ") + std::strerror(errno));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    throw failure(path, "cannot write: " + why);
  }
}

Json sections_json(const std::string& html) {
  Json s = Json::object();
  for (const char* id : kSectionIds)
    s[id] = html.find(std::string("id=\"") + id + "\" data-state=\"data\"") != std::string::npos
                ? "data"
                : "empty";
  return s;
}

IndexEntry index_entry(const Report& r, const std::string& file) {
  IndexEntry x{r.handle, file, r.generated_at, 0, static_cast<long long>(r.queue.posts.size()),
               0,        ""};
  for (const auto& w : r.curve.weeks) x.gated_posts += w.posts;
  for (const auto& t : r.operations.tools)
    x.failing_tools += (!t.last_failure_at.empty() && t.last_failure_at > t.last_ok_at) ? 1 : 0;
  return x;
}

// One account: gathers its report and writes it to `path` (stdout for JSON without a path).
int one_account(ToolContext& ctx, const ReportOptions& o, const std::string& path,
                std::vector<IndexEntry>* index) {
  return db::run_for_account(ctx, [&](db::AccountRun& run) {
    const Report r = gather(run);
    if (o.format == "json") {
      if (path.empty()) {
        emit(to_json(r));
      } else {
        write_file(path, to_json(r).dump(2) + "\n", ctx.common.dry_run);
        emit({{"account", r.handle}, {"out", path}, {"format", "json"}});
      }
      return 0;
    }
    const std::string html = render_html(r);
    write_file(path, html, ctx.common.dry_run);
    const Json sections = sections_json(html);
    run.stats["sections_with_data"] = 0;
    for (const auto& [id, state] : sections.items())
      if (state == "data")
        run.stats["sections_with_data"] = run.stats["sections_with_data"].get<int>() + 1;
    emit({{"account", r.handle}, {"out", path}, {"bytes", html.size()}, {"sections", sections}});
    if (index) {
      const auto slash = path.find_last_of('/');
      index->push_back(index_entry(r, slash == std::string::npos ? path : path.substr(slash + 1)));
    }
    return 0;
  });
}

}  // namespace

int run_report(ToolContext& ctx, const ReportOptions& o) {
  if (o.format != "html" && o.format != "json")
    throw usage_error("--format", "\"" + o.format + "\" is not html or json");
  if (o.format == "html" && o.out.empty()) throw usage_error("--out", "is required for HTML");
  if (!o.all_accounts) return one_account(ctx, o, o.out, nullptr);

  if (!ctx.common.account.empty())
    throw usage_error("--all-accounts", "cannot be given with --account");
  // JSON without a folder: one object per account on stdout.
  const bool to_stdout = o.out.empty();
  if (to_stdout && o.format == "html")
    throw usage_error("--out", "a folder is required with --all-accounts");
  if (!to_stdout) {
    std::string bare = o.out;  // "page.html/" names the file too
    while (bare.size() > 1 && bare.back() == '/') bare.pop_back();
    std::error_code error;
    if (std::filesystem::exists(bare, error) && !std::filesystem::is_directory(bare, error))
      throw usage_error("--out " + o.out, "is a file: --all-accounts writes into a folder");
    if (!ctx.common.dry_run) std::filesystem::create_directories(o.out, error);  // as mkdir -p
    if (error) throw failure(o.out, "cannot create the folder: " + error.message());
  }
  std::vector<db::Account> accounts;
  {
    auto conn = db::open_database(ctx);
    pqxx::read_transaction t(*conn);
    accounts = db::list_accounts(t);
  }
  const std::string dir = to_stdout || o.out.back() == '/' ? o.out : o.out + "/";
  const std::string ext = o.format == "json" ? ".json" : ".html";
  std::vector<IndexEntry> index;
  std::vector<int> codes;
  // One account's failure does not stop the others; the exit code is the worst.
  for (const auto& a : accounts) {
    ctx.common.account = a.handle;
    // An account named index keeps its page beside the index ('@' is in no handle).
    const std::string page = handle_key(a.handle) == "index" ? "@" + a.handle : a.handle;
    ExceptionReport failed{0, ""};
    try {
      failed.exit_code = one_account(ctx, o, to_stdout ? "" : dir + page + ext, &index);
    } catch (...) {
      failed = describe_exception();
      ctx.log.error("account " + a.handle + ": " + failed.message);
    }
    codes.push_back(failed.exit_code);
    if (failed.exit_code == 0) continue;
    // Said on stdout and in the index as well, so a reader of either sees the account is missing.
    emit({{"account", a.handle},
          {"failed", true},
          {"exit_code", failed.exit_code},
          {"error", failed.message}});
    IndexEntry entry;
    entry.handle = a.handle;
    entry.failure = failed.message;
    index.push_back(entry);
  }
  ctx.common.account.clear();
  if (o.format == "html") {
    write_file(dir + "index.html", render_index(index, format_iso8601(ctx.clock.now())),
               ctx.common.dry_run);
    emit({{"index", dir + "index.html"}, {"accounts", index.size()}});
  }
  return worst_exit_code(codes);  // as every --all-accounts run's
}

}  // namespace gl::report
