#include "core/markdown.h"

#include <algorithm>
#include <cstdint>
#include <forward_list>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/html.h"
#include "core/utf8.h"

namespace causerie {

namespace {

using Lines = std::vector<std::string_view>;

constexpr size_t kMaxAutolinkBytes = 2048;

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_punct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

bool is_blank(std::string_view line) {
  for (char c : line)
    if (c != ' ' && c != '\t') return false;
  return true;
}

// Leading indentation in columns (tabs to the next multiple of 4) and its byte length.
int indent_of(std::string_view line, size_t* bytes = nullptr) {
  int columns = 0;
  size_t k = 0;
  for (; k < line.size(); ++k) {
    if (line[k] == ' ') ++columns;
    else if (line[k] == '\t') columns += 4 - columns % 4;
    else break;
  }
  if (bytes) *bytes = k;
  return columns;
}

// Lines rewritten when a container's prefix is taken off in the middle of a tab:
// they live here, as long as the parse (list nodes do not move: the views stay valid).
using LineStore = std::forward_list<std::string>;

// Removes up to `columns` columns of leading whitespace from a line whose first byte
// is at `start_column`. With a store, a tab only partly removed leaves its remaining
// columns as spaces, and tabs left in the indentation become spaces when their tab
// stops would move (the rest no longer starts on one): nested blocks measure
// indentation from the rest's start, as CommonMark measures it from the line's.
std::string_view strip_columns(std::string_view line, int columns, LineStore* store = nullptr, int start_column = 0) {
  int column = start_column;
  size_t k = 0;
  while (k < line.size() && column - start_column < columns) {
    if (line[k] == ' ') ++column;
    else if (line[k] == '\t') column += 4 - column % 4;
    else break;
    ++k;
  }
  if (!store) return line.substr(k);
  const int left_of_tab = std::max(0, column - start_column - columns);
  size_t text = k;
  int text_column = column;
  bool tabs = false;
  for (; text < line.size() && (line[text] == ' ' || line[text] == '\t'); ++text) {
    tabs |= line[text] == '\t';
    text_column += line[text] == '\t' ? 4 - text_column % 4 : 1;
  }
  if (left_of_tab == 0 && (!tabs || column % 4 == 0)) return line.substr(k);
  std::string& rewritten = store->emplace_front(static_cast<size_t>(left_of_tab + text_column - column), ' ');
  rewritten.append(line.substr(text));
  return rewritten;
}

std::string_view trim_left(std::string_view s) {
  size_t k = 0;
  while (k < s.size() && (s[k] == ' ' || s[k] == '\t')) ++k;
  return s.substr(k);
}

std::string_view trim_right(std::string_view s) {
  size_t k = s.size();
  while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t')) --k;
  return s.substr(0, k);
}

// A character reference (&amp; &#35; &#x22;) at s[i] as CommonMark reads them: its
// length, and its text appended to out; 0 when there is none.
size_t entity_at(std::string_view s, size_t i, std::string& out) {
  size_t k = i + 1;
  size_t max_digits = 0;
  if (k < s.size() && s[k] == '#') {
    ++k;
    const bool hex = k < s.size() && (s[k] == 'x' || s[k] == 'X');
    k += hex;
    max_digits = hex ? 6 : 7;
  }
  const size_t first = k;
  const size_t cap = max_digits ? max_digits : 32;  // the longest entity name has 31 letters
  while (k < s.size() && k - first < cap + 1 && is_ascii_alnum(s[k])) ++k;
  if (k == first || k - first > cap || k >= s.size() || s[k] != ';') return 0;
  const std::string_view reference = s.substr(i, k + 1 - i);
  std::string text = decode_entities(reference);
  if (text == reference) return 0;  // unknown name, or letters where digits belong
  if (text == std::string_view("\0", 1)) text = "\xEF\xBF\xBD";
  for (char& c : text)
    if (c == '\t') c = ' ';  // span text holds no control character but '\n'
  out += text;
  return reference.size();
}

// Backslash escapes and character references of link destinations and info strings.
std::string unescape(std::string_view s) {
  std::string out;
  for (size_t k = 0; k < s.size();) {
    if (s[k] == '\\' && k + 1 < s.size() && is_ascii_punct(s[k + 1])) {
      out += s[k + 1];
      k += 2;
    } else if (const size_t length = s[k] == '&' ? entity_at(s, k, out) : 0) {
      k += length;
    } else {
      out += s[k++];
    }
  }
  return out;
}

// A link target as cmark writes it: bytes a URL may not hold (space, quotes, '<',
// '\\', '`', '[', non-ASCII...) percent-encoded, existing %XX left alone.
std::string normalize_href(std::string_view url) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : url) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (is_ascii_alnum(ch) ||
        (c < 0x80 && std::string_view("-_.+!*'(),%#@?=;:/$~&").find(ch) != std::string_view::npos)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

struct Fence {
  char ch = 0;
  size_t length = 0;
  int indent = 0;
  std::string_view info;
};

bool fence_open(std::string_view line, Fence& fence) {
  size_t k = 0;
  const int indent = indent_of(line, &k);
  if (indent > 3 || k >= line.size() || (line[k] != '`' && line[k] != '~')) return false;
  const char ch = line[k];
  size_t length = 0;
  while (k + length < line.size() && line[k + length] == ch) ++length;
  if (length < 3) return false;
  const std::string_view info = trim_right(trim_left(line.substr(k + length)));
  if (ch == '`' && info.find('`') != std::string_view::npos) return false;
  fence = {ch, length, indent, info};
  return true;
}

bool fence_close(std::string_view line, const Fence& fence) {
  size_t k = 0;
  if (indent_of(line, &k) > 3) return false;
  size_t length = 0;
  while (k + length < line.size() && line[k + length] == fence.ch) ++length;
  return length >= fence.length && is_blank(line.substr(k + length));
}

// "> text" -> "text" (one optional space, or a column of a tab, after '>').
bool quote_marker(std::string_view line, std::string_view& rest, LineStore* store = nullptr) {
  size_t k = 0;
  const int indent = indent_of(line, &k);
  if (indent > 3 || k >= line.size() || line[k] != '>') return false;
  ++k;
  const bool space = k < line.size() && (line[k] == ' ' || line[k] == '\t');
  rest = strip_columns(line.substr(k), space ? 1 : 0, store, indent + 1);
  return true;
}

struct ListMarker {
  bool ordered = false;
  char delimiter = 0;  // '-', '*', '+' or, ordered, '.' or ')'
  int start = 1;
  int content_indent = 0;  // columns from the line start to the item's text
  std::string_view content;
};

bool list_marker(std::string_view line, ListMarker& m, LineStore* store = nullptr) {
  size_t k = 0;
  const int indent = indent_of(line, &k);
  if (indent > 3 || k >= line.size()) return false;
  size_t marker_end = k;
  if (line[k] == '-' || line[k] == '*' || line[k] == '+') {
    m.ordered = false;
    m.delimiter = line[k];
    marker_end = k + 1;
  } else {
    long number = 0;
    size_t d = k;
    while (d < line.size() && is_digit(line[d]) && d - k < 9) number = number * 10 + (line[d++] - '0');
    if (d == k || d >= line.size() || (line[d] != '.' && line[d] != ')')) return false;
    m.ordered = true;
    m.delimiter = line[d];
    m.start = static_cast<int>(number);
    marker_end = d + 1;
  }
  if (marker_end < line.size() && line[marker_end] != ' ' && line[marker_end] != '\t') return false;
  const int marker_columns = indent + static_cast<int>(marker_end - k);
  const std::string_view after = line.substr(marker_end);
  if (is_blank(after)) {
    m.content_indent = marker_columns + 1;
    m.content = std::string_view();
    return true;
  }
  int spaces = 0;  // columns of white space after the marker, tabs by their stops
  for (size_t b = 0; b < after.size() && (after[b] == ' ' || after[b] == '\t'); ++b)
    spaces += after[b] == '\t' ? 4 - (marker_columns + spaces) % 4 : 1;
  if (spaces > 4) spaces = 1;  // the item starts with indented code
  m.content_indent = marker_columns + spaces;
  m.content = strip_columns(after, spaces, store, marker_columns);
  return true;
}

// ---------------------------------------------------------------------------------
// Inlines: a CommonMark-style delimiter algorithm, kept linear (openers_bottom,
// precomputed code-span closers and link parentheses, ranges applied by prefix sums).

// Unicode whitespace and punctuation, as far as emphasis flanking needs them.
bool is_unicode_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\v' || c == 0xA0 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}
bool is_unicode_punct(char32_t c) {
  if (c < 0x80) return is_ascii_punct(static_cast<char>(c));
  return (c >= 0xA1 && c <= 0xBF && c != 0xAA && c != 0xB5 && c != 0xBA) || c == 0xD7 || c == 0xF7 ||
         (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205E) || (c >= 0x3001 && c <= 0x3003) ||
         (c >= 0x3008 && c <= 0x3011);
}

char32_t code_point_before(std::string_view s, size_t pos) {
  if (pos == 0) return ' ';
  size_t start = pos - 1;
  while (start > 0 && pos - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  size_t k = start;
  const char32_t cp = utf8_next(s, k);
  return k == pos ? cp : 0xFFFD;
}

char32_t code_point_at(std::string_view s, size_t pos) {
  if (pos >= s.size()) return ' ';
  return utf8_next(s, pos);
}

// Nodes are small (their text lives in one buffer): a megabyte of "*_*_" makes a
// million of them.
struct Node {
  uint32_t begin = 0, length = 0;  // text in InlineParser::buffer_
  uint32_t href = 0;               // index in InlineParser::hrefs_, 0 for none
  uint8_t code = 0;                // kStyleCode for code spans
};

struct Delim {
  char ch;
  int node;
  int count;
  int original;
  bool can_open, can_close;
  int prev, next;
};

struct Bracket {
  int node;
  int delim_bottom;  // delims.size() when the bracket was met
  size_t source;     // index of '[' in the text
};

// Link reference definitions ("[label]: url"), by normalized label: the href, or ""
// for targets the model refuses (their references stay text).
using Definitions = std::unordered_map<std::string, std::string>;

constexpr size_t kMaxLabelBytes = 999;

// "[label]" at s[i] == '[': its end (after ']'), or 0. Labels hold no unescaped
// bracket, so a scan stops at the next one: scans never overlap.
size_t link_label_end(std::string_view s, size_t i) {
  for (size_t k = i + 1; k < s.size() && k - i <= kMaxLabelBytes + 1; ++k) {
    if (s[k] == '\\' && k + 1 < s.size() && is_ascii_punct(s[k + 1])) {
      ++k;
      continue;
    }
    if (s[k] == '[') return 0;
    if (s[k] == ']') return k - i - 1 <= kMaxLabelBytes ? k + 1 : 0;
  }
  return 0;
}

// Labels match case-insensitively, runs of white space as one space.
std::string normalize_label(std::string_view label) {
  std::string out;
  bool space = false;
  for (char c : label) {
    if (is_ascii_space(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

struct StyleRange {
  int from, to;  // node indices, [from, to)
  uint8_t style;
};

class InlineParser {
public:
  InlineParser(std::string_view s, const Definitions& definitions) : s_(s), definitions_(definitions) {}

  std::vector<Span> run() {
    // Upper bounds (a node needs at least one input byte, links add at most one):
    // growing these vectors by doubling costs more than the parse on big bodies.
    nodes_.reserve(s_.size() + 1);
    buffer_.reserve(s_.size() + 16);
    precompute();
    const size_t n = s_.size();
    size_t i = 0;
    while (i < n) {
      const char c = s_[i];
      if (c == '\\') {
        if (i + 1 < n && is_ascii_punct(s_[i + 1])) {
          text_ += s_[i + 1];
          i += 2;
        } else if (i + 1 < n && s_[i + 1] == '\n') {
          ++i;
        }  // "\" then newline: the break alone
        else {
          text_ += c;
          ++i;
        }
      } else if (c == '\n') {
        // Spaces before a line end are not text ("two spaces" hard breaks included).
        while (!text_.empty() && text_.back() == ' ') text_.pop_back();
        text_ += c;
        ++i;
      } else if (c == '&') {
        const size_t length = entity_at(s_, i, text_);
        if (length == 0) text_ += c;
        i += length ? length : 1;
      } else if (c == '<' && angle_autolink(i)) {
        i = autolink_end_;
      } else if (c == '`') {
        i = code_span(i);
      } else if (c == '*' || c == '_') {
        i = delimiter_run(i);
      } else if (c == '[') {
        flush_text();
        add_node("[");
        brackets_.push_back({static_cast<int>(nodes_.size()) - 1, static_cast<int>(delims_.size()), i});
        ++i;
      } else if (c == ']') {
        i = close_bracket(i);
      } else if ((c == 'h' || c == 'H' || c == 'w' || c == 'W' || c == 'm' || c == 'M') && autolink(i)) {
        // autolink() consumed the URL and moved i_.
        i = autolink_end_;
      } else {
        text_ += c;
        ++i;
      }
    }
    flush_text();
    process_emphasis(0);
    return build_spans();
  }

private:
  void add_node(std::string_view text, uint32_t href = 0, uint8_t code = 0) {
    Node node;
    node.begin = static_cast<uint32_t>(buffer_.size());
    node.length = static_cast<uint32_t>(text.size());
    node.href = href;
    node.code = code;
    buffer_.append(text);
    nodes_.push_back(node);
  }

  void flush_text() {
    if (text_.empty()) return;
    add_node(text_);
    text_.clear();
  }

  void precompute() {
    const size_t n = s_.size();
    // Backtick runs by length, for O(1) amortised closer lookup. A backslash before
    // one is the code span's text, so closers ignore escapes (openers do not).
    for (size_t k = 0; k < n;) {
      if (s_[k] != '`') {
        ++k;
        continue;
      }
      size_t length = 0;
      while (k + length < n && s_[k + length] == '`') ++length;
      backtick_runs_[length].positions.push_back(k);
      k += length;
    }
    // For link titles: the next unescaped '"', '\'' and ')' after each position, so a
    // title is found without rescanning however many links start.
    std::vector<bool> escaped(n + 1, false);
    for (size_t k = 0; k + 1 < n; ++k)
      if (s_[k] == '\\' && !escaped[k] && is_ascii_punct(s_[k + 1])) escaped[k + 1] = true;
    for (auto& next : next_unescaped_) next.assign(n + 1, n);
    for (size_t k = n; k-- > 0;) {
      for (int q = 0; q < 3; ++q) next_unescaped_[q][k] = next_unescaped_[q][k + 1];
      if (escaped[k]) continue;
      if (s_[k] == '"') next_unescaped_[0][k] = k;
      if (s_[k] == '\'') next_unescaped_[1][k] = k;
      if (s_[k] == ')') next_unescaped_[2][k] = k;
    }
  }

  size_t skip_spaces(size_t k) const {
    int newlines = 0;
    while (k < s_.size() && (s_[k] == ' ' || (s_[k] == '\n' && ++newlines == 1))) ++k;
    return k;
  }

  // "(destination "title")" from s_[open] == '('. Sets the raw destination; returns
  // the index after ')', or 0 when there is no such thing.
  size_t link_tail(size_t open, std::string_view& destination) const {
    const size_t n = s_.size();
    size_t k = skip_spaces(open + 1);
    const size_t start = k;
    if (k < n && s_[k] == '<') {  // <destination with spaces>
      ++k;
      while (k < n && s_[k] != '>' && s_[k] != '<' && s_[k] != '\n') k += s_[k] == '\\' ? 2 : 1;
      if (k >= n || s_[k] != '>') return 0;
      destination = s_.substr(start + 1, k - start - 1);
      ++k;
    } else {  // balanced parentheses, at most 32 deep (cmark's bound: keeps this linear)
      int depth = 0;
      while (k < n && !is_ascii_space(s_[k]) && static_cast<unsigned char>(s_[k]) >= 0x20) {
        if (s_[k] == '\\' && k + 1 < n && is_ascii_punct(s_[k + 1])) {
          k += 2;
          continue;
        }
        if (s_[k] == '(' && ++depth > 32) return 0;
        if (s_[k] == ')' && depth-- == 0) break;
        ++k;
      }
      if (depth > 0) return 0;
      destination = s_.substr(start, k - start);
    }
    const size_t before_title = k;
    k = skip_spaces(k);
    if (k < n && k > before_title && (s_[k] == '"' || s_[k] == '\'' || s_[k] == '(')) {
      const int q = s_[k] == '"' ? 0 : s_[k] == '\'' ? 1 : 2;
      const size_t close = next_unescaped_[q][k + 1];
      if (close >= n) return 0;
      if (q == 2) {  // a (title) holds no unescaped '('
        for (size_t t = k + 1; t < close; ++t)
          if (s_[t] == '(' && s_[t - 1] != '\\') return 0;
      }
      k = skip_spaces(close + 1);
    }
    return k < n && s_[k] == ')' ? k + 1 : 0;
  }

  // [text][label], [label][] and [label] after the ']' at s_[close]: the index after
  // the reference, href set from its definition; 0 when none is defined.
  size_t reference(const Bracket& bracket, size_t close, std::string& href) const {
    size_t end = close + 1;
    std::string_view label = s_.substr(bracket.source + 1, close - bracket.source - 1);
    if (const size_t label_end = end < s_.size() && s_[end] == '[' ? link_label_end(s_, end) : 0) {
      if (label_end > end + 2) label = s_.substr(end + 1, label_end - end - 2);  // not "[]"
      end = label_end;
    } else if (label.size() > kMaxLabelBytes || link_label_end(s_, bracket.source) != close + 1) {
      return 0;
    }
    const auto found = definitions_.find(normalize_label(label));
    if (found == definitions_.end()) return 0;
    href = found->second;
    return end;
  }

  // <scheme:...> and <user@host> autolinks; sets autolink_end_.
  bool angle_autolink(size_t i) {
    const size_t n = s_.size();
    size_t k = i + 1;
    while (k < n && s_[k] != '>' && s_[k] != '<' && static_cast<unsigned char>(s_[k]) > 0x20) ++k;
    if (k >= n || s_[k] != '>') return false;
    const std::string_view inside = s_.substr(i + 1, k - i - 1);
    std::string href;
    if (is_email(inside)) href = "mailto:" + std::string(inside);
    else if (is_uri(inside)) href = normalize_href(inside);
    if (href.empty() || !is_safe_link(href)) return false;
    flush_text();
    hrefs_.push_back(std::move(href));
    add_node(inside, static_cast<uint32_t>(hrefs_.size() - 1));
    autolink_end_ = k + 1;
    return true;
  }

  static bool is_uri(std::string_view s) {
    size_t k = 0;
    while (k < s.size() && k <= 32 && (is_ascii_alnum(s[k]) || s[k] == '+' || s[k] == '.' || s[k] == '-')) ++k;
    return k >= 2 && k <= 32 && k < s.size() && s[k] == ':' && !is_digit(s[0]) && s[0] != '+' && s[0] != '.' &&
           s[0] != '-';
  }

  static bool is_email(std::string_view s) {
    const size_t at = s.find('@');
    if (at == 0 || at == std::string_view::npos || at + 1 >= s.size()) return false;
    for (size_t k = 0; k < at; ++k)
      if (!is_ascii_alnum(s[k]) && std::string_view(".!#$%&'*+/=?^_`{|}~-").find(s[k]) == std::string_view::npos)
        return false;
    size_t label = 0;
    for (size_t k = at + 1; k <= s.size(); ++k) {
      if (k == s.size() || s[k] == '.') {
        if (label == 0 || label > 63 || s[k - 1] == '-' || s[k - label] == '-') return false;
        label = 0;
      } else if (is_ascii_alnum(s[k]) || s[k] == '-') {
        ++label;
      } else {
        return false;
      }
    }
    return true;
  }

  size_t code_span(size_t i) {
    size_t length = 0;
    while (i + length < s_.size() && s_[i + length] == '`') ++length;
    BacktickRuns& runs = backtick_runs_[length];
    while (runs.cursor < runs.positions.size() && runs.positions[runs.cursor] <= i) ++runs.cursor;
    if (runs.cursor >= runs.positions.size()) {  // no closer: the backticks are text
      text_.append(s_.substr(i, length));
      return i + length;
    }
    const size_t close = runs.positions[runs.cursor];
    std::string content(s_.substr(i + length, close - i - length));
    for (char& ch : content)
      if (ch == '\n') ch = ' ';
    if (content.size() >= 2 && content.front() == ' ' && content.back() == ' ' &&
        content.find_first_not_of(' ') != std::string::npos)
      content = content.substr(1, content.size() - 2);
    flush_text();
    add_node(content, 0, kStyleCode);
    return close + length;
  }

  size_t delimiter_run(size_t i) {
    const char ch = s_[i];
    size_t length = 0;
    while (i + length < s_.size() && s_[i + length] == ch) ++length;
    const char32_t before = code_point_before(s_, i);
    const char32_t after = code_point_at(s_, i + length);
    const bool left =
        !is_unicode_space(after) && (!is_unicode_punct(after) || is_unicode_space(before) || is_unicode_punct(before));
    const bool right =
        !is_unicode_space(before) && (!is_unicode_punct(before) || is_unicode_space(after) || is_unicode_punct(after));
    bool can_open = left, can_close = right;
    if (ch == '_') {  // snake_case_words stay words
      can_open = left && (!right || is_unicode_punct(before));
      can_close = right && (!left || is_unicode_punct(after));
    }
    flush_text();
    add_node(s_.substr(i, length));
    if (can_open || can_close) {
      const int count = static_cast<int>(length);
      Delim d{ch, static_cast<int>(nodes_.size()) - 1, count, count, can_open, can_close, tail_, -1};
      delims_.push_back(d);
      const int index = static_cast<int>(delims_.size()) - 1;
      if (tail_ >= 0) delims_[tail_].next = index;
      tail_ = index;
    }
    return i + length;
  }

  void remove_delim(int k) {
    Delim& d = delims_[k];
    if (d.prev >= 0) delims_[d.prev].next = d.next;
    if (d.next >= 0) delims_[d.next].prev = d.prev;
    if (tail_ == k) tail_ = d.prev;
    d.prev = d.next = -1;
    d.count = -1;  // marks removal
  }

  // CommonMark's "process emphasis" over the delimiters at index >= bottom.
  void process_emphasis(int bottom) {
    int first = tail_;
    if (first < bottom) return;
    while (delims_[first].prev >= bottom) first = delims_[first].prev;

    int openers_bottom[2][2][3];
    for (auto& a : openers_bottom)
      for (auto& b : a)
        for (int& v : b) v = bottom - 1;

    int current = first;
    while (current >= 0) {
      Delim& closer = delims_[current];
      if (!closer.can_close) {
        current = closer.next;
        continue;
      }
      int& limit = openers_bottom[closer.ch == '_'][closer.can_open][closer.original % 3];
      int opener = closer.prev;
      bool found = false;
      while (opener >= bottom && opener > limit) {
        const Delim& o = delims_[opener];
        if (o.ch == closer.ch && o.can_open) {
          const bool odd_match = (closer.can_open || o.can_close) && (o.original + closer.original) % 3 == 0 &&
                                 !(o.original % 3 == 0 && closer.original % 3 == 0);
          if (!odd_match) {
            found = true;
            break;
          }
        }
        opener = o.prev;
      }
      if (!found) {
        limit = closer.prev;
        const int next = closer.next;
        if (!closer.can_open) remove_delim(current);
        current = next;
        continue;
      }
      Delim& o = delims_[opener];
      const int use = (closer.count >= 2 && o.count >= 2) ? 2 : 1;
      o.count -= use;
      closer.count -= use;
      nodes_[o.node].length = static_cast<uint32_t>(o.count);
      nodes_[closer.node].length = static_cast<uint32_t>(closer.count);
      ranges_.push_back({o.node + 1, closer.node, use == 2 ? kStyleStrong : kStyleEmphasis});
      for (int k = closer.prev; k != opener && k >= 0;) {
        const int prev = delims_[k].prev;
        remove_delim(k);
        k = prev;
      }
      if (o.count == 0) remove_delim(opener);
      if (closer.count == 0) {
        const int next = closer.next;
        remove_delim(current);
        current = next;
      }
    }
    while (tail_ >= bottom) remove_delim(tail_);  // the rest is literal text
  }

  size_t close_bracket(size_t i) {
    if (brackets_.empty()) {
      text_ += ']';
      return i + 1;
    }
    const Bracket bracket = brackets_.back();
    brackets_.pop_back();
    const bool active = brackets_.size() >= active_floor_;
    if (brackets_.size() < active_floor_) active_floor_ = brackets_.size();
    const size_t open_paren = i + 1;
    std::string_view destination;
    size_t after_link =
        active && open_paren < s_.size() && s_[open_paren] == '(' ? link_tail(open_paren, destination) : 0;
    std::string href;
    if (after_link) href = normalize_href(unescape(destination));
    else if (active && !definitions_.empty()) after_link = reference(bracket, i, href);
    if (after_link == 0) {
      text_ += ']';
      return i + 1;
    }
    if (!is_safe_link(href)) {  // javascript:, data:, relative...: shown as written
      text_ += ']';
      return i + 1;
    }
    flush_text();
    process_emphasis(bracket.delim_bottom);
    nodes_[bracket.node].length = 0;
    hrefs_.push_back(std::move(href));
    const uint32_t link = static_cast<uint32_t>(hrefs_.size() - 1);
    bool has_text = false;
    for (size_t k = static_cast<size_t>(bracket.node) + 1; k < nodes_.size(); ++k) {
      nodes_[k].href = link;  // an autolink inside link text takes the outer target
      has_text = has_text || nodes_[k].length > 0;
    }
    if (!has_text) add_node(destination.empty() ? std::string_view(hrefs_[link]) : destination, link);
    // Links do not nest: every '[' still open before this one is now plain text.
    active_floor_ = brackets_.size();
    return after_link;
  }

  static bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t k = 0; k < prefix.size(); ++k) {
      char c = s[k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != prefix[k]) return false;
    }
    return true;
  }

  // Bare http://, https://, www. and mailto: links; sets autolink_end_.
  bool autolink(size_t i) {
    if (i > 0) {
      const char p = s_[i - 1];
      if (is_ascii_alnum(p) || p == '/' || p == '.' || p == ':' || p == '@' || p == '-' || p == '<' || p == '+' ||
          p == '=' || p == '&' || p == '%' || p == '#')
        return false;
    }
    const std::string_view rest = s_.substr(i);
    size_t prefix = 0;
    bool www = false;
    if (starts_with_nocase(rest, "https://")) prefix = 8;
    else if (starts_with_nocase(rest, "http://")) prefix = 7;
    else if (starts_with_nocase(rest, "mailto:")) prefix = 7;
    else if (starts_with_nocase(rest, "www.")) {
      prefix = 4;
      www = true;
    } else return false;
    if (i + prefix >= s_.size() || !is_ascii_alnum(s_[i + prefix])) return false;
    if (i < autolink_blocked_until_) return false;

    // Scans are capped so that a megabyte without spaces is not rescanned per "http".
    const size_t limit = std::min(s_.size(), i + kMaxAutolinkBytes);
    size_t end = i + prefix;
    while (end < limit) {
      const unsigned char c = static_cast<unsigned char>(s_[end]);
      if (c < 0x80) {
        if (is_ascii_space(static_cast<char>(c)) || c == '<' || c == '>' || c == '"' || c == '`' || c == '[' ||
            c == ']' || c == '\\')
          break;
        ++end;
        continue;
      }
      size_t k = end;
      const char32_t cp = utf8_next(s_, k);
      // French typography around links: « https://x.org », “https://x.org”.
      if (cp == 0xA0 || cp == 0x202F || cp == 0xAB || cp == 0xBB || cp == 0x201C || cp == 0x201D || cp == 0x2018 ||
          cp == 0x2019 || cp == 0x2026 || is_unicode_space(cp))
        break;
      end = k;
    }
    if (end >= limit && limit < s_.size()) {
      autolink_blocked_until_ = end;
      return false;
    }
    // Trailing punctuation belongs to the sentence, an unbalanced ')' to the prose.
    long opens = 0, closes = 0;
    for (size_t k = i; k < end; ++k) {
      opens += s_[k] == '(';
      closes += s_[k] == ')';
    }
    while (end > i + prefix) {
      const char c = s_[end - 1];
      if (c == '?' || c == '!' || c == '.' || c == ',' || c == ':' || c == ';' || c == '*' || c == '_' || c == '~' ||
          c == '\'' || c == '"') {
        --end;
      } else if (c == ')' && closes > opens) {
        --end;
        --closes;
      } else {
        break;
      }
    }
    const std::string_view url = s_.substr(i, end - i);
    std::string href = normalize_href(www ? "https://" + std::string(url) : std::string(url));
    if (!is_safe_link(href)) {
      autolink_blocked_until_ = end;
      return false;
    }
    flush_text();
    hrefs_.push_back(std::move(href));
    add_node(url, static_cast<uint32_t>(hrefs_.size() - 1));
    autolink_end_ = end;
    return true;
  }

  // How many spans build_spans() makes: one per change of style or link.
  size_t count_spans(const std::vector<int>& emphasis, const std::vector<int>& strong) const {
    size_t spans = 0;
    int em = 0, st = 0;
    int last_style = -1;
    uint32_t last_href = 0;
    for (size_t k = 0; k < nodes_.size(); ++k) {
      em += emphasis[k];
      st += strong[k];
      const Node& node = nodes_[k];
      if (node.length == 0) continue;
      const int style = (em > 0 ? kStyleEmphasis : 0) | (st > 0 ? kStyleStrong : 0) | node.code;
      if (style != last_style || hrefs_[node.href] != hrefs_[last_href]) ++spans;
      last_style = style;
      last_href = node.href;
    }
    return spans;
  }

  std::vector<Span> build_spans() {
    const size_t count = nodes_.size();
    std::vector<int> emphasis(count + 1, 0), strong(count + 1, 0);
    for (const StyleRange& r : ranges_) {
      std::vector<int>& diff = r.style == kStyleStrong ? strong : emphasis;
      ++diff[static_cast<size_t>(r.from)];
      --diff[static_cast<size_t>(r.to)];
    }
    std::vector<Span> spans;
    spans.reserve(count_spans(emphasis, strong));
    int em = 0, st = 0;
    for (size_t k = 0; k < count; ++k) {
      em += emphasis[k];
      st += strong[k];
      const Node& node = nodes_[k];
      const uint8_t style =
          static_cast<uint8_t>((em > 0 ? kStyleEmphasis : 0) | (st > 0 ? kStyleStrong : 0) | node.code);
      append_span(spans, std::string_view(buffer_).substr(node.begin, node.length), style, hrefs_[node.href]);
    }
    return spans;
  }

  struct BacktickRuns {
    std::vector<size_t> positions;
    size_t cursor = 0;
  };

  std::string_view s_;
  const Definitions& definitions_;
  std::string text_;
  std::string buffer_;
  std::vector<std::string> hrefs_{std::string()};
  std::vector<Node> nodes_;
  std::vector<Delim> delims_;
  int tail_ = -1;
  std::vector<Bracket> brackets_;
  size_t active_floor_ = 0;  // brackets below this index can no longer open a link
  std::vector<StyleRange> ranges_;
  std::unordered_map<size_t, BacktickRuns> backtick_runs_;
  std::vector<size_t> next_unescaped_[3];  // '"', '\'', ')'; s_.size() when none
  size_t autolink_end_ = 0;
  size_t autolink_blocked_until_ = 0;
};

// ---------------------------------------------------------------------------------
// Blocks.

// "[label]: destination 'title'" at text[i], up to the end of its line: the index
// after it, or 0. The definition is recorded unless its label already was.
size_t link_definition(std::string_view text, size_t i, Definitions& definitions) {
  const size_t n = text.size();
  const size_t label_end = link_label_end(text, i);
  if (label_end == 0 || label_end >= n || text[label_end] != ':') return 0;
  const std::string label = normalize_label(text.substr(i + 1, label_end - i - 2));
  if (label.empty()) return 0;
  const auto skip_space = [&](size_t k) {
    bool newline = false;
    while (k < n && (text[k] == ' ' || (text[k] == '\n' && !newline))) newline |= text[k++] == '\n';
    return k;
  };
  const auto line_ends = [&](size_t k) {  // k, past trailing spaces, at a line end: its index
    while (k < n && text[k] == ' ') ++k;
    return k >= n ? n : text[k] == '\n' ? k + 1 : 0;
  };
  size_t k = skip_space(label_end + 1);
  const size_t start = k;
  std::string_view destination;
  if (k < n && text[k] == '<') {
    while (++k < n && text[k] != '>' && text[k] != '<' && text[k] != '\n')
      if (text[k] == '\\') ++k;
    if (k >= n || text[k] != '>') return 0;
    destination = text.substr(start + 1, k - start - 1);
    ++k;
  } else {
    int depth = 0;
    while (k < n && text[k] != ' ' && text[k] != '\n') {
      if (text[k] == '\\' && k + 1 < n) ++k;
      else if (text[k] == '(') ++depth;
      else if (text[k] == ')' && --depth < 0) return 0;
      ++k;
    }
    if (k == start || depth != 0) return 0;
    destination = text.substr(start, k - start);
  }
  size_t end = line_ends(k);
  const size_t title = skip_space(k);
  if (title > k && title < n && (text[title] == '"' || text[title] == '\'' || text[title] == '(')) {
    const char closer = text[title] == '(' ? ')' : text[title];
    size_t q = title + 1;
    while (q < n && text[q] != closer && !(closer == ')' && text[q] == '(')) q += text[q] == '\\' ? 2 : 1;
    if (q < n && text[q] == closer) {
      if (const size_t after_title = line_ends(q + 1)) end = after_title;
    }
  }
  if (end == 0) return 0;
  const std::string href = normalize_href(unescape(destination));
  definitions.emplace(label, is_safe_link(href) ? href : std::string());
  return end;
}

// A paragraph's text, its leading link definitions taken out, kept in Block::code
// until every definition of the document is known (parse_inlines).
void add_paragraph(const Lines& lines, Definitions& definitions, std::vector<Block>& out) {
  if (lines.empty()) return;
  std::string text;
  for (size_t k = 0; k < lines.size(); ++k) {
    if (k) text += '\n';
    text.append(k + 1 < lines.size() ? lines[k] : trim_right(lines[k]));
  }
  for (char& c : text)
    if (c == '\t') c = ' ';  // span text holds no control character but '\n'
  size_t start = 0;
  while (start < text.size() && text[start] == '[')
    if (const size_t end = link_definition(text, start, definitions)) start = end;
    else break;
  if (start >= text.size()) return;
  Block block;
  block.kind = BlockKind::Paragraph;
  block.code = text.substr(start);
  out.push_back(std::move(block));
}

void parse_inlines(std::vector<Block>& blocks, const Definitions& definitions) {
  for (Block& block : blocks) {
    if (block.kind == BlockKind::Paragraph) {
      block.spans = InlineParser(block.code, definitions).run();
      block.code.clear();
    }
    parse_inlines(block.children, definitions);
    for (auto& item : block.items) parse_inlines(item, definitions);
  }
  std::erase_if(blocks, [](const Block& b) { return b.kind == BlockKind::Paragraph && b.spans.empty(); });
}

// Whether the last of the lines given to feed() leaves a paragraph open, the only
// block a lazy line (one without its container's "> " or indentation) continues.
// Looks through container markers; fences are followed at the outer level only.
class ParagraphTracker {
public:
  void feed(std::string_view line) {
    if (in_fence_) {
      if (fence_close(line, fence_)) in_fence_ = false;
      open_ = false;
      return;
    }
    if (fence_open(line, fence_)) {
      in_fence_ = true;
      open_ = false;
      return;
    }
    open_ = continues_paragraph(line, open_);
  }
  bool open() const { return open_; }

private:
  static bool continues_paragraph(std::string_view line, bool open) {
    for (int depth = 0; depth <= kMaxBlockDepth; ++depth) {
      if (is_blank(line)) return false;
      if (!open && indent_of(line) >= 4) return false;  // indented code
      std::string_view rest;
      ListMarker marker;
      if (quote_marker(line, rest)) line = rest;
      else if (list_marker(line, marker)) {
        line = marker.content;
        open = false;
      } else return !fence_opens(line);
    }
    return true;
  }
  static bool fence_opens(std::string_view line) {
    Fence fence;
    return fence_open(line, fence);
  }
  Fence fence_;
  bool in_fence_ = false;
  bool open_ = false;
};

// A list marker that may start a list where a paragraph is open: not an empty item,
// and an ordered one only from 1 ("the year 1984. was" stays prose).
bool interrupts_paragraph(const ListMarker& marker) {
  return !marker.content.empty() && (!marker.ordered || marker.start == 1);
}

// A line without its container's marker that still continues the container's open
// paragraph: nothing in it starts a block of its own.
bool is_lazy_continuation(std::string_view line, const ParagraphTracker& inner) {
  if (!inner.open() || is_blank(line)) return false;
  std::string_view rest;
  Fence fence;
  ListMarker marker;
  return !quote_marker(line, rest) && !fence_open(line, fence) &&
         !(list_marker(line, marker) && interrupts_paragraph(marker));
}

void parse_blocks(const Lines& lines, int depth, Definitions& definitions, LineStore& store, std::vector<Block>& out) {
  Lines paragraph;
  const auto flush = [&] {
    add_paragraph(paragraph, definitions, out);
    paragraph.clear();
  };
  size_t i = 0;
  while (i < lines.size()) {
    const std::string_view line = lines[i];
    if (is_blank(line)) {
      flush();
      ++i;
      continue;
    }

    if (paragraph.empty() && indent_of(line) >= 4) {  // indented code, to the last indented line
      Block block;
      block.kind = BlockKind::CodeBlock;
      size_t end = i;
      for (size_t k = i; k < lines.size() && (is_blank(lines[k]) || indent_of(lines[k]) >= 4); ++k)
        if (!is_blank(lines[k])) end = k + 1;
      for (size_t k = i; k < end; ++k) {
        if (k > i) block.code += '\n';
        block.code.append(strip_columns(lines[k], 4));
      }
      i = end;
      out.push_back(std::move(block));
      continue;
    }

    Fence fence;
    if (fence_open(line, fence)) {
      flush();
      Block block;
      block.kind = BlockKind::CodeBlock;
      block.info = unescape(fence.info.substr(0, fence.info.find_first_of(" \t")));
      ++i;
      bool first = true;
      while (i < lines.size() && !fence_close(lines[i], fence)) {
        if (!first) block.code += '\n';
        block.code.append(strip_columns(lines[i], fence.indent));
        first = false;
        ++i;
      }
      if (i < lines.size()) ++i;  // the closing fence; an unclosed one runs to the end
      out.push_back(std::move(block));
      continue;
    }

    std::string_view rest;
    if (depth < kMaxBlockDepth && quote_marker(line, rest)) {
      flush();
      Lines inner;
      ParagraphTracker tracker;
      for (; i < lines.size(); ++i) {
        if (quote_marker(lines[i], rest, &store)) inner.push_back(rest);
        else if (is_lazy_continuation(lines[i], tracker)) inner.push_back(lines[i]);
        else break;
        tracker.feed(inner.back());
      }
      Block block;
      block.kind = BlockKind::Quote;
      parse_blocks(inner, depth + 1, definitions, store, block.children);
      out.push_back(std::move(block));
      continue;
    }

    ListMarker marker;
    if (depth < kMaxBlockDepth && list_marker(line, marker) && (paragraph.empty() || interrupts_paragraph(marker))) {
      flush();
      Block list;
      list.kind = BlockKind::List;
      list.ordered = marker.ordered;
      list.start = marker.start;
      const char delimiter = marker.delimiter;
      ListMarker item_marker;
      while (i < lines.size() && list_marker(lines[i], item_marker, &store) && item_marker.ordered == list.ordered &&
             item_marker.delimiter == delimiter) {
        Lines item_lines;
        ParagraphTracker tracker;
        item_lines.push_back(item_marker.content);
        tracker.feed(item_marker.content);
        const bool starts_blank = item_marker.content.empty();
        ++i;
        while (i < lines.size()) {
          if (is_blank(lines[i])) {
            if (starts_blank && item_lines.size() == 1) break;  // "-" then a blank line: an empty item
            size_t next = i;
            while (next < lines.size() && is_blank(lines[next])) ++next;
            if (next >= lines.size() || indent_of(lines[next]) < item_marker.content_indent) break;
            for (; i < next; ++i) item_lines.push_back(std::string_view());
            tracker.feed(std::string_view());
            continue;
          }
          ListMarker sibling;
          if (indent_of(lines[i]) >= item_marker.content_indent)
            item_lines.push_back(strip_columns(lines[i], item_marker.content_indent, &store));
          else if (list_marker(lines[i], sibling))  // the next item, or the end of this list
            break;
          else if (is_lazy_continuation(lines[i], tracker)) item_lines.push_back(lines[i]);
          else break;
          tracker.feed(item_lines.back());
          ++i;
        }
        list.items.emplace_back();
        parse_blocks(item_lines, depth + 1, definitions, store, list.items.back());
        // Blank lines between items keep the list going.
        size_t next = i;
        while (next < lines.size() && is_blank(lines[next])) ++next;
        ListMarker following;
        if (next < lines.size() && list_marker(lines[next], following) && following.ordered == list.ordered &&
            following.delimiter == delimiter)
          i = next;
      }
      out.push_back(std::move(list));
      continue;
    }

    paragraph.push_back(trim_left(line));
    ++i;
  }
  flush();
}

}  // namespace

Document parse_markdown(std::string_view source) {
  const std::string clean = sanitize_text(source);
  Lines lines;
  std::string_view s = clean;
  while (!s.empty()) {
    const size_t nl = s.find('\n');
    lines.push_back(s.substr(0, nl));
    if (nl == std::string_view::npos) break;
    s.remove_prefix(nl + 1);
  }
  Document doc;
  Definitions definitions;
  LineStore store;
  parse_blocks(lines, 0, definitions, store, doc.blocks);
  parse_inlines(doc.blocks, definitions);
  return doc;
}

}  // namespace causerie
