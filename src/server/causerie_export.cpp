#include "server/causerie_export.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "core/rfc3339.h"
#include "server/clock.h"
#include "server/comment_rules.h"
#include "server/options.h"
#include "server/postgres_storage.h"
#include "server/sqlite_storage.h"

namespace causerie::server {

using json = nlohmann::json;

namespace {
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }
}  // namespace

std::string export_thread_line(const ThreadRow& t) {
  return dump({{"thread",
                {{"key", t.key}, {"title", t.title}, {"url", t.url}, {"closed", t.closed}, {"created_at", t.created_at}}}});
}

std::string export_comment_line(const StoredComment& sc) {
  const CommentRow& c = sc.row;
  json comment = {
      {"id", c.id},
      {"thread", c.thread_key},
      {"parent_id", c.parent_id ? json(c.parent_id) : json(nullptr)},
      {"author",
       {{"name", c.author_name}, {"email", c.author_email}, {"url", c.author_url}, {"avatar_seed", c.avatar_seed}}},
      {"body", c.body},
      {"status", status_name(c.status)},
      {"created_at", c.created_at},
      {"edited_at", c.edited_at ? json(c.edited_at) : json(nullptr)},
      {"edit_token_hash", sc.edit_token_hash.empty() ? json(nullptr) : json(sc.edit_token_hash)}};
  if (!sc.origin.empty()) comment["origin"] = {{"name", sc.origin}, {"id", sc.origin_id}};
  return dump({{"comment", comment}});
}

bool write_export(Storage& storage, std::FILE* out, std::string& error) {
  std::string salt;
  std::vector<ThreadRow> threads;
  if (storage.install_salt(salt) != DbResult::ok || storage.list_threads(threads) != DbResult::ok) {
    error = "cannot read the database";
    return false;
  }
  const auto line = [out](const std::string& s) {
    std::fwrite(s.data(), 1, s.size(), out);
    std::fputc('\n', out);
  };
  line(dump({{"causerie_export", kExportVersion},
             {"exported_at", format_rfc3339(now_ms() / 1000)},
             {"install_salt", salt}}));
  for (const ThreadRow& t : threads) line(export_thread_line(t));
  const DbResult r = storage.for_each_comment([&](const StoredComment& sc) { line(export_comment_line(sc)); });
  if (r != DbResult::ok) {
    error = "cannot read the comments";
    return false;
  }
  if (std::fflush(out) != 0 || std::ferror(out)) {
    error = std::string("cannot write: ") + std::strerror(errno);
    return false;
  }
  return true;
}

namespace {

struct ExportedComment {
  CommentRow row;
  std::string edit_token_hash, origin, origin_id, body_hash;
  int64_t line = 0;
};

// Members read without exceptions (nlohmann is built with JSON_NOEXCEPTION, where a
// type error aborts): false when missing or of another type.
bool member(const json& j, const char* name, std::string& out) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}
bool member(const json& j, const char* name, int64_t& out) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_number_integer()) return false;
  out = it->get<int64_t>();
  return true;
}
bool member(const json& j, const char* name, bool& out) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_boolean()) return false;
  out = it->get<bool>();
  return true;
}
// null (or absent) is 0 / "".
bool nullable(const json& j, const char* name, int64_t& out) {
  const auto it = j.find(name);
  if (it == j.end() || it->is_null()) {
    out = 0;
    return true;
  }
  return member(j, name, out);
}
bool nullable(const json& j, const char* name, std::string& out) {
  const auto it = j.find(name);
  if (it == j.end() || it->is_null()) {
    out.clear();
    return true;
  }
  return member(j, name, out);
}

// Reads one comment line; the reason when it is not one.
std::string read_comment(const json& j, ExportedComment& out) {
  CommentRow& c = out.row;
  std::string status;
  if (!member(j, "id", c.id) || c.id <= 0) return "no positive integer id";
  if (!member(j, "thread", c.thread_key)) return "no thread";
  if (!nullable(j, "parent_id", c.parent_id)) return "parent_id is not an integer";
  const auto author = j.find("author");
  if (author == j.end() || !author->is_object() || !member(*author, "name", c.author_name) ||
      !member(*author, "email", c.author_email) || !member(*author, "url", c.author_url) ||
      !member(*author, "avatar_seed", c.avatar_seed))
    return "author needs name, email, url and avatar_seed strings";
  if (!member(j, "body", c.body)) return "no body";
  if (!member(j, "status", status) || !parse_status(status, c.status)) return "unknown status";
  if (!member(j, "created_at", c.created_at)) return "no created_at";
  if (!nullable(j, "edited_at", c.edited_at)) return "edited_at is not an integer";
  if (!nullable(j, "edit_token_hash", out.edit_token_hash)) return "edit_token_hash is not a string";
  const auto origin = j.find("origin");
  if (origin != j.end() &&
      (!origin->is_object() || !member(*origin, "name", out.origin) || !member(*origin, "id", out.origin_id)))
    return "origin needs name and id strings";
  return {};
}

