#pragma once
// A compact, readable rendering of a Document for test assertions:
//   P{text [e:emphasis] [s:strong] [c:code] [@https://x:link] \n}  C{info|code}
//   Q{...}  L*{item}{item}  L1.3{item} (ordered, starting at 3)
#include <string>

#include "core/richtext.h"

namespace causerie::test {

inline std::string dump_spans(const std::vector<Span>& spans) {
  std::string out;
  for (const Span& span : spans) {
    std::string text;
    for (char c : span.text) text += c == '\n' ? std::string("\\n") : std::string(1, c);
    if (span.style == kStyleNone && span.href.empty()) {
      out += text;
      continue;
    }
    out += '[';
    if (span.style & kStyleEmphasis) out += 'e';
    if (span.style & kStyleStrong) out += 's';
    if (span.style & kStyleCode) out += 'c';
    if (!span.href.empty()) out += "@" + span.href;
    out += ':' + text + ']';
  }
  return out;
}

inline std::string dump_blocks(const std::vector<Block>& blocks) {
  std::string out;
  for (const Block& block : blocks) {
    switch (block.kind) {
      case BlockKind::Paragraph: out += "P{" + dump_spans(block.spans) + "}"; break;
      case BlockKind::CodeBlock: out += "C{" + block.info + "|" + block.code + "}"; break;
      case BlockKind::Quote: out += "Q{" + dump_blocks(block.children) + "}"; break;
      case BlockKind::List:
        out += block.ordered ? "L1." + std::to_string(block.start) : std::string("L*");
        for (const auto& item : block.items) out += "{" + dump_blocks(item) + "}";
        break;
    }
  }
  return out;
}

inline std::string dump(const Document& doc) { return dump_blocks(doc.blocks); }

// Deepest Quote/List nesting in the document.
inline int max_depth(const std::vector<Block>& blocks) {
  int deepest = 0;
  for (const Block& block : blocks) {
    int d = 0;
    if (block.kind == BlockKind::Quote) d = 1 + max_depth(block.children);
    if (block.kind == BlockKind::List)
      for (const auto& item : block.items) d = std::max(d, 1 + max_depth(item));
    deepest = std::max(deepest, d);
  }
  return deepest;
}

}  // namespace causerie::test
