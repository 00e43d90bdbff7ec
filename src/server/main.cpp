// causerie-server: the JSON API of docs/api.md on SQLite, and the widget's files.
#include <httplib.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "core/validation.h"
#include "server/api.h"
#include "server/backup.h"
#include "server/causerie_export.h"
#include "server/crypto.h"
#include "server/demo_seed.h"
#include "server/event_hub.h"
#include "server/http_server.h"
#include "server/importer.h"
#include "server/options.h"
#include "server/outbox.h"
#include "server/postgres_storage.h"
#include "server/sqlite_storage.h"
#include "server/static_files.h"

using namespace causerie::server;

// Every live stream holds a file descriptor: allow as many as the hard limit does.
static void raise_fd_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

// A secret from a file given to `option`: trimmed, and refused when too guessable.
static bool read_secret(const char* option, const std::string& file, std::string& token) {
  std::ifstream in(file);
  if (!in) {
    std::fprintf(stderr, "causerie-server: cannot read %s %s\n", option, file.c_str());
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  token = causerie::trim(ss.str());
  if (causerie::server::token_strength_bits(token) < causerie::server::kMinAdminTokenBits) {
    std::fprintf(stderr,
                 "causerie-server: the secret in %s holds less than %d bits of randomness; make one with\n"
                 "  openssl rand -base64 32 > %s\n",
                 file.c_str(), causerie::server::kMinAdminTokenBits, file.c_str());
    return false;
  }
  return true;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "import") return import_command(argc - 1, argv + 1);
  if (argc > 1 && std::string(argv[1]) == "export") return export_command(argc - 1, argv + 1);
  if (argc > 1 && std::string(argv[1]) == "backup") return backup_command(argc - 1, argv + 1);
  Options opt;
  if (!parse_options(argc, argv, opt)) return 2;
  if (opt.show_help) {
    std::fputs(usage_text(), stdout);
    return 0;
  }
  std::string admin_token;
  if (!opt.admin_token_file.empty() && !read_secret("--admin-token-file", opt.admin_token_file, admin_token)) return 2;
  OutboxSettings outbox_settings;
  outbox_settings.mail = {opt.smtp_url, opt.mail_from};
  outbox_settings.webhook_url = opt.webhook_url;
  if (!opt.webhook_url.empty() &&
      !read_secret("--webhook-secret-file", opt.webhook_secret_file, outbox_settings.webhook_secret))
    return 2;

  // SIGINT/SIGTERM are taken by one thread with sigwait, which stops the server the
  // ordinary way (a signal handler may not safely call into it). Blocked before any
  // thread starts, so every worker inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::string error;
  std::unique_ptr<Storage> storage;
  if (!opt.postgres_url.empty()) storage = PostgresStorage::open(opt.postgres_url, opt.sync_full, error);
  else storage = SqliteStorage::open(opt.db_path, opt.sync_full, error);
  if (!storage) {
    std::fprintf(stderr, "causerie-server: %s\n", error.c_str());
    return 1;
  }
  std::string salt;
  if (storage->install_salt(salt) != DbResult::ok) {
    std::fprintf(stderr, "causerie-server: cannot read the install salt\n");
    return 1;
  }
  if (opt.seed_demo && !seed_demo(*storage, salt, error)) {
    std::fprintf(stderr, "causerie-server: %s\n", error.c_str());
    return 1;
  }

  std::unique_ptr<PeriodicBackup> backups;
  if (opt.backup_every_seconds > 0) {
    if (!opt.postgres_url.empty()) {
      std::fprintf(stderr,
                   "causerie-server: --backup-every is for SQLite; PostgreSQL has pg_dump (docs/deploying.md)\n");
      return 2;
    }
    const std::string dir = !opt.backup_dir.empty()
                                ? opt.backup_dir
                                : (std::filesystem::path(opt.db_path).parent_path() / "backups").string();
    backups = std::make_unique<PeriodicBackup>(opt.db_path, dir, opt.backup_every_seconds, opt.backup_keep);
  }

  raise_fd_limit();
  EventsOptions events_options;
  events_options.heartbeat_ms = opt.events_heartbeat_ms;
  events_options.max_per_ip = opt.events_per_ip;
  events_options.max_streams = opt.events_max;
  events_options.keep_ms = opt.events_keep_seconds * 1000;
  EventHub events(*storage, events_options);
  storage->set_event_listener([&events](const std::string& key) { events.thread_changed(key); });

  HttpLimits limits;
  limits.workers = opt.threads;
  limits.head_timeout_ms = opt.head_timeout_ms;
  limits.idle_timeout_ms = opt.idle_timeout_ms;
  limits.max_connections_per_address = opt.max_connections_per_ip;
  HttpServer server(limits);
  server.set_payload_max_length(opt.max_body_bytes);
  if (opt.smtp_url.empty())
    std::fprintf(stderr, "causerie-server: no --smtp-url: this server sends no e-mail (owner alerts, readers' data)\n");
  RateLimiter outbox_rates(*storage);
  Outbox outbox(*storage, outbox_rates, outbox_settings);
  Api api(*storage, opt, salt, admin_token);
  api.set_event_hub(&events);
  api.set_outbox(&outbox);
  api.install(server);
  StaticFiles files(opt.static_dir);
  if (!files.root_exists())
    std::fprintf(stderr, "causerie-server: static folder %s not found; serving the API only\n", opt.static_dir.c_str());
  server.Get(".*", [&files](const httplib::Request& req, httplib::Response& res) { files.serve(req, res); });
  // A body sent anywhere but the API has nowhere to go: 404 without reading it.
  const char* outside_api = "(?!/api/).*";
  auto no_route = [](const httplib::Request&, httplib::Response& res, const httplib::ContentReader&) {
    res.status = 404;
    HttpServer::close_after_answer();
  };
  server.Post(outside_api, no_route);
  server.Put(outside_api, no_route);
  server.Patch(outside_api, no_route);
  server.Delete(outside_api, no_route);

  const int port =
      opt.port == 0 ? server.bind_to_any_port(opt.host) : (server.bind_to_port(opt.host, opt.port) ? opt.port : -1);
  if (port <= 0) {
    std::fprintf(stderr, "causerie-server: cannot listen on %s:%d\n", opt.host.c_str(), opt.port);
    return 1;
  }
  if (!opt.port_file.empty()) {
    const std::string tmp = opt.port_file + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::rename(tmp.c_str(), opt.port_file.c_str());  // readers never see a half-written file
  }
  std::atomic<bool> signalled{false};
  std::thread stopper([&server, &signalled, stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    signalled = true;
    std::fprintf(stderr, "causerie-server: signal %d, stopping\n", sig);
    server.stop();
  });
  std::fprintf(stderr, "causerie-server listening on http://%s:%d (db %s, moderation %s)\n", opt.host.c_str(), port,
               opt.postgres_url.empty() ? opt.db_path.c_str() : "postgresql",
               opt.moderation == ModerationMode::open    ? "open"
               : opt.moderation == ModerationMode::first ? "first"
                                                         : "all");
  const bool ok = server.listen_after_bind();
  // listen can also end without a signal (socket error): wake the stopper then.
  if (!signalled) pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  if (auto* sqlite = dynamic_cast<SqliteStorage*>(storage.get())) {
    const SqliteStorage::WriteStats w = sqlite->write_stats();
    std::fprintf(stderr,
                 "causerie-server: sqlite wrote %lld jobs in %lld batches; synchronous in force: "
                 "FULL %lld, NORMAL %lld, OFF %lld\n",
                 (long long)w.jobs, (long long)w.batches, (long long)w.batches_at_level[2],
                 (long long)w.batches_at_level[1], (long long)w.batches_at_level[0]);
  }
  std::fprintf(stderr, "causerie-server: stopped\n");
  return ok ? 0 : 1;
}
