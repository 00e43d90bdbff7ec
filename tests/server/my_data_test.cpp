// A reader's own data, asked for by the reader: the request, the e-mail a real SMTP
// server (Debian's python3-aiosmtpd, started here) receives, the link followed over
// HTTP, the copy, the erasure, and every refusal.
#include <doctest/doctest.h>

#include "harness.h"
#include "smtp_sink.h"
#include "server/my_data.h"

using namespace test;

namespace {

// A server that mails through `smtp_url`, its public URL its own loopback address.
struct MailingServer {
  int port = free_port();
  Server server;
  explicit MailingServer(const std::string& smtp_url)
      : server({"--listen", "127.0.0.1:" + std::to_string(port), "--smtp-url", smtp_url, "--mail-from",
                "commentaires@example.org", "--public-url", "http://127.0.0.1:" + std::to_string(port)}) {}
};

httplib::Result ask(httplib::Client& c, const std::string& email, const std::string& action,
                    const std::string& lang = "fr") {
  return post_json(c, "/api/v1/my-data", json{{"email", email}, {"action", action}, {"lang", lang}}.dump());
}

// The link of a mail's text, as a path and query on the server.
std::string link_path(const json& mail, int port) {
  const std::string body = mail.value("body", "");
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  const size_t at = body.find(base + "/api/v1/my-data/link?");
  if (at == std::string::npos) return {};
  const size_t end = body.find_first_of(" \r\n", at);
  return body.substr(at + base.size(), end - at - base.size());
}

// The value of the hidden `t` of a confirmation page's form.
std::string form_token(const std::string& page) {
  const std::string marker = "name=\"t\" value=\"";
  const size_t at = page.find(marker);
  if (at == std::string::npos) return {};
  return page.substr(at + marker.size(), page.find('"', at + marker.size()) - at - marker.size());
}

httplib::Result follow(httplib::Client& c, const std::string& token, const std::string& lang = "fr") {
  return c.Post("/api/v1/my-data/link", "t=" + causerie::percent_encode(token) + "&lang=" + lang,
                "application/x-www-form-urlencoded");
}

}  // namespace

