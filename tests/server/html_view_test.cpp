// The thread without JavaScript: GET comments.html (escaped, semantic HTML with a
// plain form) and POST comments.form (the same checks as the JSON post, answered
// with a 303 back to the article or the page again with the errors).
#include <doctest/doctest.h>

#include <regex>
#include <set>

#include "core/i18n.h"
#include "harness.h"

using namespace test;

namespace {

std::string html_path(const std::string& key, const std::string& query = "") {
  return "/api/v1/threads/" + causerie::percent_encode(key) + "/comments.html" + query;
}

std::string form_path(const std::string& key) {
  return "/api/v1/threads/" + causerie::percent_encode(key) + "/comments.form";
}

std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += causerie::percent_encode(name) + "=" + causerie::percent_encode(value);
  }
  return out;
}

httplib::Result post_form(httplib::Client& c, const std::string& key,
                          const std::vector<std::pair<std::string, std::string>>& fields,
                          httplib::Headers headers = {}) {
  return c.Post(form_path(key).c_str(), headers, form_body(fields), "application/x-www-form-urlencoded");
}

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

// Every tag of the page (text never holds a raw '<': it is all escaped, so each
// '<' opens a tag): its name and attribute names must be from the view's small
// vocabulary, no event handler, and links only http(s), mailto, our API or #.
void check_markup_vocabulary(const std::string& page) {
  static const std::set<std::string> tags = {
      "!doctype", "html",       "head",    "meta",  "title", "style", "body",     "section", "h2",     "h3",     "ol",
      "ul",       "li",         "article", "p",     "span",  "a",     "time",     "div",     "em",     "strong", "code",
      "pre",      "blockquote", "br",      "small", "form",  "label", "textarea", "input",   "button", "base", "link"};
  static const std::set<std::string> attributes = {"lang",          "dir",         "charset",      "name",
                                                   "content",       "class",       "id",           "aria-labelledby",
                                                   "aria-label",    "aria-hidden", "aria-invalid", "aria-describedby",
                                                   "role",          "href",        "rel",          "datetime",
                                                   "data-reply-to", "method",      "action",       "for",
                                                   "rows",          "cols",        "required",     "type",
                                                   "autocomplete",  "maxlength",   "inputmode",    "value",
                                                   "tabindex",      "start",       "html",         "target"};
  // The style sheet is ours and fixed: only the markup around it is scanned.
  const size_t style_start = page.find("<style>");
  const size_t style_end = page.find("</style>");
  REQUIRE(style_start != std::string::npos);
  REQUIRE(style_end != std::string::npos);
  const std::string page_markup = page.substr(0, style_start + 7) + page.substr(style_end);
  const std::string& markup = page_markup;
  const std::regex attr_re(R"(([a-zA-Z!-]+)(="[^"]*")?)");
  for (size_t at = markup.find('<'); at != std::string::npos; at = markup.find('<', at + 1)) {
    const size_t end = markup.find('>', at);
    REQUIRE(end != std::string::npos);
    std::string tag = markup.substr(at + 1, end - at - 1);
    if (!tag.empty() && tag[0] == '/') tag.erase(0, 1);
    const std::string name = tag.substr(0, tag.find(' '));
    std::string lower_name;
    for (char ch : name) lower_name += (char)std::tolower((unsigned char)ch);
    CAPTURE(tag);
    CHECK(tags.count(lower_name) == 1);
    const std::string rest = tag.find(' ') == std::string::npos ? "" : tag.substr(tag.find(' ') + 1);
    for (auto it = std::sregex_iterator(rest.begin(), rest.end(), attr_re); it != std::sregex_iterator(); ++it) {
      const std::string attr = (*it)[1];
      CAPTURE(attr);
      CHECK(attributes.count(attr) == 1);
      if (attr == "href") {
        const std::string v = (*it)[2].str().substr(2, (*it)[2].length() - 3);
        CAPTURE(v);
        const bool allowed = v.rfind("https://", 0) == 0 || v.rfind("http://", 0) == 0 || v.rfind("mailto:", 0) == 0 ||
                             v.rfind("/api/v1/threads/", 0) == 0 || v.rfind("/api/v1/my-data.html", 0) == 0 ||
                             v.rfind("#", 0) == 0;
        CHECK(allowed);
      }
    }
    at = end;
  }
}

}  // namespace

