#pragma once
// Serves the widget's files (the loader, the wasm, fonts, demo pages) from one
// folder: strict path checks, MIME types, Cache-Control, ETag, and gzip for the
// types cpp-httplib leaves uncompressed (wasm, fonts, JSON).
#include <mutex>
#include <string>
#include <unordered_map>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace causerie::server {

class StaticFiles {
public:
  explicit StaticFiles(std::string root);
  bool root_exists() const { return !root_.empty(); }
  // Answers GET/HEAD of a path outside the API; 404 JSON error when absent.
  void serve(const httplib::Request& req, httplib::Response& res);

private:
  struct Cached {
    int64_t mtime = 0;
    uint64_t size = 0;
    std::string content;
    std::string gzip;  // filled on first gzip request for types we compress ourselves
  };
  std::string root_;  // canonical, empty if the folder does not exist
  std::mutex mutex_;
  std::unordered_map<std::string, Cached> cache_;
};

}  // namespace causerie::server
