#include "core/html_render.h"

namespace causerie {

namespace {

void append_escaped_clean(std::string& out, std::string_view clean) {
  for (char ch : clean) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch; break;
    }
  }
}

// Span text: '\n' is the model's line break.
void append_span_text(std::string& out, std::string_view text) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    append_html_escaped(out, text.substr(start, nl - start));
    if (nl == text.size()) break;
    out += "<br>";
    start = nl + 1;
  }
}

void append_spans(std::string& out, const std::vector<Span>& spans) {
  for (const Span& span : spans) {
    // Parsers only produce safe links; checked again because this is the last
    // step before markup.
    const bool link = !span.href.empty() && is_safe_link(span.href);
    if (link) {
      out += "<a href=\"";
      append_html_escaped(out, span.href);
      out += "\" rel=\"nofollow ugc noopener\">";
    }
    if (span.style & kStyleStrong) out += "<strong>";
    if (span.style & kStyleEmphasis) out += "<em>";
    if (span.style & kStyleCode) out += "<code>";
    append_span_text(out, span.text);
    if (span.style & kStyleCode) out += "</code>";
    if (span.style & kStyleEmphasis) out += "</em>";
    if (span.style & kStyleStrong) out += "</strong>";
    if (link) out += "</a>";
  }
}

// Recursion is bounded: the parsers cap nesting at kMaxBlockDepth. Each paragraph
// of readers' text (p, li) takes its direction from its own first strong character
// (dir="auto"), as one comment may hold an Arabic paragraph and a French one.
void append_blocks(std::string& out, const std::vector<Block>& blocks) {
  for (const Block& block : blocks) {
    switch (block.kind) {
      case BlockKind::Paragraph:
        out += "<p dir=\"auto\">";
        append_spans(out, block.spans);
        out += "</p>\n";
        break;
      case BlockKind::CodeBlock:
        out += "<pre><code>";
        append_html_escaped(out, block.code);
        out += "</code></pre>\n";
        break;
      case BlockKind::Quote:
        out += "<blockquote>\n";
        append_blocks(out, block.children);
        out += "</blockquote>\n";
        break;
      case BlockKind::List:
        if (block.ordered) {
          out += block.start == 1 ? "<ol>\n" : "<ol start=\"" + std::to_string(block.start) + "\">\n";
        } else {
          out += "<ul>\n";
        }
        for (const std::vector<Block>& item : block.items) {
          out += "<li dir=\"auto\">";
          // A one-paragraph item is its text, as browsers lay out "tight" lists.
          if (item.size() == 1 && item[0].kind == BlockKind::Paragraph) {
            append_spans(out, item[0].spans);
          } else {
            out += '\n';
            append_blocks(out, item);
          }
          out += "</li>\n";
        }
        out += block.ordered ? "</ol>\n" : "</ul>\n";
        break;
    }
  }
}

}  // namespace

void append_html_escaped(std::string& out, std::string_view text) {
  // The model's text is already clean; anything else (names, titles, form values
  // echoed back) is cleaned here. The fast path avoids the copy.
  bool clean = true;
  for (unsigned char c : text) {
    if (c >= 0x80 || (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      clean = false;
      break;
    }
  }
  if (clean) return append_escaped_clean(out, text);
  append_escaped_clean(out, sanitize_text(text));
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  append_html_escaped(out, text);
  return out;
}

std::string render_html(const Document& doc) {
  std::string out;
  append_blocks(out, doc.blocks);
  return out;
}

}  // namespace causerie
