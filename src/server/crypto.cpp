#include "server/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace causerie::server {

static std::string to_hex(const unsigned char* p, size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string s(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    s[2 * i] = digits[p[i] >> 4];
    s[2 * i + 1] = digits[p[i] & 15];
  }
  return s;
}

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1) return {};
  return to_hex(md, len);
}

std::string random_hex(int bytes) {
  std::vector<unsigned char> buf(bytes);
  if (RAND_bytes(buf.data(), bytes) != 1) return {};
  return to_hex(buf.data(), buf.size());
}

static const char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url_encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const unsigned v = (unsigned char)data[i] << 16 | (unsigned char)data[i + 1] << 8 | (unsigned char)data[i + 2];
    out += kBase64Url[v >> 18];
    out += kBase64Url[(v >> 12) & 63];
    out += kBase64Url[(v >> 6) & 63];
    out += kBase64Url[v & 63];
  }
  if (i + 1 == data.size()) {
    const unsigned v = (unsigned char)data[i] << 16;
    out += kBase64Url[v >> 18];
    out += kBase64Url[(v >> 12) & 63];
  } else if (i + 2 == data.size()) {
    const unsigned v = (unsigned char)data[i] << 16 | (unsigned char)data[i + 1] << 8;
    out += kBase64Url[v >> 18];
    out += kBase64Url[(v >> 12) & 63];
    out += kBase64Url[(v >> 6) & 63];
  }
  return out;
}

bool base64url_decode(std::string_view text, std::string& out) {
  if (text.size() % 4 == 1) return false;
  std::string result;
  unsigned acc = 0;
  int bits = 0;
  for (char ch : text) {
    const char* p = ch ? std::strchr(kBase64Url, ch) : nullptr;
    if (!p) return false;
    acc = (acc << 6) | (unsigned)(p - kBase64Url);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      result += (char)((acc >> bits) & 0xFF);
    }
  }
  out = std::move(result);
  return true;
}

std::string random_base64url(int bytes) {
  std::string buf((size_t)bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(buf.data()), bytes) != 1) return {};
  return base64url_encode(buf);
}

std::string avatar_seed(std::string_view salt, std::string_view email) {
  std::string material(salt);
  material += ':';
  for (char ch : email) material += (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
  return sha256_hex(material).substr(0, 32);
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

double token_strength_bits(std::string_view token) {
  bool digit = false, lower = false, upper = false, symbol = false, beyond_hex = false;
  bool seen[256] = {};
  int distinct = 0;
  for (char ch : token) {
    const auto c = static_cast<unsigned char>(ch);
    distinct += seen[c] ? 0 : 1;
    seen[c] = true;
    const bool is_lower = c >= 'a' && c <= 'z', is_upper = c >= 'A' && c <= 'Z';
    digit = digit || (c >= '0' && c <= '9');
    lower = lower || is_lower;
    upper = upper || is_upper;
    symbol = symbol || (!is_lower && !is_upper && !(c >= '0' && c <= '9'));
    beyond_hex = beyond_hex || ((is_lower || is_upper) && (c | 0x20) > 'f');
  }
  if (distinct < 8) return 0;
  const bool hex = !beyond_hex && !symbol && !(lower && upper);
  const int alphabet = hex ? 16 : (digit ? 10 : 0) + (lower ? 26 : 0) + (upper ? 26 : 0) + (symbol ? 33 : 0);
  return static_cast<double>(token.size()) * std::log2(alphabet);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), (int)key.size(), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), md, &len))
    return {};
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string base64_mime(std::string_view data) {
  std::string out;
  for (size_t at = 0; at < data.size(); at += 57) {  // 57 bytes -> 76 characters
    const size_t n = std::min<size_t>(57, data.size() - at);
    unsigned char line[80];
    const int written = EVP_EncodeBlock(line, reinterpret_cast<const unsigned char*>(data.data() + at), (int)n);
    out.append(reinterpret_cast<const char*>(line), (size_t)written);
    out += "\r\n";
  }
  return out;
}

}  // namespace causerie::server
