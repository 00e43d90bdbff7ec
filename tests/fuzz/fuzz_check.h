#pragma once
// Invariants every parsed document must satisfy, whatever the input: checked by
// the rich text fuzz targets (a violation aborts, which libFuzzer reports).
#include <cstdio>
#include <cstdlib>

#include "core/richtext.h"
#include "core/utf8.h"

namespace causerie::fuzz {

inline void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

inline void check_blocks(const std::vector<Block>& blocks, int depth) {
  require(depth <= kMaxBlockDepth, "nesting deeper than kMaxBlockDepth");
  for (const Block& block : blocks) {
    switch (block.kind) {
      case BlockKind::Paragraph:
        require(!block.spans.empty(), "empty paragraph");
        for (const Span& span : block.spans) {
          require(!span.text.empty(), "empty span");
          require(utf8_valid(span.text), "span text is not UTF-8");
          for (char c : span.text)
            require(static_cast<unsigned char>(c) >= 0x20 ? c != 0x7F : c == '\n', "control character in span text");
          require(span.href.empty() || is_safe_link(span.href), "unsafe link");
          require(span.style <= (kStyleEmphasis | kStyleStrong | kStyleCode), "unknown style bits");
        }
        break;
      case BlockKind::CodeBlock:
        require(utf8_valid(block.code), "code block is not UTF-8");
        require(utf8_valid(block.info), "code info is not UTF-8");
        break;
      case BlockKind::Quote: check_blocks(block.children, depth + 1); break;
      case BlockKind::List:
        for (const auto& item : block.items) check_blocks(item, depth + 1);
        break;
    }
  }
}

inline void check_document(const Document& doc) {
  check_blocks(doc.blocks, 0);
  const std::string text = to_plain_text(doc);
  require(utf8_valid(text), "plain text is not UTF-8");
  for (const FlatBlock& flat : flatten(doc))
    require(flat.block && (flat.block->kind == BlockKind::Paragraph || flat.block->kind == BlockKind::CodeBlock),
            "flatten gave a container");
}

}  // namespace causerie::fuzz
