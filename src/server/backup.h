#pragma once
// Consistent copies of a SQLite database while the server runs (SQLite's online
// backup API: one read transaction, so writers are never blocked in WAL mode).
// PostgreSQL has pg_dump for that (docs/deploying.md).
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace causerie::server {

// Copies the database at `db_path` to `file` (written as file.tmp, checked, then
// renamed, so `file` is always a whole database). False with `error`.
bool backup_sqlite(const std::string& db_path, const std::string& file, std::string& error);

// `--backup-every DURATION --backup-keep N`: a backup into `dir` every `every_seconds`
// (causerie-YYYYMMDDTHHMMSSZ.db), keeping the newest `keep`.
class PeriodicBackup {
public:
  PeriodicBackup(std::string db_path, std::string dir, int64_t every_seconds, int keep);
  ~PeriodicBackup();  // stops the thread
  PeriodicBackup(const PeriodicBackup&) = delete;
  PeriodicBackup& operator=(const PeriodicBackup&) = delete;

  // One backup now, then the oldest beyond `keep` removed. The file written, "" on failure.
  std::string run_once(std::string& error);

private:
  void loop();

  std::string db_path_, dir_;
  int64_t every_seconds_;
  int keep_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

// `causerie-server backup FILE [--db ...]`. The exit code.
int backup_command(int argc, char** argv);

}  // namespace causerie::server
