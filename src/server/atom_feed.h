#pragma once
// Atom feeds (RFC 4287) of published comments: a thread's and the whole site's,
// newest first. The routes (api_feed.cpp) load the rows and decide the URLs; this
// file only writes XML, and every piece of text goes through xml_text: escaped,
// with what XML 1.0 forbids (C0 controls but tab and newline, U+FFFE, U+FFFF,
// invalid UTF-8) dropped or replaced. A comment's body is never its raw text as
// markup: it is parsed into the rich-text model and rendered by core's
// render_html (escaped text in a small set of elements), then escaped whole into
// a content element of type "html".
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/i18n.h"

namespace causerie::server {

inline constexpr const char* kAtomType = "application/atom+xml; charset=utf-8";
inline constexpr int kFeedEntries = 50;

struct FeedEntry {
  std::string id;    // an IRI that never changes (a tag: URI)
  std::string link;  // where the comment is read: its thread's page, at #comment-<id>
  std::string title;
  std::string author_name;
  std::string author_url;  // empty: none (never an e-mail address)
  std::string body;        // the comment's stored Markdown-lite
  int64_t published_ms = 0, updated_ms = 0;
};

struct AtomFeed {
  std::string language;  // xml:lang
  std::string id, title;
  std::string self_url;       // this feed
  std::string alternate_url;  // the page the comments are on
  int64_t updated_ms = 0;
  std::vector<FeedEntry> entries;  // newest first
};

std::string render_atom(const AtomFeed& feed);

// Text made safe for XML 1.0 character data and double-quoted attributes.
std::string xml_text(std::string_view text);

// The feeds' words (and their links' on the HTML view), French or English by the
// catalog's language, English otherwise.
std::string feed_text(const Catalog& catalog, std::string_view key);

}  // namespace causerie::server
