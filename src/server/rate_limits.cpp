#include "server/rate_limits.h"

#include <algorithm>

namespace causerie::server {

RateDecision RateLimiter::hit(const std::string& bucket, int64_t limit, int window_seconds, int64_t now_ms) {
  const int64_t now_s = now_ms / 1000;
  const int64_t window_start = now_s - now_s % window_seconds;
  // Forget counters an hour old at most once a minute: they exist only to limit
  // rates, and hold hashed IPs no longer than needed.
  int64_t last = last_expiry_.load();
  if (now_s - last >= 60 && last_expiry_.compare_exchange_strong(last, now_s))
    storage_.expire_rate_limits(now_s - 3600);
  RateDecision d;
  if (!storage_.count_hit(bucket, window_start, d.count)) return RateDecision{};
  d.allowed = d.count <= limit;
  if (!d.allowed) d.retry_after_seconds = (int)std::max<int64_t>(1, window_start + window_seconds - now_s);
  return d;
}

RateDecision RateLimiter::peek(const std::string& bucket, int64_t limit, int window_seconds, int64_t now_ms) {
  const int64_t now_s = now_ms / 1000;
  const int64_t window_start = now_s - now_s % window_seconds;
  RateDecision d;
  if (!storage_.count_of(bucket, window_start, d.count)) return RateDecision{};
  d.allowed = d.count < limit;
  if (!d.allowed) d.retry_after_seconds = (int)std::max<int64_t>(1, window_start + window_seconds - now_s);
  return d;
}

}  // namespace causerie::server
