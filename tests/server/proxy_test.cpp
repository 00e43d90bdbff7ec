// The server behind a real nginx (Debian's, tools/setup): with --trust-proxy naming
// the proxy, per-address limits see each client's own address, and an
// X-Forwarded-For a client writes itself changes nothing.
#include <doctest/doctest.h>

#include "harness.h"

using namespace test;

namespace {

// One GET over a fresh connection from the loopback address `from`; the answer's status.
int get_from(const char* from, int port, const std::string& path, const std::string& extra_headers = "") {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in src{};
  src.sin_family = AF_INET;
  inet_pton(AF_INET, from, &src.sin_addr);
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons((uint16_t)port);
  dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (sockaddr*)&src, sizeof src) != 0 || connect(fd, (sockaddr*)&dst, sizeof dst) != 0) {
    close(fd);
    return 0;
  }
  const std::string req =
      "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra_headers + "\r\n";
  ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string answer;
  char buf[4096];
  pollfd p{fd, POLLIN, 0};
  while (answer.size() < 12 && poll(&p, 1, 5000) > 0) {
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    answer.append(buf, (size_t)n);
  }
  close(fd);
  return answer.rfind("HTTP/1.", 0) == 0 ? std::atoi(answer.c_str() + 9) : 0;
}

// nginx in the foreground with a configuration of its own in a temporary folder,
// proxying a free loopback port to the server as docs/deploying.md shows.
class Nginx {
public:
  explicit Nginx(int upstream_port) : dir_(make_temp_dir()), port_(free_port()) {
    std::ofstream(dir_ + "/nginx.conf")
        << "daemon off;\nmaster_process off;\nworker_processes 1;\n"
        << "pid " << dir_ << "/nginx.pid;\nerror_log " << dir_ << "/error.log;\n"
        << "events { worker_connections 64; }\n"
        << "http {\n  access_log off;\n"
        << "  client_body_temp_path " << dir_ << "/body;\n  proxy_temp_path " << dir_ << "/proxy;\n"
        << "  fastcgi_temp_path " << dir_ << "/fastcgi;\n  uwsgi_temp_path " << dir_ << "/uwsgi;\n"
        << "  scgi_temp_path " << dir_ << "/scgi;\n"
        << "  server {\n    listen 127.0.0.1:" << port_ << ";\n"
        << "    location / {\n      proxy_pass http://127.0.0.1:" << upstream_port << ";\n"
        << "      proxy_http_version 1.1;\n      proxy_set_header Connection \"\";\n"
        << "      proxy_set_header Host $host;\n"
        << "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    }\n  }\n}\n";
    pid_ = fork();
    if (pid_ == 0) {
      const int log = ::open((dir_ + "/stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (log >= 0) dup2(log, 2);
      execl("/usr/sbin/nginx", "nginx", "-e", (dir_ + "/error.log").c_str(), "-p", dir_.c_str(), "-c",
            (dir_ + "/nginx.conf").c_str(), (char*)nullptr);
      _exit(127);
    }
    for (int i = 0; i < 500 && !ready(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~Nginx() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    fs::remove_all(dir_);
  }
  Nginx(const Nginx&) = delete;
  Nginx& operator=(const Nginx&) = delete;

  bool ready() const { return get_from("127.0.0.1", port_, "/healthz") == 200; }
  int port() const { return port_; }
  std::string log() const { return read_file(dir_ + "/error.log") + read_file(dir_ + "/stderr"); }

private:
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace

TEST_CASE("behind nginx: rate limits per real client; a forged X-Forwarded-For is ignored") {
  REQUIRE_MESSAGE(fs::exists("/usr/sbin/nginx"), "nginx is missing: run tools/setup");
  Server s({"--trust-proxy", "127.0.0.1", "--rate-read", "3/min"});
  REQUIRE(s.running());
  Nginx nginx(s.port());
  REQUIRE_MESSAGE(nginx.ready(), nginx.log());
  const std::string read = thread_path("/proxied");

  // Two clients through the proxy: each has its own three reads a minute.
  for (int i = 0; i < 3; ++i) CHECK(get_from("127.0.0.5", nginx.port(), read) == 200);
  CHECK(get_from("127.0.0.5", nginx.port(), read) == 429);
  CHECK(get_from("127.0.0.6", nginx.port(), read) == 200);
  // A client claiming to be another, or to be the proxy itself: nginx appends the
  // address it saw, and that right-most untrusted entry is the one believed.
  CHECK(get_from("127.0.0.5", nginx.port(), read, "X-Forwarded-For: 127.0.0.77\r\n") == 429);
  CHECK(get_from("127.0.0.5", nginx.port(), read, "X-Forwarded-For: 127.0.0.1\r\n") == 429);
  CHECK(get_from("127.0.0.5", nginx.port(), read, "X-Forwarded-For: 10.1.1.1, 127.0.0.1\r\n") == 429);
  // ... and took nothing from the one it named.
  for (int i = 0; i < 3; ++i) CHECK(get_from("127.0.0.77", nginx.port(), read) == 200);

  // A client reaching the server directly is not a trusted proxy: whatever it
  // writes in X-Forwarded-For, it is its own address.
  for (int i = 0; i < 3; ++i)
    CHECK(get_from("127.0.0.8", s.port(), read, "X-Forwarded-For: 198.51.100." + std::to_string(i) + "\r\n") ==
          200);
  CHECK(get_from("127.0.0.8", s.port(), read, "X-Forwarded-For: 198.51.100.9\r\n") == 429);
  // Naming a client that came through the proxy spends nothing of that client's reads.
  CHECK(get_from("127.0.0.9", s.port(), read, "X-Forwarded-For: 127.0.0.6\r\n") == 200);
  CHECK(get_from("127.0.0.6", nginx.port(), read) == 200);
  CHECK(get_from("127.0.0.6", nginx.port(), read) == 200);
  CHECK(get_from("127.0.0.6", nginx.port(), read) == 429);
}

TEST_CASE("--trust-proxy takes addresses and ranges, and refuses anything else") {
  Server ranges({"--trust-proxy", "10.0.0.0/8,::1", "--trust-proxy", "127.0.0.0/24"});
  CHECK(ranges.running());
  for (const char* bad : {"yes", "10.0.0.0/33", "300.1.1.1", "127.0.0.1,", "--seed-demo"}) {
    Server s({"--trust-proxy", bad});
    CHECK_FALSE(s.running());
    CHECK(s.log().find("wants the proxy's address or range") != std::string::npos);
  }
}
