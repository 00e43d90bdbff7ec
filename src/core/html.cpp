#include "core/html.h"

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "core/html_entities.h"

namespace causerie {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  c = to_lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// What a numeric reference stands for, following the HTML rules: NUL, surrogates and
// out-of-range values are U+FFFD, 0x80-0x9F are read as Windows-1252 (what old editors
// meant), and control characters never reach the model.
char32_t numeric_reference_value(uint32_t value) {
  static constexpr char16_t kWindows1252[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                                0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                                0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                                0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0xFFFD;
  if (value >= 0x80 && value <= 0x9F) {
    const char32_t mapped = kWindows1252[value - 0x80];
    return mapped ? mapped : 0xFFFD;
  }
  if (value == '\r') return '\n';
  if (value == '\f') return ' ';
  if ((value < 0x20 && value != '\t' && value != '\n' && value != '\f') || value == 0x7F) return 0xFFFD;
  return value;
}

// Decodes the reference at s[i] == '&' into out and moves i past it; false (i
// unchanged) when it is not a complete, known reference, which then stays literal.
bool decode_reference(std::string_view s, size_t& i, std::string& out) {
  size_t j = i + 1;
  if (j < s.size() && s[j] == '#') {
    ++j;
    const bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
    if (hex) ++j;
    const size_t digits_start = j;
    uint32_t value = 0;
    bool too_big = false;
    for (; j < s.size(); ++j) {
      const int digit = hex ? hex_value(s[j]) : (is_digit(s[j]) ? s[j] - '0' : -1);
      if (digit < 0) break;
      if (!too_big) value = value * (hex ? 16 : 10) + static_cast<uint32_t>(digit);
      if (value > 0x10FFFF) too_big = true;
    }
    if (j == digits_start || j >= s.size() || s[j] != ';') return false;
    append_utf8(out, too_big ? 0xFFFD : numeric_reference_value(value));
    i = j + 1;
    return true;
  }
  const size_t name_start = j;
  while (j < s.size() && j - name_start <= 32 && is_alnum(s[j])) ++j;
  if (j == name_start || j >= s.size() || s[j] != ';') return false;
  const char32_t cp = lookup_named_entity(s.substr(name_start, j - name_start));
  if (cp == 0) return false;
  append_utf8(out, cp);
  i = j + 1;
  return true;
}

struct Tag {
  std::string name;  // lower case, at most 32 characters kept
  bool end = false;
  bool self_closing = false;
  bool has_href = false;
  std::string href, start, alt;  // raw attribute values (entities not yet decoded)
};

// Parses the tag whose '<' is at s[i]; i ends past its '>'. Returns false when the
// input ends inside the tag (a browser drops such a tag).
bool parse_tag(std::string_view s, size_t& i, Tag& tag) {
  const size_t n = s.size();
  size_t j = i + 1;
  if (j < n && s[j] == '/') {
    tag.end = true;
    ++j;
  }
  while (j < n && !is_space(s[j]) && s[j] != '/' && s[j] != '>') {
    if (tag.name.size() < 32) tag.name += to_lower(s[j]);
    ++j;
  }
  while (true) {
    while (j < n && is_space(s[j])) ++j;
    if (j >= n) {
      i = n;
      return false;
    }
    if (s[j] == '>') {
      i = j + 1;
      return true;
    }
    if (s[j] == '/') {
      ++j;
      if (j < n && s[j] == '>') {
        tag.self_closing = true;
        i = j + 1;
        return true;
      }
      continue;
    }
    const size_t name_start = j;
    while (j < n && !is_space(s[j]) && s[j] != '/' && s[j] != '>' && !(s[j] == '=' && j > name_start)) ++j;
    std::string attr;
    for (size_t k = name_start; k < j && attr.size() < 16; ++k) attr += to_lower(s[k]);
    while (j < n && is_space(s[j])) ++j;
    std::string_view value;
    bool has_value = false;
    if (j < n && s[j] == '=') {
      ++j;
      while (j < n && is_space(s[j])) ++j;
      if (j < n && (s[j] == '"' || s[j] == '\'')) {
        const size_t close = s.find(s[j], j + 1);
        if (close == std::string_view::npos) {
          i = n;
          return false;
        }
        value = s.substr(j + 1, close - j - 1);
        j = close + 1;
      } else {
        const size_t value_start = j;
        while (j < n && !is_space(s[j]) && s[j] != '>') ++j;
        value = s.substr(value_start, j - value_start);
      }
      has_value = true;
    }
    // The first occurrence of an attribute wins, as in browsers.
    if (attr == "href" && !tag.has_href) {
      tag.has_href = true;
      tag.href.assign(value);
    } else if (attr == "start" && tag.start.empty() && has_value) tag.start.assign(value);
    else if (attr == "alt" && tag.alt.empty() && has_value) tag.alt.assign(value);
  }
}

bool equals_any(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view candidate : names)
    if (name == candidate) return true;
  return false;
}

// Elements whose content is raw text up to their end tag: skipped wholesale.
bool is_raw_text_element(std::string_view name) {
  return equals_any(
      name, {"script", "style", "iframe", "noscript", "textarea", "title", "xmp", "noembed", "noframes", "plaintext"});
}

// Elements whose content is markup we do not show at all.
bool is_dropped_element(std::string_view name) {
  return equals_any(
      name, {"template", "object", "svg", "math", "head", "select", "video", "audio", "canvas", "map", "frameset"});
}

// Elements that end a line of text in a browser: they break paragraphs here.
bool is_block_element(std::string_view name) {
  return equals_any(name,
                    {"div",     "h1",      "h2",       "h3",    "h4",      "h5",   "h6",     "hr",         "section",
                     "article", "header",  "footer",   "aside", "nav",     "main", "figure", "figcaption", "table",
                     "thead",   "tbody",   "tfoot",    "tr",    "caption", "dl",   "dt",     "dd",         "address",
                     "details", "summary", "fieldset", "form",  "center",  "body", "html"});
}

// Index just past the end tag `</name ...>` that closes a raw text element started
// at `from`, or the end of input when it is never closed.
size_t skip_raw_text(std::string_view s, size_t from, std::string_view name) {
  const size_t n = s.size();
  for (size_t k = from; k + 1 < n; ++k) {
    if (s[k] != '<' || s[k + 1] != '/') continue;
    size_t m = 0;
    while (m < name.size() && k + 2 + m < n && to_lower(s[k + 2 + m]) == name[m]) ++m;
    if (m != name.size()) continue;
    const size_t after = k + 2 + m;
    if (after < n && !is_space(s[after]) && s[after] != '/' && s[after] != '>') continue;
    const size_t close = s.find('>', after);
    return close == std::string_view::npos ? n : close + 1;
  }
  return n;
}

class Builder {
public:
  Builder() { stack_.push_back({Kind::Root, &doc_.blocks, nullptr}); }