TEST_CASE("my-data: a copy by e-mail link, then the erasure, each link used once") {
  SmtpSink smtp;
  REQUIRE(smtp.ready());
  MailingServer m(smtp.url());
  REQUIRE(m.server.running());
  auto c = m.server.client();
  const int64_t zoe1 =
      parse(post_comment(c, "/rgpd/a", new_comment("Mon premier avis.", "Zoé", "Zoe@Example.org")))["comment"]["id"];
  REQUIRE(post_comment(c, "/rgpd/b", new_comment("Un autre, ailleurs.", "Zoé", "zoe@example.org"))->status == 201);
  REQUIRE(post_comment(c, "/rgpd/a",
                       json{{"author", {{"name", "Ana"}, {"email", "ana@example.org"}}},
                            {"body", "Je réponds à Zoé."},
                            {"parent_id", zoe1}})
              ->status == 201);

  // The same answer whether the address has comments or not.
  auto asked = ask(c, "ZOE@example.org", "copy");
  REQUIRE(asked->status == 202);
  auto nobody = ask(c, "personne@example.org", "copy");
  REQUIRE(nobody->status == 202);
  CHECK(nobody->body == asked->body);

  const json copy_mail = smtp.mail(1);
  REQUIRE(copy_mail.is_object());
  CHECK(copy_mail["to"] == json::array({"ZOE@example.org"}));
  CHECK(copy_mail["from"] == "commentaires@example.org");
  CHECK(copy_mail["subject"] == "Une copie de vos commentaires");
  CHECK(copy_mail["type"] == "text/plain");
  const json none_mail = smtp.mail(2);
  REQUIRE(none_mail.is_object());
  CHECK(none_mail["to"] == json::array({"personne@example.org"}));
  CHECK(none_mail["body"].get<std::string>().find("Il n’y en a aucun") != std::string::npos);
  CHECK(link_path(none_mail, m.port).empty());

  const std::string copy_link = link_path(copy_mail, m.port);
  REQUIRE(!copy_link.empty());
  auto page = c.Get(copy_link.c_str());
  REQUIRE(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(page->body.find("Avec l’adresse ZOE@example.org : 2 commentaires.") != std::string::npos);
  const std::string token = form_token(page->body);
  REQUIRE(!token.empty());
  // Opening the page spends nothing (mail scanners open links): the button does.
  REQUIRE(c.Get(copy_link.c_str())->status == 200);
  auto copy = follow(c, token);
  REQUIRE(copy->status == 200);
  CHECK(copy->get_header_value("Content-Type") == "application/jsonl; charset=utf-8");
  CHECK(copy->get_header_value("Content-Disposition").find("attachment") != std::string::npos);
  std::vector<json> lines;
  std::istringstream in(copy->body);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line, nullptr, false));
  REQUIRE(lines.size() == 5);  // header, 2 threads, 2 comments
  CHECK(lines[0]["causerie_export"] == 1);
  CHECK(!lines[0].contains("install_salt"));
  CHECK(lines[1]["thread"]["key"] == "/rgpd/a");
  CHECK(lines[2]["thread"]["key"] == "/rgpd/b");
  CHECK(lines[3]["comment"]["body"] == "Mon premier avis.");
  CHECK(lines[3]["comment"]["author"]["email"] == "Zoe@Example.org");
  CHECK(lines[4]["comment"]["body"] == "Un autre, ailleurs.");
  CHECK(copy->body.find("Ana") == std::string::npos);
  // Used once.
  auto again = follow(c, token);
  CHECK(again->status == 410);
  CHECK(again->body.find("déjà servi") != std::string::npos);

  REQUIRE(ask(c, "zoe@example.org", "erase", "en")->status == 202);
  const json erase_mail = smtp.mail(3);
  REQUIRE(erase_mail.is_object());
  CHECK(erase_mail["subject"] == "Erasing your comments");
  const std::string erase_link = link_path(erase_mail, m.port);
  REQUIRE(!erase_link.empty());
  auto confirm = c.Get(erase_link.c_str());
  REQUIRE(confirm->status == 200);
  CHECK(confirm->body.find("Erase the 2 comments made with zoe@example.org?") != std::string::npos);
  CHECK(get_page(c, "/rgpd/a").comments.size() == 2);  // nothing erased before the button
  auto erased = follow(c, form_token(confirm->body), "en");
  REQUIRE(erased->status == 200);
  CHECK(erased->body.find("Erased: 2 comments made with zoe@example.org.") != std::string::npos);
  CHECK(erased->body.find("/rgpd/b") != std::string::npos);
  const auto a = get_page(c, "/rgpd/a");
  REQUIRE(a.comments.size() == 2);  // Zoé's place is kept for Ana's reply
  CHECK(a.comments[0].status == causerie::CommentStatus::deleted);
  CHECK(a.comments[0].body.empty());
  CHECK(a.comments[1].body == "Je réponds à Zoé.");
  CHECK(get_page(c, "/rgpd/b").comments.empty());
  CHECK(follow(c, form_token(confirm->body), "en")->status == 410);
  // Now the address has nothing: a new request is told so, by e-mail.
  REQUIRE(ask(c, "zoe@example.org", "copy", "en")->status == 202);
  CHECK(smtp.mail(4)["body"].get<std::string>().find("There are none") != std::string::npos);
}

