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
// The weights (0..1) Accept-Encoding gives brotli and gzip: 0 when not named or
// refused (q=0); "*" stands for the codings not named; a malformed weight refuses.
struct AcceptedEncodings {
  double br = 0;
  double gzip = 0;
};
AcceptedEncodings accepted_encodings(std::string_view accept_encoding);
AcceptedEncodings accepted_encodings(const httplib::Request& req);
// True when the request accepts gzip (and does not refuse it with q=0).
bool accepts_gzip(const httplib::Request& req);
// ASCII lower-case copy.
std::string lower(std::string_view s);

}  // namespace causerie::server
