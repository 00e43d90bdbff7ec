#include "server/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/codec.h"

namespace causerie::server {

namespace {

using Clock = std::chrono::steady_clock;

std::string address_text(const sockaddr_storage& addr, int& port) {
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
  return text;
}

// An open client connection, owned by the waiting room or by one worker at a time.
struct Connection {
  int fd = -1;
  std::string ip;
  int port = 0;
  std::string local_ip;
  int local_port = 0;
  bool local_known = false;
  std::string in;      // received, not yet consumed: the next request's head (and maybe more)
  size_t scanned = 0;  // bytes of `in` already searched for the end of the head
  bool head_started = false;
  bool lingering = false;  // answered for the last time: what still comes is read and dropped
  size_t dropped = 0;
  Clock::time_point deadline;
  Connection* prev = nullptr;  // in the waiting room's list
  Connection* next = nullptr;
};

enum class HeadState { incomplete, complete, too_large };

// Where the request head at the start of `c.in` stands: complete once its empty
// line is in; too large past the byte or line limits. Only the framing is looked at
// here (CRLF line ends, as cpp-httplib requires); cpp-httplib parses the head.
HeadState head_state(Connection& c, const HttpLimits& limits) {
  const size_t from = c.scanned >= 3 ? c.scanned - 3 : 0;
  const size_t end = c.in.find("\r\n\r\n", from);
  const size_t head_bytes = end == std::string::npos ? c.in.size() : end + 4;
  c.scanned = end == std::string::npos ? c.in.size() : c.scanned;
  // The request line, then at most max_header_lines header lines.
  size_t lines = 0;
  for (size_t i = c.in.find("\r\n"); i != std::string::npos && i < head_bytes; i = c.in.find("\r\n", i + 2)) ++lines;
  if (end != std::string::npos) --lines;  // the empty line
  if (head_bytes > limits.max_head_bytes || lines > (size_t)limits.max_header_lines + 1) return HeadState::too_large;
  return end == std::string::npos ? HeadState::incomplete : HeadState::complete;
}

// An answer written before cpp-httplib sees the request, then the connection closes.
void refuse(int fd, int status, const char* reason, const char* code, const char* message) {
  ApiError e;
  e.code = code;
  e.message = message;
  const std::string body = encode_api_error(e);
  const std::string text = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                           "\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  (void)!send(fd, text.data(), text.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

// A connection as cpp-httplib reads and writes it, for one worker. Reads take what
// the waiting room already received first. The socket is non-blocking: a read waits
// for data until the request's deadline, a write until the write timeout. The head
// of an answer is held back and goes out with the body in one sendmsg() (system
// calls are what a request costs most); what is held is sent before any larger
// write, at the end of each request (flush) and before the connection is taken.
class ConnectionStream final : public httplib::Stream {
public:
  ConnectionStream(Connection& c, Clock::time_point read_deadline, int write_timeout_ms)
      : c_(c), read_deadline_(read_deadline), write_timeout_ms_(write_timeout_ms), start_(Clock::now()) {}

  bool has_buffered() const { return pos_ < c_.in.size(); }
  // What was received and not consumed: the start of the next request, if any.
  std::string leftover() { return c_.in.substr(pos_); }

  bool is_readable() const override { return has_buffered(); }
  bool wait_readable() const override { return has_buffered() || (flush() && wait(POLLIN, read_wait_ms())); }
  bool wait_writable() const override { return !taken && wait(POLLOUT, write_timeout_ms_); }
  bool is_peer_alive() const override { return !taken; }

  ssize_t read(char* ptr, size_t size) override {
    if (closing) return -1;
    if (!has_buffered()) {
      if (!flush()) return -1;  // e.g. "100 Continue": the client waits for it before sending
      c_.in.clear();
      pos_ = 0;
      const ssize_t n = receive(ptr, size, size >= kReadChunk);
      if (n <= 0 || size >= kReadChunk) return n;
    }
    const size_t n = std::min(size, c_.in.size() - pos_);
    std::memcpy(ptr, c_.in.data() + pos_, n);
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
    do n = sendmsg(c_.fd, &m, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0 && errno != EAGAIN) return -1;
    if (n < 0) n = 0;
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

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.ip;
    port = c_.port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    if (!c_.local_known) {
      sockaddr_storage addr{};
      socklen_t len = sizeof addr;
      if (getsockname(c_.fd, (sockaddr*)&addr, &len) == 0) c_.local_ip = address_text(addr, c_.local_port);
      c_.local_known = true;
    }
    ip = c_.local_ip;
    port = c_.local_port;
  }
  socket_t socket() const override { return c_.fd; }
  time_t duration() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_).count();
  }