class CauserieImport {
public:
  CauserieImport(Storage& storage, const ImportOptions& options, ImportReport& report, bool write)
      : storage_(storage), options_(options), report_(report), write_(write) {}

  bool run(std::FILE* in, std::string& error) {
    bool empty = false;
    if (storage_.is_empty(empty) != DbResult::ok) return fail(error, "cannot read the database");
    std::string text;
    int64_t line_number = 0;
    bool header = false;
    char buffer[64 * 1024];
    while (std::fgets(buffer, sizeof buffer, in)) {
      text += buffer;
      if (text.back() != '\n' && !std::feof(in)) continue;
      ++line_number;
      const json j = json::parse(text, nullptr, false);
      text.clear();
      if (j.is_discarded() || !j.is_object()) {
        if (!header) return fail(error, options_.file + ", line " + std::to_string(line_number) + ": not JSON");
        report_.rejected.push_back({line_number, "?", "not a JSON object"});
        continue;
      }
      if (!header) {
        int64_t version = 0;
        if (!member(j, "causerie_export", version) || version != kExportVersion)
          return fail(error, options_.file + ": not a Causerie export of version " + std::to_string(kExportVersion));
        std::string exported_at = "?", salt;
        member(j, "exported_at", exported_at);
        report_.origin = "causerie export of " + exported_at;
        header = true;
        if (write_ && empty && member(j, "install_salt", salt) && storage_.set_install_salt(salt) != DbResult::ok)
          return fail(error, "cannot write the install salt");
        continue;
      }
      if (const auto t = j.find("thread"); t != j.end()) {
        thread(*t, line_number);
      } else if (const auto cm = j.find("comment"); cm != j.end()) {
        ++report_.read;
        ExportedComment c;
        c.line = line_number;
        const std::string why = cm->is_object() ? read_comment(*cm, c) : std::string("not an object");
        if (!why.empty()) {
          report_.rejected.push_back({line_number, c.row.id ? std::to_string(c.row.id) : "?", why});
          continue;
        }
        comment(std::move(c));
      }
      if (!failure_.empty()) return fail(error, failure_);
    }
    if (std::ferror(in)) return fail(error, "read error");
    if (!header) return fail(error, options_.file + ": empty");
    flush();
    for (const auto& [key, closed] : closed_)
      if (write_ && closed && storage_.set_thread_closed(key, true) != DbResult::ok) failure_ = "cannot close " + key;
    if (!failure_.empty()) return fail(error, failure_);
    return true;
  }

private:
  struct Thread {
    std::string title, url;
    int64_t created_at = 0;
    size_t index = 0;  // into report_.threads
  };

  bool fail(std::string& error, const std::string& why) {
    error = why;
    return false;
  }

  void thread(const json& j, int64_t line) {
    Thread t;
    std::string key;
    bool closed = false;
    if (!j.is_object() || !member(j, "key", key) || !member(j, "title", t.title) || !member(j, "url", t.url) ||
        !member(j, "created_at", t.created_at) || !member(j, "closed", closed)) {
      report_.rejected.push_back({line, "thread", "needs key, title, url, created_at and closed"});
      return;
    }
    closed_[key] = closed;
    {
      ThreadRow row;
      const DbResult found = storage_.find_thread(key, row);
      if (found == DbResult::error) failure_ = "cannot read thread " + key;
      report_.threads.push_back({key, found == DbResult::ok, 0, 0});
      t.index = report_.threads.size() - 1;
      threads_[key] = t;
    }
  }

  void comment(ExportedComment c) {
    const auto t = threads_.find(c.row.thread_key);
    if (t == threads_.end()) {
      report_.rejected.push_back({c.line, std::to_string(c.row.id), "its thread is not in the file"});
      return;
    }
    CommentRow existing;
    const DbResult found = storage_.get_comment(c.row.id, existing);
    if (found == DbResult::error) {
      failure_ = "cannot read comment " + std::to_string(c.row.id);
      return;
    }
    if (found == DbResult::ok || batch_ids_.count(c.row.id)) {
      if (found == DbResult::ok && existing.thread_key == c.row.thread_key && existing.created_at == c.row.created_at) {
        ++report_.already;
        ++report_.threads[t->second.index].already;
      } else {
        report_.rejected.push_back({c.line, std::to_string(c.row.id), "its id is taken by another comment"});
      }
      return;
    }
    if (c.row.parent_id && !batch_ids_.count(c.row.parent_id)) {
      CommentRow parent;
      if (storage_.get_comment(c.row.parent_id, parent) != DbResult::ok) {
        report_.orphans.push_back(
            {c.line, std::to_string(c.row.id), "parent " + std::to_string(c.row.parent_id) + " is not in the file"});
        c.row.parent_id = 0;
      }
    }
    ++report_.by_status[(int)c.row.status];
    ++report_.threads[t->second.index].imported;
    c.body_hash = c.row.status == CommentStatus::deleted ? std::string() : body_hash(c.row.body);
    batch_ids_.insert(c.row.id);
    batch_.push_back(std::move(c));
    if (batch_.size() >= options_.batch_size) flush();
  }

