// The site's owners told of each new comment (owner_alerts.h): the e-mails and the
// webhook call queued in the outbox, the e-mailed approve/spam link's confirmation
// page and its POST, and the webhook's delivery log for the owner.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "core/rfc3339.h"
#include "core/url.h"
#include "server/api.h"
#include "server/api_helpers.h"
#include "server/clock.h"
#include "server/crypto.h"
#include "server/html_view.h"
#include "server/http_util.h"
#include "server/outbox.h"
#include "server/owner_alerts.h"

namespace causerie::server {

void Api::alert_owners(const CommentRow& row) {
  if (!outbox_ || (options_.owner_emails.empty() && !outbox_->calls_webhook())) return;
  ThreadRow thread;
  if (storage_.find_thread(row.thread_key, thread) != DbResult::ok) thread.key = row.thread_key;
  // The article when the thread knows it, else this server's own page of the thread.
  const std::string anchor = "#comment-" + std::to_string(row.id);
  const std::string comment_link =
      !thread.url.empty() ? thread.url + anchor
                          : options_.public_url + "/api/v1/threads/" + percent_encode(thread.key) + "/comments.html" +
                                anchor;
  const int64_t now_s = now_ms() / 1000;
  bool queued = true;
  if (outbox_->calls_webhook()) queued = outbox_->webhook(webhook_comment_json(row, thread, comment_link, now_s));
  const Catalog& catalog = catalog_for(options_.owner_lang);
  for (const std::string& owner : options_.owner_emails) {
    // Links of their own per owner: one owner's click does not spend another's.
    auto link = [&](CommentStatus status) {
      ModerationLink l;
      l.comment_id = row.id;
      l.status = status;
      l.expires_at = now_s + kModerationLinkLifetimeSeconds;
      l.nonce = random_hex(16);
      return options_.public_url + kModerationLinkPath + "?lang=" + catalog.language +
             "&t=" + sign_moderation_link(salt_, l);
    };
    const OwnerMail m = owner_alert_mail(catalog, row, thread, comment_link, link(CommentStatus::published),
                                         link(CommentStatus::spam));
    queued = outbox_->mail(owner, m.subject, m.text) && queued;
  }
  // The comment is stored either way; the owner finds it in moderation/pending.
  if (!queued) std::fprintf(stderr, "causerie-server: comment %lld: an owner alert could not be queued\n", (long long)row.id);
}

namespace {

void link_form_params(std::string_view text, std::string& token, std::string& lang) {
  std::vector<std::pair<std::string, std::string>> params;
  std::string bad;
  parse_params(text, params, bad);
  for (const auto& [name, value] : params) {
    if (name == "t") token = value;
    else if (name == "lang") lang = value;
  }
}

}  // namespace

// GET: the page only; it changes nothing (mail scanners open links).
void Api::get_moderation_link(const httplib::Request& req, httplib::Response& res) {
  std::string token, lang;
  const size_t q = req.target.find('?');
  if (q != std::string::npos) link_form_params(std::string_view(req.target).substr(q + 1), token, lang);
  const Catalog& catalog = view_catalog(req, lang.empty() ? options_.owner_lang : lang);
  set_view_headers(res, options_);
  res.set_header("Cache-Control", "no-store");
  res.set_header("Referrer-Policy", "no-referrer");
  const std::string title = owner_alert_text(catalog, "title");
  auto refuse = [&](int status, const char* key) {
    res.status = status;
    res.set_content(render_link_result(catalog, title, owner_alert_text(catalog, key), true), kHtmlType);
  };
  ModerationLink link;
  const LinkCheck check = read_moderation_link(salt_, token, now_ms() / 1000, link);
  if (check == LinkCheck::expired) return refuse(410, "link_expired");
  if (check != LinkCheck::ok) return refuse(400, "link_invalid");
  CommentRow row;
  const DbResult found = storage_.get_comment(link.comment_id, row);
  if (found == DbResult::not_found || (found == DbResult::ok && row.status == CommentStatus::deleted))
    return refuse(404, "gone");
  if (found != DbResult::ok) return refuse(503, "server_error");
  const bool approve = link.status == CommentStatus::published;
  res.status = 200;
  res.set_content(render_link_confirm(catalog, title,
                                      fill_text(owner_alert_text(catalog, approve ? "confirm_approve" : "confirm_spam"),
                                                "name", row.author_name),
                                      row.body, kModerationLinkPath, token,
                                      owner_alert_text(catalog, approve ? "approve_button" : "spam_button")),
                  kHtmlType);
}

void Api::post_moderation_link(const httplib::Request& req, httplib::Response& res) {
  std::string token, lang;
  link_form_params(req.body, token, lang);
  const Catalog& catalog = view_catalog(req, lang.empty() ? options_.owner_lang : lang);
  set_view_headers(res, options_);
  res.set_header("Cache-Control", "no-store");
  const std::string title = owner_alert_text(catalog, "title");
  auto answer = [&](int status, const char* key) {
    res.status = status;
    res.set_content(render_link_result(catalog, title, owner_alert_text(catalog, key), status != 200), kHtmlType);
  };
  if (!origin_allowed(req)) return answer(403, "link_invalid");
  ModerationLink link;
  const LinkCheck check = read_moderation_link(salt_, token, now_ms() / 1000, link);
  if (check == LinkCheck::expired) return answer(410, "link_expired");
  if (check != LinkCheck::ok) return answer(400, "link_invalid");
  CommentRow row;
  const DbResult found = storage_.get_comment(link.comment_id, row);
  if (found == DbResult::not_found || (found == DbResult::ok && row.status == CommentStatus::deleted))
    return answer(404, "gone");
  if (found != DbResult::ok) return answer(503, "server_error");
  switch (storage_.claim_link(data_link_hash(token), link.expires_at * 1000, now_ms())) {
    case DbResult::ok: break;
    case DbResult::not_found: return answer(410, "link_used");
    case DbResult::error: return answer(503, "server_error");
  }
  const DbResult r = comments_.set_status(link.comment_id, link.status, now_ms());
  if (r == DbResult::not_found) return answer(404, "gone");
  if (r != DbResult::ok) return answer(503, "server_error");
  answer(200, link.status == CommentStatus::published ? "approved" : "spammed");
}

// The webhook's delivery log, newest first: GET moderation/deliveries[?limit=&before=].
void Api::get_deliveries(const httplib::Request& req, httplib::Response& res) {
  if (!check_admin(req, res)) return;
  std::vector<std::pair<std::string, std::string>> params;
  std::string bad;
  if (!parse_query(req.target, params, bad)) return send_error(res, 400, "invalid_parameter", "bad query escape", bad);
  int64_t limit = 50, before = 0;
  for (const auto& [name, value] : params) {
    int64_t n = 0;
    if ((name == "limit" || name == "before") && (value.size() > 15 || !parse_positive_int(value, n)))
      return send_error(res, 400, "invalid_parameter", name + " is a positive integer", name);
    if (name == "limit") limit = std::min<int64_t>(n, 200);
    if (name == "before") before = n;
  }
  std::vector<OutboxRow> rows;
  if (storage_.list_outbox("webhook", (int)limit, before, rows) != DbResult::ok) return storage_failure(res);
  nlohmann::json list = nlohmann::json::array();
  for (const OutboxRow& r : rows) {
    nlohmann::json d = {{"id", r.id},
                        {"url", r.recipient},
                        {"created_at", format_rfc3339(r.created_at / 1000)},
                        {"attempts", r.attempts},
                        {"status", r.delivered_at ? "delivered" : "waiting"},
                        {"delivered_at", r.delivered_at ? nlohmann::json(format_rfc3339(r.delivered_at / 1000))
                                                        : nlohmann::json(nullptr)},
                        {"next_attempt_at", r.delivered_at ? nlohmann::json(nullptr)
                                                           : nlohmann::json(format_rfc3339(r.next_attempt_at / 1000))},
                        {"last_error", r.last_error},
                        {"body", nlohmann::json::parse(r.body, nullptr, false)}};
    list.push_back(std::move(d));
  }
  nlohmann::json out = {{"deliveries", list}};
  if ((int64_t)rows.size() == limit && !rows.empty()) out["next_before"] = rows.back().id;
  send_json(req, res, 200, out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace causerie::server
