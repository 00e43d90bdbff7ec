// `causerie-server import ...`: the command line around run_import (importer.h).
#include <cstdio>
#include <memory>
#include <string>

#include "server/causerie_export.h"
#include "server/importer.h"
#include "server/options.h"
#include "server/postgres_storage.h"
#include "server/sqlite_storage.h"

namespace causerie::server {

namespace {

const char* const kImportUsage =
    "Usage: causerie-server import --from wordpress|disqus|causerie FILE [options]\n"
    "\n"
    "Imports the comments of a WordPress export (WXR, Tools > Export), a Disqus export or\n"
    "Causerie's own (causerie-server export) into Causerie's database, whether its server\n"
    "is running or not. Importing the same file again adds nothing. See docs/import.md.\n"
    "\n"
    "  --from wordpress|disqus|causerie   the kind of FILE\n"
    "  --map FROM=TO             thread keys: an article URL starting with FROM gets TO instead\n"
    "                            (repeatable, the first match wins); default: the URL's path,\n"
    "                            which is the widget's default data-thread\n"
    "  --dry-run                 print what would be imported, write nothing\n"
    "  --db sqlite:PATH | postgresql://...   the server's database (default sqlite:data/causerie.db)\n";

int usage_error(const std::string& why) {
  std::fprintf(stderr, "causerie-server import: %s\n\n%s", why.c_str(), kImportUsage);
  return 2;
}

}  // namespace

int import_command(int argc, char** argv) {
  Options db;
  ImportOptions options;
  options.limits.require_email = false;  // the old system's rule, not ours, decided who had to give one
  bool have_from = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kImportUsage, stdout);
      return 0;
    }
    if (a == "--dry-run") {
      options.dry_run = true;
      continue;
    }
    if (a.rfind("--", 0) != 0) {
      if (!options.file.empty()) return usage_error("one file at a time (" + options.file + ", " + a + ")");
      options.file = a;
      continue;
    }
    if (i + 1 >= argc) return usage_error(a + ": unknown option or missing value");
    const std::string v = argv[++i];
    if (a == "--from") {
      if (v == "wordpress") options.format = ImportFormat::wordpress;
      else if (v == "disqus") options.format = ImportFormat::disqus;
      else if (v == "causerie") options.format = ImportFormat::causerie;
      else return usage_error("--from wants wordpress, disqus or causerie, not " + v);
      have_from = true;
    } else if (a == "--map") {
      PrefixRewrite r;
      if (!parse_prefix_rewrite(v, r)) return usage_error("--map wants FROM=TO, e.g. https://old.example.org/=/");
      options.rewrites.push_back(r);
    } else if (a == "--db") {
      if (const char* why = parse_db(v, db)) return usage_error("--db " + v + ": " + why);
    } else {
      return usage_error(a + ": unknown option");
    }
  }
  if (!have_from) return usage_error("--from is required");
  if (options.file.empty()) return usage_error("no file given");

  // A power cut during an import loses at most its last transactions, and the
  // import can simply be run again: no fsync per commit.
  std::string error;
  std::unique_ptr<Storage> storage;
  if (!db.postgres_url.empty()) storage = PostgresStorage::open(db.postgres_url, false, error);
  else storage = SqliteStorage::open(db.db_path, false, error);
  std::string salt;
  if (storage && storage->install_salt(salt) != DbResult::ok) error = "cannot read the install salt";
  if (!storage || salt.empty()) {
    std::fprintf(stderr, "causerie-server import: %s\n", error.c_str());
    return 1;
  }
  ImportReport report;
  const bool ok = options.format == ImportFormat::causerie ? import_causerie(*storage, options, report, error)
                                                           : run_import(*storage, salt, options, report, error);
  if (!ok) {
    std::fprintf(stderr, "causerie-server import: %s\n", error.c_str());
    return 1;
  }
  report.print(stdout, options.dry_run);
  return 0;
}

}  // namespace causerie::server