  void flush() {
    if (batch_.empty() || !failure_.empty()) return;
    if (!write_) {
      batch_.clear();
      batch_ids_.clear();
      return;
    }
    const bool ok = storage_.write_comments([&](CommentWriter& w) {
      std::unordered_map<std::string, ThreadRow> threads;
      std::unordered_map<std::string, int> published;
      for (ExportedComment& c : batch_) {
        auto t = threads.find(c.row.thread_key);
        if (t == threads.end()) {
          ThreadRow row;
          const Thread& source = threads_[c.row.thread_key];
          DbResult r = w.find_thread(c.row.thread_key, row);
          if (r == DbResult::not_found)
            r = w.create_thread(c.row.thread_key, source.title, source.url, source.created_at, row);
          if (r != DbResult::ok) return false;
          t = threads.emplace(c.row.thread_key, row).first;
        }
        c.row.thread_id = t->second.id;
        int64_t id = 0;
        if (w.insert_comment(c.row, c.edit_token_hash, c.body_hash, id) != DbResult::ok) return false;
        if (!c.origin.empty() && w.remember_origin(c.origin, c.origin_id, id) != DbResult::ok) return false;
        if (c.row.status == CommentStatus::published) ++published[c.row.thread_key];
      }
      for (const auto& [key, row] : threads)
        if (w.touch_thread(row.id, published[key], std::nullopt, 0, now_ms()) != DbResult::ok) return false;
      return true;
    });
    if (!ok)
      failure_ = "the database refused a write at line " + std::to_string(batch_.front().line) +
                 "; what came before is imported, run the import again";
    batch_.clear();
    batch_ids_.clear();
  }

  Storage& storage_;
  const ImportOptions& options_;
  ImportReport& report_;
  const bool write_;
  std::string failure_;
  std::unordered_map<std::string, Thread> threads_;
  std::unordered_map<std::string, bool> closed_;
  std::vector<ExportedComment> batch_;
  std::unordered_set<int64_t> batch_ids_;
};

bool import_pass(Storage& storage, const ImportOptions& options, ImportReport& report, bool write, std::string& error) {
  std::FILE* in = std::fopen(options.file.c_str(), "rb");
  if (!in) {
    error = "cannot open " + options.file + ": " + std::strerror(errno);
    return false;
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(in, &std::fclose);
  CauserieImport pass(storage, options, report, write);
  return pass.run(in, error);
}

}  // namespace

bool import_causerie(Storage& storage, const ImportOptions& options, ImportReport& report, std::string& error) {
  report = {};
  if (!import_pass(storage, options, report, false, error)) return false;
  if (options.dry_run) return true;
  report = {};
  return import_pass(storage, options, report, true, error);
}

int export_command(int argc, char** argv) {
  Options db;
  std::string file;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--db" && i + 1 < argc) {
      if (const char* why = parse_db(argv[++i], db)) {
        std::fprintf(stderr, "causerie-server export: --db: %s\n", why);
        return 2;
      }
    } else if (a == "--help" || a == "-h") {
      std::fputs(
          "Usage: causerie-server export FILE.json [--db sqlite:PATH | postgresql://...]\n"
          "Writes everything (threads, comments, e-mails, statuses, origins, the install salt)\n"
          "as Causerie's export format (docs/api.md); FILE - is the standard output.\n"
          "`causerie-server import --from causerie FILE.json` reads it back.\n",
          stdout);
      return 0;
    } else if (file.empty() && (a == "-" || a.rfind("--", 0) != 0)) {
      file = a;
    } else {
      std::fprintf(stderr, "causerie-server export: unexpected %s (causerie-server export --help)\n", a.c_str());
      return 2;
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "causerie-server export: no file given (causerie-server export --help)\n");
    return 2;
  }
  std::string error;
  std::unique_ptr<Storage> storage;
  if (!db.postgres_url.empty()) storage = PostgresStorage::open(db.postgres_url, false, error);
  else storage = SqliteStorage::open(db.db_path, false, error);
  if (!storage) {
    std::fprintf(stderr, "causerie-server export: %s\n", error.c_str());
    return 1;
  }
  // Written next to its name, then renamed: a failed export never leaves half a file.
  const std::string tmp = file == "-" ? file : file + ".tmp";
  std::FILE* out = file == "-" ? stdout : std::fopen(tmp.c_str(), "wb");
  if (!out) {
    std::fprintf(stderr, "causerie-server export: cannot write %s: %s\n", tmp.c_str(), std::strerror(errno));
    return 1;
  }
  const bool ok = write_export(*storage, out, error);
  if (out != stdout && std::fclose(out) != 0 && ok) error = "cannot close " + tmp;
  if (!ok || !error.empty()) {
    if (file != "-") std::remove(tmp.c_str());
    std::fprintf(stderr, "causerie-server export: %s\n", error.c_str());
    return 1;
  }
  if (file != "-" && std::rename(tmp.c_str(), file.c_str()) != 0) {
    std::fprintf(stderr, "causerie-server export: cannot rename %s: %s\n", tmp.c_str(), std::strerror(errno));
    return 1;
  }
  return 0;
}

}  // namespace causerie::server
