// causerie-server entry point. (First slice: /healthz and the widget's files;
// the API grows in src/server/ behind the storage interface.)
#include <httplib.h>

#include <csignal>
#include <cstdio>

#include "server/options.h"

static httplib::Server* g_server = nullptr;

int main(int argc, char** argv) {
  causerie::server::Options opt;
  if (!causerie::server::parse_options(argc, argv, opt)) return 2;
  httplib::Server server;
  g_server = &server;
  server.set_file_extension_and_mimetype_mapping("wasm", "application/wasm");
  server.set_file_extension_and_mimetype_mapping("mjs", "text/javascript");
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}", "application/json");
  });
  if (!server.set_mount_point("/", opt.static_dir)) {
    std::fprintf(stderr, "static folder %s does not exist\n", opt.static_dir.c_str());
    return 1;
  }
  std::signal(SIGINT, [](int) { g_server->stop(); });
  std::signal(SIGTERM, [](int) { g_server->stop(); });
  std::fprintf(stderr, "causerie-server listening on http://%s:%d\n", opt.host.c_str(), opt.port);
  return server.listen(opt.host, opt.port) ? 0 : 1;
}
