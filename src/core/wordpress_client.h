#pragma once
// The API client for a WordPress site: the same sans-I/O interface as
// CauserieClient, speaking the site's own REST API (WordPress 4.7 and later), so a
// WordPress owner runs nothing new.
//
//   WordPressClient client({"https://example.org/wp-json", 1234});
//   HttpRequest req = client.load_first_page();   // GET /wp/v2/comments?post=1234...
//
// Reading: GET /wp/v2/comments?post=ID&per_page=100&page=N&orderby=date_gmt&order=asc,
// paged by X-WP-TotalPages; the flat list keeps `parent` ids (build_thread makes
// the tree). Bodies are WordPress's rendered HTML (ThreadState::body_format html).
// The post (/wp/v2/posts/ID, then /wp/v2/pages/ID) gives the title, the link and
// whether comments are open.
//
// Posting: POST /wp/v2/comments as an anonymous visitor, which WordPress refuses
// unless the site enables the `rest_allow_anonymous_comments` filter
// (docs/wordpress.md). Editing and deleting need an authenticated WordPress user:
// not supported here (edit_comment/delete_comment answer nullopt).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api_client.h"
#include "core/codec.h"
#include "core/model.h"

namespace causerie {

struct WordPressClientConfig {
  std::string api_root;  // the site's REST root, e.g. "https://example.org/wp-json"
  int64_t post_id = 0;   // the post (or page) whose comments these are
  std::string title;     // the article's title when the page knows it; else read from WordPress
  int page_size = 100;   // 1-100 (WordPress refuses more)
};

class WordPressClient final : public ApiClient {
public:
  explicit WordPressClient(WordPressClientConfig config);

  HttpRequest load_first_page() override;
  std::optional<HttpRequest> load_next_page() override;
  std::optional<HttpRequest> load_thread_info() override;
  HttpRequest post_comment(const NewComment& comment) override;
  // WordPress lets only authenticated users edit or delete: not supported.
  std::optional<HttpRequest> edit_comment(CommentId, std::string_view) override { return std::nullopt; }
  std::optional<HttpRequest> delete_comment(CommentId) override { return std::nullopt; }
  ClientResult on_response(const HttpRequest& request, const HttpResponse& response) override;
  const ThreadState& thread() const override { return state_; }
  bool can_edit(CommentId, UnixSeconds) const override { return false; }

  const WordPressClientConfig& config() const { return config_; }

private:
  HttpRequest make_page_request(int page) const;
  void apply_page(ClientResult& result, const HttpRequest& request, const HttpResponse& response);
  void apply_posted(ClientResult& result, const HttpResponse& response);
  void apply_thread_info(ClientResult& result, const HttpResponse& response);

  WordPressClientConfig config_;
  ThreadState state_;
  int loaded_pages_ = 0;     // pages 1..loaded_pages_ are in state_
  bool more_pages_ = false;  // X-WP-TotalPages says there are more
  // Where the post's details come from: "posts", then "pages" when the id is a page's.
  const char* info_path_ = "posts";
  bool info_done_ = false;
  bool info_in_flight_ = false;
};

// A post id from data-thread: a positive decimal number, nothing else.
bool parse_wordpress_post_id(std::string_view text, int64_t& out);

// One comment object of /wp/v2/comments (view or edit context) into the model, and
// a whole listing (a JSON array). Strict on the members the model needs, tolerant
// of everything else; `out` is untouched on failure.
bool decode_wordpress_comment(std::string_view json, Comment& out, DecodeError& err);
bool decode_wordpress_comments(std::string_view json, std::vector<Comment>& out, DecodeError& err);

// The avatar seed of a WordPress author: the e-mail hash of its Gravatar URL when
// WordPress gave one (the same person then gets the same colour everywhere), else
// a hash of name and URL. Lower-case hex.
std::string wordpress_avatar_seed(std::string_view name, std::string_view url, std::string_view avatar_url);

// A non-2xx WordPress answer ({"code", "message", "data": {"status", "params"}})
// into the widget's error kinds and field errors. `request_body` is the JSON that
// was posted: WordPress's rest_comment_author_data_required does not say which of
// name and e-mail was missing.
ClientError wordpress_error_from_response(const HttpResponse& response, std::string_view request_body = {});

// WordPress's default flood interval (the `comment_flood_filter` of wp_throttle_comment_flood).
constexpr int64_t kWordPressFloodSeconds = 15;

}  // namespace causerie