TEST_CASE("comments.html: hostile comments appear as text only") {
  Server s;
  auto c = s.client();
  const std::string key = "/2026/12/hostile";
  json first = new_comment(
      "<script>alert(1)</script>\n\n\"><img src=x onerror=alert(2)>\n\n"
      "[clique ici](javascript:alert(3)) et javascript:alert(4)",
      "Zoé <b onmouseover=x>", "zoe@example.org");
  first["author"]["url"] = "https://zoe.example/\"onmouseover=\"x";
  first["title"] = "Un « titre » <i>piégé</i> & co";
  auto r1 = post_comment(c, key, first);
  REQUIRE(r1);
  REQUIRE(r1->status == 201);

  auto r = c.Get(html_path(key, "?lang=fr").c_str());
  REQUIRE(r);
  CHECK(r->status == 200);
  const std::string& page = r->body;
  CAPTURE(page);
  // No markup from the comment: no script, no img, no handler, no javascript: link.
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("<img") == std::string::npos);
  CHECK(page.find("<b ") == std::string::npos);
  CHECK(page.find("<i>") == std::string::npos);
  CHECK(page.find("href=\"javascript") == std::string::npos);
  check_markup_vocabulary(page);
  // ... but every character of it as text.
  CHECK(page.find("<p dir=\"auto\">&lt;script&gt;alert(1)&lt;/script&gt;</p>") != std::string::npos);
  CHECK(page.find("<p dir=\"auto\">&quot;&gt;&lt;img src=x onerror=alert(2)&gt;</p>") != std::string::npos);
  CHECK(page.find("javascript:alert(3)") != std::string::npos);
  CHECK(page.find("javascript:alert(4)") != std::string::npos);
  CHECK(page.find("Zoé &lt;b onmouseover=x&gt;") != std::string::npos);
  CHECK(page.find("Un « titre » &lt;i&gt;piégé&lt;/i&gt; &amp; co") != std::string::npos);
  // The author's URL is an attribute value: its quote is escaped, it stays one attribute.
  CHECK(page.find("href=\"https://zoe.example/&quot;onmouseover=&quot;x\" rel=\"nofollow ugc noopener\"") !=
        std::string::npos);
}

