#include "server/options.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace causerie::server {

const char* usage_text() {
  return "Usage: causerie-server [options]\n"
         "\n"
         "Causerie's comment server: the JSON API of docs/api.md on SQLite or PostgreSQL,\n"
         "and the widget's files.\n"
         "\n"
         "  --listen HOST:PORT        address to listen on (default 127.0.0.1:8080; port 0 = any free port)\n"
         "  --db sqlite:PATH          database (default sqlite:data/causerie.db; the folder is created)\n"
         "  --db postgresql://USER@HOST:PORT/DB\n"
         "                            PostgreSQL instead, shared by several server processes\n"
         "                            (any libpq URI; see docs/deploying.md)\n"
         "  --sync full|normal        full: every comment is fsync'ed before the answer (default);\n"
         "                            normal: survives a crash of the server, not of the machine,\n"
         "                            for higher posting rates\n"
         "  --static DIR              the widget's files, served at / (default build/wasm/web, what tools/build "
         "makes)\n"
         "  --admin-token-file FILE   file holding the moderation token (128+ random bits:\n"
         "                            openssl rand -base64 32 > FILE);\n"
         "                            without it the moderation API refuses every request\n"
         "  --allowed-origin ORIGIN   a site allowed to embed the widget, e.g. https://example.org\n"
         "                            (repeatable; the server's own origin is always allowed)\n"
         "  --moderation MODE         open: publish at once; first: an author's first comment waits;\n"
         "                            all: every comment waits (default first)\n"
         "  --edit-window DURATION    how long authors may edit/delete, e.g. 90s, 15m, 1h (default 15m)\n"
         "  --rate-post N/min         posts, edits and deletes per IP (default 5/min; 0 = unlimited)\n"
         "  --rate-read N/min         thread and count reads per IP (default 120/min; 0 = unlimited)\n"
         "  --max-body BYTES          request body limit, e.g. 65536 or 64k (default 64k)\n"
         "  --page-cache BYTES        memory for encoded thread pages, e.g. 64M (default 64M; 0 = none)\n"
         "  --threads N               worker threads, one per request being served (default 64)\n"
         "  --head-timeout DURATION   a request head must arrive whole within this of its first byte,\n"
         "                            and its body within as long again (default 10s)\n"
         "  --idle-timeout DURATION   a connection that sends no request is closed after this (default 5s)\n"
         "  --max-connections-per-ip N  open connections per client address (default 256; 0 = no cap,\n"
         "                            when a reverse proxy in front caps per client itself)\n"
         "  --trust-proxy ADDR[/BITS] a reverse proxy in front, e.g. 127.0.0.1 or 10.0.0.0/8 (repeatable,\n"
         "                            or comma-separated): the client of a request it passes on is the\n"
         "                            right-most X-Forwarded-For address that is not such a proxy\n"
         "  --seed-demo               if the database is empty, create the demo threads\n"
         "                            /demo/chine-russie (French) and /en/demo (English)\n"
         "  --no-access-log           no per-request JSON log line on stderr\n"
         "  --events-heartbeat DURATION  a comment line on idle live streams this often (default 15s)\n"
         "  --events-per-ip N         live streams per client address and process (default 8; 429 beyond)\n"
         "  --events-max N            live streams per process (default 10000; 503 beyond)\n"
         "  --events-keep DURATION    how long Last-Event-ID can reach back (default 1h)\n"
         "  --backup-every DURATION   SQLite: a consistent copy of the database this often, e.g. 6h\n"
         "  --backup-keep N           how many of those copies to keep (default 7)\n"
         "  --backup-dir DIR          where (default: a backups folder next to the database)\n"
         "  --smtp-url smtp://HOST:PORT  readers may ask for a copy or the erasure of their comments by\n"
         "                            e-mail (smtp:// with STARTTLS when offered, smtps://; USER:PASSWORD@ logs in)\n"
         "  --mail-from ADDRESS       the From of those e-mails (required with --smtp-url)\n"
         "  --public-url URL          this server as readers reach it, e.g. https://comments.example.org\n"
         "                            (required with --smtp-url: the e-mails link to it)\n"
         "  --owner-email ADDRESS     e-mail this address each new comment, with approve and spam links\n"
         "                            (repeatable; needs --smtp-url)\n"
         "  --owner-lang fr|en        the language of those e-mails (default fr)\n"
         "  --webhook URL             POST each new comment there as JSON, signed (X-Causerie-Signature)\n"
         "  --webhook-secret-file FILE  the signature's secret (required with --webhook)\n"
         "  --port-file FILE          write the bound port there once listening (for scripts)\n"
         "  --help                    this text\n"
         "\n"
         "       causerie-server import --from wordpress|disqus FILE [--map FROM=TO]... [--dry-run] [--db ...]\n"
         "                            comments from another system's export (docs/import.md)\n"
         "       causerie-server import --from causerie FILE.json [--db ...]\n"
         "       causerie-server export FILE.json [--db ...]\n"
         "       causerie-server backup FILE [--db sqlite:PATH]\n"
         "                            a consistent copy of the SQLite database, server running or not\n"
         "                            everything, as Causerie's export format (docs/api.md)\n";
}

