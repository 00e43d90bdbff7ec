#include "server/event_hub.h"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>

#include "core/codec.h"
#include "server/clock.h"

namespace causerie::server {

namespace {

constexpr int kReplayBatch = 500;
constexpr int64_t kPruneEveryMs = 10 * 60 * 1000;

int64_t steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// The comment as GET .../comments lists it. Readers never see what moderation hid:
// a comment now pending or spam goes out as deleted (blank), as deleted ones do.
Comment public_comment(const CommentRow& r) {
  Comment c;
  c.id = r.id;
  if (r.parent_id) c.parent_id = r.parent_id;
  c.created_at = r.created_at / 1000;
  const bool visible = r.status == CommentStatus::published;
  c.status = visible ? CommentStatus::published : CommentStatus::deleted;
  if (visible) {
    c.author.name = r.author_name;
    if (!r.author_url.empty()) c.author.url = r.author_url;
    c.author.avatar_seed = r.avatar_seed;
    c.body = r.body;
    if (r.edited_at) c.edited_at = r.edited_at / 1000;
  }
  return c;
}

}  // namespace

EventHub::EventHub(Storage& storage, EventsOptions options) : storage_(storage), options_(options) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  thread_ = std::thread([this] { run(); });
}

EventHub::~EventHub() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake();
  if (thread_.joinable()) thread_.join();
  for (auto& [fd, s] : streams_) close(fd);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& a : adoptions_) close(a.fd);
  close(wake_fd_);
  close(epoll_fd_);
}

void EventHub::wake() {
  const uint64_t one = 1;
  if (write(wake_fd_, &one, sizeof one) < 0) {}  // already signalled (counter full) is fine
}

void EventHub::thread_changed(const std::string& key) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (key.empty()) all_changed_ = true;
    else changed_.insert(key);
  }
  wake();
}

EventHub::Reserve EventHub::reserve(const std::string& ip) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (reserved_ >= options_.max_streams) return Reserve::full;
  int& n = per_ip_[ip];
  if (n >= options_.max_per_ip) return Reserve::too_many_for_ip;
  ++n;
  ++reserved_;
  return Reserve::ok;
}

void EventHub::release(const std::string& ip) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = per_ip_.find(ip);
  if (it != per_ip_.end() && --it->second <= 0) per_ip_.erase(it);
  --reserved_;
}

void EventHub::adopt(int fd, const std::string& thread_key, int64_t after_id, const std::string& ip) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    adoptions_.push_back(Adoption{fd, thread_key, ip, after_id});
  }
  wake();
}

size_t EventHub::stream_count() {
  std::lock_guard<std::mutex> lock(mutex_);
  return (size_t)reserved_;
}

void EventHub::run() {
  int64_t next_ping = steady_ms() + options_.heartbeat_ms;
  int64_t next_prune = 0;
  std::vector<epoll_event> events(256);
  for (;;) {
    const int timeout = (int)std::max<int64_t>(0, next_ping - steady_ms());
    const int n = epoll_wait(epoll_fd_, events.data(), (int)events.size(), timeout);
    for (int i = 0; i < n; ++i) {
      const int fd = events[(size_t)i].data.fd;
      if (fd == wake_fd_) {
        uint64_t count;
        while (read(wake_fd_, &count, sizeof count) > 0) {}
        continue;
      }
      auto it = streams_.find(fd);
      if (it == streams_.end()) continue;
      const uint32_t what = events[(size_t)i].events;
      if (what & (EPOLLERR | EPOLLHUP | EPOLLRDHUP)) {
        close_stream(fd);
        continue;
      }
      if (what & EPOLLIN) {
        // Clients send nothing on a stream: anything read is discarded; 0 is goodbye.
        char buf[512];
        const ssize_t got = recv(fd, buf, sizeof buf, 0);
        if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
          close_stream(fd);
          continue;
        }
      }
      if (what & EPOLLOUT) flush(*it->second);
    }

    std::deque<Adoption> adoptions;
    std::set<std::string> changed;
    bool all = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
      adoptions.swap(adoptions_);
      changed.swap(changed_);
      all = all_changed_;
      all_changed_ = false;
    }
    for (const auto& a : adoptions) accept_adoption(a);
    if (all)
      for (const auto& [key, fds] : by_thread_) changed.insert(key);
    for (const auto& key : changed)
      if (by_thread_.count(key)) deliver(key);

    const int64_t now = steady_ms();
    if (now >= next_ping) {
      next_ping = now + options_.heartbeat_ms;
      // A safety net under notifications (a LISTEN connection that dropped and
      // came back): each watched thread's log is read once per heartbeat.
      std::vector<std::string> keys;
      for (const auto& [key, fds] : by_thread_) keys.push_back(key);
      for (const auto& key : keys) deliver(key);
      std::vector<int> fds;
      for (const auto& [fd, s] : streams_) fds.push_back(fd);
      for (int fd : fds) {
        auto it = streams_.find(fd);
        if (it != streams_.end()) send(*it->second, ": ping\n\n");
      }
    }
    if (now >= next_prune) {
      next_prune = now + kPruneEveryMs;
      storage_.prune_events(now_ms() - options_.keep_ms);
    }
  }
}

