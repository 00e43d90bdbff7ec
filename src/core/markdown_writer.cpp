#include "core/markdown_writer.h"

#include <algorithm>
#include <string_view>

namespace causerie {

namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t k = 0; k < prefix.size(); ++k) {
    char c = s[k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[k]) return false;
  }
  return true;
}

// Text that must read back as itself: the inline markers are escaped, and so are
// what the parser would take for a bare link (the ':' of "http:", the '.' of "www.").
void append_text(std::string& out, std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' || c == '`' || c == '*' || c == '_' || c == '[' || c == ']') {
      out += '\\';
      out += c;
      continue;
    }
    const std::string_view rest = text.substr(i);
    size_t guard = 0;  // the byte to escape, counted from i
    if (starts_with_nocase(rest, "https://")) guard = 5;
    else if (starts_with_nocase(rest, "http://")) guard = 4;
    else if (starts_with_nocase(rest, "mailto:")) guard = 6;
    else if (starts_with_nocase(rest, "www.")) guard = 3;
    if (guard) {
      out.append(rest.substr(0, guard));
      out += '\\';
      i += guard;
      out += text[i];
      continue;
    }
    out += c;
  }
}

// A line that would open a block (quote, list, fence) is escaped at its start.
void escape_line_starts(std::string& line_text) {
  std::string out;
  size_t start = 0;
  while (start <= line_text.size()) {
    const size_t nl = line_text.find('\n', start);
    std::string_view line(line_text.data() + start, (nl == std::string::npos ? line_text.size() : nl) - start);
    size_t k = 0;
    while (k < line.size() && line[k] == ' ') ++k;
    const std::string_view rest = line.substr(k);
    bool escape = false;
    if (!rest.empty() &&
        (rest[0] == '>' || rest[0] == '~' ||
         ((rest[0] == '-' || rest[0] == '+') && (rest.size() == 1 || rest[1] == ' ' || rest[1] == '\t'))))
      escape = true;
    size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    if (digits > 0 && digits < rest.size() && (rest[digits] == '.' || rest[digits] == ')') &&
        (digits + 1 == rest.size() || rest[digits + 1] == ' ' || rest[digits + 1] == '\t')) {
      out.append(line.substr(0, k + digits));
      out += '\\';
      out.append(rest.substr(digits));
    } else {
      out.append(line.substr(0, k));
      if (escape) out += '\\';
      out.append(rest);
    }
    if (nl == std::string::npos) break;
    out += '\n';
    start = nl + 1;
  }
  line_text = std::move(out);
}

std::string code_span(std::string_view text) {
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string ticks(longest + 1, '`');
  const bool pad = !text.empty() && (text.front() == '`' || text.back() == '`' || text.front() == ' ');
  return ticks + (pad ? " " : "") + std::string(text) + (pad ? " " : "") + ticks;
}

void append_destination(std::string& out, std::string_view href) {
  for (char c : href) {
    if (c == '(' || c == ')' || c == '\\' || c == '<' || c == '>') out += '\\';
    out += c;
  }
}

std::string spans_text(const std::vector<Span>& spans) {
  std::string out;
  for (size_t s = 0; s < spans.size(); ++s) {
    const Span& span = spans[s];
    std::string inner;
    if (span.style & kStyleCode) {
      inner = code_span(span.text);
    } else {
      // Emphasis markers must touch the text: white space at the edges goes outside.
      std::string_view text = span.text;
      size_t lead = 0, trail = 0;
      while (lead < text.size() && (text[lead] == ' ' || text[lead] == '\n')) ++lead;
      while (trail < text.size() - lead &&
             (text[text.size() - 1 - trail] == ' ' || text[text.size() - 1 - trail] == '\n'))
        ++trail;
      const std::string_view core = text.substr(lead, text.size() - lead - trail);
      std::string marker;
      if (!core.empty()) {
        if (span.style & kStyleStrong) marker += "**";
        if (span.style & kStyleEmphasis) marker += "*";
      }
      inner.append(text.substr(0, lead));
      inner += marker;
      append_text(inner, core);
      std::string closing(marker.rbegin(), marker.rend());
      inner += closing;
      inner.append(text.substr(text.size() - trail));
    }
    if (!span.href.empty()) {
      out += '[';
      out += inner;
      out += "](";
      append_destination(out, span.href);
      out += ')';
    } else {
      out += inner;
    }
  }
  escape_line_starts(out);
  return out;
}

void write_blocks(const std::vector<Block>& blocks, std::string& out);

// Prefixes every line (the first with `first`, the others with `rest`).
std::string indent_lines(const std::string& text, std::string_view first, std::string_view rest) {
  std::string out;
  size_t start = 0;
  bool is_first = true;
  while (start <= text.size()) {
    const size_t nl = text.find('\n', start);
    const std::string_view line(text.data() + start, (nl == std::string::npos ? text.size() : nl) - start);
    const std::string_view prefix = is_first ? first : rest;
    if (line.empty() && !is_first) {
      // Blank lines inside a quote keep the marker; inside a list item, none.
      std::string_view trimmed = prefix;
      while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
      out.append(trimmed);
    } else {
      out.append(prefix);
      out.append(line);
    }
    is_first = false;
    if (nl == std::string::npos) break;
    out += '\n';
    start = nl + 1;
  }
  return out;
}

void write_block(const Block& block, std::string& out) {
  switch (block.kind) {
    case BlockKind::Paragraph: out += spans_text(block.spans); break;
    case BlockKind::CodeBlock: {
      size_t longest = 0, run = 0;
      for (char c : block.code) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
      }
      const std::string fence(std::max<size_t>(3, longest + 1), '`');
      out += fence + block.info + "\n" + block.code + "\n" + fence;
      break;
    }
    case BlockKind::Quote: {
      std::string inner;
      write_blocks(block.children, inner);
      out += indent_lines(inner, "> ", "> ");
      break;
    }
    case BlockKind::List: {
      int number = block.start;
      for (size_t i = 0; i < block.items.size(); ++i) {
        if (i) out += "\n";
        std::string inner;
        write_blocks(block.items[i], inner);
        const std::string marker = block.ordered ? std::to_string(number++) + ". " : std::string("- ");
        out += indent_lines(inner, marker, std::string(marker.size(), ' '));
      }
      break;
    }
  }
}

void write_blocks(const std::vector<Block>& blocks, std::string& out) {
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (i) out += "\n\n";
    write_block(blocks[i], out);
  }
}

}  // namespace

std::string to_markdown(const Document& doc) {
  std::string out;
  write_blocks(doc.blocks, out);
  return out;
}

}  // namespace causerie
