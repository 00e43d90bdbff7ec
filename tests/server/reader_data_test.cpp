// A reader's own data, asked of the site owner (GDPR articles 15 and 17): every
// comment made with an e-mail address, then all of them erased in place.
#include <doctest/doctest.h>

#include "harness.h"

using namespace test;

TEST_CASE("moderation/authors: a reader's comments by e-mail, then erased with replies kept") {
  const std::string dir = make_temp_dir();
  const std::string admin = "reader-data-admin-token-0123456789";
  std::ofstream(dir + "/admin") << admin;
  Server s({"--admin-token-file", dir + "/admin"});
  REQUIRE(s.running());
  auto c = s.client();
  const httplib::Headers auth = {{"Authorization", "Bearer " + admin}};
  auto zoe1 = parse(post_comment(c, "/rgpd/a", new_comment("Mon premier avis.", "Zoé", "Zoe@Example.org")));
  auto zoe2 = parse(post_comment(c, "/rgpd/b", new_comment("Un autre, ailleurs.", "Zoé", "zoe@example.org")));
  const int64_t zoe1_id = zoe1["comment"]["id"];
  REQUIRE(post_comment(c, "/rgpd/a",
                       json{{"author", {{"name", "Ana"}, {"email", "ana@example.org"}}},
                            {"body", "Je réponds à Zoé."},
                            {"parent_id", zoe1_id}})
              ->status == 201);

  CHECK(c.Get("/api/v1/moderation/authors?email=zoe%40example.org")->status == 401);
  CHECK(error_code(c.Get("/api/v1/moderation/authors?email=zoe", auth)) == "invalid_parameter");
  auto data = parse(c.Get("/api/v1/moderation/authors?email=ZOE%40example.org", auth));
  REQUIRE(data["comments"].size() == 2);
  CHECK(data["comments"][0]["body"] == "Mon premier avis.");
  CHECK(data["comments"][0]["thread"] == "/rgpd/a");
  CHECK(data["comments"][0]["author"]["email"] == "Zoe@Example.org");
  CHECK(data["comments"][1]["thread"] == "/rgpd/b");

  auto erased = parse(c.Delete("/api/v1/moderation/authors?email=zoe%40example.org", auth));
  CHECK(erased["erased"] == 2);
  const auto a = get_page(c, "/rgpd/a");
  REQUIRE(a.comments.size() == 2);  // Zoé's place is kept for Ana's reply
  CHECK(a.comments[0].status == causerie::CommentStatus::deleted);
  CHECK(a.comments[0].body.empty());
  CHECK(a.comments[0].author.avatar_seed.empty());
  CHECK(a.comments[1].parent_id == zoe1_id);
  CHECK(a.thread.comment_count == 1);
  CHECK(get_page(c, "/rgpd/b").comments.empty());
  // Nothing is left to find by that address: the e-mail is gone from the rows.
  CHECK(parse(c.Get("/api/v1/moderation/authors?email=zoe%40example.org", auth))["comments"].empty());
  auto export_file = dir + "/all.json";
  REQUIRE(system((std::string(CAUSERIE_SERVER_BIN) + " export '" + export_file + "' --db '" + s.db() + "'").c_str()) ==
          0);
  const std::string all = read_file(export_file);
  CHECK(all.find("\"name\":\"Zoé\"") == std::string::npos);
  CHECK(all.find("xample.org\",\"name\":\"Zoé") == std::string::npos);
  CHECK(all.find("Mon premier avis") == std::string::npos);
  CHECK(all.find("Je réponds à Zoé.") != std::string::npos);  // Ana's words are Ana's
  CHECK(all.find("xample.org\",\"name\":\"Ana\"") != std::string::npos);
  std::filesystem::remove_all(dir);
}
