#include <doctest/doctest.h>

#include <ctime>
#include <string>

#include "core/html.h"
#include "core/html_entities.h"
#include "core/utf8.h"
#include "richtext_dump.h"

using namespace causerie;
using causerie::test::dump;

static std::string html(std::string_view source) { return dump(parse_html(source)); }

TEST_CASE("html: WordPress comment bodies (wpautop + wptexturize)") {
  CHECK(html("<p>C&#8217;est pas génial pour nous europèens mais on ne pourra pas pleurer "
             "tellement on l&#8217;aura cherché !</p>\n") ==
        "P{C’est pas génial pour nous europèens mais on ne pourra pas pleurer tellement on "
        "l’aura cherché !}");
  CHECK(html("<p>Accord sino-russe, le pire qu&rsquo;on pouvait faire ! Parce que "
             "c&#x2019;est totalement de notre faute.<br />\nLe premier choix de Putin, "
             "c&#8217;était l&#8217;Europe</p>\n") ==
        "P{Accord sino-russe, le pire qu’on pouvait faire ! Parce que c’est totalement de notre "
        "faute.\\nLe premier choix de Putin, c’était l’Europe}");
  CHECK(html("<p>&#8220;Bonjour&#8221; &#8230; &laquo;&nbsp;oui&nbsp;&raquo; &ndash; &mdash;</p>") ==
        "P{“Bonjour” … «\u00A0oui\u00A0» – —}");
  CHECK(html("<p>un</p>\n<p>deux</p>") == "P{un}P{deux}");
}

TEST_CASE("html: inline styles and mis-nesting") {
  CHECK(html("<em>a</em> <i>b</i> <strong>c</strong> <b>d</b> <code>e</code>") == "P{[e:a] [e:b] [s:c] [s:d] [c:e]}");
  CHECK(html("<b><i>x</b>y</i>z") == "P{[es:x][e:y]z}");
  CHECK(html("</b>stray</i></p></blockquote></ul></li>") == "P{stray}");
  CHECK(html("<b>never closed") == "P{[s:never closed]}");
  CHECK(html("<p>a<p>b") == "P{a}P{b}");
}

TEST_CASE("html: links accept only http, https and mailto") {
  CHECK(html("<a href=\"https://x.org/a?b=1&amp;c=2\" rel=\"nofollow ugc\">lien</a>") ==
        "P{[@https://x.org/a?b=1&c=2:lien]}");
  CHECK(html("<a href='mailto:a@b.fr'>écrire</a>") == "P{[@mailto:a@b.fr:écrire]}");
  CHECK(html("<a href=http://x.org>nu</a>") == "P{[@http://x.org:nu]}");
  CHECK(html("<A HREF=\"HTTPS://X.ORG\">maj</A>") == "P{[@HTTPS://X.ORG:maj]}");
  CHECK(html("<a href=\"javascript:alert(1)\">x</a>") == "P{x}");
  CHECK(html("<a href=\"javascript&#58;alert(1)\">x</a>") == "P{x}");
  CHECK(html("<a href=\"java&#x0A;script:alert(1)\">x</a>") == "P{x}");
  CHECK(html("<a href=\"javascript&colon;alert(1)\">x</a>") == "P{x}");
  CHECK(html("<a href=\" javascript:alert(1)\">x</a>") == "P{x}");
  CHECK(html("<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>") == "P{x}");
  CHECK(html("<a href=\"vbscript:x\">x</a>") == "P{x}");
  CHECK(html("<a href=\"/relative\">x</a>") == "P{x}");
  CHECK(html("<a>sans href</a>") == "P{sans href}");
  // The first href wins, as in browsers; '>' inside quotes does not end the tag.
  CHECK(html("<a href=\"https://a.org\" href=\"javascript:x\" title=\"a > b\">t</a>") == "P{[@https://a.org:t]}");
  // An <a> is closed by the next one's start; the link does not leak past </a>.
  CHECK(html("<a href=\"https://a.org\">a</a> b") == "P{[@https://a.org:a] b}");
}