static bool parse_int(const std::string& s, int64_t& out) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno || *end || v < 0) return false;
  out = v;
  return true;
}

bool parse_bytes(const std::string& s, int64_t& bytes) {
  std::string digits = s;
  int shift = 0;
  if (!digits.empty()) {
    switch (digits.back()) {
      case 'k': case 'K': shift = 10; break;
      case 'M': shift = 20; break;
      case 'G': shift = 30; break;
      default: break;
    }
    if (shift) digits.pop_back();
  }
  int64_t n = 0;
  if (!parse_int(digits, n) || n > (int64_t(1) << (50 - shift))) return false;
  bytes = n << shift;
  return true;
}

// "500ms" or any duration parse_duration takes, in milliseconds.
static bool parse_duration_ms(const std::string& s, int64_t& ms) {
  if (s.size() > 2 && s.compare(s.size() - 2, 2, "ms") == 0) return parse_int(s.substr(0, s.size() - 2), ms);
  if (!parse_duration(s, ms)) return false;
  ms *= 1000;
  return true;
}

const char* parse_db(const std::string& v, Options& out) {
  if (v.rfind("postgresql://", 0) == 0 || v.rfind("postgres://", 0) == 0) {
    out.postgres_url = v;
    return nullptr;
  }
  out.postgres_url.clear();
  if (v.rfind("sqlite:", 0) == 0) out.db_path = v.substr(7);
  else if (v.find("://") != std::string::npos) return "wants sqlite:PATH or postgresql://...";
  else out.db_path = v;
  return out.db_path.empty() ? "empty database path" : nullptr;
}

bool parse_duration(const std::string& s, int64_t& seconds) {
  if (s.empty()) return false;
  int64_t scale = 1;
  std::string digits = s;
  switch (s.back()) {
    case 's':
      scale = 1;
      digits.pop_back();
      break;
    case 'm':
      scale = 60;
      digits.pop_back();
      break;
    case 'h':
      scale = 3600;
      digits.pop_back();
      break;
    default: break;
  }
  int64_t v = 0;
  if (!parse_int(digits, v)) return false;
  seconds = v * scale;
  return true;
}

bool parse_rate(const std::string& s, RateLimit& out) {
  const auto slash = s.find('/');
  int64_t count = 0;
  if (!parse_int(s.substr(0, slash), count)) return false;
  int window = 60;
  if (slash != std::string::npos) {
    const std::string unit = s.substr(slash + 1);
    if (unit == "s" || unit == "sec") window = 1;
    else if (unit == "min" || unit == "m") window = 60;
    else if (unit == "h" || unit == "hour") window = 3600;
    else return false;
  }
  out = RateLimit{count, window};
  return true;
}

