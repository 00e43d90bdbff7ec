#include "server/import_sources.h"

#include <expat.h>

#include <string_view>

#include "core/rfc3339.h"

namespace causerie::server {

namespace {

constexpr char kNsSeparator = '|';
constexpr std::string_view kDisqusInternals = "http://disqus.com/disqus-internals";

// One expat parser fed from a FILE in chunks; the subclass sees elements by
// (namespace, local name) and the text of each leaf element at its end.
class XmlStream {
public:
  XmlStream() : parser_(XML_ParserCreateNS("UTF-8", kNsSeparator)) {
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &XmlStream::on_start, &XmlStream::on_end);
    XML_SetCharacterDataHandler(parser_, &XmlStream::on_text);
  }
  virtual ~XmlStream() { XML_ParserFree(parser_); }
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  bool run(std::FILE* in, std::string& error) {
    char buffer[64 * 1024];
    for (;;) {
      const size_t n = std::fread(buffer, 1, sizeof buffer, in);
      const bool last = n < sizeof buffer;
      if (XML_Parse(parser_, buffer, (int)n, last) != XML_STATUS_OK) {
        error = "line " + std::to_string(XML_GetCurrentLineNumber(parser_)) + ": " +
                (failure_.empty() ? XML_ErrorString(XML_GetErrorCode(parser_)) : failure_);
        return false;
      }
      if (last) break;
    }
    if (std::ferror(in)) {
      error = "read error";
      return false;
    }
    if (!saw_root_) {
      error = "empty document";
      return false;
    }
    return true;
  }

protected:
  virtual void start(std::string_view ns, std::string_view name, const XML_Char** attrs) = 0;
  virtual void end(std::string_view ns, std::string_view name, std::string& text) = 0;
  int64_t line() const { return (int64_t)XML_GetCurrentLineNumber(parser_); }
  int depth() const { return depth_; }
  // Stops the parse: the file is not what this reader reads.
  void fail(std::string why) {
    failure_ = std::move(why);
    XML_StopParser(parser_, XML_FALSE);
  }
  static std::string_view attribute(const XML_Char** attrs, std::string_view ns, std::string_view name) {
    for (size_t k = 0; attrs[k]; k += 2) {
      std::string_view a_ns, a_name;
      split(attrs[k], a_ns, a_name);
      if (a_ns == ns && a_name == name) return attrs[k + 1];
    }
    return {};
  }

private:
  static void split(std::string_view qualified, std::string_view& ns, std::string_view& name) {
    const size_t bar = qualified.find(kNsSeparator);
    if (bar == std::string_view::npos) {
      ns = {};
      name = qualified;
    } else {
      ns = qualified.substr(0, bar);
      name = qualified.substr(bar + 1);
    }
  }
  static void on_start(void* self_ptr, const XML_Char* qualified, const XML_Char** attrs) {
    auto* self = static_cast<XmlStream*>(self_ptr);
    std::string_view ns, name;
    split(qualified, ns, name);
    self->saw_root_ = true;
    ++self->depth_;
    self->text_.clear();
    self->start(ns, name, attrs);
  }
  static void on_end(void* self_ptr, const XML_Char* qualified) {
    auto* self = static_cast<XmlStream*>(self_ptr);
    std::string_view ns, name;
    split(qualified, ns, name);
    self->end(ns, name, self->text_);
    self->text_.clear();
    --self->depth_;
  }
  static void on_text(void* self_ptr, const XML_Char* s, int len) {
    static_cast<XmlStream*>(self_ptr)->text_.append(s, (size_t)len);
  }

