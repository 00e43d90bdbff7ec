#pragma once
// Small wrappers over OpenSSL: hashing for edit tokens, avatar seeds and IP
// buckets; random tokens; constant-time comparison for secrets.
#include <string>
#include <string_view>

namespace causerie::server {

std::string sha256_hex(std::string_view data);
// `bytes` random bytes from the OS CSPRNG, hex-encoded; empty string on failure.
std::string random_hex(int bytes);
// `bytes` random bytes, base64url without padding (32 bytes -> 43 characters).
std::string random_base64url(int bytes);
std::string base64url_encode(std::string_view data);
// False on characters outside the base64url alphabet or an impossible length.
bool base64url_decode(std::string_view text, std::string& out);
// The public avatar seed of an e-mail: a salted SHA-256, lower-case hex, 32 digits.
// The salt is per install, so the seed is neither the e-mail nor its plain hash.
// HMAC-SHA-256 of `data` under `key`: the 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);
// Standard base64 with padding, in lines of 76 characters (MIME bodies).
std::string base64_mime(std::string_view data);
std::string avatar_seed(std::string_view salt, std::string_view email);
// Compares two secrets without leaking where they differ (length may leak).
bool constant_time_equals(std::string_view a, std::string_view b);

// The most randomness a secret of this shape can hold: its length times log2 of
// the alphabet its characters are drawn from (hex 16, else the classes it uses:
// digits 10, lower case 26, upper case 26, other printable 33); nothing with fewer
// than 8 distinct characters. An upper bound: it cannot tell a chosen phrase from
// a random one, but it refuses what is too short to be random.
double token_strength_bits(std::string_view token);
inline constexpr int kMinAdminTokenBits = 128;

}  // namespace causerie::server
