// The outbox and what it carries to the site's owners: e-mails through a real SMTP
// server (aiosmtpd, smtp_sink.h) that is away, then back, across a restart of
// causerie-server; the alert's approve and spam links followed over HTTP; the
// webhook signed and retried against a real HTTP receiver, and its delivery log.
#include <doctest/doctest.h>

#include "core/url.h"
#include "harness.h"
#include "smtp_sink.h"

using namespace test;

namespace {

const std::string kAdminToken = "admin-token-0123456789abcdef";

std::string write_secret_file(const std::string& secret) {
  const std::string dir = make_temp_dir();
  std::ofstream(dir + "/secret") << secret << "\n";
  return dir + "/secret";
}

// A server alerting `owners` through `smtp_url`, its public URL its own loopback address.
struct AlertingServer {
  int port = free_port();
  Server server;
  AlertingServer(const std::string& smtp_url, std::vector<std::string> extra)
      : server([&] {
          std::vector<std::string> a = {"--listen", "127.0.0.1:" + std::to_string(port), "--smtp-url", smtp_url,
                                        "--mail-from", "commentaires@example.org", "--public-url",
                                        "http://127.0.0.1:" + std::to_string(port)};
          a.insert(a.end(), extra.begin(), extra.end());
          return a;
        }()) {}
};

// The first link of a mail's text after `label`, as a path and query on the server.
std::string link_after(const json& mail, const std::string& label, int port) {
  const std::string body = mail.value("body", "");
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  const size_t l = body.find(label);
  if (l == std::string::npos) return {};
  const size_t at = body.find(base, l);
  if (at == std::string::npos) return {};
  const size_t end = body.find_first_of(" \r\n", at);
  return body.substr(at + base.size(), end - at - base.size());
}

std::string token_of(const std::string& path) {
  const size_t at = path.find("t=");
  return at == std::string::npos ? std::string() : path.substr(at + 2);
}

httplib::Result confirm(httplib::Client& c, const std::string& token) {
  return c.Post("/api/v1/moderation/link", "t=" + causerie::percent_encode(token) + "&lang=fr",
                "application/x-www-form-urlencoded");
}

// The mail of `sink` sent to `to`, among its first `count`.
json mail_to(const SmtpSink& sink, const std::string& to, int count) {
  for (int n = 1; n <= count; ++n) {
    const json m = sink.mail(n);
    if (m.is_object() && m["to"] == json::array({to})) return m;
  }
  return json();
}

bool wait_for_log(const Server& s, const std::string& text, int seconds) {
  for (int i = 0; i < seconds * 20; ++i) {
    if (s.log().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// A webhook receiver (Python's http.server): checks X-Causerie-Signature against
// the secret, refuses the first call with 500, and writes each call it accepts as
// call-N.json {signature_ok, body}.
constexpr const char* kWebhookReceiver = R"py(
import hashlib, hmac, json, os, signal, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
port, out, secret = int(sys.argv[1]), sys.argv[2], open(sys.argv[3]).read().strip().encode()
state = {"calls": 0, "accepted": 0}
class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        ok = hmac.compare_digest(self.headers.get("X-Causerie-Signature", ""), expected)
        state["calls"] += 1
        if state["calls"] == 1:
            self.send_response(500); self.end_headers(); return
        state["accepted"] += 1
        path = os.path.join(out, "call-%d.json" % state["accepted"])
        with open(path + ".tmp", "w") as f:
            json.dump({"signature_ok": ok, "content_type": self.headers.get("Content-Type"),
                       "body": json.loads(body)}, f)
        os.rename(path + ".tmp", path)
        self.send_response(204 if ok else 401); self.end_headers()
    def log_message(self, *args): pass
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
server = ThreadingHTTPServer(("127.0.0.1", port), Hook)
threading.Thread(target=server.serve_forever, daemon=True).start()
open(os.path.join(out, "ready"), "w").close()
signal.sigwait({signal.SIGTERM, signal.SIGINT})
server.shutdown()
)py";

class WebhookReceiver {
public:
  explicit WebhookReceiver(const std::string& secret_file) {
    dir_ = make_temp_dir();
    port_ = free_port();
    std::ofstream(dir_ + "/hook.py") << kWebhookReceiver;
    pid_ = fork();
    if (pid_ == 0) {
      execl("/usr/bin/python3", "python3", (dir_ + "/hook.py").c_str(), std::to_string(port_).c_str(), dir_.c_str(),
            secret_file.c_str(), (char*)nullptr);
      _exit(127);
    }
    for (int i = 0; i < 500 && !fs::exists(dir_ + "/ready"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ~WebhookReceiver() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    fs::remove_all(dir_);
  }
  bool ready() const { return fs::exists(dir_ + "/ready"); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  json call(int n, int seconds) const {
    const std::string path = dir_ + "/call-" + std::to_string(n) + ".json";
    for (int i = 0; i < seconds * 50 && !fs::exists(path); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return fs::exists(path) ? json::parse(read_file(path), nullptr, false) : json();
  }

private:
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace

TEST_CASE("outbox: an e-mail waits for an SMTP server that is away, across a restart, and goes once") {
  const int smtp_port = free_port();  // nobody listens there yet
  AlertingServer m("smtp://127.0.0.1:" + std::to_string(smtp_port), {"--owner-email", "owner@example.org"});
  REQUIRE(m.server.running());
  auto c = m.server.client();
  REQUIRE(post_comment(c, "/outbox/a", new_comment("Écrit pendant la panne.", "Zoé", "zoe@example.org"))->status ==
          201);
  CHECK(wait_for_log(m.server, "not delivered (attempt 1)", 10));
  {
    SmtpSink sink(smtp_port);
    REQUIRE(sink.ready());
    const json first = sink.mail(1, 30);
    REQUIRE(first.is_object());
    CHECK(first["to"] == json::array({"owner@example.org"}));
    CHECK(first["body"].get<std::string>().find("Écrit pendant la panne.") != std::string::npos);
  }  // the SMTP server goes away again

  REQUIRE(post_comment(c, "/outbox/a", new_comment("Écrit avant le redémarrage.", "Zoé", "zoe@example.org"))
              ->status == 201);
  CHECK(wait_for_log(m.server, "not delivered (attempt 1)", 10));
  m.server.restart();
  REQUIRE(m.server.running());
  SmtpSink sink(smtp_port);
  REQUIRE(sink.ready());
  const json second = sink.mail(1, 30);
  REQUIRE(second.is_object());
  CHECK(second["body"].get<std::string>().find("Écrit avant le redémarrage.") != std::string::npos);
  std::this_thread::sleep_for(std::chrono::seconds(3));
  CHECK(sink.received() == 1);  // delivered once, the first one not again
}

TEST_CASE("owner alerts: each owner's e-mail, its approve and spam links, confirmed by a POST, used once") {
  SmtpSink smtp;
  REQUIRE(smtp.ready());
  AlertingServer m(smtp.url(), {"--moderation", "first", "--owner-email", "une@example.org", "--owner-email",
                                "deux@example.org"});
  REQUIRE(m.server.running());
  auto c = m.server.client();
  auto posted = post_comment(c, "/alertes/a",
                             json{{"author", {{"name", "Léa"}, {"email", "lea@example.org"}}},
                                  {"body", "Premier passage.\n\n<b>pas du HTML</b>"},
                                  {"title", "Un article"}});
  REQUIRE(posted->status == 202);
  const json one = mail_to(smtp, "une@example.org", 2);
  const json two = mail_to(smtp, "deux@example.org", 2);
  REQUIRE(one.is_object());
  REQUIRE(two.is_object());
  // A comment held for moderation does not name its thread (docs/api.md): the key does.
  CHECK(one["subject"] == "Commentaire en attente : /alertes/a");
  CHECK(one["type"] == "text/plain");
  const std::string text = one["body"];
  CHECK(text.find("Léa a commenté « /alertes/a »") != std::string::npos);
  CHECK(text.find("<b>pas du HTML</b>") != std::string::npos);  // plain text, as written
  CHECK(text.find("lea@example.org") != std::string::npos);
  CHECK(text.find("/api/v1/threads/%2Falertes%2Fa/comments.html#comment-") != std::string::npos);
  const std::string approve = link_after(one, "L’approuver", m.port);
  const std::string spam = link_after(two, "indésirable", m.port);
  REQUIRE(!approve.empty());
  REQUIRE(!spam.empty());
  CHECK(approve != link_after(two, "L’approuver", m.port));  // each owner has links of their own

  // Opening the link shows a page and changes nothing, however often.
  for (int i = 0; i < 2; ++i) {
    auto page = c.Get(approve);
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->body.find("<form method=\"post\" action=\"/api/v1/moderation/link\">") != std::string::npos);
    CHECK(page->body.find("&lt;b&gt;pas du HTML&lt;/b&gt;") != std::string::npos);
    CHECK(page->body.find("<b>") == std::string::npos);
  }
  CHECK(get_page(c, "/alertes/a").comments.empty());

  auto done = confirm(c, token_of(approve));
  REQUIRE(done);
  CHECK(done->status == 200);
  CHECK(done->body.find("Le commentaire est publié.") != std::string::npos);
  CHECK(get_page(c, "/alertes/a").comments.size() == 1);
  auto again = confirm(c, token_of(approve));
  CHECK(again->status == 410);
  CHECK(again->body.find("Ce lien a déjà servi.") != std::string::npos);

  // The other owner's spam link still works, once.
  CHECK(confirm(c, token_of(spam))->status == 200);
  CHECK(get_page(c, "/alertes/a").comments.empty());
  CHECK(confirm(c, token_of(spam))->status == 410);

  // A link altered, or one made for my-data, is refused.
  std::string altered = token_of(approve);
  altered[3] = altered[3] == 'A' ? 'B' : 'A';
  CHECK(confirm(c, altered)->status == 400);
  CHECK(c.Get("/api/v1/moderation/link?t=" + altered)->status == 400);

  // A published comment's alert offers spam only, in English with --owner-lang en.
  SmtpSink english_sink;
  AlertingServer english(english_sink.url(), {"--owner-email", "owner@example.org", "--owner-lang", "en"});
  auto e = english.server.client();
  REQUIRE(post_comment(e, "/alerts/b", new_comment("Hello there.", "Sam", "sam@example.org"))->status == 201);
  const json mail = english_sink.mail(1);
  REQUIRE(mail.is_object());
  CHECK(mail["subject"] == "New comment: /alerts/b");
  CHECK(link_after(mail, "Approve it", english.port).empty());
  CHECK(!link_after(mail, "Mark it as spam", english.port).empty());
}

TEST_CASE("owner alerts: without --smtp-url, said once at start; --owner-email then refused") {
  Server plain;
  REQUIRE(plain.running());
  const std::string log = plain.log();
  const std::string said = "this server sends no e-mail";
  CHECK(log.find(said) != std::string::npos);
  CHECK(log.find(said) == log.rfind(said));
  Server refused({"--owner-email", "owner@example.org"});
  CHECK(!refused.running());
  CHECK(refused.log().find("--owner-email needs --smtp-url") != std::string::npos);
}

TEST_CASE("webhook: signed JSON for each new comment, retried after a failure, in the delivery log") {
  const std::string secret_file = write_secret_file("webhook-secret-0123456789abcdefghijkl");
  const std::string admin_file = write_secret_file(kAdminToken);
  WebhookReceiver hook(secret_file);
  REQUIRE(hook.ready());
  Server s({"--webhook", hook.url(), "--webhook-secret-file", secret_file, "--admin-token-file", admin_file,
            "--public-url", "http://comments.example.org"});
  REQUIRE(s.running());
  auto c = s.client();
  auto posted = post_comment(c, "/crochet/a",
                             json{{"author", {{"name", "Ana"}, {"email", "ana@example.org"}}},
                                  {"body", "Bonjour le crochet."},
                                  {"url", "https://blog.example.org/a"}});
  REQUIRE(posted->status == 201);
  const int64_t id = parse(posted)["comment"]["id"];

  const json call = hook.call(1, 20);  // the first call was refused with 500
  REQUIRE(call.is_object());
  CHECK(call["signature_ok"] == true);
  CHECK(call["content_type"] == "application/json");
  const json& body = call["body"];
  CHECK(body["event"] == "comment.created");
  CHECK(body["comment"]["id"] == id);
  CHECK(body["comment"]["body"] == "Bonjour le crochet.");
  CHECK(body["comment"]["status"] == "published");
  CHECK(body["comment"]["link"] == "https://blog.example.org/a#comment-" + std::to_string(id));
  CHECK(!body["comment"]["author"].contains("email"));
  CHECK(body["thread"]["key"] == "/crochet/a");

  json log;
  for (int i = 0; i < 100; ++i) {
    auto r = c.Get("/api/v1/moderation/deliveries", bearer(kAdminToken));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    log = json::parse(r->body);
    if (log["deliveries"].size() == 1 && log["deliveries"][0]["status"] == "delivered") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(log["deliveries"].size() == 1);
  const json& d = log["deliveries"][0];
  CHECK(d["status"] == "delivered");
  CHECK(d["attempts"] == 2);
  CHECK(d["url"] == hook.url());
  CHECK(d["last_error"].get<std::string>().find("500") != std::string::npos);
  CHECK(d["body"]["comment"]["id"] == id);
  CHECK(c.Get("/api/v1/moderation/deliveries")->status == 401);

  // Without a secret file, or with a guessable secret, the server does not start.
  Server no_secret({"--webhook", hook.url()});
  CHECK(!no_secret.running());
  Server weak({"--webhook", hook.url(), "--webhook-secret-file", write_secret_file("secret")});
  CHECK(!weak.running());
}
