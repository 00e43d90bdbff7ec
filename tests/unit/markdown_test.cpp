#include <doctest/doctest.h>

#include <ctime>
#include <string>

#include "core/html.h"
#include "core/markdown.h"
#include "core/utf8.h"
#include "richtext_dump.h"

using namespace causerie;
using causerie::test::dump;

static std::string md(std::string_view source) { return dump(parse_markdown(source)); }

TEST_CASE("markdown: paragraphs and line breaks") {
  CHECK(md("Bonjour") == "P{Bonjour}");
  CHECK(md("un\ndeux\n\ntrois") == "P{un\\ndeux}P{trois}");
  CHECK(md("\n\n  a  \n\n\n b\n") == "P{a}P{b}");
  CHECK(md("a\r\nb\rc") == "P{a\\nb\\nc}");
  CHECK(md("") == "");
  CHECK(md("   \n\t\n") == "");
  CHECK(md("a\tb `c\td`") == "P{a b [c:c d]}");
}

TEST_CASE("markdown: emphasis, strong, code") {
  CHECK(md("*a* _b_ **c** __d__") == "P{[e:a] [e:b] [s:c] [s:d]}");
  CHECK(md("***tout***") == "P{[es:tout]}");
  CHECK(md("**gras *et italique***") == "P{[s:gras ][es:et italique]}");
  CHECK(md("un `code *pas em*` ici") == "P{un [c:code *pas em*] ici}");
  CHECK(md("``a ` b``") == "P{[c:a ` b]}");
  CHECK(md("` x `") == "P{[c:x]}");
  CHECK(md("*pas fermé") == "P{*pas fermé}");
  CHECK(md("`pas fermé") == "P{`pas fermé}");
  CHECK(md("snake_case_name") == "P{snake_case_name}");
  CHECK(md("2 * 3 * 4") == "P{2 * 3 * 4}");
  CHECK(md("*em\nsur deux lignes*") == "P{[e:em\\nsur deux lignes]}");
  CHECK(md("«*cité*»") == "P{«[e:cité]»}");
}

TEST_CASE("markdown: backslash escapes") {
  CHECK(md("\\*pas em\\*") == "P{*pas em*}");
  CHECK(md("\\[pas\\](https://x.org)") == "P{[pas]([@https://x.org:https://x.org])}");
  CHECK(md("a\\b") == "P{a\\b}");
  CHECK(md("\\`x\\`") == "P{`x`}");
}

TEST_CASE("markdown: links accept only http, https and mailto") {
  CHECK(md("[site](https://example.org/a)") == "P{[@https://example.org/a:site]}");
  CHECK(md("[*em* lien](http://x.org)") == "P{[e@http://x.org:em][@http://x.org: lien]}");
  CHECK(md("[écrire](mailto:a@b.fr)") == "P{[@mailto:a@b.fr:écrire]}");
  CHECK(md("[wiki](https://fr.wikipedia.org/wiki/Paris_(France))") ==
        "P{[@https://fr.wikipedia.org/wiki/Paris_(France):wiki]}");
  CHECK(md("[](https://x.org)") == "P{[@https://x.org:https://x.org]}");
  // Everything else is shown as written, never a link.
  CHECK(md("[clic](javascript:alert(1))") == "P{[clic](javascript:alert(1))}");
  CHECK(md("[clic](JavaScript:alert(1))") == "P{[clic](JavaScript:alert(1))}");
  CHECK(md("[x](data:text/html,<script>alert(1)</script>)") == "P{[x](data:text/html,<script>alert(1)</script>)}");
  CHECK(md("[rel](/wp-admin)") == "P{[rel](/wp-admin)}");
  CHECK(md("[vb](vbscript:msgbox)") == "P{[vb](vbscript:msgbox)}");
  CHECK(md("[a](https://x.org with space)") == "P{[a]([@https://x.org:https://x.org] with space)}");
  // Links do not nest: the inner one wins, the outer brackets stay text.
  CHECK(md("[a [b](https://b.org) c](https://c.org)") == "P{[a [@https://b.org:b] c]([@https://c.org:https://c.org])}");
}

