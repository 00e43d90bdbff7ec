#pragma once
// HTTP for the widget over Emscripten fetch. Asynchronous only (a synchronous fetch
// needs pthreads, which a host page's headers rarely allow); no IndexedDB cache.
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace causerie {

struct FetchResponse {
  int status = 0;          // 0: the network failed, CORS refused, or it timed out
  bool timed_out = false;  // status 0 after the whole timeout elapsed
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
};

using FetchHeaders = std::vector<std::pair<std::string, std::string>>;

// Sends a request; `done` runs once, on the main thread, whatever happens.
void fetch_send(const std::string& method, const std::string& url, const FetchHeaders& headers, std::string body,
                int timeout_ms, std::function<void(FetchResponse)> done);

// The answer to the loader's prefetch `handle` (host_take_prefetch): status 0 when
// it failed, `headers` as "name: value\r\n" lines.
void deliver_prefetch(int handle, int status, const char* body, int body_size, const char* headers);

}  // namespace causerie