TEST_CASE("my-data: expired, forged and cut links are refused, saying why") {
  SmtpSink smtp;
  REQUIRE(smtp.ready());
  MailingServer m(smtp.url());
  REQUIRE(m.server.running());
  auto c = m.server.client();
  REQUIRE(post_comment(c, "/rgpd/c", new_comment("À garder.", "Zoé", "zoe@example.org"))->status == 201);
  // The install salt, as the owner's export holds it: a link signed by this server.
  const std::string dump = m.server.dir() + "/all.json";
  REQUIRE(system((std::string(CAUSERIE_SERVER_BIN) + " export '" + dump + "' --db '" + m.server.db() + "'").c_str()) ==
          0);
  std::istringstream lines(read_file(dump));
  std::string header;
  std::getline(lines, header);
  const std::string salt = json::parse(header)["install_salt"];
  causerie::server::DataLink l;
  l.action = causerie::server::DataAction::erase;
  l.email = "zoe@example.org";
  l.nonce = "0123";
  l.expires_at = std::time(nullptr) - 60;
  const std::string expired = causerie::server::sign_data_link(salt, l);
  auto r = c.Get(("/api/v1/my-data/link?lang=en&t=" + causerie::percent_encode(expired)).c_str());
  CHECK(r->status == 410);
  CHECK(r->body.find("This link has expired") != std::string::npos);
  CHECK(follow(c, expired)->status == 410);

  l.expires_at = std::time(nullptr) + 3600;
  const std::string good = causerie::server::sign_data_link(salt, l);
  CHECK(causerie::server::sign_data_link("another salt", l) != good);
  CHECK(follow(c, causerie::server::sign_data_link("another salt", l))->status == 400);
  CHECK(follow(c, good.substr(0, good.size() - 5))->status == 400);  // cut by a mail program
  l.email = "ana@example.org";  // the signature of one address on another's
  const std::string forged = causerie::server::sign_data_link(salt, l).substr(0, good.find('.')) + good.substr(good.find('.'));
  auto bad = c.Get(("/api/v1/my-data/link?lang=fr&t=" + causerie::percent_encode(forged)).c_str());
  CHECK(bad->status == 400);
  CHECK(bad->body.find("Ce lien n’est pas valide") != std::string::npos);
  CHECK(get_page(c, "/rgpd/c").comments.size() == 1);
}

TEST_CASE("my-data: without e-mail 503; with the SMTP server down, the e-mail waits for it") {
  Server plain;
  REQUIRE(plain.running());
  auto c = plain.client();
  REQUIRE(post_comment(c, "/rgpd/d", new_comment("Toujours là.", "Zoé", "zoe@example.org"))->status == 201);
  auto r = ask(c, "zoe@example.org", "erase");
  CHECK(r->status == 503);
  CHECK(error_code(r) == "mail_unavailable");
  CHECK(api_error(r).message.find("--smtp-url") != std::string::npos);
  auto form = c.Post("/api/v1/my-data.form", "email=zoe%40example.org&action=erase&lang=fr",
                     "application/x-www-form-urlencoded");
  CHECK(form->status == 503);
  CHECK(form->body.find("Ce site n’envoie pas d’e-mails") != std::string::npos);
  CHECK(form->body.find("value=\"zoe@example.org\"") != std::string::npos);  // the form as it was
  CHECK(get_page(c, "/rgpd/d").comments.size() == 1);

  // The SMTP server away: the request is queued, and its e-mail goes once it is back.
  const int smtp_port = free_port();
  MailingServer down("smtp://127.0.0.1:" + std::to_string(smtp_port));
  REQUIRE(down.server.running());
  auto d = down.server.client();
  REQUIRE(post_comment(d, "/rgpd/d", new_comment("Toujours là.", "Zoé", "zoe@example.org"))->status == 201);
  CHECK(ask(d, "zoe@example.org", "copy")->status == 202);
  SmtpSink back(smtp_port);
  REQUIRE(back.ready());
  const json late = back.mail(1, 30);
  REQUIRE(late.is_object());
  CHECK(late["to"] == json::array({"zoe@example.org"}));
  CHECK(!link_path(late, down.port).empty());
  CHECK(error_code(ask(d, "pas-une-adresse", "copy")) == "validation_failed");
  CHECK(error_code(post_json(d, "/api/v1/my-data", R"({"email":"zoe@example.org","action":"all"})")) ==
        "invalid_field");
}

