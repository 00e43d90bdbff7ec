#pragma once
// The server's one clock: stored times, edit windows, rate-limit windows and the
// access log all read it, so tests and logs agree on what "now" is.
#include <chrono>
#include <cstdint>

namespace causerie::server {

// Milliseconds since the Unix epoch, UTC.
inline int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace causerie::server
