// The connection layer of causerie-server (src/server/http_server.cpp), over raw
// sockets: it holds the head of an answer back to send it with the body, so what it
// holds must still go out whenever the client waits for it.
#include <doctest/doctest.h>

#include <poll.h>

#include "harness.h"

using namespace test;

namespace {

class RawConnection {
public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = fd_ >= 0 && connect(fd_, (sockaddr*)&a, sizeof a) == 0;
  }
  ~RawConnection() {
    if (fd_ >= 0) close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  bool send(const std::string& s) { return ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL) == (ssize_t)s.size(); }
  // Reads until `done(received)` or the timeout (a hang fails the test, it does not block it).
  template <class Done>
  bool read_until(Done done, int timeout_ms = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!done(received)) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
      if (left <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, (int)left) <= 0) return false;
      char buf[8192];
      const ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return done(received);
      received.append(buf, (size_t)n);
    }
    return true;
  }
  std::string received;

private:
  int fd_ = -1;
  bool connected_ = false;
};

json parse_json(const std::string& s) { return json::parse(s, nullptr, false); }

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The complete answers (head and Content-Length body) at the start of `text`.
std::vector<std::pair<std::string, std::string>> answers(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t at = 0;
  for (;;) {
    const size_t end = text.find("\r\n\r\n", at);
    if (end == std::string::npos) break;
    std::string head = text.substr(at, end + 2 - at);
    size_t length = 0;
    const size_t cl = head.find("Content-Length: ");
    if (cl != std::string::npos) length = (size_t)std::atoll(head.c_str() + cl + 16);
    if (text.size() < end + 4 + length) break;
    out.emplace_back(std::move(head), text.substr(end + 4, length));
    at = end + 4 + length;
  }
  return out;
}

}  // namespace

TEST_CASE("Expect: 100-continue: the interim answer comes before the client sends the body") {
  Server s;
  RawConnection c(s.port());
  REQUIRE(c.connected());
  const std::string body = new_comment("Envoyé après le 100 Continue.").dump();
  REQUIRE(c.send("POST " + thread_path("/continue") +
                 " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
                 std::to_string(body.size()) + "\r\n\r\n"));
  // A client waits for it before sending the body: held back, it would never come.
  CHECK(c.read_until([](const std::string& r) { return r.find("\r\n\r\n") != std::string::npos; }));
  CHECK(c.received.rfind("HTTP/1.1 100 Continue\r\n\r\n", 0) == 0);
  c.received.clear();
  REQUIRE(c.send(body));
  CHECK(c.read_until([](const std::string& r) { return answers(r).size() == 1; }));
  const auto got = answers(c.received);
  REQUIRE(got.size() == 1);
  CHECK(got[0].first.rfind("HTTP/1.1 201", 0) == 0);
  CHECK(parse_json(got[0].second)["comment"]["body"] == "Envoyé après le 100 Continue.");
}

TEST_CASE("keep-alive: pipelined requests are answered in order, small and large answers alike") {
  Server s;
  auto client = s.client();
  // A page larger than what the connection holds back (8 KB): head and body in one call.
  for (int i = 0; i < 40; ++i)
    REQUIRE(post_comment(client, "/long", new_comment("Commentaire " + std::to_string(i) + " " + std::string(300, 'x')))
                ->status == 201);
  RawConnection c(s.port());
  REQUIRE(c.connected());
  const std::string get_long = "GET " + thread_path("/long") + "?limit=100 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  const std::string get_health = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  // Three requests in one packet, then one more on the same connection once answered.
  REQUIRE(c.send(get_health + get_long + get_health));
  CHECK(c.read_until([](const std::string& r) { return answers(r).size() == 3; }));
  REQUIRE(c.send(get_long));
  CHECK(c.read_until([](const std::string& r) { return answers(r).size() == 4; }));
  const auto got = answers(c.received);
  REQUIRE(got.size() == 4);
  for (const auto& [head, body] : got) CHECK(head.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(parse_json(got[0].second)["status"] == "ok");
  CHECK(parse_json(got[2].second)["status"] == "ok");
  for (int k : {1, 3}) {
    CHECK(got[k].second.size() > 8192);
    CHECK(parse_json(got[k].second)["comments"].size() == 40);
  }
  CHECK(count_of(c.received, "HTTP/1.1 ") == 4);
}
