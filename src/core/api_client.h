#pragma once
// The API client as a sans-I/O state machine. It says which HTTP request to make,
// takes the response (status, headers, bytes) and yields model updates or a typed
// error. It never does I/O itself: the platform (Emscripten fetch in the widget, a
// socket in tests) moves the bytes and hands the response back.
//
//   CauserieClient client({"https://comments.example.org", "/2026/12/un-article"});
//   HttpRequest req = client.load_first_page();
//   ... platform sends req, gets resp ...
//   ClientResult r = client.on_response(req, resp);
//   if (r.ok()) draw(client.thread()); else show(r.error);
//
// ApiClient is the interface the widget talks to; CauserieClient speaks
// docs/api.md, WordPressClient (core/wordpress_client.h) a WordPress site's REST API.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace causerie {

enum class RequestKind {
  load_page,
  post_comment,
  edit_comment,
  delete_comment,
  load_counts,
  load_thread_info,
  ask_my_data,
  find_imported
};

struct HttpHeader {
  std::string name;
  std::string value;
  bool operator==(const HttpHeader&) const = default;
};

struct HttpRequest {
  RequestKind kind = RequestKind::load_page;
  std::string method;  // "GET", "POST", "PATCH", "DELETE"
  std::string url;     // absolute
  std::vector<HttpHeader> headers;
  std::string body;
  CommentId comment_id = 0;  // edit/delete: the comment concerned
  std::string cursor;        // load_page: "" for the first page
  // Value of the first header named `name` (ASCII case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const;
};

struct HttpResponse {
  int status = 0;  // 0: no HTTP answer (network error or timeout)
  bool timed_out = false;
  std::vector<HttpHeader> headers;
  std::string body;
  const std::string* header(std::string_view name) const;
};

enum class ClientErrorKind {
  none,
  network,             // no answer: offline, DNS, CORS refusal, connection reset
  timeout,             // no answer in time
  bad_request,         // 400/405/415: the client sent something the server cannot read
  validation,          // 422 (or 413): `fields` says which field breaks which rule
  rate_limited,        // 429: retry after `retry_after_seconds`
  forbidden,           // 401/403 token errors
  edit_window_closed,  // 403 edit_window_closed
  thread_closed,       // 403 thread_closed
  not_found,           // 404
  duplicate,           // 409
  server_error,        // 5xx, or an unexpected status
  malformed_response,  // a 2xx whose body is not the documented document
};

const char* to_string(ClientErrorKind kind);

struct ClientError {
  ClientErrorKind kind = ClientErrorKind::none;
  int http_status = 0;
  ApiError api;                     // the server's error document, when it sent one
  std::vector<FieldError> fields;   // validation: every {field, code}
  int64_t retry_after_seconds = 0;  // rate_limited / 503
  std::string detail;               // malformed_response: what was wrong (for logs)
};

struct ClientResult {
  RequestKind kind = RequestKind::load_page;
  ClientError error;
  bool not_modified = false;            // load_page answered 304: nothing changed
  std::optional<CommentPage> page;      // load_page
  std::optional<PostedComment> posted;  // post_comment (status pending on 202)
  std::optional<Comment> comment;       // edit_comment / delete_comment
  std::vector<ThreadCount> counts;      // load_counts
  CommentId imported_id = 0;            // find_imported
  bool ok() const { return error.kind == ClientErrorKind::none; }
};

// A comment this reader wrote, with its edit token (kept by the platform in
// localStorage so that pending comments and the edit window survive a reload).
struct OwnedComment {
  CommentId id = 0;
  std::string edit_token;
  UnixSeconds edit_expires_at = 0;
  bool operator==(const OwnedComment&) const = default;
};

// The thread as the client knows it so far: every loaded page merged, and the
// reader's own posts, edits and deletions applied.
struct ThreadState {
  ThreadInfo thread;
  std::vector<Comment> comments;                  // API order (build_thread() makes the tree)
  bool loaded = false;                            // the first page arrived
  bool complete = false;                          // the last page arrived
  BodyFormat body_format = BodyFormat::markdown;  // of every comments[i].body
  // Comments published live (GET .../events) and not shown yet: the reader sees
  // « N nouveaux commentaires » and reveals them (CauserieClient::reveal_arrived).
  std::vector<Comment> arrived;
};

// What one live event did to the thread.
enum class LiveChange {
  none,     // nothing the reader can see (a ping, a deletion of an unknown comment)
  arrived,  // a new comment joined ThreadState::arrived
  changed,  // a comment already shown was edited, deleted or approved in place
  reload,   // the stream cannot resume (reset): read the thread again
};