TEST_CASE("comments.html: French and English, nesting, dates, headers") {
  Server s;
  auto c = s.client();
  const std::string key = "/2026/12/un-article";
  json top = new_comment("Premier *avis*", "Marie", "marie@example.org");
  top["title"] = "Chine - Russie";
  top["url"] = "https://example.org/2026/12/un-article";
  const int64_t top_id = parse(post_comment(c, key, top))["comment"]["id"];
  // A chain of replies deeper than the indentation cap (5).
  int64_t parent = top_id;
  std::vector<int64_t> chain;
  for (int i = 1; i <= 7; ++i) {
    json reply =
        new_comment("Réponse " + std::to_string(i), "R" + std::to_string(i), "r" + std::to_string(i) + "@example.org");
    reply["parent_id"] = parent;
    parent = parse(post_comment(c, key, reply))["comment"]["id"];
    chain.push_back(parent);
  }
  auto other = parse(post_comment(c, key, new_comment("Un autre fil", "Paul", "paul@example.org")));
  // A deleted comment with no reply disappears; the one with replies stays as a placeholder.
  auto gone = parse(post_comment(c, key, new_comment("Je retire", "Luc", "luc@example.org")));
  const std::string gone_id = std::to_string(gone["comment"]["id"].get<int64_t>());
  REQUIRE(c.Delete(("/api/v1/comments/" + gone_id).c_str(), bearer(gone["edit_token"]))->status == 200);

  auto r = c.Get(html_path(key, "?lang=fr").c_str());
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const std::string& page = r->body;
  CAPTURE(page);
  check_markup_vocabulary(page);
  CHECK(page.find("<html lang=\"fr\">") != std::string::npos);
  CHECK(page.find(
            "<h2 id=\"causerie-heading\">9 réflexions au sujet de “<span dir=\"auto\">Chine - Russie</span>”</h2>") !=
        std::string::npos);
  CHECK(count(page, "<article id=\"comment-") == 9);
  CHECK(page.find("id=\"comment-" + gone_id + "\"") == std::string::npos);
  CHECK(page.find("Je retire") == std::string::npos);
  CHECK(page.find("<p dir=\"auto\">Premier <em>avis</em></p>") != std::string::npos);
  CHECK(page.find("<span class=\"causerie-author\" dir=\"auto\">Marie</span> dit\u00A0:") != std::string::npos);
  CHECK(std::regex_search(
      page,
      std::regex(
          R"(<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">\d{1,2} [a-zéû]+ \d{4} à \d{1,2} h \d\d UTC</time>)")));
  CHECK(count(page, ">Répondre</a>") == 9);
  CHECK(page.find("aria-label=\"Répondre à Marie\"") != std::string::npos);
  // Nesting: <ol> inside <li>, balanced, five levels at most; deeper replies say whom they answer.
  CHECK(count(page, "<ol class=\"causerie-children\">") == 5);
  CHECK(count(page, "<ol") == count(page, "</ol>"));
  CHECK(count(page, "<li>") == count(page, "</li>"));
  CHECK(page.find("en réponse à <span dir=\"auto\">R5</span>") != std::string::npos);
  CHECK(page.find("en réponse à <span dir=\"auto\">R6</span>") != std::string::npos);
  CHECK(page.find("en réponse à <span dir=\"auto\">R4</span>") == std::string::npos);
  // Display order: the whole chain, then the other top-level comment.
  CHECK(page.find("Réponse 7") < page.find("Un autre fil"));
  CHECK(page.find("comment-" + std::to_string(other["comment"]["id"].get<int64_t>())) != std::string::npos);
  // The form: WordPress's fields and labels.
  CHECK(page.find("<form method=\"post\" action=\"" + form_path(key) + "\"") != std::string::npos);
  CHECK(page.find(">Laisser un commentaire</h3>") != std::string::npos);
  CHECK(page.find("<button type=\"submit\">Laisser un commentaire</button>") != std::string::npos);
  for (const char* label : {">Commentaire <", ">Nom <", ">E-mail <", ">Site web</label>"})
    CHECK(page.find(label) != std::string::npos);
  CHECK(page.find("name=\"website\"") != std::string::npos);
  CHECK(page.find("class=\"causerie-hp\" aria-hidden=\"true\"") != std::string::npos);
  CHECK(page.find("<input type=\"hidden\" name=\"parent_id\" value=\"\">") != std::string::npos);

  // Headers: a page safe to embed.
  CHECK(r->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
  const std::string csp = r->get_header_value("Content-Security-Policy");
  CHECK(csp.find("default-src 'none'") != std::string::npos);
  CHECK(csp.find("script-src") == std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(std::regex_search(csp, std::regex(R"(style-src 'sha256-[A-Za-z0-9+/]{43}=')")));
  CHECK(csp.find("form-action 'self'") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'self'") != std::string::npos);
  CHECK(r->get_header_value("Cache-Control") == "no-cache");
  const std::string etag = r->get_header_value("ETag");
  REQUIRE(etag.size() > 2);
  auto again = c.Get(html_path(key, "?lang=fr").c_str(), {{"If-None-Match", etag}});
  CHECK(again->status == 304);
  CHECK(again->body.empty());
  // Another language is another page; a new comment changes the tag.
  auto en = c.Get(html_path(key).c_str(), {{"Accept-Language", "en-GB,en;q=0.9"}, {"If-None-Match", etag}});
  REQUIRE(en->status == 200);
  CHECK(en->body.find("9 thoughts on “<span dir=\"auto\">Chine - Russie</span>”") != std::string::npos);
  CHECK(en->body.find(">Reply</a>") != std::string::npos);
  CHECK(en->body.find(">" + std::string(causerie::tr(causerie::catalog_for("en"), "form.title")) + "</h3>") !=
        std::string::npos);
  auto pick_fr = c.Get(html_path(key).c_str(), {{"Accept-Language", "de-DE, fr;q=0.8, en;q=0.5"}});
  CHECK(pick_fr->body.find("<html lang=\"fr\">") != std::string::npos);
  post_comment(c, key, new_comment("Encore", "Ana", "ana@example.org"));
  CHECK(c.Get(html_path(key, "?lang=fr").c_str(), {{"If-None-Match", etag}})->status == 200);

  // In the <noscript> iframe: links and the post's redirect go to the top window.
  auto framed = c.Get(html_path(key, "?lang=fr&framed=1&return_to=%2F2026%2F12%2Fun-article").c_str());
  CHECK(framed->body.find("<base target=\"_top\">") != std::string::npos);
  CHECK(framed->body.find("&amp;framed=1&amp;return_to=%2F2026%2F12%2Fun-article&amp;reply_to=") != std::string::npos);
  CHECK(framed->body.find("name=\"return_to\" value=\"/2026/12/un-article\"") != std::string::npos);
  CHECK(page.find("<base") == std::string::npos);

  // Reply page: the form answers the chosen comment.
  auto reply = c.Get(html_path(key, "?lang=fr&reply_to=" + std::to_string(top_id)).c_str());
  CHECK(reply->body.find("Répondre à <span dir=\"auto\">Marie</span> <small>") != std::string::npos);
  CHECK(reply->body.find("name=\"parent_id\" value=\"" + std::to_string(top_id) + "\"") != std::string::npos);
}

TEST_CASE("comments.html: unknown threads, closed threads, bad parameters") {
  const std::string dir = make_temp_dir();
  std::ofstream(dir + "/admin") << "html-view-admin-token-0123456789";
  Server s({"--admin-token-file", dir + "/admin"});
  auto c = s.client();
  auto empty = c.Get(html_path("/nouveau", "?lang=fr&title=Mon%20article").c_str());
  REQUIRE(empty->status == 200);
  CHECK(empty->body.find("<h2 id=\"causerie-heading\">Aucun commentaire</h2>") != std::string::npos);
  CHECK(empty->body.find("<input type=\"hidden\" name=\"title\" value=\"Mon article\">") != std::string::npos);
  CHECK(c.Get(html_path("/x", "?cursor=nope").c_str())->status == 400);
  CHECK(c.Post(html_path("/x").c_str(), "", "application/x-www-form-urlencoded")->status == 405);

  post_comment(c, "/ferme", new_comment("Avant la fermeture"));
  REQUIRE(c.Put("/api/v1/moderation/threads/%2Fferme", bearer("html-view-admin-token-0123456789"),
                R"({"status": "closed"})", "application/json")
              ->status == 200);
  auto closed = c.Get(html_path("/ferme", "?lang=fr").c_str());
  CHECK(closed->body.find("Les commentaires sont fermés.") != std::string::npos);
  CHECK(closed->body.find("<form") == std::string::npos);
  CHECK(closed->body.find(">Répondre</a>") == std::string::npos);
  auto refused =
      post_form(c, "/ferme", {{"body", "Trop tard"}, {"name", "Léa"}, {"email", "lea@example.org"}, {"lang", "fr"}});
  CHECK(refused->status == 403);
  CHECK(refused->body.find("Les commentaires sont fermés") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("comments.form: a post goes back to the article at the new comment") {
  Server s({"--allowed-origin", "https://blog.example"});
  auto c = s.client();
  const std::string key = "/2026/12/form";
  const std::string own = "http://127.0.0.1:" + std::to_string(s.port());
  auto r = post_form(c, key,
                     {{"body", "Envoyé *sans* JavaScript"},
                      {"name", "Léa"},
                      {"email", "lea@example.org"},
                      {"url", "lea.example"},
                      {"website", ""},
                      {"parent_id", ""},
                      {"lang", "fr"},
                      {"title", "Le titre"},
                      {"return_to", own + "/2026/12/form/?utm=x#ancien"}},
                     {{"Origin", own}});
  REQUIRE(r);
  CHECK(r->status == 303);
  CHECK(r->get_header_value("Cache-Control") == "no-store");
  auto page = get_page(c, key);
  REQUIRE(page.comments.size() == 1);
  const causerie::Comment posted = page.comments[0];
  CHECK(r->get_header_value("Location") == own + "/2026/12/form/?utm=x#comment-" + std::to_string(posted.id));
  CHECK(posted.body == "Envoyé *sans* JavaScript");
  CHECK(posted.author.name == "Léa");
  CHECK(posted.author.url == std::optional<std::string>("https://lea.example"));
  // The thread was created by this post with the form's title and way back.
  CHECK(page.thread.title == "Le titre");
  CHECK(page.thread.url == own + "/2026/12/form/?utm=x");

  // A reply, from an allowed site, going back to it.
  auto reply = post_form(c, key,
                         {{"body", "Une réponse"},
                          {"name", "Tom"},
                          {"email", "tom@example.org"},
                          {"parent_id", std::to_string(posted.id)},
                          {"return_to", "https://blog.example/article"}},
                         {{"Origin", "https://blog.example"}});
  REQUIRE(reply->status == 303);
  CHECK(reply->get_header_value("Location").rfind("https://blog.example/article#comment-", 0) == 0);
  page = get_page(c, key);
  REQUIRE(page.comments.size() == 2);
  CHECK(page.comments[1].parent_id == std::optional<int64_t>(posted.id));

  // A path on this server is followed as it is (the demo's noscript iframe uses one).
  auto local = post_form(
      c, key,
      {{"body", "Retour local"}, {"name", "Tom"}, {"email", "tom@example.org"}, {"return_to", "/2026/12/form/"}});
  REQUIRE(local->status == 303);
  CHECK(local->get_header_value("Location").rfind("/2026/12/form/#comment-", 0) == 0);

  // A way back to another site is not followed: the reader lands on the HTML view.
  for (const std::string& foreign :
       {std::string("https://evil.example/"), std::string("https://blog.example.evil.example/"),
        std::string("https://blog.example@evil.example/"), std::string("javascript:alert(1)"),
        std::string("//evil.example/"), std::string("/\\evil.example/"), own + ".evil.example/"}) {
    CAPTURE(foreign);
    auto away = post_form(c, key,
                          {{"body", "Vers " + foreign},
                           {"name", "Eve"},
                           {"email", "eve@example.org"},
                           {"return_to", foreign},
                           {"lang", "en"}});
    REQUIRE(away->status == 303);
    const std::string location = away->get_header_value("Location");
    CAPTURE(location);
    CHECK(location.rfind("/api/v1/threads/" + causerie::percent_encode(key) + "/comments.html?lang=en#comment-", 0) ==
          0);
  }

  // A form posted from a site that is not allowed is refused with a page, not stored.
  const size_t before = get_page(c, key).comments.size();
  auto forged = post_form(c, key, {{"body", "Forgé"}, {"name", "X"}, {"email", "x@example.org"}, {"lang", "fr"}},
                          {{"Origin", "https://evil.example"}});
  CHECK(forged->status == 403);
  CHECK(forged->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(forged->body.find("Vous n’avez pas l’autorisation de faire cela.") != std::string::npos);
  CHECK(get_page(c, key).comments.size() == before);

  // Only the form encoding is accepted here.
  CHECK(c.Post(form_path(key).c_str(), new_comment("JSON").dump(), "application/json")->status == 415);
}

TEST_CASE("comments.form: held for moderation, the reader is told") {
  Server s({"--moderation", "first"});
  auto c = s.client();
  const std::string own = "http://127.0.0.1:" + std::to_string(s.port());
  auto r = post_form(c, "/attente",
                     {{"body", "Premier commentaire"},
                      {"name", "Nina"},
                      {"email", "nina@example.org"},
                      {"return_to", own + "/attente/?causerie=pending"},
                      {"lang", "fr"}});
  REQUIRE(r->status == 303);
  // The marker of an earlier post is not repeated.
  CHECK(r->get_header_value("Location") == own + "/attente/?causerie=pending#causerie-respond");
  auto view = c.Get(html_path("/attente", "?lang=fr&causerie=pending").c_str());
  CHECK(view->body.find(
            "<p class=\"causerie-notice\" role=\"status\">Votre commentaire est en attente de modération.</p>") !=
        std::string::npos);
  CHECK(view->body.find("Premier commentaire") == std::string::npos);  // pending: not shown to anyone
  auto plain = c.Get(html_path("/attente", "?lang=fr").c_str());
  CHECK(plain->body.find("role=\"status\"") == std::string::npos);
}

TEST_CASE("comments.form: errors come back on the page, next to the fields, values kept") {
  Server s;
  auto c = s.client();
  const std::string key = "/erreurs";
  auto r = post_form(c, key,
                     {{"body", "   "},
                      {"name", "Zoé \"><b>"},
                      {"email", "pas-une-adresse"},
                      {"url", "javascript:alert(1)"},
                      {"lang", "fr"},
                      {"tz", "60"},
                      {"return_to", "https://example.org/a"}});
  REQUIRE(r);
  CHECK(r->status == 422);
  CHECK(r->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(r->get_header_value("Cache-Control") == "no-store");
  CHECK(r->get_header_value("Content-Security-Policy").find("default-src 'none'") != std::string::npos);
  const std::string& page = r->body;
  CAPTURE(page);
  check_markup_vocabulary(page);
  CHECK(page.find("role=\"alert\">Certains champs sont à corriger.</p>") != std::string::npos);
  CHECK(page.find("id=\"causerie-body-error\">Veuillez saisir un commentaire.</span>") != std::string::npos);
  CHECK(page.find("id=\"causerie-email-error\">Veuillez saisir une adresse e-mail valide.</span>") !=
        std::string::npos);
  CHECK(page.find("id=\"causerie-url-error\">L’adresse doit commencer par http:// ou https://.</span>") !=
        std::string::npos);
  CHECK(page.find("causerie-name-error") == std::string::npos);
  CHECK(
      page.find("name=\"email\" type=\"email\" autocomplete=\"email\" maxlength=\"254\" required aria-invalid=\"true\" "
                "aria-describedby=\"causerie-email-error\" value=\"pas-une-adresse\"") != std::string::npos);
  CHECK(page.find("value=\"Zoé &quot;&gt;&lt;b&gt;\"") != std::string::npos);
  CHECK(page.find("value=\"javascript:alert(1)\"") != std::string::npos);
  CHECK(page.find("name=\"return_to\" value=\"https://example.org/a\"") != std::string::npos);
  CHECK(page.find("name=\"tz\" value=\"60\"") != std::string::npos);
  CHECK(get_page(c, key).comments.empty());

  // The body is kept too, with its line breaks.
  auto long_body =
      post_form(c, key, {{"body", "Ligne 1\nLigne <2>"}, {"name", ""}, {"email", "a@example.org"}, {"lang", "en"}});
  CHECK(long_body->status == 422);
  CHECK(long_body->body.find(">Ligne 1\nLigne &lt;2&gt;</textarea>") != std::string::npos);
  CHECK(long_body->body.find("causerie-name-error") != std::string::npos);
  CHECK(long_body->body.find("<html lang=\"en\">") != std::string::npos);

  // A reply to a comment that does not exist.
  auto orphan = post_form(
      c, key,
      {{"body", "Réponse"}, {"name", "Zoé"}, {"email", "zoe@example.org"}, {"parent_id", "999999"}, {"lang", "fr"}});
  CHECK(orphan->status == 422);
  CHECK(orphan->body.find("Le commentaire auquel vous répondez n’existe plus.") != std::string::npos);
  CHECK(post_form(
            c, key,
            {{"body", "Réponse"}, {"name", "Zoé"}, {"email", "zoe@example.org"}, {"parent_id", "abc"}, {"lang", "fr"}})
            ->status == 422);
}

TEST_CASE("comments.form: honeypot, duplicates and rate limits, as for JSON") {
  Server s({"--rate-post", "3/h"});  // an hour's clock-aligned window: a slow run stays in it
  auto c = s.client();
  const std::string key = "/abus";
  auto bot = post_form(c, key,
                       {{"body", "Achetez"},
                        {"name", "Bot"},
                        {"email", "bot@example.org"},
                        {"website", "https://spam.example"},
                        {"lang", "fr"}});
  CHECK(bot->status == 422);
  CHECK(bot->body.find("Votre commentaire n’a pas pu être envoyé.") != std::string::npos);
  CHECK(bot->body.find("value=\"https://spam.example\"") == std::string::npos);  // the honeypot is never echoed
  CHECK(get_page(c, key).comments.empty());

  const std::vector<std::pair<std::string, std::string>> fields = {
      {"body", "Une fois"}, {"name", "Ana"}, {"email", "ana@example.org"}, {"lang", "fr"}};
  CHECK(post_form(c, key, fields)->status == 303);
  auto twice = post_form(c, key, fields);
  CHECK(twice->status == 409);
  CHECK(twice->body.find("Commentaire en double détecté") != std::string::npos);
  CHECK(get_page(c, key).comments.size() == 1);

  // The JSON post and the form share the same posting budget.
  auto json_post = post_comment(c, key, new_comment("Par JSON"));
  CHECK(json_post->status == 429);
  auto limited = post_form(c, key, {{"body", "Encore"}, {"name", "Ana"}, {"email", "ana@example.org"}, {"lang", "fr"}});
  CHECK(limited->status == 429);
  CHECK(!limited->get_header_value("Retry-After").empty());
  CHECK(limited->body.find("Trop de commentaires envoyés, réessayez dans") != std::string::npos);
  CHECK(limited->body.find(">Encore</textarea>") != std::string::npos);
}

TEST_CASE("comments.html: names and titles are bidi isolates, paragraphs find their own direction") {
  Server s;
  auto c = s.client();
  const std::string key = "/bidi";
  // U+202E RIGHT-TO-LEFT OVERRIDE in a name would, without isolation, reverse
  // " dit : <date>" after it; an Arabic name would carry the date to its side.
  const std::string override_name = "\u202EZoé";
  const std::string arabic_name = "\u0645\u0631\u064A\u0645";  // Maryam
  const std::string arabic_title = "\u0645\u0642\u0627\u0644";
  json first = new_comment("\u0645\u0631\u062D\u0628\u0627 2026\n\nEt en français : « bonjour ».", arabic_name,
                           "maryam@example.org");
  first["author"]["url"] = "https://maryam.example";
  first["title"] = arabic_title;
  const int64_t first_id = parse(post_comment(c, key, first))["comment"]["id"];
  json reply = new_comment("- un\n- \u0627\u062B\u0646\u0627\u0646", override_name, "zoe@example.org");
  reply["parent_id"] = first_id;
  REQUIRE(post_comment(c, key, reply)->status == 201);
  // Replies below the indentation cap say whom they answer.
  int64_t parent = first_id;
  for (int i = 1; i <= 6; ++i) {
    json deeper = new_comment("Réponse " + std::to_string(i), arabic_name, "maryam@example.org");
    deeper["parent_id"] = parent;
    parent = parse(post_comment(c, key, deeper))["comment"]["id"];
  }

  auto r = c.Get(html_path(key, "?lang=fr&reply_to=" + std::to_string(first_id)).c_str());
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const std::string& page = r->body;
  CAPTURE(page);
  check_markup_vocabulary(page);

  // Each name, where it is shown, is the whole content of an element with
  // dir="auto" (or its link's), closed before the words and the date that follow.
  CHECK(page.find("<span class=\"causerie-author\" dir=\"auto\">" + override_name + "</span> dit\u00A0: <a href") !=
        std::string::npos);
  CHECK(page.find("<span class=\"causerie-author\" dir=\"auto\"><a href=\"https://maryam.example\" rel=\"nofollow "
                  "ugc noopener\">" +
                  arabic_name + "</a></span> dit\u00A0: <a href") != std::string::npos);
  CHECK(page.find("en réponse à <span dir=\"auto\">" + arabic_name + "</span></p>") != std::string::npos);
  CHECK(page.find("Répondre à <span dir=\"auto\">" + arabic_name + "</span> <small>") != std::string::npos);
  CHECK(page.find("au sujet de “<span dir=\"auto\">" + arabic_title + "</span>”</h2>") != std::string::npos);
  // The document's title cannot hold markup: FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE.
  CHECK(page.find("au sujet de “\u2068" + arabic_title + "\u2069”</title>") != std::string::npos);
  // No shown occurrence of a name (text, not an attribute) is outside an isolate.
  for (const std::string& name : {override_name, arabic_name}) {
    for (size_t at = page.find(name); at != std::string::npos; at = page.find(name, at + 1)) {
      const std::string before = page.substr(at >= 80 ? at - 80 : 0, std::min<size_t>(at, 80));
      CAPTURE(before);
      const bool attribute = before.rfind("aria-label=\"") != std::string::npos &&
                             before.find('>', before.rfind("aria-label=\"")) == std::string::npos;
      const bool isolated =
          before.ends_with("dir=\"auto\">") || (before.ends_with("rel=\"nofollow ugc noopener\">") &&
                                                before.find("dir=\"auto\"><a href=") != std::string::npos);
      CHECK((attribute || isolated));
    }
  }
  // Paragraphs and list items of bodies: each its own direction.
  CHECK(page.find("<p dir=\"auto\">\u0645\u0631\u062D\u0628\u0627 2026</p>") != std::string::npos);
  // The typography pass: no-break spaces before ':' and inside « ».
  CHECK(page.find("<p dir=\"auto\">Et en français\u00A0: «\u00A0bonjour\u00A0».</p>") != std::string::npos);
  CHECK(page.find("<li dir=\"auto\">\u0627\u062B\u0646\u0627\u0646</li>") != std::string::npos);
  for (size_t text = page.find("<div class=\"causerie-text\">"); text != std::string::npos;
       text = page.find("<div class=\"causerie-text\">", text + 1)) {
    const std::string body = page.substr(text, page.find("</div>", text) - text);
    CHECK(body.find("<p>") == std::string::npos);
    CHECK(body.find("<li>") == std::string::npos);
  }
  // The form's text fields too.
  CHECK(page.find("<textarea id=\"causerie-body\" name=\"body\" rows=\"8\" cols=\"45\" dir=\"auto\"") !=
        std::string::npos);
  CHECK(page.find("name=\"name\" type=\"text\" dir=\"auto\"") != std::string::npos);
}