  Document finish() {
    if (in_pre_) end_pre();
    flush_paragraph();
    prune(doc_.blocks);
    return std::move(doc_);
  }

  // Text outside <pre>: entities already decoded; HTML whitespace collapsing here.
  void text(std::string_view t) {
    if (in_pre_) {
      code_.append(t);
      return;
    }
    std::string out;
    char last = para_.empty() ? '\n' : para_.back().text.back();
    for (char c : t) {
      if (is_space(c)) {
        if (last == ' ' || last == '\n') continue;  // no space at line start, none doubled
        c = ' ';
      }
      out += c;
      last = c;
    }
    append_span(para_, out, style(), href_);
  }

  void line_break() {
    if (in_pre_) {
      code_ += '\n';
      return;
    }
    trim_end(" ");
    append_line_break(para_);
  }

  void paragraph_break() {
    if (!in_pre_) flush_paragraph();
  }

  void set_link(std::string href) { href_ = is_safe_link(href) ? std::move(href) : std::string(); }
  void end_link() { href_.clear(); }

  int emphasis = 0, strong = 0, code = 0;

  void begin_pre() {
    if (in_pre_) return;
    flush_paragraph();
    in_pre_ = true;
    code_.clear();
  }
  void end_pre() {
    if (!in_pre_) return;
    in_pre_ = false;
    std::string_view body = code_;
    if (!body.empty() && body.front() == '\n') body.remove_prefix(1);  // as browsers do
    while (!body.empty() && body.back() == '\n') body.remove_suffix(1);
    Block block;
    block.kind = BlockKind::CodeBlock;
    block.code.assign(body);
    if (!block.code.empty()) target().push_back(std::move(block));
    code_.clear();
  }
  bool in_pre() const { return in_pre_; }

  void open_quote() {
    if (in_pre_) return;
    flush_paragraph();
    if (depth() >= kMaxBlockDepth) {
      ++ignored_quotes_;
      return;
    }
    std::vector<Block>& blocks = target();
    blocks.emplace_back();
    blocks.back().kind = BlockKind::Quote;
    stack_.push_back({Kind::Quote, &blocks.back().children, nullptr});
  }
  void close_quote() {
    if (in_pre_) return;
    flush_paragraph();
    if (ignored_quotes_ > 0) {
      --ignored_quotes_;
      return;
    }
    pop_to(Kind::Quote);
  }

