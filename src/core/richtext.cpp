#include "core/richtext.h"

#include "core/utf8.h"

namespace causerie {

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string sanitize_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      if (c == '\r') {
        out += '\n';
        if (i < s.size() && s[i] == '\n') ++i;
      } else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F)) {
        out += static_cast<char>(c);
      }
      continue;
    }
    const size_t start = i;
    const char32_t cp = utf8_next(s, i);
    if (cp >= 0x80 && cp <= 0x9F) continue;  // C1 controls
    if (cp == 0xFFFD && i - start != 3) {
      out += "\xEF\xBF\xBD";
      continue;
    }
    out.append(s.substr(start, i - start));
  }
  return out;
}

void append_span(std::vector<Span>& spans, std::string_view text, uint8_t style, std::string_view href) {
  if (text.empty()) return;
  if (!spans.empty()) {
    Span& last = spans.back();
    if (last.style == style && last.href == href) {
      last.text.append(text);
      return;
    }
  }
  Span span;
  span.text.assign(text);
  span.style = style;
  span.href.assign(href);
  spans.push_back(std::move(span));
}

void append_line_break(std::vector<Span>& spans) {
  if (spans.empty()) spans.emplace_back();
  spans.back().text += '\n';
}

namespace {
constexpr std::string_view kOpeningGuillemet = "\xC2\xAB";
constexpr std::string_view kClosingGuillemet = "\xC2\xBB";
constexpr std::string_view kNoBreakSpace = "\xC2\xA0";            // U+00A0
constexpr std::string_view kNarrowNoBreakSpace = "\xE2\x80\xAF";  // U+202F

// What a space between `before` and `after` becomes: itself, or a no-break space.
std::string_view french_space(std::string_view before, std::string_view after) {
  if (before.ends_with(kOpeningGuillemet) || after.starts_with(kClosingGuillemet) || after.starts_with(':'))
    return kNoBreakSpace;
  if (after.starts_with(';') || after.starts_with('!') || after.starts_with('?')) return kNarrowNoBreakSpace;
  return " ";
}

void apply_french_spacing(std::vector<Span>& spans) {
  // A neighbour span's text, when the space sits at an edge of its own ("«" then "*mot*").
  auto prose = [&](size_t k) -> std::string_view {
    return k < spans.size() && !(spans[k].style & kStyleCode) ? std::string_view(spans[k].text) : std::string_view();
  };
  for (size_t s = 0; s < spans.size(); ++s) {
    if ((spans[s].style & kStyleCode) || spans[s].text.find(' ') == std::string::npos) continue;
    const std::string_view text = spans[s].text;
    std::string out;
    out.reserve(text.size() + 8);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != ' ') {
        out += text[i];
        continue;
      }
      out += french_space(i > 0 ? text.substr(0, i) : prose(s - 1),
                          i + 1 < text.size() ? text.substr(i + 1) : prose(s + 1));
    }
    spans[s].text = std::move(out);
  }
}

void apply_typography(std::vector<Block>& blocks) {
  for (Block& block : blocks) {
    apply_french_spacing(block.spans);
    apply_typography(block.children);
    for (std::vector<Block>& item : block.items) apply_typography(item);
  }
}
}  // namespace

void apply_typography(Document& doc) { apply_typography(doc.blocks); }

static bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool is_safe_link(std::string_view url) {
  if (url.empty() || url.size() > 4096 || !utf8_valid(url)) return false;
  for (char ch : url) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '`') return false;
  }
  std::string_view rest;
  if (starts_with_nocase(url, "https://")) rest = url.substr(8);
  else if (starts_with_nocase(url, "http://")) rest = url.substr(7);
  else if (starts_with_nocase(url, "mailto:")) return url.size() > 7;
  else return false;
  // A host must follow the scheme: "https://" alone or "https:///x" is not a link.
  return !rest.empty() && rest[0] != '/' && rest[0] != '?' && rest[0] != '#' && rest[0] != ':' && rest[0] != '@';
}

static void flatten_into(const std::vector<Block>& blocks, int quote_depth, int list_depth, std::string marker,
                         std::vector<FlatBlock>& out) {
  for (const Block& block : blocks) {
    switch (block.kind) {
      case BlockKind::Paragraph:
      case BlockKind::CodeBlock:
        out.push_back({&block, quote_depth, list_depth, std::move(marker)});
        marker.clear();
        break;
      case BlockKind::Quote:
        flatten_into(block.children, quote_depth + 1, list_depth, std::move(marker), out);
        marker.clear();
        break;
      case BlockKind::List: {
        int number = block.start;
        for (const std::vector<Block>& item : block.items) {
          std::string item_marker = block.ordered ? std::to_string(number++) + "." : "\xE2\x80\xA2";
          const size_t before = out.size();
          flatten_into(item, quote_depth, list_depth + 1, item_marker, out);
          // An empty item still shows its marker.
          if (out.size() == before) {
            static const Block empty_paragraph;
            out.push_back({&empty_paragraph, quote_depth, list_depth + 1, std::move(item_marker)});
          }
        }
        marker.clear();
        break;
      }
    }
  }
}

std::vector<FlatBlock> flatten(const Document& doc) {
  std::vector<FlatBlock> out;
  flatten_into(doc.blocks, 0, 0, std::string(), out);
  return out;
}

std::string to_plain_text(const Document& doc) {
  std::string out;
  int previous_list_depth = 0;
  for (const FlatBlock& flat : flatten(doc)) {
    // Consecutive list items read as lines; other blocks as paragraphs.
    if (!out.empty()) out += !flat.marker.empty() && previous_list_depth > 0 ? "\n" : "\n\n";
    previous_list_depth = flat.list_depth;
    for (int i = 1; i < flat.list_depth; ++i) out += "  ";
    if (!flat.marker.empty()) {
      out += flat.marker;
      out += ' ';
    }
    if (flat.block->kind == BlockKind::CodeBlock) {
      out += flat.block->code;
      continue;
    }
    for (const Span& span : flat.block->spans) out += span.text;
  }
  return out;
}

size_t text_size(const Document& doc) {
  size_t n = 0;
  for (const FlatBlock& flat : flatten(doc)) {
    n += flat.block->code.size();
    for (const Span& span : flat.block->spans) n += span.text.size();
  }
  return n;
}

}  // namespace causerie
