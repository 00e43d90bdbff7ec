// The Atom feeds (atom_feed.h): GET threads/{thread}/comments.atom, a thread's
// newest published comments, and GET comments.atom, the site's. Registered in the
// route table of api.cpp; they read what the JSON routes read, through Storage.
#include <httplib.h>

#include <algorithm>
#include <map>

#include "core/rfc3339.h"
#include "core/url.h"
#include "server/api.h"
#include "server/api_helpers.h"
#include "server/atom_feed.h"
#include "server/crypto.h"
#include "server/http_util.h"
#include "server/my_data.h"  // fill_text

namespace causerie::server {

namespace {

// Pages of a thread read at most for one feed: deleted comments share the pages
// with published ones, and a thread of deletions must not cost a scan of it all.
constexpr int kFeedMaxPages = 5;

// "http(s)://host[:port]" readers reach this server at: --public-url, else the
// request's Host (plain host characters only; "localhost" when it has none).
std::string public_base(const httplib::Request& req, const Options& options) {
  if (!options.public_url.empty()) return options.public_url;
  std::string host = req.get_header_value("Host");
  const bool plain = !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
           ch == '-' || ch == ':' || ch == '[' || ch == ']';
  });
  return "http://" + (plain ? lower(host) : std::string("localhost"));
}

// The tag: URI authority (RFC 4151): the base's host name, without port; an
// address in brackets is not a name, so it falls back to "localhost".
std::string tag_authority(const std::string& base) {
  std::string host = base.substr(base.find("://") + 3);
  host = host.substr(0, host.find_first_of(":/"));
  if (host.empty() || host.find('[') != std::string::npos) return "localhost";
  return host;
}

// An entry's id: the server's name, the day the comment was made, its id. It
// stays the same when the comment is edited, moved to another URL or the thread
// renamed.
std::string entry_id(const std::string& authority, const CommentRow& row) {
  return "tag:" + authority + "," + format_rfc3339(row.created_at / 1000).substr(0, 10) + ":causerie/comment/" +
         std::to_string(row.id);
}

// Where a thread's comments are read: the article's URL when the thread has one,
// else this server's page of the thread; without a fragment.
std::string thread_page(const std::string& base, const ThreadRow& t) {
  if (!t.url.empty() && check_http_url(t.url) == UrlCheck::ok) return t.url.substr(0, t.url.find('#'));
  return base + "/api/v1/threads/" + percent_encode(t.key) + "/comments.html";
}

std::string thread_feed_title(const Catalog& catalog, const ThreadRow& t) {
  return t.title.empty() ? feed_text(catalog, "thread_untitled")
                         : fill_text(feed_text(catalog, "thread_title"), "title", t.title);
}

FeedEntry feed_entry(const Catalog& catalog, const std::string& authority, const std::string& base,
                     const ThreadRow& thread, const CommentRow& row) {
  FeedEntry e;
  e.id = entry_id(authority, row);
  e.link = thread_page(base, thread) + "#comment-" + std::to_string(row.id);
  e.title = fill_text(feed_text(catalog, thread.title.empty() ? "entry_untitled" : "entry_title"), "title",
                      thread.title);
  e.title = fill_text(e.title, "name", row.author_name);
  e.author_name = row.author_name;
  if (check_http_url(row.author_url) == UrlCheck::ok) e.author_url = row.author_url;
  e.body = row.body;
  e.published_ms = row.created_at;
  e.updated_ms = std::max(row.created_at, row.edited_at);
  return e;
}

void send_feed(const httplib::Request& req, httplib::Response& res, std::string body) {
  res.status = 200;
  if (body.size() > 1024 && accepts_gzip(req)) {
    res.set_header("Content-Encoding", "gzip");
    body = gzip_compress(body);
  }
  res.set_content(std::move(body), kAtomType);
}

// The query's lang (the feed's words), "" when absent; false on a bad escape.
bool feed_language(const httplib::Request& req, httplib::Response& res, std::string& lang) {
  std::vector<std::pair<std::string, std::string>> params;
  std::string bad;
  if (!parse_query(req.target, params, bad)) {
    send_error(res, 400, "invalid_parameter", "bad query escape", bad);
    return false;
  }
  for (const auto& [name, value] : params)
    if (name == "lang") lang = value;
  return true;
}

