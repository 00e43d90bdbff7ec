#pragma once
// Live updates of threads: the Server-Sent Events streams of
// GET /api/v1/threads/{thread}/events (docs/api.md, "Live updates").
//
// The route (api.cpp) checks the request, fixes where the stream starts, writes the
// head of the answer through cpp-httplib, then hands the socket over
// (HttpServer::take_connection) to adopt(). From then on one thread serves every
// stream with epoll: an idle stream costs a file descriptor and a small struct, not
// a worker thread.
//
// Storage tells the hub which thread changed (SQLite right after a commit in this
// process; PostgreSQL through LISTEN/NOTIFY, from any process). The hub then reads
// the thread's event log once, after the oldest position among its streams, and
// writes each event to every stream that has not had it. A stream starts with a
// replay of the log after its start position, so a reader who reconnects to another
// process with Last-Event-ID misses nothing the log still holds.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>

#include "server/storage.h"

namespace causerie::server {

struct EventsOptions {
  int heartbeat_ms = 15000;       // ": ping" on every stream this often
  int max_per_ip = 8;             // streams per client IP in one process (429 beyond)
  int max_streams = 10000;        // streams per process (503 beyond)
  int64_t keep_ms = 3600 * 1000;  // how long the log keeps events for Last-Event-ID
  size_t max_buffered = 1 << 20;  // a client this far behind is dropped (it reconnects)
};

class EventHub {
public:
  EventHub(Storage& storage, EventsOptions options);
  ~EventHub();
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  // Storage's event listener: thread `key` has new events ("" = any thread may have).
  void thread_changed(const std::string& key);

  // Reserves a stream for `ip`. Every successful reserve() ends in adopt() or release().
  enum class Reserve { ok, too_many_for_ip, full };
  Reserve reserve(const std::string& ip);
  void release(const std::string& ip);

  // Takes over `fd`, whose answer head (chunked text/event-stream) is written, and
  // sends the thread's events after `after_id` (the log's, then live ones).
  void adopt(int fd, const std::string& thread_key, int64_t after_id, const std::string& ip);

  size_t stream_count();

private:
  struct Stream {
    int fd = -1;
    std::string key, ip;
    int64_t last_id = 0;
    std::string out;  // chunked bytes not yet accepted by the socket
  };
  struct Adoption {
    int fd;
    std::string key, ip;
    int64_t after_id;
  };

  void run();
  void wake();
  void accept_adoption(const Adoption& a);
  void deliver(const std::string& key);
  // Renders an event as an SSE block ("" when its comment is gone).
  std::string render(const EventRow& e);
  void send(Stream& s, const std::string& payload);  // as one HTTP chunk
  void flush(Stream& s);
  void close_stream(int fd);

  Storage& storage_;
  EventsOptions options_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::thread thread_;
  bool stopping_ = false;

  std::mutex mutex_;  // guards the inbox and the per-IP counts
  std::deque<Adoption> adoptions_;
  std::set<std::string> changed_;
  bool all_changed_ = false;
  std::unordered_map<std::string, int> per_ip_;
  int reserved_ = 0;

  // Loop thread only:
  std::unordered_map<int, std::unique_ptr<Stream>> streams_;
  std::map<std::string, std::set<int>> by_thread_;
};

}  // namespace causerie::server
