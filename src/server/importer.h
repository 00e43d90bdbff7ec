#pragma once
// `causerie-server import`: comments from another system's export into Causerie's
// storage. The readers (import_sources.h) stream the file; this decides what each
// item becomes: its thread key (--map prefix rewrites, else the URL's path, the
// widget's default data-thread), its body (the source's HTML as Markdown-lite,
// then the validation posted comments get), its parent, and whether it is already
// here (every imported comment remembers its origin and the source's id, so a
// second import of the same file changes nothing). docs/import.md.
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "core/validation.h"
#include "server/import_sources.h"
#include "server/storage.h"

namespace causerie::server {

enum class ImportFormat { wordpress, disqus, causerie };

struct PrefixRewrite {
  std::string from;  // a URL prefix: "https://old.example.org/"
  std::string to;    // what replaces it in the thread key: "/"
};

// "FROM=TO", split at the last '=' (URL prefixes may hold one: "?p="); false on no '='.
bool parse_prefix_rewrite(const std::string& arg, PrefixRewrite& out);
// The thread key of an article URL: the first rewrite whose prefix matches, else the
// URL's path, as the widget's default data-thread is; without the query or fragment
// that follows (https://x/?p=12 with the rewrite "https://x/?p=" -> "/p/" is "/p/12").
std::string thread_key_for(const std::string& url, const std::vector<PrefixRewrite>& rewrites);
// A source body as the Markdown-lite Causerie stores (normalized, not validated).
std::string body_as_markdown(const std::string& body, SourceText text);

struct ImportOptions {
  ImportFormat format = ImportFormat::wordpress;
  std::string file;
  std::vector<PrefixRewrite> rewrites;
  bool dry_run = false;
  Limits limits;             // the server's; an e-mail is not required of imported comments
  size_t batch_size = 1000;  // comments per write transaction
};

struct ImportReport {
  struct Thread {
    std::string key;
    bool exists = false;   // already in the database before this import
    int64_t imported = 0;  // comments this import adds
    int64_t already = 0;   // comments of this file already imported
  };
  struct Item {
    int64_t line = 0;
    std::string id;  // the source's id
    std::string why;
  };
  std::string origin;
  int64_t read = 0;                     // comment records in the file
  std::vector<Thread> threads;          // in the order of the file
  int64_t by_status[4] = {0, 0, 0, 0};  // imported, indexed by CommentStatus
  int64_t already = 0;
  std::map<std::string, int64_t> skipped;  // "pingback" -> count
  std::vector<Item> orphans;               // imported at the top level
  std::vector<Item> rejected;              // not imported
  std::vector<Item> warnings;              // imported without something

  int64_t imported() const { return by_status[0] + by_status[1] + by_status[2] + by_status[3]; }
  void print(std::FILE* out, bool dry_run) const;
};

// Reads the whole file once without writing (a malformed file stops here, with
// nothing written), then, unless dry_run, reads it again and writes, in
// transactions of batch_size comments. False with `error` when the file cannot be
// read or the storage fails; rejected items are in the report, not errors.
bool run_import(Storage& storage, const std::string& salt, const ImportOptions& options, ImportReport& report,
                std::string& error);

// The subcommand: `causerie-server import --from wordpress|disqus FILE [--map FROM=TO]...
// [--dry-run] [--db ...]`. Returns the process's exit code.
int import_command(int argc, char** argv);

}  // namespace causerie::server
