#include "server/backup.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <vector>

#include "server/clock.h"
#include "server/options.h"

namespace causerie::server {

namespace {

struct Db {
  sqlite3* db = nullptr;
  ~Db() {
    if (db) sqlite3_close_v2(db);
  }
};

}  // namespace

bool backup_sqlite(const std::string& db_path, const std::string& file, std::string& error) {
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec)) {
    error = "no database at " + db_path;
    return false;
  }
  const std::string tmp = file + ".tmp";
  std::filesystem::remove(tmp, ec);
  Db src, dst;
  if (sqlite3_open_v2(db_path.c_str(), &src.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    error = "cannot open " + db_path;
    return false;
  }
  sqlite3_busy_timeout(src.db, 10000);
  if (sqlite3_open_v2(tmp.c_str(), &dst.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    error = "cannot create " + tmp;
    return false;
  }
  // All pages in one step: one read transaction, so the copy is one moment of the database.
  sqlite3_backup* b = sqlite3_backup_init(dst.db, "main", src.db, "main");
  int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
  if (b) sqlite3_backup_finish(b);
  std::string check;
  if (rc == SQLITE_DONE) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(dst.db, "PRAGMA quick_check", -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
      check = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
  }
  sqlite3_close_v2(dst.db);
  dst.db = nullptr;
  if (rc != SQLITE_DONE || check != "ok") {
    error =
        rc != SQLITE_DONE ? std::string("backup failed: ") + sqlite3_errstr(rc) : "the copy fails its check: " + check;
    std::filesystem::remove(tmp, ec);
    return false;
  }
  std::filesystem::rename(tmp, file, ec);
  if (ec) {
    error = "cannot rename " + tmp + ": " + ec.message();
    return false;
  }
  return true;
}

PeriodicBackup::PeriodicBackup(std::string db_path, std::string dir, int64_t every_seconds, int keep)
    : db_path_(std::move(db_path)), dir_(std::move(dir)), every_seconds_(every_seconds), keep_(keep) {
  thread_ = std::thread([this] { loop(); });
}

PeriodicBackup::~PeriodicBackup() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::string PeriodicBackup::run_once(std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  const std::time_t now = now_ms() / 1000;
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", std::gmtime(&now));
  const std::string file = dir_ + "/causerie-" + stamp + ".db";
  if (!backup_sqlite(db_path_, file, error)) return {};
  // The names sort by time: the oldest go first.
  std::vector<std::string> backups;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("causerie-", 0) == 0 && name.size() > 3 && name.compare(name.size() - 3, 3, ".db") == 0)
      backups.push_back(entry.path().string());
  }
  std::sort(backups.begin(), backups.end());
  for (size_t k = 0; k + (size_t)keep_ < backups.size(); ++k) std::filesystem::remove(backups[k], ec);
  return file;
}

void PeriodicBackup::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!cv_.wait_for(lock, std::chrono::seconds(every_seconds_), [this] { return stopping_; })) {
    lock.unlock();
    std::string error;
    const std::string file = run_once(error);
    if (file.empty()) std::fprintf(stderr, "causerie-server: backup failed: %s\n", error.c_str());
    lock.lock();
  }
}

int backup_command(int argc, char** argv) {
  Options db;
  std::string file;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--db" && i + 1 < argc) {
      if (const char* why = parse_db(argv[++i], db)) {
        std::fprintf(stderr, "causerie-server backup: --db: %s\n", why);
        return 2;
      }
    } else if (a == "--help" || a == "-h") {
      std::fputs(
          "Usage: causerie-server backup FILE [--db sqlite:PATH]\n"
          "A consistent copy of the SQLite database, also while the server runs.\n"
          "PostgreSQL: use pg_dump (docs/deploying.md).\n",
          stdout);
      return 0;
    } else if (file.empty() && a.rfind("--", 0) != 0) {
      file = a;
    } else {
      std::fprintf(stderr, "causerie-server backup: unexpected %s (causerie-server backup --help)\n", a.c_str());
      return 2;
    }
  }
  if (!db.postgres_url.empty()) {
    std::fprintf(stderr, "causerie-server backup: for PostgreSQL, use pg_dump (docs/deploying.md)\n");
    return 2;
  }
  if (file.empty()) {
    std::fprintf(stderr, "causerie-server backup: no file given\n");
    return 2;
  }
  std::string error;
  if (!backup_sqlite(db.db_path, file, error)) {
    std::fprintf(stderr, "causerie-server backup: %s\n", error.c_str());
    return 1;
  }
  return 0;
}

}  // namespace causerie::server
