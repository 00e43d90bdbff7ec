#pragma once
// Starts the real causerie-server binary on a free loopback port with a temporary
// SQLite file, and helpers to talk to it over real HTTP.
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

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

class Server {
public:
  // `args` come after the defaults, so they override them (rate limits are off by
  // default here; tests of limits pass their own).
  explicit Server(std::vector<std::string> args = {}, std::string dir = {}) {
    dir_ = dir.empty() ? make_temp_dir() : dir;
    owns_dir_ = dir.empty();
    args_ = std::move(args);
    start();
  }
  ~Server() {
    stop(SIGTERM);
    if (owns_dir_ && !keep_) fs::remove_all(dir_);
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void start() {
    fs::remove(dir_ + "/port");
    std::vector<std::string> argv = {CAUSERIE_SERVER_BIN, "--listen", "127.0.0.1:0", "--port-file", dir_ + "/port",
                                     "--db", "sqlite:" + dir_ + "/db/causerie.db", "--static", dir_ + "/static",
                                     "--rate-post", "0", "--rate-read", "0", "--moderation", "open"};
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

inline httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

}  // namespace test
