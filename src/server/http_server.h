#pragma once
// cpp-httplib's Server, with two changes causerie-server needs:
// - a listen backlog above cpp-httplib's 5 (raise_backlog);
// - a route may take the connection away from cpp-httplib once the head of its
//   answer is written (take_connection), which is how event streams leave the
//   worker thread for the event hub's epoll loop: cpp-httplib keeps a worker thread
//   per connection, and an idle stream must not hold one.
//
// For that it serves each connection itself (process_and_close_socket, the same
// keep-alive loop as cpp-httplib's own) over a Stream of its own, and calls the
// library's process_request for each request. That Stream also spends fewer
// system calls per request than cpp-httplib's (http_server.cpp): socket timeouts
// instead of a poll() before each read and write, and the head of an answer sent
// with its body in one call.
#include <httplib.h>

namespace causerie::server {

class HttpServer : public httplib::Server {
public:
  bool raise_backlog();

  // From a content provider running on the worker thread of this connection: the
  // socket now belongs to the caller (cpp-httplib will neither write to it nor close
  // it). Returns -1 outside a connection served by an HttpServer.
  static int take_connection();

private:
  bool process_and_close_socket(socket_t sock) override;
};

}  // namespace causerie::server
