// What an export's records become in Causerie, before any storage: thread keys
// from article URLs, bodies from the source's HTML.
#include <cctype>
#include <cstring>

#include "core/html.h"
#include "core/markdown_writer.h"
#include "core/validation.h"
#include "server/importer.h"

namespace causerie::server {

bool parse_prefix_rewrite(const std::string& arg, PrefixRewrite& out) {
  const size_t eq = arg.rfind('=');
  if (eq == std::string::npos || eq == 0) return false;
  out.from = arg.substr(0, eq);
  out.to = arg.substr(eq + 1);
  return true;
}

std::string thread_key_for(const std::string& url, const std::vector<PrefixRewrite>& rewrites) {
  // Neither rewrites nor paths keep a query or a fragment after what they matched:
  // links to one article with tracking parameters are one thread.
  for (const PrefixRewrite& r : rewrites)
    if (url.compare(0, r.from.size(), r.from) == 0) {
      const std::string rest = url.substr(r.from.size());
      return r.to + rest.substr(0, rest.find_first_of("?#"));
    }
  // What location.pathname gives for that URL.
  size_t start = 0;
  const size_t scheme = url.find("://");
  if (scheme != std::string::npos) {
    start = url.find('/', scheme + 3);
    if (start == std::string::npos) return "/";
  }
  const size_t end = url.find_first_of("?#", start);
  std::string path = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  return path.empty() ? "/" : path;
}

namespace {

bool starts_with_tag(const std::string& s, size_t i, const char* tag) {
  const size_t n = std::strlen(tag);
  if (s.size() < i + n) return false;
  for (size_t k = 0; k < n; ++k)
    if (std::tolower((unsigned char)s[i + k]) != tag[k]) return false;
  return true;
}

// What WordPress's wpautop does on display, reduced to what the HTML parser needs:
// blank lines end paragraphs and other newlines break lines, except inside <pre>
// and next to a tag (a newline after "<blockquote>" is layout, not a break).
std::string wordpress_paragraphs(const std::string& raw) {
  std::string out = "<p>";
  bool in_pre = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '<') {
      if (starts_with_tag(raw, i, "<pre")) in_pre = true;
      else if (starts_with_tag(raw, i, "</pre")) in_pre = false;
    }
    if (c == '\r') continue;
    if (c != '\n' || in_pre) {
      out += c;
      continue;
    }
    size_t j = i, newlines = 0;
    while (j < raw.size() && (raw[j] == '\n' || raw[j] == '\r' || raw[j] == ' ' || raw[j] == '\t'))
      newlines += raw[j++] == '\n';
    const bool by_tag = (!out.empty() && out.back() == '>') || (j < raw.size() && raw[j] == '<');
    if (newlines >= 2) out += "</p>\n<p>";
    else out += by_tag ? "\n" : "<br>\n";
    i = j - 1;
  }
  out += "</p>";
  return out;
}

}  // namespace

std::string body_as_markdown(const std::string& body, SourceText text) {
  const Document doc = parse_html(text == SourceText::wordpress ? wordpress_paragraphs(body) : body);
  return normalize_body(to_markdown(doc));
}

}  // namespace causerie::server