  void open_list(bool ordered, int start) {
    if (in_pre_) return;
    flush_paragraph();
    if (depth() >= kMaxBlockDepth) {
      ++ignored_lists_;
      return;
    }
    std::vector<Block>& blocks = target();
    blocks.emplace_back();
    Block& list = blocks.back();
    list.kind = BlockKind::List;
    list.ordered = ordered;
    list.start = start;
    stack_.push_back({Kind::List, nullptr, &list});
  }
  void close_list() {
    if (in_pre_) return;
    flush_paragraph();
    if (ignored_lists_ > 0) {
      --ignored_lists_;
      return;
    }
    pop_to(Kind::List);
  }

  void open_item() {
    if (in_pre_) return;
    flush_paragraph();
    if (stack_.back().kind == Kind::Item) stack_.pop_back();  // <li> closes the previous one
    if (stack_.back().kind != Kind::List) return;             // stray <li>: a line of its own
    Block* list = stack_.back().list;
    list->items.emplace_back();
    stack_.push_back({Kind::Item, &list->items.back(), nullptr});
  }
  void close_item() {
    if (in_pre_) return;
    flush_paragraph();
    if (stack_.back().kind == Kind::Item) stack_.pop_back();
  }

private:
  enum class Kind { Root, Quote, List, Item };
  struct Container {
    Kind kind;
    std::vector<Block>* blocks;  // Root, Quote, Item
    Block* list;                 // List
  };

  uint8_t style() const {
    return static_cast<uint8_t>((emphasis > 0 ? kStyleEmphasis : 0) | (strong > 0 ? kStyleStrong : 0) |
                                (code > 0 ? kStyleCode : 0));
  }

  int depth() const {
    int d = 0;
    for (const Container& c : stack_) d += (c.kind == Kind::Quote || c.kind == Kind::List);
    return d;
  }

  // Where blocks go now. Text directly inside <ul> gets an item of its own.
  std::vector<Block>& target() {
    if (stack_.back().kind == Kind::List) {
      Block* list = stack_.back().list;
      list->items.emplace_back();
      stack_.push_back({Kind::Item, &list->items.back(), nullptr});
    }
    return *stack_.back().blocks;
  }

  void pop_to(Kind kind) {
    for (size_t k = stack_.size(); k-- > 1;) {
      if (stack_[k].kind != kind) continue;
      stack_.resize(k);
      return;
    }
  }

  void trim_end(std::string_view characters) {
    while (!para_.empty()) {
      std::string& text = para_.back().text;
      text.erase(text.find_last_not_of(characters) + 1);
      if (!text.empty()) return;
      para_.pop_back();
    }
  }

  void flush_paragraph() {
    // Line breaks at the edges of a paragraph ("<p>a<br /></p>") draw nothing.
    trim_end(" \n");
    size_t first = 0;
    while (first < para_.size()) {
      std::string& text = para_[first].text;
      text.erase(0, text.find_first_not_of('\n'));
      if (!text.empty()) break;
      ++first;
    }
    if (first < para_.size()) {
      Block block;
      block.kind = BlockKind::Paragraph;
      block.spans.assign(std::make_move_iterator(para_.begin() + static_cast<std::ptrdiff_t>(first)),
                         std::make_move_iterator(para_.end()));
      target().push_back(std::move(block));
    }
    para_.clear();
  }

  // Empty quotes and lists (e.g. "<blockquote></blockquote>") draw nothing: drop them.
  static void prune(std::vector<Block>& blocks) {
    std::vector<Block> kept;
    kept.reserve(blocks.size());
    for (Block& block : blocks) {
      if (block.kind == BlockKind::Quote) {
        prune(block.children);
        if (block.children.empty()) continue;
      } else if (block.kind == BlockKind::List) {
        for (std::vector<Block>& item : block.items) prune(item);
        if (block.items.empty()) continue;
      }
      kept.push_back(std::move(block));
    }
    blocks = std::move(kept);
  }

