#include "server/atom_feed.h"

#include <map>

#include "core/html_render.h"
#include "core/markdown.h"
#include "core/richtext.h"
#include "core/rfc3339.h"

namespace causerie::server {

std::string xml_text(std::string_view text) {
  // sanitize_text leaves well-formed UTF-8 without C0 (but tab and \n), DEL or C1.
  const std::string clean = sanitize_text(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (size_t i = 0; i < clean.size(); ++i) {
    const char ch = clean[i];
    // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are not XML characters.
    if ((unsigned char)ch == 0xEF && i + 2 < clean.size() && (unsigned char)clean[i + 1] == 0xBF &&
        ((unsigned char)clean[i + 2] == 0xBE || (unsigned char)clean[i + 2] == 0xBF)) {
      i += 2;
      continue;
    }
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch; break;
    }
  }
  return out;
}

namespace {

std::string atom_date(int64_t ms) { return format_rfc3339(ms / 1000); }

void element(std::string& out, const char* indent, const char* name, std::string_view text) {
  out += indent;
  out += '<';
  out += name;
  out += '>';
  out += xml_text(text);
  out += "</";
  out += name;
  out += ">\n";
}

void link(std::string& out, const char* indent, const char* rel, std::string_view href, const char* type = nullptr) {
  out += indent;
  out += "<link rel=\"";
  out += rel;
  out += '"';
  if (type) {
    out += " type=\"";
    out += type;
    out += '"';
  }
  out += " href=\"" + xml_text(href) + "\"/>\n";
}

}  // namespace

std::string render_atom(const AtomFeed& feed) {
  std::string out;
  out.reserve(1024 + feed.entries.size() * 1500);
  out += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"";
  out += xml_text(feed.language);
  out += "\">\n";
  element(out, "  ", "id", feed.id);
  element(out, "  ", "title", feed.title);
  element(out, "  ", "updated", atom_date(feed.updated_ms));
  link(out, "  ", "self", feed.self_url, "application/atom+xml");
  if (!feed.alternate_url.empty()) link(out, "  ", "alternate", feed.alternate_url, "text/html");
  out += "  <generator>Causerie</generator>\n";
  for (const FeedEntry& e : feed.entries) {
    out += "  <entry>\n";
    element(out, "    ", "id", e.id);
    element(out, "    ", "title", e.title);
    element(out, "    ", "published", atom_date(e.published_ms));
    element(out, "    ", "updated", atom_date(e.updated_ms));
    link(out, "    ", "alternate", e.link, "text/html");
    out += "    <author>\n";
    element(out, "      ", "name", e.author_name);
    if (!e.author_url.empty()) element(out, "      ", "uri", e.author_url);
    out += "    </author>\n";
    Document body = parse_markdown(e.body);
    apply_typography(body);
    out += "    <content type=\"html\">";
    out += xml_text(render_html(body));
    out += "</content>\n  </entry>\n";
  }
  out += "</feed>\n";
  return out;
}

std::string feed_text(const Catalog& catalog, std::string_view key) {
  struct Text {
    const char* en;
    const char* fr;
  };
  static const std::map<std::string_view, Text> texts = {
      {"thread_title", {"Comments on “{title}”", "Commentaires sur « {title} »"}},
      {"thread_untitled", {"Comments", "Commentaires"}},
      {"site_title", {"Latest comments", "Derniers commentaires"}},
      {"entry_title", {"{name} on “{title}”", "{name} sur « {title} »"}},
      {"entry_untitled", {"{name}", "{name}"}},
      {"subscribe", {"Follow these comments (Atom feed)", "Suivre ces commentaires (flux Atom)"}},
  };
  const auto it = texts.find(key);
  if (it == texts.end()) return std::string(key);
  return catalog.language == "fr" ? it->second.fr : it->second.en;
}

}  // namespace causerie::server
