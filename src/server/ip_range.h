#pragma once
// IP addresses and CIDR ranges, IPv4 and IPv6 (an IPv4-mapped IPv6 address is its
// IPv4 address): which proxies --trust-proxy names, and whether a hop is one.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace causerie::server {

struct IpAddress {
  std::array<uint8_t, 16> bytes{};  // IPv4 in the first 4
  bool v4 = false;
};
std::optional<IpAddress> parse_ip(std::string_view text);

struct IpRange {
  IpAddress base;
  int prefix_bits = 0;
  bool contains(const IpAddress& a) const;
};
// "10.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"; nothing else.
std::optional<IpRange> parse_ip_range(std::string_view text);

// The client as the trusted proxies tell it: `peer` is the address the connection
// came from, `forwarded` the X-Forwarded-For entries in order. Walking from the
// peer leftwards through the entries, the first address no trusted range holds is
// the client (a client cannot forge what a trusted proxy appended to the right of
// its own entries); if every hop is trusted, the leftmost. An entry that is not an
// address ends the walk at the hop before it.
std::string_view forwarded_client(std::string_view peer, const std::vector<std::string_view>& forwarded,
                                  const std::vector<IpRange>& trusted);

}  // namespace causerie::server
