#include "server/outbox.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdio>

#include "server/clock.h"
#include "server/crypto.h"

namespace causerie::server {

namespace {

// A message's sender holds it this long: longer than one delivery can take (SMTP
// and webhook calls time out at 30 s), so only a sender that died loses it to another.
constexpr int64_t kLeaseMs = 90 * 1000;
constexpr int kBatch = 20;
// Checked this often when nothing woke the sender: messages queued by another
// process, retries coming due.
constexpr int64_t kPollMs = 1000;
constexpr int64_t kMaxRetryMs = 3600 * 1000;
// After this, a message that still fails is given up (logged, and kept in the log).
constexpr int64_t kGiveUpAfterMs = 7LL * 24 * 3600 * 1000;
constexpr int64_t kNever = INT64_MAX / 2;
// E-mails per recipient and hour; more wait for the next hour.
constexpr int64_t kMailsPerRecipientHour = 30;
// Delivered messages stay in the log this long.
constexpr int64_t kKeepDeliveredMs = 30LL * 24 * 3600 * 1000;

// The webhook call: POST `body` as JSON; ok on a 2xx answer within 30 s.
bool post_webhook(const std::string& url, const std::string& body, const std::string& signature, std::string& error) {
  CURL* curl = curl_easy_init();
  if (!curl) {
    error = "libcurl failed to start";
    return false;
  }
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, ("X-Causerie-Signature: " + signature).c_str());
  headers = curl_slist_append(headers, "User-Agent: causerie-server");
  char curl_error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.size());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t count, void*) { return size * count; });
  const CURLcode r = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (r != CURLE_OK) {
    error = curl_error[0] ? curl_error : curl_easy_strerror(r);
    return false;
  }
  if (status < 200 || status > 299) {
    error = "answered HTTP " + std::to_string(status);
    return false;
  }
  return true;
}

}  // namespace

int64_t retry_delay_ms(int first_retry_seconds, int attempts) {
  int64_t delay = (int64_t)first_retry_seconds * 1000;
  for (int i = 1; i < attempts && delay < kMaxRetryMs; ++i) delay *= 2;
  return std::min(delay, kMaxRetryMs);
}

std::string webhook_signature(const std::string& secret, const std::string& body) {
  static const char digits[] = "0123456789abcdef";
  std::string hex = "sha256=";
  for (unsigned char b : hmac_sha256(secret, body)) {
    hex += digits[b >> 4];
    hex += digits[b & 15];
  }
  return hex;
}

Outbox::Outbox(Storage& storage, RateLimiter& rates, OutboxSettings settings)
    : storage_(storage), rates_(rates), settings_(std::move(settings)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);  // before any thread of ours uses libcurl
  if (sends_mail() || calls_webhook()) sender_ = std::thread([this] { run(); });
}

Outbox::~Outbox() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (sender_.joinable()) sender_.join();
}

void Outbox::wake() {
  {
    std::lock_guard lock(mutex_);
    pending_ = true;
  }
  wake_.notify_all();
}

bool Outbox::mail(const std::string& to, const std::string& subject, const std::string& text) {
  if (!sends_mail()) return false;
  OutboxRow row;
  row.channel = "mail";
  row.recipient = to;
  row.subject = subject;
  row.body = text;
  row.created_at = now_ms();
  if (storage_.enqueue(row) != DbResult::ok) return false;
  wake();
  return true;
}

bool Outbox::webhook(const std::string& json_body) {
  if (!calls_webhook()) return false;
  OutboxRow row;
  row.channel = "webhook";
  row.recipient = settings_.webhook_url;
  row.body = json_body;
  row.created_at = now_ms();
  if (storage_.enqueue(row) != DbResult::ok) return false;
  wake();
  return true;
}

void Outbox::run() {
  int64_t last_prune = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (stopping_) return;
      pending_ = false;
    }
    std::vector<OutboxRow> due;
    const int64_t now = now_ms();
    if (storage_.lease_due(now, now + kLeaseMs, kBatch, due) == DbResult::ok)
      for (const OutboxRow& row : due) {
        deliver(row);
        std::lock_guard lock(mutex_);
        if (stopping_) break;  // the rest of the batch is released when its lease ends
      }
    if (now - last_prune > 3600 * 1000) {
      storage_.prune_outbox(now - kKeepDeliveredMs);
      last_prune = now;
    }
    std::unique_lock lock(mutex_);
    if (due.size() == (size_t)kBatch) continue;
    wake_.wait_for(lock, std::chrono::milliseconds(kPollMs), [this] { return stopping_ || pending_; });
  }
}

void Outbox::deliver(const OutboxRow& row) {
  std::string error;
  bool ok = false;
  if (row.channel == "mail") {
    const RateDecision rate = rates_.hit("mail-to:" + sha256_hex(row.recipient).substr(0, 32), kMailsPerRecipientHour,
                                         3600, now_ms());
    if (!rate.allowed) {
      const int64_t later = now_ms() + (int64_t)std::max(rate.retry_after_seconds, 1) * 1000;
      storage_.record_attempt(row.id, false, false, "held back: too many e-mails to this address this hour",
                              now_ms(), later);
      return;
    }
    ok = send_mail(settings_.mail, row.recipient, row.subject, row.body, error);
  } else {
    ok = post_webhook(row.recipient, row.body, webhook_signature(settings_.webhook_secret, row.body), error);
  }
  const int64_t now = now_ms();
  if (ok) {
    storage_.record_attempt(row.id, true, true, row.last_error, now, now);  // the log keeps why earlier attempts failed
    return;
  }
  const int attempts = row.attempts + 1;
  int64_t next = now + retry_delay_ms(settings_.first_retry_seconds, attempts);
  if (now - row.created_at > kGiveUpAfterMs) {
    next = kNever;
    error = "given up after 7 days: " + error;
  }
  std::fprintf(stderr, "causerie-server: %s %lld to %s not delivered (attempt %d): %s\n",
               row.channel == "mail" ? "e-mail" : "webhook call", (long long)row.id,
               row.channel == "mail" ? "an address" : row.recipient.c_str(), attempts, error.c_str());
  storage_.record_attempt(row.id, false, true, error, now, next);
}

}  // namespace causerie::server