  bool taken = false;
  bool closing = false;  // close_after_answer: read nothing more

private:
  static constexpr size_t kHoldBytes = 8192;
  static constexpr size_t kReadChunk = 16384;

  int read_wait_ms() const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(read_deadline_ - Clock::now()).count();
    return left > 0 ? (int)left : 0;
  }
  // recv(), waiting for data until the request's deadline; -1 past it. Small reads
  // fill the connection's buffer (cpp-httplib reads lines a byte at a time).
  ssize_t receive(char* ptr, size_t size, bool direct) {
    for (;;) {
      ssize_t n;
      if (direct) n = recv(c_.fd, ptr, size, 0);
      else {
        c_.in.resize(kReadChunk);
        n = recv(c_.fd, c_.in.data(), kReadChunk, 0);
        c_.in.resize(n > 0 ? (size_t)n : 0);
      }
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if (errno != EAGAIN || !wait(POLLIN, read_wait_ms())) return -1;
    }
  }
  // All of it, waiting at most the write timeout whenever the socket is full.
  bool send_all(const char* ptr, size_t size) const {
    while (size > 0) {
      const ssize_t n = send(c_.fd, ptr, size, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) {
        if (!wait(POLLOUT, write_timeout_ms_)) return false;
        continue;
      }
      if (n <= 0) return false;
      ptr += n;
      size -= (size_t)n;
    }
    return true;
  }
  bool wait(short events, int timeout_ms) const {
    pollfd p{c_.fd, events, 0};
    int rc;
    do rc = poll(&p, 1, timeout_ms);
    while (rc < 0 && errno == EINTR);
    return rc > 0 && !(p.revents & (POLLERR | POLLNVAL)) && (p.revents & (events | POLLHUP));
  }

  Connection& c_;
  size_t pos_ = 0;
  Clock::time_point read_deadline_;
  int write_timeout_ms_;
  Clock::time_point start_;
  mutable std::string held_;
};

thread_local ConnectionStream* t_connection = nullptr;

}  // namespace

struct HttpServer::Room {
  Room(HttpServer& owner, const HttpLimits& room_limits) : server(owner), limits(room_limits) {
    epoll = epoll_create1(EPOLL_CLOEXEC);
    wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = nullptr;
    epoll_ctl(epoll, EPOLL_CTL_ADD, wake, &ev);
    list.prev = list.next = &list;
    room_thread = std::thread([this] { run_room(); });
    for (int i = 0; i < std::max(1, limits.workers); ++i) workers.emplace_back([this] { run_worker(); });
  }

