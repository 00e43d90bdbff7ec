#pragma once
// Serves the widget's files (the loader, the wasm, fonts, demo pages) from one
// folder: strict path checks, MIME types, Cache-Control, ETag. Compressed answers:
// a precompressed sibling the client accepts and that is not older than its file
// (NAME.br, NAME.gz, written by the build) is sent as it is; without one, gzip made
// here (cached) for the types worth it (cpp-httplib compresses nothing itself).
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace causerie::server {

struct AcceptedEncodings;

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
    std::shared_ptr<const std::string> content;
    std::shared_ptr<const std::string> gzip;  // made on the first gzip request where we compress ourselves
  };
  struct Body {
    std::shared_ptr<const std::string> bytes;  // null: unreadable
    const char* coding = nullptr;              // its Content-Encoding, null for none
  };
  // The bytes of a file (canonical path) of that size and time, from the cache or
  // read again; with `gzip`, their gzip when it can be made.
  Body load(const std::string& path, uint64_t size, int64_t mtime, bool gzip);
  // A precompressed sibling of `file` to send for this request (null bytes: none),
  // and its ETag.
  Body precompressed(const AcceptedEncodings& accepted, const std::string& file, uint64_t size, int64_t mtime,
                     std::string& etag);
  std::string root_;  // canonical, empty if the folder does not exist
  std::mutex mutex_;
  std::unordered_map<std::string, Cached> cache_;
};

}  // namespace causerie::server
