#pragma once
// What the JSON routes (api.cpp) and the no-JavaScript routes (api_html.cpp) share:
// error answers, the model of stored rows, query parsing and opaque cursors.
#include <string_view>
#include <utility>

#include "core/codec.h"  // ApiError, Comment, ThreadInfo
#include "core/i18n.h"
#include "server/api.h"  // httplib's Request and Response, the storage's rows

namespace causerie::server {

inline constexpr int kMaxPageSize = 200;

// The one JSON error shape (docs/api.md), never cached.
void send_error(httplib::Response& res, int status, const char* code, std::string message,
                std::optional<std::string> field = std::nullopt, std::optional<int64_t> retry_after = std::nullopt);
void send_api_error(httplib::Response& res, int status, const ApiError& e);
void internal_error(httplib::Response& res);

// Stored rows as the API shows them (a deleted comment keeps only its place).
Comment to_model(const CommentRow& r, bool with_thread = false);
ThreadInfo to_model(const ThreadRow& t);

// "a=1&b=2" (a query string or an x-www-form-urlencoded body), each name and
// value percent-decoded exactly once; on a bad escape, false and the name.
bool parse_params(std::string_view query, std::vector<std::pair<std::string, std::string>>& out, std::string& bad_name);
bool parse_query(const std::string& target, std::vector<std::pair<std::string, std::string>>& out,
                 std::string& bad_name);
// 1 .. 2^53-1 in decimal, nothing else.
bool parse_positive_int(const std::string& s, int64_t& out);

// Cursors are opaque to clients and signed under `key` (cursor_key of the install
// salt): `tag` binds one to the listing and sort it came from, `scope` to the
// thread (empty for the moderation queue). decode_cursor refuses any other.
std::string cursor_key(std::string_view install_salt);
std::string encode_cursor(std::string_view key, char tag, std::string_view scope, const PageCursor& c);
bool decode_cursor(std::string_view key, const std::string& text, char tag, std::string_view scope, PageCursor& out);
inline constexpr const char* kBadCursor = "cursor not issued by this server for this thread and sort";

// The no-JavaScript pages (api_html.cpp, api_my_data.cpp): the reader's language
// (?lang= or the form's, else Accept-Language, else English) and the headers every
// page carries (its Content-Security-Policy among them).
const Catalog& view_catalog(const httplib::Request& req, const std::string& lang);
void set_view_headers(httplib::Response& res, const Options& options);
inline constexpr const char* kHtmlType = "text/html; charset=utf-8";

bool etag_matches(const httplib::Request& req, const std::string& etag);

}  // namespace causerie::server
