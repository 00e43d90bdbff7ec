#pragma once
// Sending one plain-text e-mail over SMTP (libcurl, Debian's libcurl4-openssl-dev):
// the messages a reader asks for about their own data (my_data.h).
#include <string>

namespace causerie::server {

struct MailSettings {
  // smtp://host:port (STARTTLS when the server offers it) or smtps://host:port;
  // user:password@ in it logs in. Empty: the server sends no e-mail.
  std::string smtp_url;
  std::string from;  // the From address
};

// Sends `text` (UTF-8) to `to`; false with a reason in `error` when the SMTP server
// refused it or could not be reached (within 30 s).
bool send_mail(const MailSettings& settings, const std::string& to, const std::string& subject,
               const std::string& text, std::string& error);

// The whole message as sent: headers (the subject RFC 2047-encoded) and the text in
// base64, lines ended by CRLF.
std::string format_mail(const std::string& from, const std::string& to, const std::string& subject,
                        const std::string& text, long long now_seconds);

}  // namespace causerie::server
