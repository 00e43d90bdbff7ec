#include "server/page_cache.h"

namespace causerie::server {

namespace {
// What an entry costs besides its strings: list and map nodes, the Page itself.
constexpr size_t kEntryOverhead = 256;
}  // namespace

std::shared_ptr<const PageCache::Page> PageCache::find(const std::string& key, int64_t version) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = index_.find(key);
  if (found == index_.end()) return nullptr;
  const auto it = found->second;
  if (it->page->version != version) {
    drop(it);
    return nullptr;
  }
  recent_.splice(recent_.begin(), recent_, it);
  return it->page;
}

void PageCache::put(const std::string& key, Page page) {
  const size_t size =
      2 * key.size() + page.etag.size() + page.body.size() + page.gzip.size() + kEntryOverhead;
  std::lock_guard<std::mutex> lock(mutex_);
  if (const auto found = index_.find(key); found != index_.end()) drop(found->second);
  if (size > capacity_) return;
  while (bytes_ + size > capacity_) drop(std::prev(recent_.end()));
  recent_.push_front(Entry{key, std::make_shared<const Page>(std::move(page)), size});
  index_.emplace(key, recent_.begin());
  bytes_ += size;
}

void PageCache::drop(std::list<Entry>::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(it->key);
  recent_.erase(it);
}

}  // namespace causerie::server
