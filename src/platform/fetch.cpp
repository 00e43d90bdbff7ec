#include "platform/fetch.h"

#include <emscripten.h>
#include <emscripten/fetch.h>

#include <cctype>
#include <cstring>
#include <unordered_map>

#include "platform/host.h"

namespace causerie {

namespace {

// Everything fetch reads from must stay alive until a callback fires.
struct PendingFetch {
  std::string body;
  std::vector<std::string> header_storage;
  std::vector<const char*> header_pointers;
  std::function<void(FetchResponse)> done;
  double started_ms = 0;
  int timeout_ms = 0;
};

// Response headers (ETag, Retry-After) from "name: value\r\n" lines, names lower case.
void parse_headers(const std::string& raw, FetchResponse& response) {
  size_t at = 0;
  while (at < raw.size()) {
    size_t eol = raw.find("\r\n", at);
    if (eol == std::string::npos) eol = raw.size();
    const std::string line = raw.substr(at, eol - at);
    if (const size_t colon = line.find(':'); colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) c = char(std::tolower((unsigned char)c));
      size_t v = colon + 1;
      while (v < line.size() && line[v] == ' ') ++v;
      response.headers.emplace_back(std::move(name), line.substr(v));
    }
    at = eol + 2;
  }
}

void finish(emscripten_fetch_t* fetch) {
  auto* pending = static_cast<PendingFetch*>(fetch->userData);
  FetchResponse response;
  response.status = fetch->status;
  // data is not NUL-terminated; non-2xx bodies are kept too (the API's errors).
  if (fetch->data && fetch->numBytes > 0) response.body.assign(fetch->data, size_t(fetch->numBytes));
  if (const size_t n = emscripten_fetch_get_response_headers_length(fetch); n > 0) {
    std::string raw(n + 1, '\0');
    emscripten_fetch_get_response_headers(fetch, raw.data(), raw.size());
    raw.resize(n);
    parse_headers(raw, response);
  }
  response.timed_out = fetch->status == 0 && pending->timeout_ms > 0 &&
                       emscripten_get_now() - pending->started_ms >= pending->timeout_ms - 50;
  emscripten_fetch_close(fetch);
  auto done = std::move(pending->done);
  delete pending;
  done(std::move(response));
}

// The loader asks for the thread's first page while the widget's files load; the
// widget's own request for that URL then takes the answer instead of going out.
// host_take_prefetch returns a handle for it (0: none); causerie_fetched delivers it.
std::unordered_map<int, std::function<void(FetchResponse)>>& prefetched() {
  static std::unordered_map<int, std::function<void(FetchResponse)>> waiting;
  return waiting;
}

}  // namespace

void fetch_send(const std::string& method, const std::string& url, const FetchHeaders& headers, std::string body,
                int timeout_ms, std::function<void(FetchResponse)> done) {
  // Only a plain GET can be the loader's prefetch (no edit tokens, no body).
  if (method == "GET" && headers.size() == 1 && headers[0].first == "Accept") {
    if (const int handle = host_take_prefetch(url.c_str()); handle > 0) {
      prefetched()[handle] = std::move(done);
      return;
    }
  }
  auto* pending = new PendingFetch();
  pending->body = std::move(body);
  pending->done = std::move(done);
  pending->timeout_ms = timeout_ms;
  pending->started_ms = emscripten_get_now();
  for (const auto& [k, v] : headers) {
    pending->header_storage.push_back(k);
    pending->header_storage.push_back(v);
  }
  for (const std::string& s : pending->header_storage) pending->header_pointers.push_back(s.c_str());
  pending->header_pointers.push_back(nullptr);

  emscripten_fetch_attr_t attr;
  emscripten_fetch_attr_init(&attr);
  std::strncpy(attr.requestMethod, method.c_str(), sizeof(attr.requestMethod) - 1);
  // REPLACE: never look the URL up in IndexedDB first (Emscripten's default).
  attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY | EMSCRIPTEN_FETCH_REPLACE;
  attr.timeoutMSecs = timeout_ms;
  attr.requestHeaders = pending->header_pointers.data();
  if (!pending->body.empty()) {
    attr.requestData = pending->body.data();
    attr.requestDataSize = pending->body.size();
  }
  attr.userData = pending;
  attr.onsuccess = finish;
  attr.onerror = finish;
  emscripten_fetch(&attr, url.c_str());
}

void deliver_prefetch(int handle, int status, const char* body, int body_size, const char* headers) {
  auto it = prefetched().find(handle);
  if (it == prefetched().end()) return;
  auto done = std::move(it->second);
  prefetched().erase(it);
  FetchResponse response;
  response.status = status;
  if (body && body_size > 0) response.body.assign(body, size_t(body_size));
  if (headers) parse_headers(headers, response);
  done(std::move(response));
}

}  // namespace causerie