void set_feed_headers(httplib::Response& res, const Options& options, const std::string& etag) {
  set_view_headers(res, options);
  // Feed readers poll: a minute's staleness spares the server, the ETag the bytes.
  res.set_header("Cache-Control", "public, max-age=60");
  res.set_header("ETag", etag);
}

}  // namespace

void Api::get_thread_feed(const httplib::Request& req, httplib::Response& res, const std::string& key) {
  if (!check_rate(req, res, options_.rate_read, "read")) return;
  std::string lang;
  if (!feed_language(req, res, lang)) return;
  const Catalog& catalog = view_catalog(req, lang);
  const std::string base = public_base(req, options_);

  // Revalidation needs only the thread's version: one small query.
  ThreadRow thread;
  const DbResult found = storage_.find_thread(key, thread);
  if (found == DbResult::error) return storage_failure(res);
  const auto make_etag = [&](int64_t version) {
    return "\"" +
           sha256_hex("atom1\n" + key + '\n' + std::to_string(version) + '\n' + catalog.language + '\n' + base)
               .substr(0, 32) +
           "\"";
  };
  if (etag_matches(req, make_etag(thread.version))) {
    set_feed_headers(res, options_, make_etag(thread.version));
    res.status = 304;
    return;
  }

  PageQuery q;
  q.thread_key = key;
  q.sort = SortOrder::newest;
  q.limit = kMaxPageSize;
  std::vector<CommentRow> rows;
  ThreadRow listed;
  listed.key = key;
  for (int pages = 0; pages < kFeedMaxPages && rows.size() < (size_t)kFeedEntries; ++pages) {
    PageResult page;
    const DbResult r = storage_.list_comments(q, listed, page);
    if (r == DbResult::error) return storage_failure(res);
    if (r == DbResult::not_found) break;
    for (CommentRow& row : page.comments)
      if (row.status == CommentStatus::published && rows.size() < (size_t)kFeedEntries) rows.push_back(std::move(row));
    if (!page.next) break;
    q.after = page.next;
  }

  AtomFeed feed;
  feed.language = catalog.language;
  feed.self_url = base + "/api/v1/threads/" + percent_encode(key) + "/comments.atom";
  feed.id = feed.self_url;
  feed.title = thread_feed_title(catalog, listed);
  feed.alternate_url = thread_page(base, listed);
  feed.updated_ms = listed.created_at;
  const std::string authority = tag_authority(base);
  for (const CommentRow& row : rows) {
    feed.entries.push_back(feed_entry(catalog, authority, base, listed, row));
    feed.updated_ms = std::max(feed.updated_ms, feed.entries.back().updated_ms);
  }
  set_feed_headers(res, options_, make_etag(listed.version));
  send_feed(req, res, render_atom(feed));
}

void Api::get_site_feed(const httplib::Request& req, httplib::Response& res) {
  if (!check_rate(req, res, options_.rate_read, "read")) return;
  std::string lang;
  if (!feed_language(req, res, lang)) return;
  const Catalog& catalog = view_catalog(req, lang);
  const std::string base = public_base(req, options_);

  std::vector<CommentRow> rows;
  if (storage_.list_latest_published(kFeedEntries, rows) != DbResult::ok) return storage_failure(res);
  std::map<std::string, ThreadRow> threads;
  AtomFeed feed;
  feed.language = catalog.language;
  feed.self_url = base + "/api/v1/comments.atom";
  feed.id = feed.self_url;
  feed.title = feed_text(catalog, "site_title");
  const std::string authority = tag_authority(base);
  for (const CommentRow& row : rows) {
    auto it = threads.find(row.thread_key);
    if (it == threads.end()) {
      ThreadRow t;
      if (storage_.find_thread(row.thread_key, t) == DbResult::error) return storage_failure(res);
      it = threads.emplace(row.thread_key, std::move(t)).first;
    }
    feed.entries.push_back(feed_entry(catalog, authority, base, it->second, row));
    feed.updated_ms = std::max(feed.updated_ms, feed.entries.back().updated_ms);
  }
  // No site-wide version to tag: the tag is the answer's own hash (what it shows
  // changes with every thread, and a 304 still spares the bytes).
  std::string body = render_atom(feed);
  const std::string etag = "\"" + sha256_hex("atom1\n" + body).substr(0, 32) + "\"";
  set_feed_headers(res, options_, etag);
  if (etag_matches(req, etag)) {
    res.status = 304;
    return;
  }
  send_feed(req, res, std::move(body));
}

}  // namespace causerie::server
