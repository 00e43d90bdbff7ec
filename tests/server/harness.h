#pragma once
// Starts the real causerie-server binary on a free loopback port with a temporary
// SQLite file, and helpers to talk to it over real HTTP.
//
// CAUSERIE_TEST_DB=postgres runs the same tests on PostgreSQL: the first server
// started starts a PostgreSQL cluster of its own (Debian's binaries, a temporary
// data folder, loopback only, torn down at exit), and every Server gets a fresh
// database in it.
#include <arpa/inet.h>
#include <httplib.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>

#include <fcntl.h>
#include <poll.h>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/codec.h"
#include "core/url.h"

namespace test {

namespace fs = std::filesystem;
using json = nlohmann::json;

inline std::string make_temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "causerie-server-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) return {};
  return tmpl;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline bool using_postgres() {
  const char* db = std::getenv("CAUSERIE_TEST_DB");
  return db && std::string(db) == "postgres";
}

inline int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (bind(fd, (sockaddr*)&a, sizeof a) == 0 && getsockname(fd, (sockaddr*)&a, &len) == 0) port = ntohs(a.sin_port);
  close(fd);
  return port;
}

// Runs argv (as the postgres user when we are root: initdb refuses root); true on exit 0.
inline bool run_command(std::vector<std::string> argv, bool as_postgres) {
  if (as_postgres && geteuid() == 0) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, 1);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The first column of the first row of `sql` on a PostgreSQL database ("" on failure).
inline std::string pg_query_text(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  PGresult* r = PQexec(c, sql.c_str());
  std::string out;
  if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
  PQclear(r);
  PQfinish(c);
  return out;
}

