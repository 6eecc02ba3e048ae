// migrate: applies the pending schema migrations, or shows their status.
#include <CLI/CLI.hpp>

#include "core/cli.h"
#include "core/error.h"
#include "core/json_lines.h"
#include "db/job_run.h"
#include "db/migrations.h"

int main(int argc, char** argv) {
  bool status = false;
  std::string dir;
  return gl::run_tool(
      {"migrate", "Apply growthloop's schema migrations in order, each in a transaction.", false},
      argc, argv,
      [&](CLI::App& app) {
        app.add_flag("--status", status,
                     "list each migration as applied, pending, changed or unknown; exit 1 "
                     "unless all are applied");
        app.add_option("--dir", dir, "read migrations from DIR instead of the built-in ones");
      },
      [&](gl::ToolContext& ctx) {
        const auto known =
            dir.empty() ? gl::db::embedded_migrations() : gl::db::load_migrations(dir);
        auto conn = gl::db::open_database(ctx, /*check_schema=*/false);
        if (status) {
          // Anything but applied is said on stderr and fails the run, so cron mails it.
          int off = 0;
          for (const auto& s : gl::db::migration_status(*conn, known)) {
            gl::emit({{"name", s.name},
                      {"state", s.state},
                      {"applied_at",
                       s.applied_at.empty() ? gl::Json(nullptr) : gl::Json(s.applied_at)}});
            if (s.state == "applied") continue;
            ++off;
            const std::string why = s.state == "pending"   ? "run migrate"
                                    : s.state == "changed" ? "its file changed after it was applied"
                                                           : "applied but unknown to this build";
            ctx.log.error("migration " + s.name + " is " + s.state + ": " + why);
          }
          return off == 0 ? 0 : static_cast<int>(gl::kExitFailure);
        }
        const bool dry_run = ctx.common.dry_run;  // lists what would be applied, applies nothing
        const auto applied = gl::db::apply_migrations(*conn, known, dry_run);
        for (const auto& name : applied)
          ctx.log.info("{} {}", dry_run ? "would apply" : "applied", name);
        gl::emit({{"applied", applied}, {"dry_run", dry_run}, {"schema", known.back().name}});
        return 0;
      });
}
