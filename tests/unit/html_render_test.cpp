// Document -> HTML: what the server's no-JavaScript page shows of a comment body.
#include <doctest/doctest.h>

#include <string>

#include "core/html.h"
#include "core/html_render.h"
#include "core/markdown.h"

using namespace causerie;

static std::string md(std::string_view source) { return render_html(parse_markdown(source)); }

TEST_CASE("html_render: escaping of text and attribute values") {
  CHECK(html_escape("a & b < c > d \" e ' f") == "a &amp; b &lt; c &gt; d &quot; e &#39; f");
  CHECK(html_escape("é “ok” ’") == "é “ok” ’");
  // Invalid UTF-8 and control characters never reach the page.
  CHECK(html_escape("a\xff"
                    "b\x01"
                    "c\x7f") ==
        "a\xEF\xBF\xBD"
        "bc");
  CHECK(html_escape("") == "");
}

TEST_CASE("html_render: markup written in a comment is text") {
  CHECK(md("<script>alert(1)</script>") == "<p dir=\"auto\">&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
  CHECK(md("\"><img src=x onerror=alert(1)>") == "<p dir=\"auto\">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>\n");
  // A javascript: target is not a link: the whole thing stays text.
  const std::string js = md("[clique](javascript:alert(1))");
  CHECK(js.find("<a") == std::string::npos);
  CHECK(js.find("javascript:alert(1)") != std::string::npos);
  // WordPress HTML goes through the same model: its markup is rebuilt, never copied.
  CHECK(render_html(parse_html("<p onclick=\"x()\">a<script>b</script><img src=x onerror=y></p>")) ==
        "<p dir=\"auto\">a</p>\n");
}

TEST_CASE("html_render: inline styles, links and line breaks") {
  CHECK(md("*un* **deux** `trois`") == "<p dir=\"auto\"><em>un</em> <strong>deux</strong> <code>trois</code></p>\n");
  CHECK(md("ligne 1\nligne 2") == "<p dir=\"auto\">ligne 1<br>ligne 2</p>\n");
  CHECK(md("[le \"site\"](https://example.org/?a=1&b='2')") ==
        "<p dir=\"auto\"><a href=\"https://example.org/?a=1&amp;b=&#39;2&#39;\" rel=\"nofollow ugc noopener\">"
        "le &quot;site&quot;</a></p>\n");
  CHECK(md("écrire à mailto:marie@example.org") ==
        "<p dir=\"auto\">écrire à <a href=\"mailto:marie@example.org\" rel=\"nofollow ugc noopener\">"
        "mailto:marie@example.org</a></p>\n");
}

TEST_CASE("html_render: blocks") {
  CHECK(md("> cité\n\nréponse") ==
        "<blockquote>\n<p dir=\"auto\">cité</p>\n</blockquote>\n<p dir=\"auto\">réponse</p>\n");
  CHECK(md("- a\n- b") == "<ul>\n<li dir=\"auto\">a</li>\n<li dir=\"auto\">b</li>\n</ul>\n");
  CHECK(md("3. c\n4. d") == "<ol start=\"3\">\n<li dir=\"auto\">c</li>\n<li dir=\"auto\">d</li>\n</ol>\n");
  CHECK(md("```\nif (a < b && c) {}\n```") == "<pre><code>if (a &lt; b &amp;&amp; c) {}</code></pre>\n");
}

TEST_CASE("html_render: hostile nesting stays bounded and balanced") {
  std::string deep;
  for (int i = 0; i < 500; ++i) deep += "> - ";
  deep += "fond";
  const std::string out = md(deep);
  auto count = [&](std::string_view needle) {
    size_t n = 0;
    for (size_t at = out.find(needle); at != std::string::npos; at = out.find(needle, at + 1)) ++n;
    return n;
  };
  CHECK(count("<blockquote>") == count("</blockquote>"));
  CHECK(count("<ul>") == count("</ul>"));
  CHECK(count("<blockquote>") + count("<ul>") <= kMaxBlockDepth);
}
