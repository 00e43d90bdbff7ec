#include "server/mailer.h"

#include <curl/curl.h>

#include <algorithm>
#include <ctime>
#include <mutex>
#include <string>

#include "server/clock.h"
#include "server/crypto.h"

namespace causerie::server {

std::string format_mail(const std::string& from, const std::string& to, const std::string& subject,
                        const std::string& text, long long now_seconds) {
  char date[64];
  const std::time_t t = (std::time_t)now_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  const std::string domain = from.substr(from.find('@') + 1);
  std::string m;
  m += "Date: " + std::string(date) + "\r\n";
  m += "From: <" + from + ">\r\n";
  m += "To: <" + to + ">\r\n";
  m += "Message-ID: <" + random_hex(16) + "@" + domain + ">\r\n";
  std::string encoded_subject = base64_mime(subject);
  std::erase(encoded_subject, '\r');
  std::erase(encoded_subject, '\n');
  m += "Subject: =?UTF-8?B?" + encoded_subject + "?=\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: base64\r\n";
  m += "Auto-Submitted: auto-generated\r\n\r\n";
  m += base64_mime(text);
  return m;
}

namespace {

struct Upload {
  const std::string& data;
  size_t at = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* u = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, u->data.size() - u->at);
  u->data.copy(buffer, n, u->at);
  u->at += n;
  return n;
}

// Printable ASCII without <, > or spaces: what goes between <> in SMTP commands.
bool plain_address(const std::string& a) {
  if (a.empty() || a.size() > 254) return false;
  for (unsigned char ch : a)
    if (ch <= 0x20 || ch >= 0x7F || ch == '<' || ch == '>') return false;
  return a.find('@') != std::string::npos;
}

}  // namespace

bool send_mail(const MailSettings& settings, const std::string& to, const std::string& subject,
               const std::string& text, std::string& error) {
  if (settings.smtp_url.empty()) {
    error = "no SMTP server configured";
    return false;
  }
  if (!plain_address(to) || !plain_address(settings.from)) {
    error = "an address that cannot go into an SMTP command";
    return false;
  }
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (!curl) {
    error = "libcurl failed to start";
    return false;
  }
  // libcurl dot-stuffs the data; base64 lines never start with '.' anyway.
  const std::string message = format_mail(settings.from, to, subject, text, now_ms() / 1000);
  Upload upload{message};
  curl_slist* recipients = curl_slist_append(nullptr, ("<" + to + ">").c_str());
  char curl_error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_URL, settings.smtp_url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + settings.from + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
  const CURLcode r = curl_easy_perform(curl);
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  if (r != CURLE_OK) {
    error = curl_error[0] ? curl_error : curl_easy_strerror(r);
    return false;
  }
  return true;
}

}  // namespace causerie::server
