#include "server/importer.h"

#include <cstring>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "core/html.h"
#include "server/clock.h"
#include "server/comment_rules.h"
#include "server/crypto.h"
#include "server/nfc.h"

namespace causerie::server {

void ImportReport::print(std::FILE* out, bool dry_run) const {
  std::fprintf(out, "%s: %lld comment records read\n", origin.c_str(), (long long)read);
  std::fprintf(out, "threads: %zu\n", threads.size());
  for (const Thread& t : threads)
    std::fprintf(out, "  %s  %lld %s, %lld already imported%s\n", t.key.c_str(), (long long)t.imported,
                 dry_run ? "to import" : "imported", (long long)t.already, t.exists ? "" : " (new thread)");
  std::fprintf(out, "comments %s: %lld (published %lld, pending %lld, spam %lld, deleted %lld)\n",
               dry_run ? "to import" : "imported", (long long)imported(),
               (long long)by_status[(int)CommentStatus::published], (long long)by_status[(int)CommentStatus::pending],
               (long long)by_status[(int)CommentStatus::spam], (long long)by_status[(int)CommentStatus::deleted]);
  std::fprintf(out, "already imported, left as they are: %lld\n", (long long)already);
  for (const auto& [kind, count] : skipped)
    std::fprintf(out, "skipped (%s, not comments): %lld\n", kind.c_str(), (long long)count);
  const auto list = [out](const char* title, const std::vector<Item>& items) {
    std::fprintf(out, "%s: %zu\n", title, items.size());
    for (const Item& item : items)
      std::fprintf(out, "  line %lld, id %s: %s\n", (long long)item.line, item.id.c_str(), item.why.c_str());
  };
  list("replies whose parent is missing (imported at the top level)", orphans);
  list("rejected (not imported)", rejected);
  list("warnings (imported without the part named)", warnings);
  std::fprintf(out, dry_run ? "dry run: nothing was written\n" : "done\n");
}

namespace {

// One comment ready to be written, its parent still named by the source's id.
struct Prepared {
  size_t thread = 0;  // index into Importer::threads_
  std::string origin_id;
  std::string parent_origin_id;
  CommentRow row;
  std::string body_hash;
  int64_t line = 0;
};

class Importer final : public SourceSink {
public:
  Importer(Storage& storage, std::string salt, const ImportOptions& options, bool write, ImportReport& report)
      : storage_(storage), salt_(std::move(salt)), options_(options), write_(write), report_(report) {}

  bool failed() const { return !failure_.empty(); }
  const std::string& failure() const { return failure_; }

  void origin(const std::string& origin) override {
    origin_ = origin;
    report_.origin = origin;
    if (storage_.list_origins(origin, [this](const std::string& id, int64_t comment_id) {
          known_[id] = Known{comment_id, -1};
        }) != DbResult::ok)
      fail("cannot read the comments already imported");
  }

  void thread(const SourceThread& t) override { source_threads_[t.id] = t; }

  void comment(SourceComment& c) override {
    if (failed()) return;
    ++report_.read;
    if (!c.problem.empty()) return reject(c, c.problem);
    if (!c.skip_as.empty()) {
      ++report_.skipped[c.skip_as];
      left_out_.insert(c.id);
      return;
    }
    const auto source_thread = source_threads_.find(c.thread_id);
    if (source_thread == source_threads_.end()) return reject(c, "its thread " + c.thread_id + " is not in the file");
    const std::string key = thread_key_for(source_thread->second.url, options_.rewrites);
    if (!is_valid_thread_key(key, options_.limits))
      return reject(c, "thread key \"" + key + "\" (from " + source_thread->second.url + ") is not a valid key");
    const size_t thread = thread_index(key, source_thread->second);
    if (failed()) return;
    if (known_.count(c.id)) {
      ++report_.already;
      ++report_.threads[thread].already;
      return;
    }
    Prepared p;
    if (!prepare(c, thread, p)) return;
    if (p.parent_origin_id.empty() || known_.count(p.parent_origin_id)) {
      emit(std::move(p));
    } else {
      waiting_[p.parent_origin_id].push_back(std::move(p));  // its parent comes later in the file
    }
  }