  Document doc_;
  std::vector<Container> stack_;
  std::vector<Span> para_;
  std::string href_;
  bool in_pre_ = false;
  std::string code_;
  int ignored_quotes_ = 0, ignored_lists_ = 0;
};

int parse_start(std::string_view value) {
  size_t k = 0;
  while (k < value.size() && is_space(value[k])) ++k;
  long long n = 0;
  bool any = false;
  for (; k < value.size() && is_digit(value[k]) && n < 1000000000; ++k) {
    n = n * 10 + (value[k] - '0');
    any = true;
  }
  return any ? static_cast<int>(n) : 1;
}

void handle_tag(const Tag& tag, Builder& b) {
  const std::string& name = tag.name;
  if (name == "br") {
    b.line_break();
    return;
  }  // </br> too, as browsers do
  if (name == "pre") {
    tag.end ? b.end_pre() : b.begin_pre();
    return;
  }
  if (name == "img") {
    if (!tag.end && !tag.alt.empty()) b.text(decode_entities(tag.alt));  // WordPress smilies
    return;
  }
  if (b.in_pre()) return;  // inside <pre> only text and line breaks matter
  if (name == "p" || is_block_element(name)) {
    b.paragraph_break();
    return;
  }
  if (name == "td" || name == "th") {
    b.text(" ");
    return;
  }
  if (name == "a") {
    if (tag.end) b.end_link();
    else b.set_link(tag.has_href ? decode_entities(tag.href) : std::string());
    return;
  }
  int* counter = nullptr;
  if (name == "em" || name == "i") counter = &b.emphasis;
  else if (name == "strong" || name == "b") counter = &b.strong;
  else if (name == "code" || name == "kbd" || name == "samp" || name == "tt") counter = &b.code;
  if (counter) {
    // Counting instead of a stack: "<b><i>x</b>y</i>" gives bold-italic x then italic y,
    // like a browser's adoption agency, and cannot be made quadratic.
    if (tag.end) {
      if (*counter > 0) --*counter;
    } else if (!tag.self_closing) ++*counter;
    return;
  }
  if (name == "blockquote") {
    tag.end ? b.close_quote() : b.open_quote();
    return;
  }
  if (name == "ul" || name == "ol") {
    if (tag.end) b.close_list();
    else b.open_list(name == "ol", name == "ol" ? parse_start(tag.start) : 1);
    return;
  }
  if (name == "li") {
    tag.end ? b.close_item() : b.open_item();
    return;
  }
  // Anything else: the tag goes, its text stays.
}

}  // namespace

std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '&' && decode_reference(text, i, out)) continue;
    out += text[i++];
  }
  return out;
}

Document parse_html(std::string_view html) {
  const std::string clean = sanitize_text(html);
  const std::string_view s = clean;
  const size_t n = s.size();
  Builder b;
  std::string dropped;  // element whose whole content is being skipped
  int drop_depth = 0;

  size_t i = 0;
  while (i < n) {
    const size_t lt = s.find('<', i);
    const size_t text_end = lt == std::string_view::npos ? n : lt;
    if (text_end > i && drop_depth == 0) b.text(decode_entities(s.substr(i, text_end - i)));
    i = text_end;
    if (i >= n) break;

    // Markup at s[i] == '<'.
    const char next = i + 1 < n ? s[i + 1] : '\0';
    if (s.substr(i, 4) == "<!--") {
      size_t close = s.find("-->", i + 4);
      if (s.substr(i + 4, 1) == ">") close = i + 2;        // "<!-->"
      else if (s.substr(i + 4, 2) == "->") close = i + 3;  // "<!--->"
      i = close == std::string_view::npos ? n : close + 3;
      continue;
    }
    if (next == '!' || next == '?' || (next == '/' && i + 2 < n && !is_alpha(s[i + 2]))) {
      // Doctype, CDATA, processing instruction, "</>" or "</ x>": bogus comments.
      const size_t close = s.find('>', i + 1);
      i = close == std::string_view::npos ? n : close + 1;
      continue;
    }
    if (!is_alpha(next) && next != '/') {
      if (drop_depth == 0) b.text("<");  // "a < b" is text
      ++i;
      continue;
    }
    Tag tag;
    if (!parse_tag(s, i, tag)) break;  // input ends inside a tag: drop it

    if (!tag.end && is_raw_text_element(tag.name)) {
      i = skip_raw_text(s, i, tag.name);
      continue;
    }
    if (drop_depth > 0) {
      if (tag.name == dropped) {
        if (tag.end) --drop_depth;
        else if (!tag.self_closing) ++drop_depth;
      }
      continue;
    }
    if (!tag.end && !tag.self_closing && is_dropped_element(tag.name)) {
      dropped = tag.name;
      drop_depth = 1;
      continue;
    }
    handle_tag(tag, b);
  }
  return b.finish();
}

}  // namespace causerie
