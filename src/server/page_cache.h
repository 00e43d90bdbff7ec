#pragma once
// The encoded pages of thread reads (JSON and its gzip), kept while their thread's
// version is unchanged. Bounded by bytes, not entries: one page can be 2 MB, and
// the cursors and limits a client may ask for multiply the pages there can be.
// The page used least recently goes first; a page larger than the whole cache is
// not kept. Thread-safe.
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace causerie::server {

class PageCache {
 public:
  struct Page {
    int64_t version = 0;
    std::string etag, body, gzip;
  };

  explicit PageCache(size_t capacity_bytes) : capacity_(capacity_bytes) {}

  // The page kept under `key` if it shows `version` of its thread, else null.
  std::shared_ptr<const Page> find(const std::string& key, int64_t version);
  void put(const std::string& key, Page page);

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const Page> page;
    size_t bytes = 0;
  };
  void drop(std::list<Entry>::iterator it);

  const size_t capacity_;
  std::mutex mutex_;
  std::list<Entry> recent_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  size_t bytes_ = 0;
};

}  // namespace causerie::server
