#include "server/ip_range.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace causerie::server {

std::optional<IpAddress> parse_ip(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);
  IpAddress a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    a.v4 = true;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
  static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a.bytes.data(), mapped, 12) == 0) {
    std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
    std::fill(a.bytes.begin() + 4, a.bytes.end(), 0);
    a.v4 = true;
  }
  return a;
}

bool IpRange::contains(const IpAddress& a) const {
  if (a.v4 != base.v4) return false;
  int bits = prefix_bits;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
    if ((a.bytes[i] & mask) != (base.bytes[i] & mask)) return false;
  }
  return true;
}

std::optional<IpRange> parse_ip_range(std::string_view text) {
  const auto slash = text.find('/');
  const auto base = parse_ip(text.substr(0, slash));
  if (!base) return std::nullopt;
  const int max_bits = base->v4 ? 32 : 128;
  IpRange r{*base, max_bits};
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    int bits = 0;
    for (char ch : digits) {
      if (ch < '0' || ch > '9') return std::nullopt;
      bits = bits * 10 + (ch - '0');
    }
    if (bits > max_bits) return std::nullopt;
    r.prefix_bits = bits;
  }
  return r;
}

std::string_view forwarded_client(std::string_view peer, const std::vector<std::string_view>& forwarded,
                                  const std::vector<IpRange>& trusted) {
  auto is_trusted = [&](const IpAddress& a) {
    return std::any_of(trusted.begin(), trusted.end(), [&](const IpRange& r) { return r.contains(a); });
  };
  std::string_view client = peer;
  const auto peer_ip = parse_ip(peer);
  if (!peer_ip || !is_trusted(*peer_ip)) return client;
  for (auto it = forwarded.rbegin(); it != forwarded.rend(); ++it) {
    const auto hop = parse_ip(*it);
    if (!hop) break;
    client = *it;
    if (!is_trusted(*hop)) break;
  }
  return client;
}

}  // namespace causerie::server
