#pragma once
// Fixed-window rate limits over the storage's counters, which every process using
// the same database shares (Storage::count_hit).
#include <atomic>
#include <cstdint>
#include <string>

#include "server/storage.h"

namespace causerie::server {

struct RateDecision {
  bool allowed = true;
  int64_t count = 0;
  int retry_after_seconds = 0;
};

class RateLimiter {
public:
  explicit RateLimiter(Storage& storage) : storage_(storage) {}

  // One more hit of `bucket` at `now_ms`, in windows of `window_seconds` aligned on
  // the epoch; allowed while the window's count is at most `limit`. A counter that
  // cannot be written lets the hit through: it must not take the whole site down.
  RateDecision hit(const std::string& bucket, int64_t limit, int window_seconds, int64_t now_ms);
  // Whether one more hit would be allowed, without counting one: for limits on
  // failures, checked before the attempt and counted only when it fails.
  RateDecision peek(const std::string& bucket, int64_t limit, int window_seconds, int64_t now_ms);

private:
  Storage& storage_;
  std::atomic<int64_t> last_expiry_{0};  // seconds
};

}  // namespace causerie::server