void EventHub::accept_adoption(const Adoption& a) {
  fcntl(a.fd, F_SETFL, fcntl(a.fd, F_GETFL) | O_NONBLOCK);
  auto s = std::make_unique<Stream>();
  s->fd = a.fd;
  s->key = a.key;
  s->ip = a.ip;
  s->last_id = a.after_id;
  Stream& stream = *s;
  streams_[a.fd] = std::move(s);
  by_thread_[a.key].insert(a.fd);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.fd = a.fd;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, a.fd, &ev);

  // Browsers reconnect after `retry` ms; the first id tells them where they start,
  // so a reconnect before any event resumes from here, not from "now". Then the
  // log is replayed from there: what was committed since the route fixed the start.
  send(stream, "retry: 2000\nid: " + std::to_string(a.after_id) + "\n\n");
  std::vector<EventRow> events;
  bool pruned = false;
  for (;;) {
    if (!streams_.count(a.fd)) return;  // dropped while sending
    if (storage_.list_events(a.key, stream.last_id, kReplayBatch, events, pruned) != DbResult::ok) {
      close_stream(a.fd);
      return;
    }
    if (pruned) {
      // The log no longer reaches back there: the reader reloads the thread.
      ThreadRow t;
      if (storage_.find_thread(a.key, t) == DbResult::ok) stream.last_id = t.version;
      send(stream, "id: " + std::to_string(stream.last_id) + "\nevent: reset\ndata: {}\n\n");
      return;
    }
    for (const auto& e : events) {
      const std::string block = render(e);
      if (!block.empty()) send(stream, block);
      if (!streams_.count(a.fd)) return;
      stream.last_id = e.id;
    }
    if ((int)events.size() < kReplayBatch) return;
  }
}

void EventHub::deliver(const std::string& key) {
  auto sit = by_thread_.find(key);
  if (sit == by_thread_.end() || sit->second.empty()) return;
  int64_t from = INT64_MAX;
  for (int fd : sit->second) from = std::min(from, streams_[fd]->last_id);
  std::vector<EventRow> events;
  bool pruned = false;
  for (;;) {
    if (storage_.list_events(key, from, kReplayBatch, events, pruned) != DbResult::ok) return;
    for (const auto& e : events) {
      auto watchers = by_thread_.find(key);
      if (watchers == by_thread_.end()) return;
      const std::string block = render(e);
      const std::vector<int> fds(watchers->second.begin(), watchers->second.end());
      for (int fd : fds) {
        auto it = streams_.find(fd);
        if (it == streams_.end() || it->second->last_id >= e.id) continue;
        if (!block.empty()) send(*it->second, block);
        auto again = streams_.find(fd);
        if (again != streams_.end()) again->second->last_id = e.id;
      }
      from = e.id;
    }
    if ((int)events.size() < kReplayBatch) return;
  }
}

std::string EventHub::render(const EventRow& e) {
  CommentRow row;
  if (storage_.get_comment(e.comment_id, row) != DbResult::ok) return {};
  return "id: " + std::to_string(e.id) + "\nevent: " + (e.kind == EventKind::comment ? "comment" : "update") +
         "\ndata: " + encode_comment(public_comment(row)) + "\n\n";
}

void EventHub::send(Stream& s, const std::string& payload) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", payload.size());
  s.out += size;
  s.out += payload;
  s.out += "\r\n";
  if (s.out.size() > options_.max_buffered) {
    close_stream(s.fd);  // far behind: it reconnects with Last-Event-ID
    return;
  }
  flush(s);
}

void EventHub::flush(Stream& s) {
  size_t done = 0;
  while (done < s.out.size()) {
    const ssize_t n = ::send(s.fd, s.out.data() + done, s.out.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += (size_t)n;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    close_stream(s.fd);
    return;
  }
  s.out.erase(0, done);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | (s.out.empty() ? 0u : (uint32_t)EPOLLOUT);
  ev.data.fd = s.fd;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, s.fd, &ev);
}

void EventHub::close_stream(int fd) {
  auto it = streams_.find(fd);
  if (it == streams_.end()) return;
  const std::string ip = it->second->ip;
  auto t = by_thread_.find(it->second->key);
  if (t != by_thread_.end()) {
    t->second.erase(fd);
    if (t->second.empty()) by_thread_.erase(t);
  }
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  streams_.erase(it);
  close(fd);
  release(ip);
}

}  // namespace causerie::server
