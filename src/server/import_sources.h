#pragma once
// Readers of other systems' exports (WordPress's WXR, Disqus's XML), streamed
// through expat: each thread and comment is handed to the sink as soon as its
// element ends, so memory does not grow with the file. What they produce is the
// source's own view (its ids, its HTML, its statuses); importer.h decides what
// becomes of it in Causerie.
#include <cstdint>
#include <cstdio>
#include <string>

#include "core/model.h"

namespace causerie::server {

// How a body is written in the source.
enum class SourceText {
  wordpress,  // WordPress's comment_content: HTML whose blank lines are paragraphs
              // and single newlines line breaks (WordPress adds <p>/<br> on display)
  html,       // HTML as shown (Disqus)
};

struct SourceThread {
  std::string id;   // the source's id (WordPress post id, Disqus dsq:id)
  std::string url;  // the article's URL
  std::string title;
  int64_t line = 0;
};

struct SourceComment {
  std::string id;
  std::string thread_id;  // SourceThread::id
  std::string parent_id;  // "" at top level
  std::string author_name, author_email, author_url;
  std::string body;
  SourceText text = SourceText::html;
  int64_t created_at = 0;  // seconds since 1970, UTC
  CommentStatus status = CommentStatus::published;
  std::string skip_as;  // non-empty: not a comment ("pingback", "trackback")
  std::string problem;  // non-empty: the item is malformed, and why
  int64_t line = 0;     // where it starts in the file
};

class SourceSink {
public:
  // The origin every id of this file belongs to ("wordpress https://blog.example",
  // "disqus"): imported comments remember it with their id.
  virtual void origin(const std::string& origin) = 0;
  virtual void thread(const SourceThread& t) = 0;
  virtual void comment(SourceComment& c) = 0;

protected:
  ~SourceSink() = default;
};

// False with `error` (line and reason) when the file is not well-formed XML or not
// an export of that kind; what was handed to the sink before then stays handed.
bool read_wordpress(std::FILE* in, SourceSink& sink, std::string& error);
bool read_disqus(std::FILE* in, SourceSink& sink, std::string& error);

}  // namespace causerie::server
