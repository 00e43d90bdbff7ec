#pragma once
// The routes of docs/api.md over a Storage. Every rule about what a request may do
// (validation from core, moderation mode, rate limits, CORS, tokens) is decided here,
// and what a comment may do in comment_rules.h; storage only keeps data.
#include <string>
#include <vector>

#include "core/validation.h"
#include "server/comment_rules.h"
#include "server/my_data.h"
#include "server/options.h"
#include "server/page_cache.h"
#include "server/rate_limits.h"
#include "server/storage.h"

namespace httplib {
class ContentReader;
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace causerie::server {

class EventHub;
class Outbox;

class Api {
public:
  // `admin_token` empty: the moderation API refuses every request.
  Api(Storage& storage, const Options& options, std::string install_salt, std::string admin_token);

  // Registers /healthz and /api/v1/... on the server, plus the error handler that
  // gives every error (including cpp-httplib's own 404/413) the one JSON shape.
  void install(httplib::Server& server);

  // Live updates (GET .../events): without a hub that route answers 404.
  void set_event_hub(EventHub* hub) { events_ = hub; }
  // Where e-mails and webhook calls go (outbox.h): without one, none are sent.
  void set_outbox(Outbox* outbox) { outbox_ = outbox; }

  // Entry point for every /api/ request, whatever the method. `body`: the unread
  // body of a POST, PUT, PATCH or DELETE, read only once its route is known.
  void dispatch(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* body);

private:
  struct Caller;  // per-request facts: origin, tokens, IP bucket

  // What a route's path names, checked: a thread key, a comment id.
  struct RouteArgs {
    std::string thread;
    int64_t id = 0;
  };
  struct Route {
    const char* method = "GET";
    const char* path = "";  // below /api/v1/, with {thread} and {id}
    void (*handle)(Api&, const httplib::Request&, httplib::Response&, const RouteArgs&) = nullptr;
    bool cross_origin = true;
    bool head = true;
  };
  // The route table (api.cpp): adding a route is one row there, and its handler.
  static const std::vector<Route>& routes();

  void get_thread(const httplib::Request& req, httplib::Response& res, const std::string& key);
  void post_comment(const httplib::Request& req, httplib::Response& res, const std::string& key);
  // The same thread and posting without JavaScript (html_view.h): an HTML page,
  // and a form post answered with 303 back to the article.
  void get_thread_html(const httplib::Request& req, httplib::Response& res, const std::string& key);
  void post_form(const httplib::Request& req, httplib::Response& res, const std::string& key);
  // Atom feeds of published comments (api_feed.cpp, atom_feed.h): a thread's, the site's.
  void get_thread_feed(const httplib::Request& req, httplib::Response& res, const std::string& key);
  void get_site_feed(const httplib::Request& req, httplib::Response& res);
  void patch_comment(const httplib::Request& req, httplib::Response& res, int64_t id);
  void delete_comment(const httplib::Request& req, httplib::Response& res, int64_t id);
  void get_counts(const httplib::Request& req, httplib::Response& res);
  void get_imported(const httplib::Request& req, httplib::Response& res, const std::string& key, int64_t origin_id);
  void get_events(const httplib::Request& req, httplib::Response& res, const std::string& key);
  void get_pending(const httplib::Request& req, httplib::Response& res);
  void moderate(const httplib::Request& req, httplib::Response& res, int64_t id, CommentStatus status);
  // A reader's own data (GDPR articles 15 and 17), by e-mail address.
  void get_author(const httplib::Request& req, httplib::Response& res);
  void forget_author(const httplib::Request& req, httplib::Response& res);
  void put_thread(const httplib::Request& req, httplib::Response& res, const std::string& key);
  // Every comment made with `email` erased (CommentRules::forget_author): the
  // owner's DELETE moderation/authors and a reader's own erasure link. `rows`: what
  // was erased, as it was. False when the storage failed (some may be erased).
  bool erase_author(const std::string& email, std::vector<CommentRow>& rows);

  // A reader's own data (api_my_data.cpp, my_data.h): the request (JSON for the
  // widget, a form and its page without JavaScript), then the e-mailed link's
  // confirmation page and the copy or erasure it confirms.
  struct DataRequestAnswer {
    int status = 202;
    ApiError error;
  };
  DataRequestAnswer request_my_data(const httplib::Request& req, const std::string& email, DataAction action,
                                    const Catalog& catalog);
  void post_my_data(const httplib::Request& req, httplib::Response& res);
  void get_my_data_page(const httplib::Request& req, httplib::Response& res);
  void post_my_data_form(const httplib::Request& req, httplib::Response& res);
  void get_my_data_link(const httplib::Request& req, httplib::Response& res);
  void post_my_data_link(const httplib::Request& req, httplib::Response& res);

  // Owners told of a new comment (api_owner_alerts.cpp, owner_alerts.h): e-mails
  // with signed approve/spam links, the webhook; the links' page and POST; the
  // webhook's delivery log.
  void alert_owners(const CommentRow& row);
  void get_moderation_link(const httplib::Request& req, httplib::Response& res);
  void post_moderation_link(const httplib::Request& req, httplib::Response& res);
  void get_deliveries(const httplib::Request& req, httplib::Response& res);

  // The one path a new comment takes, whatever its encoding (JSON or form):
  // normalisation, validation, moderation status, duplicate and parent checks.
  struct Submission {
    int status = 0;  // 201 published, 202 pending, else the error's status
    ApiError error;
    CommentRow row;
    std::string edit_token;
  };
  Submission submit_comment(const httplib::Request& req, const std::string& key, NewComment c);

  bool origin_allowed(const httplib::Request& req) const;
  // An absolute http(s) URL on this server's origin or an allowed one.
  bool may_redirect_to(const httplib::Request& req, const std::string& url) const;
  void add_cors_headers(const httplib::Request& req, httplib::Response& res) const;
  // False (and a 429 answer) when the caller is over the limit.
  bool check_rate(const httplib::Request& req, httplib::Response& res, const RateLimit& limit, const char* kind);
  // The caller's counter of `kind` ("read", "post", "admin-failure").
  std::string rate_bucket(const httplib::Request& req, const char* kind) const;
  // The counting behind check_rate; 0 when allowed, else seconds to wait.
  int rate_wait(const httplib::Request& req, const RateLimit& limit, const char* kind);
  bool check_admin(const httplib::Request& req, httplib::Response& res);
  // The owner's edit token check for PATCH/DELETE: loads the comment into `row`.
  bool check_edit_token(const httplib::Request& req, httplib::Response& res, int64_t id, CommentRow& row);
  bool check_json_body(const httplib::Request& req, httplib::Response& res);
  // What a failed storage call answers: 503 unavailable with Retry-After while the
  // database refuses writes (locked by another process, disk full), else 500.
  ApiError storage_failure();
  void storage_failure(httplib::Response& res);
  std::string client_ip(const httplib::Request& req) const;
  void send_json(const httplib::Request& req, httplib::Response& res, int status, std::string body);

  Storage& storage_;
  CommentRules comments_;
  RateLimiter rates_;
  EventHub* events_ = nullptr;
  Outbox* outbox_ = nullptr;
  const Options& options_;
  std::string salt_;
  std::string cursor_key_;  // signs the cursors of every listing (api_helpers.h)
  std::string admin_token_hash_;  // SHA-256 of the token: equal length for the constant-time compare
  Limits limits_;

  // Encoded pages of threads read without edit tokens, keyed by thread key, sort,
  // limit and cursor, at most --page-cache bytes.
  PageCache page_cache_;
};

}  // namespace causerie::server
