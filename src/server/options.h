#pragma once
// Command-line options of causerie-server (see usage_text() for the user-facing list).
#include <cstdint>
#include <string>
#include <vector>

#include "server/ip_range.h"

namespace causerie::server {

enum class ModerationMode { open, first, all };

// A rate limit: `count` requests per `window_seconds`; count 0 = unlimited.
struct RateLimit {
  int64_t count = 0;
  int window_seconds = 60;
};

struct Options {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port (see port_file)
  std::string db_path = "data/causerie.db";
  std::string postgres_url;  // non-empty: PostgreSQL (--db postgresql://...) instead of SQLite
  // true: fsync every commit (survives power loss); false: SQLite's synchronous=NORMAL
  // in WAL mode (survives any crash of the process, may lose the last commits on power loss).
  bool sync_full = true;
  std::string static_dir = "build/wasm/web";
  std::string admin_token_file;  // empty: moderation API disabled
  std::vector<std::string> allowed_origins;
  ModerationMode moderation = ModerationMode::first;
  int64_t edit_window_seconds = 15 * 60;
  RateLimit rate_post{5, 60};
  RateLimit rate_read{120, 60};
  size_t max_body_bytes = 64 * 1024;
  size_t page_cache_bytes = 64 * 1024 * 1024;  // encoded thread pages kept (page_cache.h)
  int threads = 64;  // workers serving requests (connections between requests hold none)
  // Slow and idle clients (see http_server.h): a request head must arrive whole
  // within head_timeout_ms of its first byte (its body within as long again); a
  // connection without a request closes after idle_timeout_ms.
  int head_timeout_ms = 10000;
  int idle_timeout_ms = 5000;
  int max_connections_per_ip = 256;  // 0 = no cap (a reverse proxy in front caps per client)
  // The reverse proxies whose X-Forwarded-For is believed (ip_range.h's forwarded_client).
  std::vector<IpRange> trusted_proxies;
  bool seed_demo = false;
  bool access_log = true;
  // Live updates (GET .../events, see event_hub.h).
  int events_heartbeat_ms = 15000;
  int events_per_ip = 8;
  int events_max = 10000;
  int64_t events_keep_seconds = 3600;
  // SQLite backups while serving (backup.h); 0 = none.
  int64_t backup_every_seconds = 0;
  int backup_keep = 7;
  std::string backup_dir;  // empty: "backups" next to the database
  // A reader's own data by e-mail (docs/privacy.md): off unless smtp_url is set.
  std::string smtp_url, mail_from;
  std::string public_url;  // how readers reach this server, for the links in those e-mails
  // Owner alerts of new comments (outbox.h): e-mails with approve/spam links, and a signed webhook.
  std::vector<std::string> owner_emails;
  std::string owner_lang = "fr";  // the alerts' language: fr or en
  std::string webhook_url, webhook_secret_file;
  std::string port_file;   // written with the bound port once listening
  bool show_help = false;
};

const char* usage_text();
// Parses argv; on error prints a message and returns false (exit code 2).
bool parse_options(int argc, char** argv, Options& out);
// A --db value into db_path or postgres_url; the reason when it is not one.
const char* parse_db(const std::string& value, Options& out);
// "90s", "15m", "2h", "30" (seconds) -> seconds; false on anything else.
bool parse_duration(const std::string& s, int64_t& seconds);
// "65536", "64k", "64M", "1G" (binary multiples) -> bytes; false on anything else.
bool parse_bytes(const std::string& s, int64_t& bytes);
// "5/min", "10/s", "100/h", "5" (per minute), "0" (unlimited).
bool parse_rate(const std::string& s, RateLimit& out);

}  // namespace causerie::server
