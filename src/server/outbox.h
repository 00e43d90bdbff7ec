#pragma once
// Everything the server sends out (e-mails over SMTP, webhook calls) goes through
// the outbox: a message is first a row of the database (Storage::enqueue), then a
// sender thread delivers it, retrying with back-off, across restarts, and in several
// processes at once (Storage::lease_due); delivered rows stay a while as the
// delivery log (GET moderation/deliveries). E-mails are held back, never dropped,
// past a number per recipient and hour.
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "server/mailer.h"
#include "server/rate_limits.h"
#include "server/storage.h"

namespace causerie::server {

struct OutboxSettings {
  MailSettings mail;            // smtp_url empty: no e-mail
  std::string webhook_url;      // empty: no webhook
  std::string webhook_secret;   // the key of X-Causerie-Signature
  int first_retry_seconds = 2;  // then doubled at each failure, up to an hour
};

// The wait after `attempts` failed attempts (1, 2, ...): doubling from the first, at most an hour.
int64_t retry_delay_ms(int first_retry_seconds, int attempts);
// "sha256=" and the hex HMAC-SHA-256 of `body` under `secret`: the X-Causerie-Signature header.
std::string webhook_signature(const std::string& secret, const std::string& body);

class Outbox {
public:
  Outbox(Storage& storage, RateLimiter& rates, OutboxSettings settings);
  ~Outbox();  // stops the sender after the message in hand
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  bool sends_mail() const { return !settings_.mail.smtp_url.empty(); }
  bool calls_webhook() const { return !settings_.webhook_url.empty(); }
  // Queues a message; false when the storage failed (nothing is queued) or that
  // channel is off.
  bool mail(const std::string& to, const std::string& subject, const std::string& text);
  bool webhook(const std::string& json_body);

private:
  void run();
  void deliver(const OutboxRow& row);
  void wake();

  Storage& storage_;
  RateLimiter& rates_;
  const OutboxSettings settings_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false, pending_ = false;
  std::thread sender_;
};

}  // namespace causerie::server