bool parse_options(int argc, char** argv, Options& out) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto fail = [&](const char* why) {
      std::fprintf(stderr, "causerie-server: %s: %s\n(see --help)\n", a.c_str(), why);
      return false;
    };
    if (a == "--help" || a == "-h") {
      out.show_help = true;
      continue;
    }
    if (a == "--seed-demo") {
      out.seed_demo = true;
      continue;
    }
    if (a == "--no-access-log") {
      out.access_log = false;
      continue;
    }
    if (i + 1 >= argc) return fail("unknown option or missing value");
    const std::string v = argv[++i];
    if (a == "--listen") {
      const auto colon = v.rfind(':');
      int64_t port = 0;
      if (colon == std::string::npos || !parse_int(v.substr(colon + 1), port) || port > 65535)
        return fail("wants HOST:PORT");
      out.host = v.substr(0, colon);
      if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']')
        out.host = out.host.substr(1, out.host.size() - 2);
      out.port = (int)port;
    } else if (a == "--db") {
      const char* why = parse_db(v, out);
      if (why) return fail(why);
    } else if (a == "--sync") {
      if (v == "full") out.sync_full = true;
      else if (v == "normal") out.sync_full = false;
      else return fail("wants full or normal");
    } else if (a == "--trust-proxy") {
      size_t start = 0;
      while (start <= v.size()) {
        const size_t comma = std::min(v.find(',', start), v.size());
        const auto range = parse_ip_range(std::string_view(v).substr(start, comma - start));
        if (!range) return fail("wants the proxy's address or range, like 127.0.0.1 or 10.0.0.0/8");
        out.trusted_proxies.push_back(*range);
        start = comma + 1;
      }
    } else if (a == "--static") {
      out.static_dir = v;
    } else if (a == "--admin-token-file") {
      out.admin_token_file = v;
    } else if (a == "--allowed-origin") {
      std::string origin = v;
      while (!origin.empty() && origin.back() == '/') origin.pop_back();
      if (origin.rfind("http://", 0) != 0 && origin.rfind("https://", 0) != 0)
        return fail("wants an origin like https://example.org");
      out.allowed_origins.push_back(origin);
    } else if (a == "--moderation") {
      if (v == "open") out.moderation = ModerationMode::open;
      else if (v == "first") out.moderation = ModerationMode::first;
      else if (v == "all") out.moderation = ModerationMode::all;
      else return fail("wants open, first or all");
    } else if (a == "--edit-window") {
      if (!parse_duration(v, out.edit_window_seconds)) return fail("wants a duration like 90s, 15m, 1h");
    } else if (a == "--rate-post") {
      if (!parse_rate(v, out.rate_post)) return fail("wants N/min, N/s, N/h or 0");
    } else if (a == "--rate-read") {
      if (!parse_rate(v, out.rate_read)) return fail("wants N/min, N/s, N/h or 0");
    } else if (a == "--max-body") {
      int64_t n = 0;
      if (!parse_bytes(v, n) || n < 1024) return fail("wants a byte count of at least 1024, like 65536 or 64k");
      out.max_body_bytes = (size_t)n;
    } else if (a == "--page-cache") {
      int64_t n = 0;
      if (!parse_bytes(v, n)) return fail("wants a byte count, like 64M");
      out.page_cache_bytes = (size_t)n;
    } else if (a == "--threads") {
      int64_t n = 0;
      if (!parse_int(v, n) || n < 1 || n > 1024) return fail("wants 1-1024");
      out.threads = (int)n;
    } else if (a == "--events-heartbeat") {
      int64_t ms = 0;
      if (!parse_duration_ms(v, ms) || ms < 10 || ms > 3600 * 1000) return fail("wants 10ms to 1h, like 15s or 500ms");
      out.events_heartbeat_ms = (int)ms;
    } else if (a == "--head-timeout" || a == "--idle-timeout") {
      int64_t ms = 0;
      if (!parse_duration_ms(v, ms) || ms < 100 || ms > 3600 * 1000)
        return fail("wants 100ms to 1h, like 10s or 500ms");
      (a == "--head-timeout" ? out.head_timeout_ms : out.idle_timeout_ms) = (int)ms;
    } else if (a == "--max-connections-per-ip") {
      int64_t n = 0;
      if (!parse_int(v, n) || n > 1000000) return fail("wants 0-1000000");
      out.max_connections_per_ip = (int)n;
    } else if (a == "--events-per-ip" || a == "--events-max") {
      int64_t n = 0;
      if (!parse_int(v, n) || n < 1 || n > 1000000) return fail("wants 1-1000000");
      (a == "--events-max" ? out.events_max : out.events_per_ip) = (int)n;
    } else if (a == "--events-keep") {
      if (!parse_duration(v, out.events_keep_seconds) || out.events_keep_seconds < 1)
        return fail("wants a duration like 1h");
    } else if (a == "--backup-every") {
      if (!parse_duration(v, out.backup_every_seconds) || out.backup_every_seconds < 1)
        return fail("wants a duration like 6h");
    } else if (a == "--backup-keep") {
      int64_t keep = 0;
      if (!parse_int(v, keep) || keep < 1 || keep > 10000) return fail("wants a count of 1 or more");
      out.backup_keep = (int)keep;
    } else if (a == "--backup-dir") {
      out.backup_dir = v;
    } else if (a == "--smtp-url") {
      if (v.rfind("smtp://", 0) != 0 && v.rfind("smtps://", 0) != 0) return fail("wants smtp://HOST:PORT or smtps://");
      out.smtp_url = v;
    } else if (a == "--mail-from") {
      if (v.find('@') == std::string::npos || v.find_first_of("<> \r\n") != std::string::npos)
        return fail("wants an e-mail address");
      out.mail_from = v;
    } else if (a == "--public-url") {
      std::string url = v;
      while (!url.empty() && url.back() == '/') url.pop_back();
      if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) return fail("wants http(s)://HOST[:PORT]");
      out.public_url = url;
    } else if (a == "--owner-email") {
      if (v.find('@') == std::string::npos || v.find_first_of("<> \r\n") != std::string::npos)
        return fail("wants an e-mail address");
      out.owner_emails.push_back(v);
    } else if (a == "--owner-lang") {
      if (v != "fr" && v != "en") return fail("wants fr or en");
      out.owner_lang = v;
    } else if (a == "--webhook") {
      if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) return fail("wants an http(s):// URL");
      out.webhook_url = v;
    } else if (a == "--webhook-secret-file") {
      out.webhook_secret_file = v;
    } else if (a == "--port-file") {
      out.port_file = v;
    } else {
      --i;
      return fail("unknown option");
    }
  }
  if (!out.smtp_url.empty() && (out.mail_from.empty() || out.public_url.empty())) {
    std::fprintf(stderr, "causerie-server: --smtp-url needs --mail-from and --public-url\n(see --help)\n");
    return false;
  }
  if (!out.owner_emails.empty() && out.smtp_url.empty()) {
    std::fprintf(stderr, "causerie-server: --owner-email needs --smtp-url\n(see --help)\n");
    return false;
  }
  if (!out.webhook_url.empty() && out.webhook_secret_file.empty()) {
    std::fprintf(stderr, "causerie-server: --webhook needs --webhook-secret-file\n(see --help)\n");
    return false;
  }
  return true;
}

}  // namespace causerie::server