class ApiClient {
public:
  virtual ~ApiClient() = default;
  virtual HttpRequest load_first_page() = 0;
  virtual std::optional<HttpRequest> load_next_page() = 0;  // nullopt: nothing more to load
  // The article's title and open/closed state, for APIs that keep them apart from
  // the comments (WordPress's post). Call again after each answer: nullopt when
  // there is nothing (more) to ask. Its errors are not fatal to the thread.
  virtual std::optional<HttpRequest> load_thread_info() { return std::nullopt; }
  virtual HttpRequest post_comment(const NewComment& comment) = 0;
  // nullopt when this reader holds no edit token for the comment.
  virtual std::optional<HttpRequest> edit_comment(CommentId id, std::string_view body) = 0;
  virtual std::optional<HttpRequest> delete_comment(CommentId id) = 0;
  // Feeds the answer to `request` back; updates thread() on success.
  virtual ClientResult on_response(const HttpRequest& request, const HttpResponse& response) = 0;
  virtual const ThreadState& thread() const = 0;
  // True when the reader may still edit or delete comment `id` at time `now`.
  virtual bool can_edit(CommentId id, UnixSeconds now) const = 0;
  // Why the reader may not edit comment `id` at `now`: none when they may,
  // edit_window_closed for their own comment past its window, forbidden otherwise.
  ClientErrorKind edit_refusal(CommentId id, UnixSeconds now) const;

  // The reader's edit tokens, for APIs that give them (Causerie's): restored from
  // storage at start, saved after changes. Others hold none.
  virtual void set_owned(std::vector<OwnedComment>) {}
  virtual const std::vector<OwnedComment>& owned() const;

  // Live updates, for APIs that stream them (Causerie's, docs/api.md GET .../events).
  // The stream's URL ("" when there is none) and the position to resume from ("" before
  // the first page, or while a reload is under way).
  virtual std::string events_url() const { return {}; }
  virtual const std::string& live_position() const;
  // Applies one event of the stream; malformed events change nothing.
  virtual LiveChange on_live_event(std::string_view /*event*/, std::string_view /*id*/, std::string_view /*data*/) {
    return LiveChange::none;
  }
  // Moves every arrived comment into the thread; returns their ids.
  virtual std::vector<CommentId> reveal_arrived() { return {}; }

  // A reader's own data, for APIs that offer it (Causerie's POST my-data): a link
  // e-mailed to `email` for a copy (or the erasure) of every comment made with it;
  // the e-mail is in `lang`. The answer is the same whatever the address.
  virtual bool offers_my_data() const { return false; }
  virtual std::optional<HttpRequest> ask_my_data(std::string_view /*email*/, bool /*erase*/,
                                                 std::string_view /*lang*/) const {
    return std::nullopt;
  }
  // The comment imported with the id `old_id` had on the old site (WordPress's
  // #comment-123), for APIs that import; ClientResult::imported_id is the answer.
  virtual std::optional<HttpRequest> find_imported(CommentId /*old_id*/) const { return std::nullopt; }
};

struct CauserieClientConfig {
  std::string base_url;    // the server's origin, e.g. "https://comments.example.org"
  std::string thread_key;  // by default the page path
  SortOrder sort = SortOrder::oldest;
  int page_size = 50;  // 1-200
  // The thread's first page as the embedding page already named it (the loader
  // builds it, with its page size, and may have fetched it): used as given, next
  // pages add their cursor. Empty: built from the fields above.
  std::string first_page_url;
};

class CauserieClient final : public ApiClient {
public:
  explicit CauserieClient(CauserieClientConfig config);

  HttpRequest load_first_page() override;
  std::optional<HttpRequest> load_next_page() override;
  HttpRequest post_comment(const NewComment& comment) override;
  std::optional<HttpRequest> edit_comment(CommentId id, std::string_view body) override;
  std::optional<HttpRequest> delete_comment(CommentId id) override;
  ClientResult on_response(const HttpRequest& request, const HttpResponse& response) override;
  const ThreadState& thread() const override { return state_; }
  bool can_edit(CommentId id, UnixSeconds now) const override;

  // Live updates: the position is the Causerie-Event-Id of the first page, then
  // the id of each event applied; `event` is the event's type, "" for the opening
  // block that only gives a position.
  std::string events_url() const override;
  const std::string& live_position() const override { return live_position_; }
  LiveChange on_live_event(std::string_view event, std::string_view id, std::string_view data) override;
  std::vector<CommentId> reveal_arrived() override;

  bool offers_my_data() const override { return true; }
  std::optional<HttpRequest> ask_my_data(std::string_view email, bool erase, std::string_view lang) const override;
  std::optional<HttpRequest> find_imported(CommentId old_id) const override;

  // GET /api/v1/counts for index pages (at most 100 keys per request).
  HttpRequest load_counts(const std::vector<std::string>& thread_keys) const;

  // The reader's edit tokens: restored from storage at start, saved after changes.
  void set_owned(std::vector<OwnedComment> owned) override { owned_ = std::move(owned); }
  const std::vector<OwnedComment>& owned() const override { return owned_; }

  const CauserieClientConfig& config() const { return config_; }

private:
  HttpRequest make_page_request(const std::string& cursor);
  const OwnedComment* find_owned(CommentId id) const;
  void apply(ClientResult& result, const HttpRequest& request, const HttpResponse& response);
  void upsert(const Comment& c);
  void remove_deleted(CommentId id, const Comment& placeholder);

  CauserieClientConfig config_;
  ThreadState state_;
  std::optional<std::string> next_cursor_;
  std::string first_page_etag_;
  std::vector<OwnedComment> owned_;
  std::string live_position_;
};

// Maps a non-2xx answer (or no answer) to a typed error. Shared by clients.
ClientError error_from_response(const HttpResponse& response);

}  // namespace causerie
