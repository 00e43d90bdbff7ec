#pragma once
// The document model (core/richtext.h) as HTML, for the server's page of a thread
// (no JavaScript, crawlers). Every piece of text and every attribute value goes
// through html_escape, so a comment can only produce the elements listed below:
// p, br, em, strong, code, pre, blockquote, ul, ol, li and a (its href one of the
// model's safe links, checked again here). Paragraphs and list items carry
// dir="auto" (each finds its own direction).
#include <string>
#include <string_view>

#include "core/richtext.h"

namespace causerie {

// Escapes & < > " ' for text and for double- or single-quoted attribute values.
// Invalid UTF-8 becomes U+FFFD and control characters other than \n and \t are
// dropped (sanitize_text), so the output is always well-formed UTF-8.
std::string html_escape(std::string_view text);
void append_html_escaped(std::string& out, std::string_view text);

// Blocks as HTML elements, one per line. Links get rel="nofollow ugc noopener".
std::string render_html(const Document& doc);

}  // namespace causerie