// A PostgreSQL server for this test process: started on first use, stopped (and its
// folder removed) when the process exits.
class PostgresCluster {
public:
  static PostgresCluster& get() {
    static PostgresCluster cluster;
    return cluster;
  }
  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  // A new, empty database; its URL for --db.
  std::string create_database() {
    const std::string name = "causerie_test_" + std::to_string(getpid()) + "_" + std::to_string(++databases_);
    PGconn* c = PQconnectdb(url("postgres").c_str());
    PGresult* r = PQexec(c, ("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'").c_str());
    const bool done = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    PQfinish(c);
    return done ? url(name) : std::string();
  }
  std::string url(const std::string& db) const {
    return "postgresql://causerie@127.0.0.1:" + std::to_string(port_) + "/" + db;
  }

private:
  PostgresCluster() {
    std::string bin;
    for (const char* v : {"17", "16", "15", "14", "13"}) {
      const std::string b = std::string("/usr/lib/postgresql/") + v + "/bin";
      if (fs::exists(b + "/initdb")) {
        bin = b;
        break;
      }
    }
    if (bin.empty()) {
      error_ = "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (tools/setup installs them)";
      return;
    }
    dir_ = make_temp_dir();
    if (geteuid() == 0) {
      const passwd* pw = getpwnam("postgres");
      if (!pw || chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        error_ = "cannot give " + dir_ + " to the postgres user";
        return;
      }
    }
    const std::string data = dir_ + "/data";
    if (!run_command({bin + "/initdb", "-D", data, "-U", "causerie", "--auth=trust", "-E", "UTF8", "--locale=C"},
                     true)) {
      error_ = "initdb failed";
      return;
    }
    // Durability of PostgreSQL itself is not under test here: no fsync keeps the suite fast.
    for (int attempt = 0; attempt < 5 && !ok_; ++attempt) {
      port_ = free_port();
      ok_ = run_command({bin + "/pg_ctl", "-D", data, "-l", dir_ + "/postgres.log", "-w", "-t", "30", "-o",
                         "-k " + dir_ + " -p " + std::to_string(port_) +
                             " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
                         "start"},
                        true);
    }
    if (!ok_) error_ = "pg_ctl start failed: " + read_file(dir_ + "/postgres.log");
    bin_ = bin;
  }
  ~PostgresCluster() {
    if (ok_) run_command({bin_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "stop"}, true);
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  std::string bin_, dir_, error_;
  int port_ = 0;
  bool ok_ = false;
  int databases_ = 0;
};

class Server {
public:
  // `args` come after the defaults, so they override them (rate limits are off by
  // default here; tests of limits pass their own). `db`: a --db value to share
  // (another Server's db()); empty: a fresh database of the backend under test.
  explicit Server(std::vector<std::string> args = {}, std::string dir = {}, std::string db = {}) {
    dir_ = dir.empty() ? make_temp_dir() : dir;
    owns_dir_ = dir.empty();
    args_ = std::move(args);
    db_ = db;
    if (db_.empty() && using_postgres()) {
      auto& pg = PostgresCluster::get();
      if (!pg.ok()) {
        std::fprintf(stderr, "PostgreSQL test cluster: %s\n", pg.error().c_str());
        return;
      }
      db_ = pg.create_database();
    }
    if (db_.empty()) db_ = "sqlite:" + dir_ + "/db/causerie.db";
    start();
  }
  ~Server() {
    // A server that failed by itself (an error exit, an abort: a sanitizer's report
    // among them) shows its log before its folder goes.
    const int status = stop(SIGTERM);
    if (status != -1 &&
        ((WIFEXITED(status) && WEXITSTATUS(status) != 0) || (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT)))
      std::fprintf(stderr, "causerie-server ended with status %d; its log:\n%s\n", status, log().c_str());
    if (owns_dir_ && !keep_) fs::remove_all(dir_);
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void start() {
    fs::remove(dir_ + "/port");
    std::vector<std::string> argv = {CAUSERIE_SERVER_BIN,
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--port-file",
                                     dir_ + "/port",
                                     "--db",
                                     db_,
                                     "--static",
                                     dir_ + "/static",
                                     "--rate-post",
                                     "0",
                                     "--rate-read",
                                     "0",
                                     "--moderation",
                                     "open"};
    argv.insert(argv.end(), args_.begin(), args_.end());
    pid_ = fork();
    if (pid_ == 0) {
      const std::string log = dir_ + "/server.log";
      FILE* f = std::fopen(log.c_str(), "a");
      if (f) dup2(fileno(f), 2);
      std::vector<char*> cargv;
      for (auto& a : argv) cargv.push_back(a.data());
      cargv.push_back(nullptr);
      execv(cargv[0], cargv.data());
      _exit(127);
    }
    // Wait for the port file, then for /healthz.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_status_ = status;
        pid_ = -1;
        return;
      }
      const std::string p = read_file(dir_ + "/port");
      if (!p.empty() && p.back() == '\n') {
        port_ = std::atoi(p.c_str());
        httplib::Client c("127.0.0.1", port_);
        auto r = c.Get("/healthz");
        if (r && r->status == 200) return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  // Sends `sig` and waits for the process; returns its wait status.
  int stop(int sig = SIGTERM) {
    if (pid_ <= 0) return exit_status_;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_status_ = status;
    return status;
  }
  void restart() {
    stop(SIGTERM);
    start();
  }

  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_; }
  // The --db value: give it to another Server to share the database.
  const std::string& db() const { return db_; }
  std::string log() const { return read_file(dir_ + "/server.log"); }
  void keep_dir() { keep_ = true; }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(20);
    c.set_decompress(false);  // tests look at the bytes on the wire
    return c;
  }

private:
  std::string dir_;
  std::string db_;
  bool owns_dir_ = true;
  bool keep_ = false;
  std::vector<std::string> args_;
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_status_ = -1;
};

inline std::string thread_path(const std::string& key) {
  return "/api/v1/threads/" + causerie::percent_encode(key) + "/comments";
}

inline json new_comment(const std::string& body, const std::string& name = "Marie",
                        const std::string& email = "marie@example.org") {
  return json{{"author", {{"name", name}, {"email", email}}}, {"body", body}};
}

inline httplib::Result post_json(httplib::Client& c, const std::string& path, const std::string& body,
                                 httplib::Headers headers = {}) {
  return c.Post(path.c_str(), headers, body, "application/json");
}

inline httplib::Result post_comment(httplib::Client& c, const std::string& key, const json& body,
                                    httplib::Headers headers = {}) {
  return post_json(c, thread_path(key), body.dump(), headers);
}

inline json parse(const httplib::Result& r) {
  if (!r) return json();
  return json::parse(r->body, nullptr, false);
}

// The `error.code` of an error answer, "" if the body is not the error shape.
inline std::string error_code(const httplib::Result& r) {
  if (!r) return "no answer";
  causerie::ApiError e;
  causerie::DecodeError err;
  if (!causerie::decode_api_error(r->body, e, err)) return "not an error shape: " + r->body;
  return e.code;
}

inline causerie::ApiError api_error(const httplib::Result& r) {
  causerie::ApiError e;
  causerie::DecodeError err;
  if (r) causerie::decode_api_error(r->body, e, err);
  return e;
}

inline causerie::CommentPage get_page(httplib::Client& c, const std::string& key, const std::string& query = "",
                                      httplib::Headers headers = {}) {
  causerie::CommentPage page;
  causerie::DecodeError err;
  auto r = c.Get((thread_path(key) + query).c_str(), headers);
  if (r && r->status == 200) causerie::decode_comment_page(r->body, page, err);
  return page;
}

// A raw-socket client of a live stream (GET .../events): the head, then SSE blocks
// out of the chunked body.
struct SseEvent {
  std::string id, event, data;
  bool ping = false;  // a ": ping" comment
};

class EventStream {
public:
  EventStream(int port, const std::string& key, const std::vector<std::string>& headers = {},
              const std::string& query = "") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, (sockaddr*)&a, sizeof a) != 0) return;
    std::string req = "GET /api/v1/threads/" + causerie::percent_encode(key) + "/events" + query +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    for (const auto& h : headers) req += h + "\r\n";
    req += "\r\n";
    if (::send(fd_, req.data(), req.size(), MSG_NOSIGNAL) != (ssize_t)req.size()) return;
    while (raw_.find("\r\n\r\n") == std::string::npos)
      if (!fill(5000)) return;
    const auto end = raw_.find("\r\n\r\n");
    head_ = raw_.substr(0, end + 2);
    raw_.erase(0, end + 4);
    status_ = std::atoi(head_.c_str() + 9);
    chunked_ = head_.find("Transfer-Encoding: chunked") != std::string::npos;
  }
  ~EventStream() {
    if (fd_ >= 0) close(fd_);
  }
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  int status() const { return status_; }
  const std::string& head() const { return head_; }
  // The next event or ping within `timeout_ms`; false on timeout or end of stream.
  bool next(SseEvent& out, int timeout_ms = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      dechunk();
      const auto end = text_.find("\n\n");
      if (end != std::string::npos) {
        const std::string block = text_.substr(0, end);
        text_.erase(0, end + 2);
        out = SseEvent{};
        size_t start = 0;
        while (start < block.size()) {
          size_t nl = block.find('\n', start);
          if (nl == std::string::npos) nl = block.size();
          const std::string line = block.substr(start, nl - start);
          start = nl + 1;
          if (line.rfind(": ping", 0) == 0) out.ping = true;
          else if (line.rfind("id: ", 0) == 0) out.id = line.substr(4);
          else if (line.rfind("event: ", 0) == 0) out.event = line.substr(7);
          else if (line.rfind("data: ", 0) == 0) out.data = line.substr(6);
        }
        if (!out.id.empty()) last_id_ = out.id;
        if (out.ping || !out.event.empty()) return true;
        continue;  // "retry:" and bare "id:" blocks
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !fill((int)left.count())) return false;
    }
  }
  // The next event that is not a ping.
  bool next_event(SseEvent& out, int timeout_ms = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !next(out, (int)left.count())) return false;
      if (!out.ping) return true;
    }
  }
  // The id of the last block that had one: what a browser sends as Last-Event-ID.
  const std::string& last_id() const { return last_id_; }

private:
  bool fill(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (fd_ < 0 || poll(&p, 1, timeout_ms) <= 0) return false;
    char buf[8192];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    raw_.append(buf, (size_t)n);
    return true;
  }
  void dechunk() {
    if (!chunked_) {
      text_ += raw_;
      raw_.clear();
      return;
    }
    for (;;) {
      const auto crlf = raw_.find("\r\n");
      if (crlf == std::string::npos) return;
      const size_t size = std::strtoul(raw_.c_str(), nullptr, 16);
      if (raw_.size() < crlf + 2 + size + 2) return;
      text_ += raw_.substr(crlf + 2, size);
      raw_.erase(0, crlf + 2 + size + 2);
    }
  }

  int fd_ = -1;
  int status_ = 0;
  bool chunked_ = false;
  std::string head_, raw_, text_, last_id_;
};

inline httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

}  // namespace test