TEST_CASE("markdown: bare URLs are autolinked without trailing punctuation") {
  CHECK(md("(see https://x.org/a).") == "P{(see [@https://x.org/a:https://x.org/a]).}");
  CHECK(md("Voir www.lemonde.fr, merci") == "P{Voir [@https://www.lemonde.fr:www.lemonde.fr], merci}");
  CHECK(md("https://x.org/?q=1&r=2!") == "P{[@https://x.org/?q=1&r=2:https://x.org/?q=1&r=2]!}");
  CHECK(md("« https://x.org »") == "P{« [@https://x.org:https://x.org] »}");
  CHECK(md("mailto:moi@example.org") == "P{[@mailto:moi@example.org:mailto:moi@example.org]}");
  CHECK(md("https://en.wikipedia.org/wiki/C_(langage)") ==
        "P{[@https://en.wikipedia.org/wiki/C_(langage):https://en.wikipedia.org/wiki/C_(langage)]}");
  CHECK(md("*https://x.org*") == "P{[e@https://x.org:https://x.org]}");
  CHECK(md("javascript:alert(1)") == "P{javascript:alert(1)}");
  CHECK(md("xhttps://x.org") == "P{xhttps://x.org}");
  CHECK(md("http:// rien") == "P{http:// rien}");
  CHECK(md("[https://x.org](https://y.org)") == "P{[@https://y.org:https://x.org]}");
}

TEST_CASE("markdown: what readers type reads as on other Markdown tools") {
  CHECK(md("run `dir C:\\` now") == "P{run [c:dir C:\\] now}");
  CHECK(md("1. first step\nstill first\n2. second step\n3. third") ==
        "L1.1{P{first step\\nstill first}}{P{second step}}{P{third}}");
  CHECK(md("> bar\nbaz") == "Q{P{bar\\nbaz}}");
  CHECK(md("<http://foo.bar.baz>") == "P{[@http://foo.bar.baz:http://foo.bar.baz]}");
  CHECK(md("<foo@bar.example.com>") == "P{[@mailto:foo@bar.example.com:foo@bar.example.com]}");
  CHECK(md("[docs](https://e.x/a \"Title\")") == "P{[@https://e.x/a:docs]}");
  CHECK(md("[link](<https://e.x/my uri>)") == "P{[@https://e.x/my%20uri:link]}");
  CHECK(md("&amp; &copy; &mdash; &lt;3 &#233; &nope;") == "P{& © — <3 é &nope;}");
  CHECK(md("    int x;\n      y;\n\ntexte") == "C{|int x;\n  y;}P{texte}");
  CHECK(md("[docs][1] et [ici].\n\n[1]: https://e.x/doc\n[ICI]: <https://e.x/ici> \"titre\"") ==
        "P{[@https://e.x/doc:docs] et [@https://e.x/ici:ici].}");
  // A definition is not text; a reference to a target the model refuses stays as written.
  CHECK(md("[x][r] et [y]\n\n[r]: javascript:alert(1)") == "P{[x][r] et [y]}");
  CHECK(md("[r]: https://e.x\n\n[z][]") == "P{[z][]}");
}

TEST_CASE("markdown: French punctuation next to links") {
  CHECK(md("« [le lien](https://x.org) »") == "P{« [@https://x.org:le lien] »}");
  CHECK(md("« <https://x.org> »") == "P{« [@https://x.org:https://x.org] »}");
  CHECK(md("voir https://x.org\u00A0; puis") == "P{voir [@https://x.org:https://x.org]\u00A0; puis}");
  CHECK(md("voir https://x.org\u202F! puis") == "P{voir [@https://x.org:https://x.org]\u202F! puis}");
  CHECK(md("« https://x.org/a »,") == "P{« [@https://x.org/a:https://x.org/a] »,}");
  CHECK(md("(https://x.org/é)…") == "P{([@https://x.org/%C3%A9:https://x.org/é])…}");
}

TEST_CASE("markdown: what is not claimed stays readable text") {
  CHECK(md("# Titre\nSous-titre\n=====") == "P{# Titre\\nSous-titre\\n=====}");
  CHECK(md("***\n\n---") == "P{***}P{---}");
  CHECK(md("![chat](https://x.org/chat.png)") == "P{![@https://x.org/chat.png:chat]}");
  CHECK(md("![chat](/chat.png)") == "P{![chat](/chat.png)}");
  CHECK(md("| a | b |\n|---|---|") == "P{| a | b |\\n|---|---|}");
  CHECK(md("<div>*x*</div>") == "P{<div>[e:x]</div>}");
}