TEST_CASE("html: script and friends vanish with their content") {
  CHECK(html("<p>avant<script>alert('x')</script>après</p>") == "P{avantaprès}");
  CHECK(html("<SCRIPT type=\"text/javascript\">document.write('<p>x</p>')</SCRIPT >fin") == "P{fin}");
  CHECK(html("<style>p{color:red}</style><template><p>t</p></template>ok") == "P{ok}");
  CHECK(html("<svg><svg><text>a</text></svg><text>b</text></svg>ok") == "P{ok}");
  CHECK(html("<iframe src=\"https://evil\">fallback</iframe><object>o</object><math>m</math>v") == "P{v}");
  CHECK(html("texte<script>jamais fermé") == "P{texte}");
  CHECK(html("a<!-- commentaire <script>x</script> -->b") == "P{ab}");
  CHECK(html("a<!-- jamais fermé") == "P{a}");
  CHECK(html("<!DOCTYPE html><?xml x?>a<![CDATA[b]]>c") == "P{ac}");
  // Entity-encoded markup is text, shown as such, never markup.
  CHECK(html("&lt;script&gt;alert(1)&lt;/script&gt;") == "P{<script>alert(1)</script>}");
}

TEST_CASE("html: unknown tags dropped, text kept") {
  CHECK(html("<span class=\"x\">a</span><font>b</font><u>c</u>") == "P{abc}");
  CHECK(html("<div>un</div><div>deux</div><h2>trois</h2>") == "P{un}P{deux}P{trois}");
  CHECK(html("<img src=\"x.png\" alt=\"🙂\" class=\"wp-smiley\" /> ok") == "P{🙂 ok}");
  CHECK(html("a < b et c > d") == "P{a < b et c > d}");
  CHECK(html("a <b") == "P{a}");  // input ends inside a tag: the tag goes
  CHECK(html("<p title=\"unterminated>text</p>") == "");
  CHECK(html("<table><tr><td>a</td><td>b</td></tr></table>") == "P{a b}");
}

TEST_CASE("html: whitespace is collapsed except in pre") {
  CHECK(html("  <p>  un \n\t deux  </p>  ") == "P{un deux}");
  CHECK(html("<p>a <br /> b</p>") == "P{a\\nb}");
  CHECK(html("<p><br>a<br><br></p>") == "P{a}");
  CHECK(html("<pre>\n  int x;\n\n  <b>y</b> &lt; 2;\n</pre>") == "C{|  int x;\n\n  y < 2;}");
  CHECK(html("<pre><code>a\nb</code></pre>apres") == "C{|a\nb}P{apres}");
  CHECK(html("<pre>jamais fermé") == "C{|jamais fermé}");
}

TEST_CASE("html: quotes and lists") {
  CHECK(html("<blockquote><p>cité</p></blockquote><p>réponse</p>") == "Q{P{cité}}P{réponse}");
  CHECK(html("<ul><li>un</li><li>deux</ul>") == "L*{P{un}}{P{deux}}");
  CHECK(html("<ol start=\"3\"><li>a<li>b</ol>") == "L1.3{P{a}}{P{b}}");
  CHECK(html("<ul><li>a<ul><li>b</li></ul></li></ul>") == "L*{P{a}L*{P{b}}}");
  CHECK(html("<ul>texte nu</ul>") == "L*{P{texte nu}}");
  CHECK(html("<li>sans liste</li>") == "P{sans liste}");
  CHECK(html("<blockquote></blockquote><ul></ul>x") == "P{x}");
  CHECK(html("<blockquote>a<ul><li>b</blockquote>c") == "Q{P{a}L*{P{b}}}P{c}");
}

