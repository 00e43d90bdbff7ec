#include "server/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

namespace causerie::server {

namespace {

// A connection's socket with a read buffer (cpp-httplib reads request lines a byte
// at a time) and a small write buffer. System calls are what a request costs most
// on a loaded machine (and in VMs, where each one is dearer), so a request takes as
// few as possible: the timeouts are the socket's own (SO_RCVTIMEO, SO_SNDTIMEO)
// rather than a poll() before every read and write, and the head of an answer is
// held back and goes out with the body in one sendmsg(). What is held is sent
// before any larger write, at the end of each request (flush) and before the
// connection is taken away, so nothing waits.
class ConnectionStream final : public httplib::Stream {
public:
  ConnectionStream(int sock, int read_timeout_ms, int write_timeout_ms)
      : sock_(sock), read_timeout_ms_(read_timeout_ms), write_timeout_ms_(write_timeout_ms) {
    set_timeout(SO_RCVTIMEO, read_timeout_ms);
    set_timeout(SO_SNDTIMEO, write_timeout_ms);
  }

  bool has_buffered() const { return pos_ < len_; }
  bool is_readable() const override { return has_buffered() || (flush() && wait(POLLIN, read_timeout_ms_)); }
  bool is_writable() const override { return !taken && wait(POLLOUT, write_timeout_ms_); }

  ssize_t read(char* ptr, size_t size) override {
    if (!has_buffered()) {
      if (!flush()) return -1;  // e.g. "100 Continue": the client waits for it before sending
      if (size >= sizeof buffer_) return receive(ptr, size);
      const ssize_t n = receive(buffer_, sizeof buffer_);
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
    if (held_.size() + size <= kHoldBytes) {  // small: hold it for the next write or the flush
      held_.append(ptr, size);
      return (ssize_t)size;
    }
    if (held_.empty()) return send_all(ptr, size) ? (ssize_t)size : -1;
    // What is held, then this, in one call.
    iovec parts[2] = {{held_.data(), held_.size()}, {const_cast<char*>(ptr), size}};
    msghdr m{};
    m.msg_iov = parts;
    m.msg_iovlen = 2;
    ssize_t n;
    do n = sendmsg(sock_, &m, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0) return -1;
    if ((size_t)n < held_.size()) {
      held_.erase(0, (size_t)n);
      const bool ok = flush();
      return ok && send_all(ptr, size) ? (ssize_t)size : -1;
    }
    const size_t done = (size_t)n - held_.size();
    held_.clear();
    return send_all(ptr + done, size - done) ? (ssize_t)size : -1;
  }

  // Sends what is held back; false if the connection failed.
  bool flush() const {
    if (held_.empty()) return true;
    const bool ok = send_all(held_.data(), held_.size());
    held_.clear();
    return ok;
  }

  // Asked for on every request (cpp-httplib sets REMOTE_ADDR and the like): looked up
  // once per connection, they do not change.
  void get_remote_ip_and_port(std::string& ip, int& port) const override { cached(remote_, true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { cached(local_, false, ip, port); }
  socket_t socket() const override { return sock_; }

  bool taken = false;

private:
  static constexpr size_t kHoldBytes = 8192;

  void set_timeout(int option, int ms) {
    timeval tv{};
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    setsockopt(sock_, SOL_SOCKET, option, &tv, sizeof tv);
  }
  // recv(), waiting at most the read timeout (SO_RCVTIMEO); -1 on a timeout.
  ssize_t receive(char* ptr, size_t size) {
    ssize_t n;
    do n = recv(sock_, ptr, size, 0);
    while (n < 0 && errno == EINTR);
    return n;
  }
  // All of it, each send() waiting at most the write timeout (SO_SNDTIMEO).
  bool send_all(const char* ptr, size_t size) const {
    while (size > 0) {
      const ssize_t n = send(sock_, ptr, size, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      ptr += n;
      size -= (size_t)n;
    }
    return true;
  }
  bool wait(short events, int timeout_ms) const {
    pollfd p{sock_, events, 0};
    int rc;
    do rc = poll(&p, 1, timeout_ms);
    while (rc < 0 && errno == EINTR);
    return rc > 0 && !(p.revents & (POLLERR | POLLNVAL)) && (p.revents & (events | POLLHUP));
  }
  struct Address {
    bool known = false;
    std::string ip;
    int port = 0;
  };
  void cached(Address& a, bool remote, std::string& ip, int& port) const {
    if (!a.known) {
      address(remote, a.ip, a.port);
      a.known = true;
    }
    ip = a.ip;
    port = a.port;
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
  mutable std::string held_;
  mutable Address remote_, local_;
};

thread_local ConnectionStream* t_connection = nullptr;

}  // namespace

bool HttpServer::raise_backlog() { return ::listen(svr_sock_, SOMAXCONN) == 0; }

int HttpServer::take_connection() {
  if (!t_connection || t_connection->taken) return -1;
  if (!t_connection->flush()) return -1;  // the head of the answer goes out first
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
    if (!stream.taken && !stream.flush()) ok = false;
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
