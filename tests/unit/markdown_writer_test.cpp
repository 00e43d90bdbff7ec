// to_markdown: what HTML imports store must read back as the same document.
#include <doctest/doctest.h>

#include "core/html.h"
#include "core/markdown.h"
#include "core/markdown_writer.h"
#include "richtext_dump.h"

using namespace causerie;
using causerie::test::dump;

static void check_round_trip(const char* html) {
  const Document doc = parse_html(html);
  const std::string md = to_markdown(doc);
  CAPTURE(html);
  CAPTURE(md);
  CHECK(dump(parse_markdown(md)) == dump(doc));
}

TEST_CASE("HTML comments become Markdown-lite that parses back to the same document") {
  check_round_trip("<p>Plain text, with a comma.</p><p>Second paragraph.</p>");
  check_round_trip("Line one<br>line two<br/>- not a list<br>1. not a list either<br>&gt; not a quote");
  check_round_trip("<p><strong>bold</strong>, <em>italic</em>, <b><i>both</i></b> and <code>a `tick`</code></p>");
  check_round_trip("<p>Markers as text: * _ ` [x](y) \\ **not bold**</p>");
  check_round_trip("<p>Bare addresses stay text: http://example.org www.example.org mailto:a@b.c</p>");
  check_round_trip("<p>See <a href=\"https://example.org/a_(b)\">the <em>page</em></a> now.</p>");
  check_round_trip("<blockquote><p>quoted</p><p>twice</p></blockquote><p>after</p>");
  check_round_trip("<blockquote><blockquote>deep</blockquote></blockquote>");
  check_round_trip("<ul><li>one</li><li>two<ul><li>inner</li></ul></li></ul>");
  check_round_trip("<ol start=\"3\"><li>three</li><li>four</li></ol>");
  check_round_trip("<pre>int main() {\n  return 0; // ```\n}</pre>");
  check_round_trip("<p>Ελληνικά, русский, 日本語, עברית 🙂</p>");
}

TEST_CASE("emphasis markers touch their text: edge spaces move outside") {
  CHECK(to_markdown(parse_html("<p><strong> spaced </strong>word</p>")) == "**spaced** word");
}