  // Replies whose parent never came go in at the top level; then the last batch.
  bool finish() {
    while (!failed() && !waiting_.empty()) {
      auto node = waiting_.extract(waiting_.begin());
      for (Prepared& p : node.mapped()) {
        report_.orphans.push_back(
            {p.line, p.origin_id,
             "parent " + node.key() + (left_out_.count(node.key()) ? " was left out (above)" : " is not in the file")});
        p.parent_origin_id.clear();
        emit(std::move(p));
      }
    }
    if (!failed()) flush();
    return !failed();
  }

private:
  struct Known {
    int64_t id = 0;       // 0: in the batch being written
    int32_t thread = -1;  // index into report_.threads; -1 when imported before this run
  };
  struct Thread {
    std::string title, url;
  };

  void fail(std::string why) {
    if (failure_.empty()) failure_ = std::move(why);
  }

  void reject(const SourceComment& c, std::string why) {
    left_out_.insert(c.id);
    report_.rejected.push_back({c.line, c.id.empty() ? "?" : c.id, std::move(why)});
  }

  size_t thread_index(const std::string& key, const SourceThread& source) {
    const auto found = thread_by_key_.find(key);
    if (found != thread_by_key_.end()) return found->second;
    ImportReport::Thread t;
    t.key = key;
    ThreadRow row;
    const DbResult r = storage_.find_thread(key, row);
    if (r == DbResult::error) fail("cannot read thread " + key);
    t.exists = r == DbResult::ok;
    report_.threads.push_back(t);
    threads_.push_back({to_nfc(source.title), to_nfc(source.url)});
    thread_by_key_[key] = report_.threads.size() - 1;
    return report_.threads.size() - 1;
  }

  // The same normalization and validation as a posted comment. A bad e-mail or
  // website costs only that field (reported); a bad name or body, the comment.
  bool prepare(const SourceComment& c, size_t thread, Prepared& p) {
    p.thread = thread;
    p.origin_id = c.id;
    p.parent_origin_id = c.parent_id;
    p.line = c.line;
    CommentRow& row = p.row;
    row.status = c.status;
    row.created_at = c.created_at * 1000;
    NewComment n;
    n.author.name = decode_entities(c.author_name);
    n.author.email = c.author_email;
    if (!c.author_url.empty()) n.author.url = c.author_url;
    n.body = c.status == CommentStatus::deleted ? std::string("-") : body_as_markdown(c.body, c.text);
    to_nfc(n);
    normalize_new_comment(n);
    std::string hard;
    for (const ValidationError& e : validate_new_comment(n, options_.limits)) {
      const std::string what = e.field + " " + to_string(e.code);
      if (e.field == "author.email") {
        n.author.email.clear();
        report_.warnings.push_back({c.line, c.id, what + ": e-mail left out"});
      } else if (e.field == "author.url") {
        n.author.url.reset();
        report_.warnings.push_back({c.line, c.id, what + ": website left out"});
      } else {
        hard += (hard.empty() ? "" : ", ") + what;
      }
    }
    if (!hard.empty()) {
      reject(c, hard);
      return false;
    }
    row.author_name = n.author.name;
    row.avatar_seed = avatar_seed(salt_, n.author.email.empty() ? n.author.name : n.author.email);
    // A deleted comment keeps its place for its replies and nothing its author wrote.
    if (c.status != CommentStatus::deleted) {
      row.author_email = n.author.email;
      row.author_url = n.author.url.value_or("");
      row.body = n.body;
    }
    p.body_hash = body_hash(row.body);
    return true;
  }

  void emit(Prepared p) {
    if (!p.parent_origin_id.empty()) {
      const Known& parent = known_[p.parent_origin_id];
      if (parent.thread >= 0 && (size_t)parent.thread != p.thread) {
        report_.orphans.push_back({p.line, p.origin_id, "parent " + p.parent_origin_id + " is in another thread"});
        p.parent_origin_id.clear();
      }
    }
    ++report_.by_status[(int)p.row.status];
    ++report_.threads[p.thread].imported;
    known_[p.origin_id] = Known{write_ ? 0 : -1, (int32_t)p.thread};
    const std::string id = p.origin_id;
    batch_.push_back(std::move(p));
    if (batch_.size() >= options_.batch_size) flush();
    // Its replies that came first in the file.
    auto children = waiting_.find(id);
    if (children == waiting_.end()) return;
    std::vector<Prepared> replies = std::move(children->second);
    waiting_.erase(children);
    for (Prepared& reply : replies) emit(std::move(reply));
  }