TEST_CASE("html: entities") {
  CHECK(decode_entities("&amp;&lt;&gt;&quot;&apos;") == "&<>\"'");
  CHECK(decode_entities("&eacute;&Eacute;&agrave;&ccedil;&ocirc;&uuml;&yuml;&OElig;&oelig;") == "éÉàçôüÿŒœ");
  CHECK(decode_entities("&euro;&trade;&copy;&reg;&deg;&times;&divide;&sect;&para;&middot;") == "€™©®°×÷§¶·");
  CHECK(decode_entities("&lsquo;&rsquo;&ldquo;&rdquo;&hellip;&bull;&prime;") == "‘’“”…•′");
  CHECK(decode_entities("&#8217;&#x2019;&#X2019;&#039;&#38;") == "’’’'&");
  CHECK(decode_entities("&#x1F600;") == "😀");
  // Invalid code points become U+FFFD.
  CHECK(decode_entities("&#0;") == "\uFFFD");
  CHECK(decode_entities("&#xD800;") == "\uFFFD");
  CHECK(decode_entities("&#x110000;") == "\uFFFD");
  CHECK(decode_entities("&#99999999999999999999;") == "\uFFFD");
  CHECK(decode_entities("&#1;") == "\uFFFD");
  CHECK(decode_entities("&#12;&#13;&#9;") == " \n\t");
  CHECK(decode_entities("&#146;") == "’");  // Windows-1252, as browsers read it
  // Broken references stay as written.
  CHECK(decode_entities("&amp") == "&amp");
  CHECK(decode_entities("&unknown; & &; &#; &#x; &#12a; &AMP;") == "&unknown; & &; &#; &#x; &#12a; &AMP;");
  CHECK(decode_entities("AT&T &") == "AT&T &");
  CHECK(named_entity_count() >= 253);
}

TEST_CASE("html: invalid UTF-8 and controls never reach the model") {
  const Document doc = parse_html("<p>a\xFF\xFE<b>\xC3</b>\x01\x1B[31m\xED\xA0\x80</p>");
  const std::string text = to_plain_text(doc);
  CHECK(utf8_valid(text));
  CHECK(text.find('\x1B') == std::string::npos);
  CHECK(text.find('\x01') == std::string::npos);
  CHECK(text.find("\xEF\xBF\xBD") != std::string::npos);
}

TEST_CASE("html: nesting is capped") {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "<blockquote><ul><li>";
  deep += "fond";
  const Document doc = parse_html(deep);
  CHECK(test::max_depth(doc.blocks) <= kMaxBlockDepth);
  CHECK(to_plain_text(doc).find("fond") != std::string::npos);
}

TEST_CASE("html: 1 MB hostile bodies stay linear") {
  const size_t mb = 1 << 20;
  const auto repeat = [&](std::string_view unit) {
    std::string s;
    s.reserve(mb + unit.size());
    while (s.size() < mb) s += unit;
    return s;
  };
  const std::string bodies[] = {
      std::string(mb, '<'),
      std::string(mb, '&'),
      repeat("<b>"),
      repeat("</i>"),
      repeat("<blockquote>"),
      repeat("</blockquote>"),
      repeat("<ul><li>"),
      repeat("<li>"),
      repeat("<a href=\"https://x.org\">"),
      repeat("<a href=\""),
      repeat("<!--"),
      repeat("<script>"),
      repeat("<svg>"),
      repeat("&#x"),
      repeat("&#99999999"),
      repeat("&amp"),
      repeat("<p>a<br>"),
      repeat("<pre>"),
      repeat("< "),
      repeat("<a b='"),
      repeat("\xFF"),
      repeat("<b><i></b></i>"),
  };
  for (const std::string& body : bodies) {
    // CPU time, not wall-clock: the test machine is shared with parallel builds.
    const std::clock_t start = std::clock();
    const Document doc = parse_html(body);
    const std::string text = to_plain_text(doc);
    const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    INFO("body starts with: " << body.substr(0, 16));
    CHECK(seconds < 1.0);
    CHECK(utf8_valid(text));
    CHECK(test::max_depth(doc.blocks) <= kMaxBlockDepth);
  }
}