  XML_Parser parser_;
  std::string text_;
  std::string failure_;
  int depth_ = 0;
  bool saw_root_ = false;
};

std::string trimmed(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return {};
  return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

// WordPress's "2020-01-31 18:04:05" (UTC for the _gmt field).
bool parse_wordpress_date(const std::string& s, int64_t& out) {
  if (s.size() != 19 || s[10] != ' ') return false;
  std::string rfc = s;
  rfc[10] = 'T';
  rfc += 'Z';
  return parse_rfc3339(rfc, out);
}

// WXR 1.0, 1.1 and 1.2 differ in their namespace's version only.
bool is_wordpress_ns(std::string_view ns) { return ns.rfind("http://wordpress.org/export/", 0) == 0; }

class WordPressReader final : public XmlStream {
public:
  explicit WordPressReader(SourceSink& sink) : sink_(sink) {}

private:
  void start(std::string_view ns, std::string_view name, const XML_Char**) override {
    if (depth() == 1 && !(ns.empty() && name == "rss"))
      fail("not a WordPress export (WXR): the root element is not <rss>");
    if (ns.empty() && name == "item") {
      in_item_ = true;
      thread_ = {};
      thread_.line = line();
    } else if (in_item_ && is_wordpress_ns(ns) && name == "comment") {
      in_comment_ = true;
      comment_ = {};
      comment_.text = SourceText::wordpress;
      comment_.line = line();
      date_gmt_.clear();
      date_local_.clear();
      approved_.clear();
      if (!thread_sent_) send_thread();
    } else if (in_comment_ && is_wordpress_ns(ns) && name == "commentmeta") {
      in_meta_ = true;
    }
  }

  void end(std::string_view ns, std::string_view name, std::string& text) override {
    const bool wp = is_wordpress_ns(ns);
    if (in_meta_) {
      if (wp && name == "commentmeta") in_meta_ = false;
      return;
    }
    if (in_comment_) {
      if (!wp) return;
      if (name == "comment_id") comment_.id = trimmed(text);
      else if (name == "comment_author") comment_.author_name.swap(text);
      else if (name == "comment_author_email") comment_.author_email = trimmed(text);
      else if (name == "comment_author_url") comment_.author_url = trimmed(text);
      else if (name == "comment_date_gmt") date_gmt_ = trimmed(text);
      else if (name == "comment_date") date_local_ = trimmed(text);
      else if (name == "comment_content") comment_.body.swap(text);
      else if (name == "comment_approved") approved_ = trimmed(text);
      else if (name == "comment_type") {
        const std::string type = trimmed(text);
        if (type == "pingback" || type == "trackback") comment_.skip_as = type;
      } else if (name == "comment_parent") {
        comment_.parent_id = trimmed(text);
        if (comment_.parent_id == "0") comment_.parent_id.clear();
      } else if (name == "comment") {
        finish_comment();
        in_comment_ = false;
      }
      return;
    }
    if (in_item_) {
      if (ns.empty() && name == "title") thread_.title = trimmed(text);
      else if (ns.empty() && name == "link") thread_.url = trimmed(text);
      else if (wp && name == "post_id") thread_.id = trimmed(text);
      else if (ns.empty() && name == "item") {
        in_item_ = false;
        thread_sent_ = false;
      }
      return;
    }
    if (wp && name == "base_site_url" && !origin_sent_) {
      sink_.origin("wordpress " + trimmed(text));
      origin_sent_ = true;
    }
  }

  void send_thread() {
    if (!origin_sent_) {
      sink_.origin("wordpress");
      origin_sent_ = true;
    }
    sink_.thread(thread_);
    thread_sent_ = true;
  }

  void finish_comment() {
    comment_.thread_id = thread_.id;
    if (comment_.id.empty()) comment_.problem = "no comment_id";
    else if (thread_.id.empty()) comment_.problem = "its post has no post_id";
    // comment_date_gmt is 0000-00-00 for comments WordPress never dated in UTC:
    // the site's local time is then the best there is.
    else if (!parse_wordpress_date(date_gmt_, comment_.created_at) &&
             !parse_wordpress_date(date_local_, comment_.created_at))
      comment_.problem = "no valid comment_date_gmt or comment_date (\"" + date_gmt_ + "\")";
    else if (approved_ == "1") comment_.status = CommentStatus::published;
    else if (approved_ == "0") comment_.status = CommentStatus::pending;
    else if (approved_ == "spam") comment_.status = CommentStatus::spam;
    else if (approved_ == "trash" || approved_ == "post-trashed") comment_.status = CommentStatus::deleted;
    else comment_.problem = "unknown comment_approved \"" + approved_ + "\"";
    sink_.comment(comment_);
  }

  SourceSink& sink_;
  SourceThread thread_;
  SourceComment comment_;
  std::string date_gmt_, date_local_, approved_;
  bool in_item_ = false, in_comment_ = false, in_meta_ = false;
  bool thread_sent_ = false, origin_sent_ = false;
};

bool is_true(const std::string& s) { return trimmed(s) == "true"; }

class DisqusReader final : public XmlStream {
public:
  explicit DisqusReader(SourceSink& sink) : sink_(sink) {}

private:
  // Depth 2 holds the records (category, thread, post); 3 their fields; 4 the author's.
  void start(std::string_view ns, std::string_view name, const XML_Char** attrs) override {
    if (depth() == 1) {
      if (name != "disqus") fail("not a Disqus export: the root element is not <disqus>");
      sink_.origin("disqus");
      return;
    }
    if (depth() == 2) {
      record_ = name == "thread" ? Record::thread : name == "post" ? Record::post : Record::other;
      const std::string id(attribute(attrs, kDisqusInternals, "id"));
      if (record_ == Record::thread) {
        thread_ = {};
        thread_.id = id;
        thread_.line = line();
      } else if (record_ == Record::post) {
        post_ = {};
        post_.id = id;
        post_.line = line();
        post_.text = SourceText::html;
        created_.clear();
        deleted_ = spam_ = false;
      }
      return;
    }
    if (depth() == 3 && record_ == Record::post) {
      if (name == "thread") post_.thread_id = attribute(attrs, kDisqusInternals, "id");
      else if (name == "parent") post_.parent_id = attribute(attrs, kDisqusInternals, "id");
      in_author_ = name == "author";
    } else if (depth() == 3) {
      in_author_ = name == "author";
    }
    (void)ns;
  }

  void end(std::string_view, std::string_view name, std::string& text) override {
    if (depth() == 2) {
      if (record_ == Record::thread) sink_.thread(thread_);
      else if (record_ == Record::post) finish_post();
      record_ = Record::other;
      return;
    }
    if (depth() == 4 && in_author_ && record_ == Record::post) {
      if (name == "name") post_.author_name.swap(text);
      else if (name == "email") post_.author_email = trimmed(text);
      else if (name == "link") post_.author_url = trimmed(text);
      return;
    }
    if (depth() != 3) return;
    if (name == "author") in_author_ = false;
    if (record_ == Record::thread) {
      if (name == "link") thread_.url = trimmed(text);
      else if (name == "title") thread_.title = trimmed(text);
    } else if (record_ == Record::post) {
      if (name == "message") post_.body.swap(text);
      else if (name == "createdAt") created_ = trimmed(text);
      else if (name == "isDeleted") deleted_ = is_true(text);
      else if (name == "isSpam") spam_ = is_true(text);
    }
  }

  void finish_post() {
    if (post_.id.empty()) post_.problem = "no dsq:id";
    else if (post_.thread_id.empty()) post_.problem = "no <thread dsq:id>";
    else if (!parse_rfc3339(created_, post_.created_at)) post_.problem = "no valid createdAt (\"" + created_ + "\")";
    post_.status = deleted_ ? CommentStatus::deleted : spam_ ? CommentStatus::spam : CommentStatus::published;
    sink_.comment(post_);
  }

  enum class Record { other, thread, post };
  SourceSink& sink_;
  Record record_ = Record::other;
  SourceThread thread_;
  SourceComment post_;
  std::string created_;
  bool deleted_ = false, spam_ = false, in_author_ = false;
};

}  // namespace

bool read_wordpress(std::FILE* in, SourceSink& sink, std::string& error) {
  WordPressReader reader(sink);
  return reader.run(in, error);
}

bool read_disqus(std::FILE* in, SourceSink& sink, std::string& error) {
  DisqusReader reader(sink);
  return reader.run(in, error);
}

}  // namespace causerie::server
