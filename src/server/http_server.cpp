#include "server/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace causerie::server {

namespace {

// A connection's socket with a read buffer (cpp-httplib reads request lines a byte
// at a time) and poll()-based timeouts, like cpp-httplib's own SocketStream.
class ConnectionStream final : public httplib::Stream {
public:
  ConnectionStream(int sock, int read_timeout_ms, int write_timeout_ms)
      : sock_(sock), read_timeout_ms_(read_timeout_ms), write_timeout_ms_(write_timeout_ms) {}

  bool has_buffered() const { return pos_ < len_; }
  bool is_readable() const override { return has_buffered() || wait(POLLIN, read_timeout_ms_); }
  bool is_writable() const override { return !taken && wait(POLLOUT, write_timeout_ms_); }

  ssize_t read(char* ptr, size_t size) override {
    if (!has_buffered()) {
      if (size >= sizeof buffer_) {
        if (!wait(POLLIN, read_timeout_ms_)) return -1;
        return recv(sock_, ptr, size, 0);
      }
      if (!wait(POLLIN, read_timeout_ms_)) return -1;
      const ssize_t n = recv(sock_, buffer_, sizeof buffer_, 0);
      if (n <= 0) return n;
      pos_ = 0;
      len_ = (size_t)n;
    }
    const size_t n = std::min(size, len_ - pos_);
    std::memcpy(ptr, buffer_ + pos_, n);
    pos_ += n;
    return (ssize_t)n;
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (taken) return -1;
    if (!wait(POLLOUT, write_timeout_ms_)) return -1;
    return send(sock_, ptr, size, MSG_NOSIGNAL);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { address(true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address(false, ip, port); }
  socket_t socket() const override { return sock_; }

  bool taken = false;

private:
  bool wait(short events, int timeout_ms) const {
    pollfd p{sock_, events, 0};
    int rc;
    do rc = poll(&p, 1, timeout_ms);
    while (rc < 0 && errno == EINTR);
    return rc > 0 && !(p.revents & (POLLERR | POLLNVAL)) && (p.revents & (events | POLLHUP));
  }
  void address(bool remote, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    const int rc = remote ? getpeername(sock_, (sockaddr*)&addr, &len) : getsockname(sock_, (sockaddr*)&addr, &len);
    if (rc != 0) return;
    char text[INET6_ADDRSTRLEN] = "";
    if (addr.ss_family == AF_INET) {
      const auto* a = (const sockaddr_in*)&addr;
      inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
      port = ntohs(a->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      const auto* a = (const sockaddr_in6*)&addr;
      inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
      port = ntohs(a->sin6_port);
    }
    ip = text;
  }

  int sock_;
  int read_timeout_ms_, write_timeout_ms_;
  char buffer_[4096];
  size_t pos_ = 0, len_ = 0;
};

thread_local ConnectionStream* t_connection = nullptr;

}  // namespace

bool HttpServer::raise_backlog() { return ::listen(svr_sock_, SOMAXCONN) == 0; }

int HttpServer::take_connection() {
  if (!t_connection || t_connection->taken) return -1;
  t_connection->taken = true;
  return t_connection->socket();
}

bool HttpServer::process_and_close_socket(socket_t sock) {
  ConnectionStream stream(sock, (int)(read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000),
                          (int)(write_timeout_sec_ * 1000 + write_timeout_usec_ / 1000));
  t_connection = &stream;
  bool ok = false;
  size_t count = keep_alive_max_count_;
  while (svr_sock_ != INVALID_SOCKET && count > 0) {
    // Keep-alive: wait for the next request in short slices, so that stop() is noticed.
    bool ready = stream.has_buffered();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
    while (!ready && svr_sock_ != INVALID_SOCKET && std::chrono::steady_clock::now() < deadline) {
      pollfd p{sock, POLLIN, 0};
      const int rc = poll(&p, 1, 100);
      if (rc < 0 && errno != EINTR) break;
      if (rc > 0) ready = true;
    }
    if (!ready) break;
    bool connection_closed = false;
    ok = process_request(stream, count == 1, connection_closed, nullptr);
    if (stream.taken || !ok || connection_closed) break;
    --count;
  }
  t_connection = nullptr;
  if (stream.taken) return true;  // the socket lives on elsewhere
  shutdown(sock, SHUT_RDWR);
  close(sock);
  return ok;
}

}  // namespace causerie::server
