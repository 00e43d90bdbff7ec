// A reader's own data, asked for by the reader (my_data.h): POST my-data (JSON, the
// widget) and its no-JavaScript form (my-data.html, my-data.form) send an e-mail
// holding a signed link; the link (my-data/link) opens a confirmation page whose
// button gives the copy or does the erasure. The answer to a request never says
// whether the address has comments: only its owner, reading the e-mail, learns it.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <set>

#include "core/dates.h"
#include "core/rfc3339.h"
#include "core/url.h"
#include "core/utf8.h"
#include "server/api.h"
#include "server/api_helpers.h"
#include "server/causerie_export.h"
#include "server/clock.h"
#include "server/crypto.h"
#include "server/html_view.h"
#include "server/http_util.h"
#include "server/outbox.h"
#include "server/nfc.h"

namespace causerie::server {

namespace {

// Requests per client address, and e-mails per address asked about: enough for a
// reader who mistyped, too few to flood anyone's mailbox.
constexpr RateLimit kRequestsPerClient{10, 3600};
constexpr RateLimit kMailsPerAddress{3, 3600};

ApiError data_error(const char* code, std::string message, std::optional<int64_t> retry_after = std::nullopt) {
  ApiError e;
  e.code = code;
  e.message = std::move(message);
  e.retry_after = retry_after;
  return e;
}

// The page's message for a request's answer.
std::string answer_text(const Catalog& catalog, const ApiError& e) {
  if (e.code == "validation_failed") return my_data_text(catalog, "bad_email");
  if (e.code == "rate_limited") return my_data_text(catalog, "rate_limited");
  if (e.code == "mail_unavailable") return my_data_text(catalog, "no_mail");
  return my_data_text(catalog, "server_error");
}

}  // namespace

Api::DataRequestAnswer Api::request_my_data(const httplib::Request& req, const std::string& typed, DataAction action,
                                            const Catalog& catalog) {
  DataRequestAnswer a;
  auto fail = [&a](int status, ApiError e) {
    a.status = status;
    a.error = std::move(e);
    return a;
  };
  if (options_.smtp_url.empty())
    return fail(503, data_error("mail_unavailable",
                                "this server sends no e-mail (no --smtp-url), so it cannot check that an address is the "
                                "reader's: the site's owner can answer with moderation/authors"));
  const std::string email = to_nfc(trim(typed));
  if (!is_email_shape(email) || email.size() > 254) {
    a.status = 422;
    a.error = validation_api_error({{"email", ValidationCode::invalid_email}});
    return a;
  }
  if (const int wait = rate_wait(req, kRequestsPerClient, "my-data"))
    return fail(429, data_error("rate_limited", "too many requests; retry later", wait));
  // Past its budget, an address gets no more e-mail, and the requester the same
  // 202: the answer tells nothing about anyone's mailbox.
  const std::string address_bucket = "my-data-mail:" + sha256_hex(salt_ + "|mail|" + lower(email)).substr(0, 32);
  if (!rates_.hit(address_bucket, kMailsPerAddress.count, kMailsPerAddress.window_seconds, now_ms()).allowed) return a;

  std::vector<CommentRow> rows;
  if (storage_.list_by_email(email, rows) != DbResult::ok) {
    a.error = storage_failure();
    a.status = a.error.code == "unavailable" ? 503 : 500;
    return a;
  }
  std::string link;
  if (!rows.empty()) {
    DataLink l;
    l.action = action;
    l.email = email;
    l.expires_at = now_ms() / 1000 + kDataLinkLifetimeSeconds;
    l.nonce = random_hex(16);
    link = options_.public_url + kMyDataPath + "/link?lang=" + percent_encode(catalog.language) +
           "&t=" + sign_data_link(salt_, l);
  }
  const DataMail mail = data_mail(catalog, action, email, (int64_t)rows.size(), link);
  // Queued: the outbox delivers it, retrying while the SMTP server is away.
  if (!outbox_ || !outbox_->mail(email, mail.subject, mail.text)) {
    a.error = storage_failure();
    a.status = a.error.code == "unavailable" ? 503 : 500;
  }
  return a;
}

void Api::post_my_data(const httplib::Request& req, httplib::Response& res) {
  if (!check_json_body(req, res)) return;
  const nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return send_error(res, 400, "malformed_json", "expected a JSON object");
  std::string email, lang;
  DataAction action = DataAction::copy;
  for (const char* name : {"email", "action", "lang"}) {
    if (!body.contains(name) || body[name].is_null()) continue;
    if (!body[name].is_string())
      return send_error(res, 400, "invalid_field", std::string(name) + ": expected a string", std::string(name));
  }
  if (body.contains("email") && body["email"].is_string()) email = body["email"].get<std::string>();
  if (body.contains("lang") && body["lang"].is_string()) lang = body["lang"].get<std::string>();
  if (!body.contains("action") || !body["action"].is_string() ||
      !parse_data_action(body["action"].get<std::string>(), action))
    return send_error(res, 400, "invalid_field", "action: expected \"copy\" or \"erase\"", std::string("action"));
  const DataRequestAnswer a = request_my_data(req, email, action, view_catalog(req, lang));
  if (a.status != 202) return send_api_error(res, a.status, a.error);
  send_json(req, res, 202, nlohmann::json{{"status", "accepted"}}.dump());
}

void Api::get_my_data_page(const httplib::Request& req, httplib::Response& res) {
  std::vector<std::pair<std::string, std::string>> params;
  std::string bad, lang;
  parse_query(req.target, params, bad);
  for (const auto& [name, value] : params)
    if (name == "lang") lang = value;
  set_view_headers(res, options_);
  res.set_header("Cache-Control", "no-cache");
  res.status = 200;
  res.set_content(render_my_data_form(view_catalog(req, lang), "", DataAction::copy, "", false), kHtmlType);
}

void Api::post_my_data_form(const httplib::Request& req, httplib::Response& res) {
  set_view_headers(res, options_);
  res.set_header("Cache-Control", "no-store");
  std::vector<std::pair<std::string, std::string>> params;
  std::string bad, email, lang, action_text;
  parse_params(req.body, params, bad);
  for (const auto& [name, value] : params) {
    if (name == "email") email = value;
    else if (name == "action") action_text = value;
    else if (name == "lang") lang = value;
  }
  const Catalog& catalog = view_catalog(req, lang);
  DataAction action = DataAction::copy;
  if (!origin_allowed(req)) {
    res.status = 403;
    res.set_content(render_message_page(catalog, tr(catalog, "error.forbidden")), kHtmlType);
    return;
  }
  if (!parse_data_action(action_text, action) || !utf8_valid(email)) {
    res.status = 400;
    res.set_content(render_my_data_form(catalog, "", action, my_data_text(catalog, "bad_email"), true), kHtmlType);
    return;
  }
  const DataRequestAnswer a = request_my_data(req, email, action, catalog);
  res.status = a.status;
  if (a.error.retry_after) res.set_header("Retry-After", std::to_string(*a.error.retry_after));
  const bool sent = a.status == 202;
  res.set_content(render_my_data_form(catalog, sent ? "" : email, action,
                                      sent ? my_data_text(catalog, "sent") : answer_text(catalog, a.error), !sent),
                  kHtmlType);
}

namespace {

// The link's token and language, from the query (GET) or the form (POST).
void link_params(std::string_view text, std::string& token, std::string& lang) {
  std::vector<std::pair<std::string, std::string>> params;
  std::string bad;
  parse_params(text, params, bad);
  for (const auto& [name, value] : params) {
    if (name == "t") token = value;
    else if (name == "lang") lang = value;
  }
}

}  // namespace

void Api::get_my_data_link(const httplib::Request& req, httplib::Response& res) {
  std::string token, lang;
  const size_t q = req.target.find('?');
  if (q != std::string::npos) link_params(std::string_view(req.target).substr(q + 1), token, lang);
  const Catalog& catalog = view_catalog(req, lang);
  set_view_headers(res, options_);
  res.set_header("Cache-Control", "no-store");
  res.set_header("Referrer-Policy", "no-referrer");  // the token stays on this page
  DataLink link;
  const LinkCheck check = read_data_link(salt_, token, now_ms() / 1000, link);
  if (check != LinkCheck::ok) {
    res.status = check == LinkCheck::expired ? 410 : 400;
    res.set_content(render_my_data_result(catalog,
                                          my_data_text(catalog, check == LinkCheck::expired ? "link_expired" : "link_invalid"),
                                          {}, true),
                    kHtmlType);
    return;
  }
  std::vector<CommentRow> rows;
  if (storage_.list_by_email(link.email, rows) != DbResult::ok) return storage_failure(res);
  res.status = 200;
  res.set_content(render_my_data_confirm(catalog, link.action, link.email, (int64_t)rows.size(), token), kHtmlType);
}

void Api::post_my_data_link(const httplib::Request& req, httplib::Response& res) {
  std::string token, lang;
  link_params(req.body, token, lang);
  const Catalog& catalog = view_catalog(req, lang);
  set_view_headers(res, options_);
  res.set_header("Cache-Control", "no-store");
  auto refuse = [&](int status, const char* key) {
    res.status = status;
    res.set_content(render_my_data_result(catalog, my_data_text(catalog, key), {}, true), kHtmlType);
  };
  if (!origin_allowed(req)) return refuse(403, "link_invalid");
  DataLink link;
  const LinkCheck check = read_data_link(salt_, token, now_ms() / 1000, link);
  if (check == LinkCheck::expired) return refuse(410, "link_expired");
  if (check != LinkCheck::ok) return refuse(400, "link_invalid");
  // The copy is read before the link is spent: a failed read leaves it usable.
  std::vector<CommentRow> rows;
  if (link.action == DataAction::copy && storage_.list_by_email(link.email, rows) != DbResult::ok)
    return refuse(503, "server_error");
  switch (storage_.claim_link(data_link_hash(token), link.expires_at * 1000, now_ms())) {
    case DbResult::ok: break;
    case DbResult::not_found: return refuse(410, "link_used");
    case DbResult::error: return refuse(503, "server_error");
  }

  if (link.action == DataAction::copy) {
    // Causerie's export format (docs/api.md): a header without the install salt,
    // the threads commented in, the comments.
    std::string out = nlohmann::json{{"causerie_export", kExportVersion},
                                     {"exported_at", format_rfc3339(now_ms() / 1000)},
                                     {"email", link.email}}
                          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                      "\n";
    std::set<std::string> keys;
    for (const CommentRow& r : rows) keys.insert(r.thread_key);
    for (const std::string& key : keys) {
      ThreadRow t;
      if (storage_.find_thread(key, t) == DbResult::ok) out += export_thread_line(t) + "\n";
    }
    for (const CommentRow& r : rows) out += export_comment_line(StoredComment{r, {}, {}, {}}) + "\n";
    res.status = 200;
    res.set_header("Content-Disposition", "attachment; filename=\"comments.jsonl\"");
    res.set_content(out, "application/jsonl; charset=utf-8");
    return;
  }
  if (!erase_author(link.email, rows)) return refuse(503, "server_error");
  std::vector<std::string> items;
  for (const CommentRow& r : rows) {
    ThreadRow t;
    const std::string place =
        storage_.find_thread(r.thread_key, t) == DbResult::ok && !t.title.empty() ? t.title : r.thread_key;
    items.push_back(fill_text(fill_text(my_data_text(catalog, "erased_item"), "thread", place), "date",
                              format_absolute_date(catalog, r.created_at / 1000, 0) + " UTC"));
  }
  res.status = 200;
  res.set_content(render_my_data_result(catalog,
                                        fill_text(fill_text(my_data_text(catalog, "erased"), "comments",
                                                            comment_count(catalog, (int64_t)rows.size())),
                                                  "email", link.email),
                                        items, false),
                  kHtmlType);
}

}  // namespace causerie::server
