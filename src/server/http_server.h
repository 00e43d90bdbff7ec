#pragma once
// causerie-server's connections, around cpp-httplib's request parsing and routing.
//
// cpp-httplib gives each connection a worker thread for as long as it is open: a
// client that sends nothing, or a request head a line every few seconds, holds a
// worker, and a few hundred of them stop the server. Here no worker ever waits for
// a client to start or finish a request head:
// - one thread, the waiting room, holds every connection between requests (epoll,
//   no thread per connection). It reads request heads as they arrive and hands a
//   connection to a worker once its head is complete (up to the empty line). A head
//   must come whole within `head_timeout_ms` of its first byte, and fit in
//   `max_head_bytes` and `max_header_lines` (431 otherwise); a connection without a
//   request closes after `idle_timeout_ms`;
// - a worker serves that request (cpp-httplib parses the head, reads the body against
//   the payload limit, decoded bytes counted, and routes; the body must come within
//   `head_timeout_ms` of the head), then gives the connection back to the room;
// - an address holds at most `max_connections_per_address` connections (0: no cap,
//   for a reverse proxy in front that caps per client itself);
// - a route may take a connection away once the head of its answer is written
//   (take_connection): event streams leave for the event hub's own epoll loop.
#include <httplib.h>

#include <cstddef>
#include <memory>

namespace causerie::server {

struct HttpLimits {
  int workers = 64;
  size_t max_head_bytes = 16 * 1024;
  int max_header_lines = 100;
  int head_timeout_ms = 10000;
  int idle_timeout_ms = 5000;
  int write_timeout_ms = 10000;
  int max_connections_per_address = 256;
};

class HttpServer : public httplib::Server {
public:
  explicit HttpServer(const HttpLimits& limits);
  ~HttpServer() override;

  // From a content provider running on the worker serving this connection: the socket
  // now belongs to the caller (nothing here will write to it or close it). Returns -1
  // outside a connection served by an HttpServer.
  static int take_connection();

  // From a handler: this answer is the connection's last, and nothing more is read
  // from it (not even the body of the request, which then never enters memory).
  static void close_after_answer();

  struct Room;

private:
  bool process_and_close_socket(socket_t sock) override;

  std::shared_ptr<Room> room_;
};

}  // namespace causerie::server
