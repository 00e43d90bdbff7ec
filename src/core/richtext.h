#pragma once
// One document model for comment bodies, whatever their source (Causerie Markdown
// subset, WordPress HTML). There is no "raw HTML" node: everything is text with
// styles, so nothing a commenter writes can reach the page as markup.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace causerie {

// Nesting cap for quotes and lists together: deeper markers are kept as text.
constexpr int kMaxBlockDepth = 8;

enum SpanStyle : uint8_t {
  kStyleNone = 0,
  kStyleEmphasis = 1 << 0,  // italic font
  kStyleStrong = 1 << 1,    // bold font
  kStyleCode = 1 << 2,      // monospace / tinted background
};

// A run of text drawn with one font and one link target. '\n' in the text is an
// explicit line break, and the only control character text ever contains.
struct Span {
  std::string text;  // valid UTF-8, never empty
  uint8_t style = kStyleNone;
  std::string href;  // non-empty: a link (http, https or mailto only)

  bool operator==(const Span&) const = default;
};

enum class BlockKind : uint8_t { Paragraph, CodeBlock, Quote, List };

struct Block {
  BlockKind kind = BlockKind::Paragraph;
  std::vector<Span> spans;                // Paragraph
  std::string code;                       // CodeBlock: verbatim (tabs kept), lines joined by '\n'
  std::string info;                       // CodeBlock: fence info string ("cpp"), may be empty
  std::vector<Block> children;            // Quote
  bool ordered = false;                   // List
  int start = 1;                          // List, ordered: number of the first item
  std::vector<std::vector<Block>> items;  // List: each item is a sequence of blocks
};

struct Document {
  std::vector<Block> blocks;
};

// The document as a flat sequence of leaf blocks (Paragraph or CodeBlock), each with
// its indentation context: what a line-wrapping layout engine walks top to bottom.
struct FlatBlock {
  const Block* block = nullptr;  // points into the Document, valid while it lives
  int quote_depth = 0;           // number of enclosing quotes (draw a bar per level)
  int list_depth = 0;            // number of enclosing list items (indent per level)
  std::string marker;            // "•" or "3." on the first leaf of a list item, else ""
};
std::vector<FlatBlock> flatten(const Document& doc);

// Text for the accessibility mirror (textContent) and notifications: blocks
// separated by blank lines, list items on their own line prefixed with their marker.
std::string to_plain_text(const Document& doc);

// Total text bytes of the document (paragraph spans and code), e.g. for "read more".
size_t text_size(const Document& doc);

// True for the only link targets the model accepts: http://host..., https://host...
// and mailto:something, with no whitespace or control characters.
bool is_safe_link(std::string_view url);

// Input cleanup shared by the parsers: invalid UTF-8 becomes U+FFFD, "\r\n" and "\r"
// become "\n", other C0 controls (except tab), DEL and C1 controls are removed.
std::string sanitize_text(std::string_view s);

// The typography pass every Document goes through before it is shown (the widget's
// comments and preview, the server's HTML view), once: a space a writer put after «
// or before » : ; ! ? becomes a no-break space, so the mark never starts or ends a
// line alone, as French typesetting (and French WordPress sites) do. U+00A0 inside
// guillemets and before the colon, U+202F (the narrow one) before ; ! ? — the
// Imprimerie nationale's rule. Only existing spaces change; code is left alone.
void apply_typography(Document& doc);

// Appends the UTF-8 encoding of cp (surrogates and out-of-range values become U+FFFD).
void append_utf8(std::string& out, char32_t cp);

// Appends text to a span list, merging with the previous span when it has the same
// style and link (keeps layout work proportional to style changes, not calls).
void append_span(std::vector<Span>& spans, std::string_view text, uint8_t style, std::string_view href);
// A line break joins the previous span (whatever its style: it draws nothing).
void append_line_break(std::vector<Span>& spans);

}  // namespace causerie
