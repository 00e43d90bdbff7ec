#pragma once
// Small HTTP helpers shared by the API routes and the static files.
#include <cstdint>
#include <string>
#include <string_view>

namespace httplib {
struct Request;
}

namespace causerie::server {

inline constexpr const char* kJsonType = "application/json; charset=utf-8";

// gzip (RFC 1952) of `data`; empty on failure.
std::string gzip_compress(std::string_view data);
// True when the request accepts gzip (and does not refuse it with q=0).
bool accepts_gzip(const httplib::Request& req);
int64_t now_ms();
// ASCII lower-case copy.
std::string lower(std::string_view s);

}  // namespace causerie::server
