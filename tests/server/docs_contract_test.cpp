// docs/api.md and the server agree: every endpoint the document lists, called the
// way the document says, answers with success (never an unknown-route 404/405).
#include <doctest/doctest.h>

#include <regex>

#include "harness.h"

using namespace test;

namespace {

struct Endpoint {
  std::string method, path;
};

// Endpoint headings ("### `GET /api/v1/...`") and moderation table rows
// ("| `POST /api/v1/...` | ..."), up to the "Planned" section.
std::vector<Endpoint> documented_endpoints() {
  std::vector<Endpoint> out;
  std::istringstream doc(read_file(std::string(CAUSERIE_SOURCE_DIR) + "/docs/api.md"));
  const std::regex line_re(R"(^(?:### |\| )`(GET|POST|PUT|PATCH|DELETE) (/[^`]*)`)");
  std::string line;
  while (std::getline(doc, line)) {
    if (line.rfind("### Planned", 0) == 0) break;
    std::smatch m;
    if (std::regex_search(line, m, line_re)) out.push_back({m[1], m[2]});
  }
  return out;
}

// Drops empty query parameters ("?limit=&cursor=" documents names, not values).
std::string concrete_query(const std::string& query) {
  std::string out;
  std::istringstream in(query);
  std::string part;
  while (std::getline(in, part, '&')) {
    if (part.empty() || part.back() == '=') continue;
    out += (out.empty() ? "?" : "&") + part;
  }
  return out;
}

}  // namespace

TEST_CASE("every endpoint of docs/api.md is served as documented") {
  const auto endpoints = documented_endpoints();
  // The document lists at least: thread GET/POST, PATCH, DELETE, counts, 5 moderation, healthz,
  // and the HTML view with its form.
  REQUIRE(endpoints.size() >= 13);

  const std::string dir = make_temp_dir();
  const std::string admin = "docs-walk-admin-token-0123456789";
  std::ofstream(dir + "/admin") << admin;
  Server s({"--admin-token-file", dir + "/admin"});
  auto c = s.client();
  const std::string key = "/docs/walk";
  int n = 0;
  for (const Endpoint& e : endpoints) {
    CAPTURE(e.method);
    CAPTURE(e.path);
    // A fresh comment for each endpoint that names one, with its edit token.
    auto posted = parse(post_comment(c, key,
                                     new_comment("Pour " + e.method + " " + e.path + " " + std::to_string(n),
                                                 "W" + std::to_string(n), "w" + std::to_string(n) + "@example.org")));
    ++n;
    REQUIRE(posted["comment"]["id"].is_number_integer());
    const std::string id = std::to_string(posted["comment"]["id"].get<int64_t>());
    const std::string edit_token = posted["edit_token"];

    std::string path = e.path.substr(0, e.path.find('?'));
    const std::string query = e.path.find('?') == std::string::npos ? "" : e.path.substr(e.path.find('?') + 1);
    path = std::regex_replace(path, std::regex(R"(\{thread\})"), causerie::percent_encode(key));
    path = std::regex_replace(path, std::regex(R"(\{id\})"), id);
    path += concrete_query(query);
    const bool moderation = path.find("/moderation/") != std::string::npos;
    httplib::Headers auth = bearer(moderation ? admin : edit_token);

    if (path.size() > 7 && path.compare(path.size() - 7, 7, "/events") == 0) {
      // A live stream stays open: read its head only.
      EventStream stream(s.port(), key);
      CHECK(stream.status() == 200);
      CHECK(stream.head().find("Content-Type: text/event-stream") != std::string::npos);
      continue;
    }
    const bool html = path.find("/comments.html") != std::string::npos;
    const bool form = path.find("/comments.form") != std::string::npos;
    auto send = [&]() -> httplib::Result {
      if (form)
        return c.Post(path.c_str(), "body=Par+le+formulaire+" + id + "&name=F&email=f%40example.org",
                      "application/x-www-form-urlencoded");
      if (e.method == "GET") return c.Get(path.c_str(), auth);
      if (e.method == "POST" && !moderation)
        return c.Post(path.c_str(), auth, new_comment("Un de plus " + id).dump(), "application/json");
      if (e.method == "POST") return c.Post(path.c_str(), auth, "", "");
      if (e.method == "PATCH") return c.Patch(path.c_str(), auth, R"({"body": "Modifié"})", "application/json");
      if (e.method == "PUT") return c.Put(path.c_str(), auth, R"({"status": "open"})", "application/json");
      return c.Delete(path.c_str(), auth);
    };
    auto r = send();
    REQUIRE(r);
    CAPTURE(r->body);
    if (form) {
      CHECK(r->status == 303);  // back to the article (here: the HTML view)
      CHECK(!r->get_header_value("Location").empty());
      continue;
    }
    CHECK(r->status >= 200);
    CHECK(r->status < 300);
    const bool atom = path.find("/comments.atom") != std::string::npos;
    CHECK(r->get_header_value("Content-Type") == (html   ? "text/html; charset=utf-8"
                                                  : atom ? "application/atom+xml; charset=utf-8"
                                                         : "application/json; charset=utf-8"));
  }
  fs::remove_all(dir);
}
