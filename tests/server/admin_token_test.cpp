// The moderation token: at least 128 bits of randomness in its file, and wrong
// tokens rate-limited per address (429), so that guessing cannot be done at the
// speed of the network.
#include <doctest/doctest.h>

#include "harness.h"
#include "server/crypto.h"

using namespace test;

namespace {

std::string token_file(const std::string& token) {
  const std::string dir = make_temp_dir();
  std::ofstream(dir + "/admin-token") << token << "\n";
  return dir + "/admin-token";
}

}  // namespace

TEST_CASE("the admin token's strength: what a generator gives passes, short or patterned ones do not") {
  using causerie::server::kMinAdminTokenBits;
  using causerie::server::random_base64url;
  using causerie::server::random_hex;
  using causerie::server::token_strength_bits;
  CHECK(token_strength_bits(random_base64url(32)) >= kMinAdminTokenBits);  // openssl rand -base64 32, or -hex 16
  CHECK(token_strength_bits(random_hex(16)) >= kMinAdminTokenBits);
  CHECK(token_strength_bits("0123456789abcdef") < kMinAdminTokenBits);  // 16 hex digits: 64 bits
  CHECK(token_strength_bits(random_hex(15)) < kMinAdminTokenBits);      // 120 bits
  CHECK(token_strength_bits("password1234") < kMinAdminTokenBits);
  CHECK(token_strength_bits(std::string(64, 'a')) == 0);
  CHECK(token_strength_bits("abababababababababababababababababababab") == 0);
}

TEST_CASE("a server given a weak admin token refuses to start and says how to make one") {
  const std::string weak = token_file("0123456789abcdef");
  Server s({"--admin-token-file", weak});
  CHECK_FALSE(s.running());
  CHECK(s.log().find("less than 128 bits") != std::string::npos);
  CHECK(s.log().find("openssl rand -base64 32 > " + weak) != std::string::npos);
  Server strong({"--admin-token-file", token_file(causerie::server::random_base64url(32))});
  CHECK(strong.running());
}

TEST_CASE("wrong admin tokens: 403, then 429 for that address (the right token too), logged; others unaffected") {
  const std::string admin = causerie::server::random_base64url(32);
  Server s({"--admin-token-file", token_file(admin), "--trust-proxy", "127.0.0.1"});
  auto c = s.client();
  const httplib::Headers attacker = {{"X-Forwarded-For", "203.0.113.5"}};
  const httplib::Headers owner = {{"X-Forwarded-For", "203.0.113.6"}};
  auto with = [](httplib::Headers h, const std::string& token) {
    h.emplace("Authorization", "Bearer " + token);
    return h;
  };
  for (int i = 0; i < 10; ++i) {
    auto r = c.Get("/api/v1/moderation/pending", with(attacker, "guess-" + std::to_string(i)));
    REQUIRE(r);
    CHECK(r->status == 403);
    CHECK(error_code(r) == "invalid_token");
  }
  auto limited = c.Get("/api/v1/moderation/pending", with(attacker, "guess-10"));
  REQUIRE(limited);
  CHECK(limited->status == 429);
  CHECK(error_code(limited) == "rate_limited");
  const int retry = std::atoi(limited->get_header_value("Retry-After").c_str());
  CHECK(retry >= 1);
  CHECK(retry <= 600);
  // Even the right token: the address learns nothing more this window.
  CHECK(c.Get("/api/v1/moderation/pending", with(attacker, admin))->status == 429);
  CHECK(c.Post("/api/v1/moderation/comments/1/approve", with(attacker, admin), "", "")->status == 429);
  // The site owner, elsewhere, is not locked out.
  auto own = c.Get("/api/v1/moderation/pending", with(owner, admin));
  REQUIRE(own);
  CHECK(own->status == 200);
  // Each wrong token is in the log with the address it came from.
  CHECK(s.log().find("wrong admin token from 203.0.113.5 (10 in this window)") != std::string::npos);
  CHECK(s.log().find("203.0.113.6") == std::string::npos);
}