TEST_CASE("markdown: WordPress bodies are HTML, and Markdown in them stays text") {
  // WordPress renders comments itself (docs/wordpress.md): what its page shows, the
  // widget shows; asterisks a commenter typed are not emphasis there.
  CHECK(dump(parse_html("<p>*pas* **gras** [x](https://y.org) `c`<br />\n&gt; non</p>")) ==
        "P{*pas* **gras** [x](https://y.org) `c`\\n> non}");
  CHECK(dump(parse_html("<p>voir <a href=\"https://x.org\" rel=\"nofollow ugc\">https://x.org</a>&nbsp;;</p>")) ==
        "P{voir [@https://x.org:https://x.org]\u00A0;}");
}

TEST_CASE("markdown: no raw HTML") {
  CHECK(md("<script>alert(1)</script>") == "P{<script>alert(1)</script>}");
  CHECK(md("<b>gras</b> &amp; &lt;i&gt;") == "P{<b>gras</b> & <i>}");
}

TEST_CASE("markdown: fenced code") {
  CHECK(md("```cpp\nint *p = 0;\n  **x**\n```\napres") == "C{cpp|int *p = 0;\n  **x**}P{apres}");
  CHECK(md("~~~\na\n\nb\n~~~") == "C{|a\n\nb}");
  CHECK(md("texte\n```\nnon fermé") == "P{texte}C{|non fermé}");
  CHECK(md("````\n```\n````") == "C{|```}");
}

TEST_CASE("markdown: quotes, nested") {
  CHECK(md("> cité\n> suite\n\nréponse") == "Q{P{cité\\nsuite}}P{réponse}");
  CHECK(md("> a\n>> b\n> > c") == "Q{P{a}Q{P{b\\nc}}}");
  CHECK(md(">\n> a\n>\n> b") == "Q{P{a}P{b}}");
  CHECK(md("> - un\n> - deux") == "Q{L*{P{un}}{P{deux}}}");
}

TEST_CASE("markdown: lists") {
  CHECK(md("- un\n- deux") == "L*{P{un}}{P{deux}}");
  CHECK(md("* un\n* deux") == "L*{P{un}}{P{deux}}");
  CHECK(md("1. un\n2. deux") == "L1.1{P{un}}{P{deux}}");
  CHECK(md("3) trois\n4) quatre") == "L1.3{P{trois}}{P{quatre}}");
  CHECK(md("- un\n  suite\n\n  second para\n- deux") == "L*{P{un\\nsuite}P{second para}}{P{deux}}");
  CHECK(md("- a\n  - b\n    - c") == "L*{P{a}L*{P{b}L*{P{c}}}}");
  CHECK(md("- a\n\n- b\n\nfin") == "L*{P{a}}{P{b}}P{fin}");
  CHECK(md("- a\n1. b") == "L*{P{a}}L1.1{P{b}}");
  CHECK(md("texte\n- puce") == "P{texte}L*{P{puce}}");
  CHECK(md("en\n2003. Puis") == "P{en\\n2003. Puis}");  // only "1." interrupts a paragraph
  CHECK(md("-5 degrés") == "P{-5 degrés}");
  CHECK(md("- ```\n  code\n  ```") == "L*{C{|code}}");
}

TEST_CASE("markdown: nesting is capped, deeper markers stay text") {
  const std::string deep(100, '>');
  const Document doc = parse_markdown(deep + " fond");
  CHECK(test::max_depth(doc.blocks) == kMaxBlockDepth);
  CHECK(to_plain_text(doc) == std::string(100 - kMaxBlockDepth, '>') + " fond");

  std::string list;
  for (int i = 0; i < 30; ++i) list += std::string(static_cast<size_t>(i) * 2, ' ') + "- x\n";
  CHECK(test::max_depth(parse_markdown(list).blocks) == kMaxBlockDepth);
  CHECK(test::max_depth(parse_markdown(std::string(1000, '-') + "\n").blocks) <= kMaxBlockDepth);
  std::string dashes;
  for (int i = 0; i < 5000; ++i) dashes += "- ";
  CHECK(test::max_depth(parse_markdown(dashes + "x").blocks) == kMaxBlockDepth);
}