  void flush() {
    if (batch_.empty() || failed()) return;
    if (!write_) {
      batch_.clear();
      return;
    }
    std::vector<int64_t> ids(batch_.size());
    const int64_t now = now_ms();
    const bool ok = storage_.write_comments([&](CommentWriter& w) {
      std::unordered_map<size_t, ThreadRow> threads;  // by index, locked
      std::unordered_map<size_t, int> published;
      std::unordered_map<std::string, int64_t> batch_ids;
      for (size_t k = 0; k < batch_.size(); ++k) {
        Prepared& p = batch_[k];
        auto t = threads.find(p.thread);
        if (t == threads.end()) {
          ThreadRow row;
          const std::string& key = report_.threads[p.thread].key;
          DbResult r = w.find_thread(key, row);
          if (r == DbResult::not_found)
            r = w.create_thread(key, threads_[p.thread].title, threads_[p.thread].url, now, row);
          if (r != DbResult::ok) return false;
          t = threads.emplace(p.thread, row).first;
        }
        p.row.thread_id = t->second.id;
        p.row.parent_id = 0;
        if (!p.parent_origin_id.empty()) {
          const int64_t known = known_[p.parent_origin_id].id;
          p.row.parent_id = known ? known : batch_ids[p.parent_origin_id];
        }
        if (w.insert_comment(p.row, "", p.body_hash, ids[k]) != DbResult::ok) return false;
        if (w.remember_origin(origin_, p.origin_id, ids[k]) != DbResult::ok) return false;
        batch_ids[p.origin_id] = ids[k];
        if (p.row.status == CommentStatus::published) ++published[p.thread];
      }
      for (const auto& [index, row] : threads)
        if (w.touch_thread(row.id, published[index], std::nullopt, 0, now) != DbResult::ok) return false;
      return true;
    });
    if (!ok)
      return fail("the database refused a write; the comments before line " + std::to_string(batch_.front().line) +
                  " are imported, run the import again");
    for (size_t k = 0; k < batch_.size(); ++k) known_[batch_[k].origin_id].id = ids[k];
    batch_.clear();
  }

  Storage& storage_;
  std::string salt_;
  const ImportOptions& options_;
  const bool write_;
  ImportReport& report_;
  std::string origin_;
  std::string failure_;
  std::unordered_map<std::string, SourceThread> source_threads_;
  std::unordered_map<std::string, size_t> thread_by_key_;
  std::vector<Thread> threads_;  // parallel to report_.threads
  std::unordered_map<std::string, Known> known_;
  std::unordered_map<std::string, std::vector<Prepared>> waiting_;  // by missing parent id
  std::unordered_set<std::string> left_out_;                        // skipped or rejected ids, for the orphans' report
  std::vector<Prepared> batch_;
};

bool read_file(Storage& storage, const std::string& salt, const ImportOptions& options, bool write,
               ImportReport& report, std::string& error) {
  std::FILE* in = std::fopen(options.file.c_str(), "rb");
  if (!in) {
    error = "cannot open " + options.file + ": " + std::strerror(errno);
    return false;
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(in, &std::fclose);
  Importer importer(storage, salt, options, write, report);
  std::string read_error;
  const bool read = options.format == ImportFormat::wordpress ? read_wordpress(in, importer, read_error)
                                                              : read_disqus(in, importer, read_error);
  if (!read) {
    error = options.file + ", " + read_error;
    return false;
  }
  if (!importer.finish()) {
    error = importer.failure();
    return false;
  }
  return true;
}

}  // namespace

bool run_import(Storage& storage, const std::string& salt, const ImportOptions& options, ImportReport& report,
                std::string& error) {
  report = {};
  if (!read_file(storage, salt, options, false, report, error)) return false;
  if (options.dry_run) return true;
  report = {};
  return read_file(storage, salt, options, true, report, error);
}

}  // namespace causerie::server