  ~Room() { stop(); }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(queue_mu);
      if (stopping) return;
      stopping = true;
    }
    queue_cv.notify_all();
    const uint64_t one = 1;
    (void)!::write(wake, &one, sizeof one);
    room_thread.join();
    for (auto& t : workers) t.join();
    // Whatever is still here waits for a request that will not be served.
    std::lock_guard<std::mutex> lock(list_mu);
    while (list.next != &list) {
      Connection* c = list.next;
      unlink(c);
      close_connection(c);
    }
    for (Connection* c : queue) close_connection(c);
    queue.clear();
    close(epoll);
    close(wake);
  }

  // A connection just accepted (on cpp-httplib's accept thread).
  void admit(int fd) {
    auto* c = new Connection;
    c->fd = fd;
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (getpeername(fd, (sockaddr*)&addr, &len) == 0) c->ip = address_text(addr, c->port);
    if (!count_in(c->ip)) {
      refuse(fd, 503, "Service Unavailable", "unavailable", "too many connections from this address");
      shutdown(fd, SHUT_RDWR);
      close(fd);
      delete c;
      return;
    }
    const int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    enter(c);
  }

  // Into the waiting room, for the next request: idle until its first byte.
  void enter(Connection* c) {
    c->scanned = 0;
    c->head_started = !c->in.empty();
    c->deadline =
        Clock::now() + std::chrono::milliseconds(c->head_started ? limits.head_timeout_ms : limits.idle_timeout_ms);
    if (c->head_started) {
      // The client already sent (part of) its next request.
      const HeadState s = head_state(*c, limits);
      if (s == HeadState::complete) return dispatch(c);
      if (s == HeadState::too_large) return too_large(c);
    }
    add_to_room(c);
  }

  void add_to_room(Connection* c) {
    {
      std::lock_guard<std::mutex> lock(list_mu);
      c->next = &list;
      c->prev = list.prev;
      list.prev->next = c;
      list.prev = c;
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.ptr = c;
    epoll_ctl(epoll, EPOLL_CTL_ADD, c->fd, &ev);
  }

  void run_room() {
    std::vector<epoll_event> events(512);
    auto next_sweep = Clock::now();
    for (;;) {
      const int n = epoll_wait(epoll, events.data(), (int)events.size(), 100);
      {
        std::lock_guard<std::mutex> lock(queue_mu);
        if (stopping) return;
      }
      for (int i = 0; i < n; ++i) {
        auto* c = (Connection*)events[i].data.ptr;
        if (c) readable(c);
      }
      const auto now = Clock::now();
      if (now >= next_sweep) {
        sweep(now);
        next_sweep = now + std::chrono::milliseconds(100);
      }
    }
  }

  // Bytes of a request head, or the client gone.
  void readable(Connection* c) {
    char buf[16384];
    if (c->lingering) return drop_input(c, buf, sizeof buf);
    for (;;) {
      const size_t room_left = limits.max_head_bytes + 1 - std::min(c->in.size(), limits.max_head_bytes);
      const ssize_t n = recv(c->fd, buf, std::min(sizeof buf, room_left), 0);
      if (n == 0) return leave_and_close(c);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return;
        return leave_and_close(c);
      }
      if (!c->head_started) {
        c->head_started = true;
        c->deadline = Clock::now() + std::chrono::milliseconds(limits.head_timeout_ms);
      }
      c->in.append(buf, (size_t)n);
      const HeadState s = head_state(*c, limits);
      if (s == HeadState::incomplete) continue;
      leave(c);
      if (s == HeadState::complete) dispatch(c);
      else too_large(c);
      return;
    }
  }

  // A connection that was answered for the last time: closing it with unread input
  // would reset it, and the client could lose the answer. Its input is read and
  // dropped until the client closes, for a bounded time and number of bytes.
  void linger(Connection* c) {
    shutdown(c->fd, SHUT_WR);
    c->lingering = true;
    c->in = std::string();
    c->head_started = false;
    c->deadline = Clock::now() + std::chrono::milliseconds(kLingerMs);
    add_to_room(c);
  }
  void drop_input(Connection* c, char* buf, size_t size) {
    for (;;) {
      const ssize_t n = recv(c->fd, buf, size, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) return;
      if (n <= 0 || (c->dropped += (size_t)n) > kLingerBytes) return leave_and_close(c);
    }
  }

  // Closes what waited too long: idle connections and heads not complete in time.
  void sweep(Clock::time_point now) {
    std::vector<Connection*> late;
    {
      std::lock_guard<std::mutex> lock(list_mu);
      for (Connection* c = list.next; c != &list; c = c->next)
        if (now >= c->deadline) late.push_back(c);
    }
    for (Connection* c : late) {
      if (c->head_started && !c->lingering)
        refuse(c->fd, 408, "Request Timeout", "timeout", "the request head did not arrive in time");
      leave_and_close(c);
    }
  }

  void too_large(Connection* c) {
    refuse(c->fd, 431, "Request Header Fields Too Large", "too_large", "the request head is over the size limit");
    linger(c);
  }

  // Out of the waiting room (room thread only).
  void leave(Connection* c) {
    epoll_ctl(epoll, EPOLL_CTL_DEL, c->fd, nullptr);
    std::lock_guard<std::mutex> lock(list_mu);
    unlink(c);
  }
  void leave_and_close(Connection* c) {
    leave(c);
    close_connection(c);
  }
  static void unlink(Connection* c) {
    c->prev->next = c->next;
    c->next->prev = c->prev;
    c->prev = c->next = nullptr;
  }

  void dispatch(Connection* c) {
    {
      std::lock_guard<std::mutex> lock(queue_mu);
      if (!stopping) {
        queue.push_back(c);
        c = nullptr;
      }
    }
    if (c) close_connection(c);
    else queue_cv.notify_one();
  }

  void run_worker() {
    for (;;) {
      Connection* c;
      {
        std::unique_lock<std::mutex> lock(queue_mu);
        queue_cv.wait(lock, [this] { return stopping || !queue.empty(); });
        if (stopping) return;
        c = queue.front();
        queue.pop_front();
      }
      serve(c);
    }
  }

  // One request (its head is in c->in), then back to the waiting room.
  void serve(Connection* c) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(limits.head_timeout_ms);
    ConnectionStream stream(*c, deadline, limits.write_timeout_ms);
    t_connection = &stream;
    bool connection_closed = false;
    std::string local_ip;
    int local_port = 0;
    stream.get_local_ip_and_port(local_ip, local_port);
    bool ok = server.process_request(stream, c->ip, c->port, local_ip, local_port, false, connection_closed, nullptr,
                                     nullptr);
    t_connection = nullptr;
    if (stream.taken) {  // the socket lives on elsewhere
      count_out(c->ip);
      delete c;
      return;
    }
    if (!stream.flush()) ok = false;
    bool stopping_now;
    {
      std::lock_guard<std::mutex> lock(queue_mu);
      stopping_now = stopping;
    }
    if (stopping_now) return close_connection(c);
    if (!ok || connection_closed || stream.closing) return linger(c);
    c->in = stream.leftover();
    enter(c);
  }

  void close_connection(Connection* c) {
    shutdown(c->fd, SHUT_RDWR);
    close(c->fd);
    count_out(c->ip);
    delete c;
  }

  bool count_in(const std::string& ip) {
    std::lock_guard<std::mutex> lock(count_mu);
    int& n = per_address[ip];
    if (limits.max_connections_per_address > 0 && n >= limits.max_connections_per_address) {
      if (n == 0) per_address.erase(ip);
      return false;
    }
    ++n;
    return true;
  }
  void count_out(const std::string& ip) {
    std::lock_guard<std::mutex> lock(count_mu);
    auto it = per_address.find(ip);
    if (it != per_address.end() && --it->second <= 0) per_address.erase(it);
  }

  static constexpr int kLingerMs = 2000;
  static constexpr size_t kLingerBytes = 1 << 20;

  HttpServer& server;
  HttpLimits limits;
  int epoll = -1, wake = -1;
  std::thread room_thread;
  std::vector<std::thread> workers;

  std::mutex list_mu;  // the waiting room's connections (the room thread sweeps, workers return)
  Connection list;

  std::mutex queue_mu;  // connections with a complete head, for the workers
  std::condition_variable queue_cv;
  std::deque<Connection*> queue;
  bool stopping = false;

  std::mutex count_mu;
  std::unordered_map<std::string, int> per_address;
};