TEST_CASE("my-data: the no-JavaScript page, its form, and the limits that keep mailboxes quiet") {
  SmtpSink smtp;
  REQUIRE(smtp.ready());
  MailingServer m(smtp.url());
  REQUIRE(m.server.running());
  auto c = m.server.client();
  REQUIRE(post_comment(c, "/rgpd/e", new_comment("Bonjour.", "Zoé", "zoe@example.org"))->status == 201);
  auto view = c.Get("/api/v1/threads/%2Frgpd%2Fe/comments.html?lang=fr");
  REQUIRE(view->status == 200);
  CHECK(view->body.find("href=\"/api/v1/my-data.html?lang=fr\"") != std::string::npos);
  auto page = c.Get("/api/v1/my-data.html?lang=fr");
  REQUIRE(page->status == 200);
  CHECK(page->body.find("<form method=\"post\" action=\"/api/v1/my-data.form\">") != std::string::npos);
  CHECK(page->body.find("<script") == std::string::npos);
  CHECK(!page->get_header_value("Content-Security-Policy").empty());
  CHECK(c.Get("/api/v1/my-data.html?lang=en")->body.find("Send me the link") != std::string::npos);

  auto sent = c.Post("/api/v1/my-data.form", "email=zoe%40example.org&action=copy&lang=fr",
                     "application/x-www-form-urlencoded");
  CHECK(sent->status == 202);
  CHECK(sent->body.find("un message est en route") != std::string::npos);
  REQUIRE(smtp.mail(1).is_object());
  CHECK(!link_path(smtp.mail(1), m.port).empty());
  // Three e-mails per address and hour: the fourth request gets the same 202, and
  // no e-mail goes.
  REQUIRE(ask(c, "zoe@example.org", "copy")->status == 202);
  REQUIRE(ask(c, "zoe@example.org", "copy")->status == 202);
  REQUIRE(smtp.mail(3).is_object());
  CHECK(ask(c, "Zoe@example.org", "erase")->status == 202);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(smtp.received() == 3);
  // Ten requests per client address and hour, then 429.
  int status = 0;
  for (int i = 0; i < 7; ++i) status = ask(c, "autre" + std::to_string(i) + "@example.org", "copy")->status;
  CHECK(status == 429);
}

TEST_CASE("my-data: the e-mail counts comments with the language's plural rule") {
  using causerie::server::comment_count;
  using causerie::server::data_mail;
  using causerie::server::DataAction;
  const causerie::Catalog& fr = causerie::catalog_for("fr");
  const causerie::Catalog& en = causerie::catalog_for("en");
  // French: 0 and 1 are singular; English: only 1.
  CHECK(comment_count(fr, 0) == "0 commentaire");
  CHECK(comment_count(fr, 1) == "1 commentaire");
  CHECK(comment_count(fr, 2) == "2 commentaires");
  CHECK(comment_count(fr, 1500) == "1\u202f500 commentaires");
  CHECK(comment_count(en, 0) == "0 comments");
  CHECK(comment_count(en, 1) == "1 comment");
  CHECK(comment_count(en, 1500) == "1,500 comments");

  const std::string link = "https://comments.example.org/api/v1/my-data/link?t=x";
  const auto one = data_mail(fr, DataAction::copy, "zoe@example.org", 1, link).text;
  CHECK(one.find("une copie de 1 commentaire de l’adresse zoe@example.org.") != std::string::npos);
  const auto two = data_mail(fr, DataAction::erase, "zoe@example.org", 2, link).text;
  CHECK(two.find("l’effacement de 2 commentaires de l’adresse zoe@example.org.") != std::string::npos);
  CHECK(two.find(link) != std::string::npos);
  CHECK(data_mail(en, DataAction::copy, "zoe@example.org", 1, link).text.find("a copy of the 1 comment made with") !=
        std::string::npos);
  CHECK(data_mail(en, DataAction::erase, "zoe@example.org", 3, link).text.find("erase the 3 comments made with") !=
        std::string::npos);
}