TEST_CASE("markdown: invalid UTF-8 and control characters") {
  const Document doc = parse_markdown(
      "a\xFF"
      "b\xC3 \x01\x7F"
      "c\xED\xA0\x80");
  const std::string text = to_plain_text(doc);
  CHECK(utf8_valid(text));
  CHECK(text ==
        "a\xEF\xBF\xBD"
        "b\xEF\xBF\xBD c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("markdown: 1 MB hostile bodies stay linear") {
  const size_t mb = 1 << 20;
  const auto repeat = [&](std::string_view unit) {
    std::string s;
    s.reserve(mb + unit.size());
    while (s.size() < mb) s += unit;
    return s;
  };
  const std::string bodies[] = {
      std::string(mb, '>'),
      std::string(mb, '['),
      std::string(mb, '*'),
      std::string(mb, '_'),
      std::string(mb, '`'),
      std::string(mb, '('),
      repeat("> "),
      repeat(">\n"),
      repeat("- "),
      repeat("*a"),
      repeat("a*"),
      repeat("_a_ "),
      repeat("**a*"),
      repeat("[a]("),
      repeat("[]("),
      repeat("`a``"),
      repeat("` `` ``` "),
      repeat("](x)"),
      repeat("[x](https://x.org/"),
      repeat("https://x.org/(((("),
      repeat("www.x"),
      repeat("*_*_"),
      repeat("a\n"),
      repeat("```\n"),
      repeat("- a\n  "),
      repeat("1. "),
      repeat("\\*"),
      repeat("(((())"),
      repeat("\xFF\xC3"),
      repeat("[*a](https://x.org)"),
      // What CommonMark added: references, titles, <autolinks>, entities, laziness, tabs.
      repeat("&#"),
      repeat("&amp"),
      repeat("<a:"),
      repeat("<a@b"),
      repeat("[a](<"),
      repeat("[a](x \""),
      repeat("[a](x '"),
      repeat("[a](x ("),
      repeat("[a]: x\n"),
      repeat("[a][b]"),
      repeat("    x\n"),
      repeat("> a\nb\n"),
      repeat("- a\nb\n"),
      repeat("\t>\t-\t"),
      repeat(">\t"),
      repeat("-\t"),
      repeat("1.\t\t"),
      "[a]: https://x.org\n\n" + repeat("[a]"),
      "[a]: https://x.org\n\n" + repeat("[a]["),
      "[a]: https://x.org\n\n" + std::string(mb / 2, '[') + std::string(mb / 2, ']'),
      "[a]: https://x.org \"" + repeat("a\n"),
  };
  for (const std::string& body : bodies) {
    // CPU time, not wall-clock: the test machine is shared with parallel builds.
    const std::clock_t start = std::clock();
    const Document doc = parse_markdown(body);
    const std::string text = to_plain_text(doc);
    const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    INFO("body starts with: " << body.substr(0, 12));
    CHECK(seconds < 1.0);
    CHECK(utf8_valid(text));
    CHECK(test::max_depth(doc.blocks) <= kMaxBlockDepth);
  }
}

TEST_CASE("markdown: flatten gives leaf blocks with their context") {
  const Document doc = parse_markdown("> cité\n\n1. un\n   > dans\n2. deux\n\n```\nx\n```");
  const std::vector<FlatBlock> flat = flatten(doc);
  REQUIRE(flat.size() == 5);
  CHECK(flat[0].quote_depth == 1);
  CHECK(flat[1].marker == "1.");
  CHECK(flat[1].list_depth == 1);
  CHECK(flat[2].quote_depth == 1);
  CHECK(flat[2].marker == "");
  CHECK(flat[3].marker == "2.");
  CHECK(flat[4].block->kind == BlockKind::CodeBlock);
  CHECK(to_plain_text(doc) == "cité\n\n1. un\n\ndans\n2. deux\n\nx");
}