namespace {

// cpp-httplib's accept loop hands each new connection to a task queue: this one
// admits it to the waiting room, right there on the accept thread.
class AdmitQueue final : public httplib::TaskQueue {
public:
  explicit AdmitQueue(std::shared_ptr<HttpServer::Room> room) : room_(std::move(room)) {}
  bool enqueue(std::function<void()> fn) override {
    fn();  // HttpServer::process_and_close_socket: admits and returns
    return true;
  }
  void shutdown() override { room_->stop(); }

private:
  std::shared_ptr<HttpServer::Room> room_;
};

}  // namespace

HttpServer::HttpServer(const HttpLimits& limits) {
  room_ = std::make_shared<Room>(*this, limits);
  auto room = room_;
  new_task_queue = [room] { return new AdmitQueue(room); };
  set_read_timeout(std::chrono::milliseconds(limits.head_timeout_ms));
  set_write_timeout(std::chrono::milliseconds(limits.write_timeout_ms));
  set_keep_alive_timeout(std::max(1, limits.idle_timeout_ms / 1000));  // what the Keep-Alive header announces
  set_tcp_nodelay(true);                                               // an answer's head and body can go in two writes
  // A body announced over the limit is refused before the client sends it.
  set_expect_100_continue_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value_u64("Content-Length") > payload_max_length_) {
      res.status = httplib::StatusCode::PayloadTooLarge_413;
      return (int)res.status;
    }
    return (int)httplib::StatusCode::Continue_100;
  });
}

HttpServer::~HttpServer() { room_->stop(); }

int HttpServer::take_connection() {
  if (!t_connection || t_connection->taken) return -1;
  if (!t_connection->flush()) return -1;  // the head of the answer goes out first
  t_connection->taken = true;
  return t_connection->socket();
}

void HttpServer::close_after_answer() {
  if (t_connection) t_connection->closing = true;
}

bool HttpServer::process_and_close_socket(socket_t sock) {
  room_->admit(sock);
  return true;
}

}  // namespace causerie::server
