#include <doctest/doctest.h>

#include <string>

#include "core/validation.h"

using namespace causerie;

namespace {

NewComment valid_comment() {
  NewComment c;
  c.author = {"Marie", "marie@example.org", "https://marie.example"};
  c.body = "C’est pas génial pour nous européens mais on l’aura cherché !";
  return c;
}

// The one error for `field`, or nullopt.
std::optional<ValidationCode> error_for(const std::vector<ValidationError>& errors, const char* field) {
  for (const ValidationError& e : errors)
    if (e.field == field) return e.code;
  return std::nullopt;
}

std::optional<ValidationCode> check(const NewComment& c, const char* field, const Limits& limits = {}) {
  return error_for(validate_new_comment(c, limits), field);
}

}  // namespace

TEST_CASE("a normal comment is valid, and every code has a stable name") {
  CHECK(validate_new_comment(valid_comment()).empty());
  NewComment minimal;
  minimal.author = {"A", "a@b.co", std::nullopt};
  minimal.body = "x";
  CHECK(validate_new_comment(minimal).empty());

  const std::pair<ValidationCode, const char*> names[] = {{ValidationCode::required, "required"},
                                                          {ValidationCode::too_short, "too_short"},
                                                          {ValidationCode::too_long, "too_long"},
                                                          {ValidationCode::invalid_email, "invalid_email"},
                                                          {ValidationCode::invalid_url_scheme, "invalid_url_scheme"},
                                                          {ValidationCode::invalid_url, "invalid_url"},
                                                          {ValidationCode::control_characters, "control_characters"},
                                                          {ValidationCode::invalid_utf8, "invalid_utf8"},
                                                          {ValidationCode::too_many_links, "too_many_links"},
                                                          {ValidationCode::honeypot, "honeypot"},
                                                          {ValidationCode::invalid_parent, "invalid_parent"}};
  for (const auto& [code, name] : names) {
    CHECK(std::string(to_string(code)) == name);
    ValidationCode back = ValidationCode::required;
    REQUIRE(parse_validation_code(name, back));
    CHECK(back == code);
  }
  ValidationCode untouched = ValidationCode::honeypot;
  CHECK_FALSE(parse_validation_code("Required", untouched));
  CHECK(untouched == ValidationCode::honeypot);
}

TEST_CASE("required fields, after trimming") {
  NewComment c = valid_comment();
  c.author.name = " \t\xC2\xA0 ";
  c.author.email = "";
  c.body = "\r\n  \n\t";
  const auto errors = validate_new_comment(c);
  CHECK(error_for(errors, "author.name") == ValidationCode::required);
  CHECK(error_for(errors, "author.email") == ValidationCode::required);
  CHECK(error_for(errors, "body") == ValidationCode::required);
  CHECK(errors.size() == 3);

  Limits no_email;
  no_email.require_email = false;
  c = valid_comment();
  c.author.email = "";
  CHECK(validate_new_comment(c, no_email).empty());
  c.author.email = "not-an-email";
  CHECK(check(c, "author.email", no_email) == ValidationCode::invalid_email);
}

TEST_CASE("lengths are counted in code points at the documented limits") {
  NewComment c = valid_comment();
  c.author.name = std::string(80, 'a');
  CHECK_FALSE(check(c, "author.name"));
  std::string eighty_accents;
  for (int i = 0; i < 80; ++i) eighty_accents += "é";  // 160 bytes, 80 characters
  c.author.name = eighty_accents;
  CHECK_FALSE(check(c, "author.name"));
  c.author.name += "é";
  CHECK(check(c, "author.name") == ValidationCode::too_long);

  c = valid_comment();
  c.body = std::string(10000, 'x');
  CHECK_FALSE(check(c, "body"));
  c.body += "y";
  CHECK(check(c, "body") == ValidationCode::too_long);
  c.body = std::string(1 << 20, 'x');  // 1 MB
  CHECK(check(c, "body") == ValidationCode::too_long);

  Limits strict;
  strict.body_min_chars = 5;
  c.body = "abcd";
  CHECK(check(c, "body", strict) == ValidationCode::too_short);
  c.body = "abcde";
  CHECK_FALSE(check(c, "body", strict));

  c = valid_comment();
  c.author.email = std::string(64, 'a') + "@" + std::string(185, 'b') + ".org";  // 254 bytes
  REQUIRE(c.author.email.size() == 254);
  CHECK(check(c, "author.email") == ValidationCode::invalid_email);  // a 185-byte label is too long
  c.author.email = std::string(64, 'a') + "@" + std::string(60, 'b') + "." + std::string(60, 'c') + "." +
                   std::string(60, 'd') + "." + std::string(6, 'e');
  REQUIRE(c.author.email.size() == 254);
  CHECK_FALSE(check(c, "author.email"));
  c.author.email.insert(0, "y");  // one byte over: too_long comes before the shape
  REQUIRE(c.author.email.size() == 255);
  CHECK(check(c, "author.email") == ValidationCode::too_long);

  c = valid_comment();
  c.author.url = "https://example.org/" + std::string(2048 - 20, 'p');
  REQUIRE(c.author.url->size() == 2048);
  CHECK_FALSE(check(c, "author.url"));
  *c.author.url += "p";
  CHECK(check(c, "author.url") == ValidationCode::too_long);

  c = valid_comment();
  c.title = std::string(301, 't');
  CHECK(check(c, "title") == ValidationCode::too_long);
}

TEST_CASE("e-mail shapes") {
  for (const char* good : {"a@b.co", "marie.dupont+blog@example.org", "x@sub.domain-name.fr", "élodie@exemple.fr",
                           "a@réflexion.fr", "o'brien@example.ie"}) {
    CAPTURE(good);
    CHECK(is_email_shape(good));
  }
  for (const char* bad :
       {"", "@", "a@", "@b.co", "a@b", "a@@b.co", "a@b@c.co", "a b@c.co", "a@b .co", "a@.b.co", "a@b..co", "a@b.co.",
        "a@-b.co", "a@b-.co", "a@b_c.co", "a@1.2.3.4", "<a@b.co>", "a@b.co\n", "a,b@c.co"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_email_shape(bad));
  }
  NewComment c = valid_comment();
  c.author.email = "  marie@example.org \n";  // trimmed first
  CHECK_FALSE(check(c, "author.email"));
}

TEST_CASE("author URLs: http and https only, any letter case") {
  NewComment c = valid_comment();
  const std::pair<const char*, std::optional<ValidationCode>> cases[] = {
      {"https://marie.example", std::nullopt},
      {"HTTP://MARIE.EXAMPLE/Blog", std::nullopt},
      {"marie.example/blog", std::nullopt},  // gets https://
      {"//marie.example", std::nullopt},     // idem
      {"localhost:8080", std::nullopt},      // host:port, not a scheme
      {"javascript:alert(document.cookie)", ValidationCode::invalid_url_scheme},
      {"JaVaScRiPt:alert(1)", ValidationCode::invalid_url_scheme},
      {"  javascript:alert(1)", ValidationCode::invalid_url_scheme},
      {"data:text/html;base64,PHNjcmlwdD4=", ValidationCode::invalid_url_scheme},
      {"vbscript:x", ValidationCode::invalid_url_scheme},
      {"ftp://example.org", ValidationCode::invalid_url_scheme},
      {"mailto:marie@example.org", ValidationCode::invalid_url_scheme},
      {"https://", ValidationCode::invalid_url},
      {"http:marie.example", ValidationCode::invalid_url},
      {"https://marie example.org", ValidationCode::invalid_url},
      // User information: the link would show one site and open another.
      {"https://good.example@evil.example/", ValidationCode::invalid_url},
      {"https://user:pass@marie.example", ValidationCode::invalid_url},
      {"good.example@evil.example", ValidationCode::invalid_url},
      {"https://marie.example/contact?from=a@b.example#x@y", std::nullopt},  // '@' past the host is path or query
      {"java\tscript:alert(1)", ValidationCode::control_characters},
      {"https://marie.example/\x01", ValidationCode::control_characters},
      {"https://marie.example/\xFF", ValidationCode::invalid_utf8},
  };
  for (const auto& [url, expected] : cases) {
    CAPTURE(url);
    c.author.url = url;
    CHECK(check(c, "author.url") == expected);
  }
  c.author.url = "   ";  // blank is absent
  CHECK(validate_new_comment(c).empty());
  c.url = "javascript:alert(1)";  // the article URL follows the same rules
  CHECK(check(c, "url") == ValidationCode::invalid_url_scheme);
}

TEST_CASE("control characters and invalid UTF-8") {
  NewComment c = valid_comment();
  c.body = "ligne 1\nligne 2\tavec tabulation\r\nligne 3\rligne 4";
  CHECK(validate_new_comment(c).empty());  // \r and \r\n are normalised, not refused
  for (const char* bad : {"a\x01z", "a\x1Bz", "a\x7Fz", "a\xC2\x85z", "a\xC2\x9Fz", "bell\a"}) {
    CAPTURE(bad);
    c.body = bad;
    CHECK(check(c, "body") == ValidationCode::control_characters);
  }
  c.body = std::string("nul\0byte", 8);
  CHECK(check(c, "body") == ValidationCode::control_characters);
  c.body = "ok\xC2\xA0nbsp and \xE2\x80\x8B zero width";  // not control characters
  CHECK_FALSE(check(c, "body"));

  c = valid_comment();
  c.author.name = "Marie\nDupont";
  CHECK(check(c, "author.name") == ValidationCode::control_characters);
  c.author.name = "Marie\tDupont";
  CHECK(check(c, "author.name") == ValidationCode::control_characters);
  c.title = "Titre\x1F";
  CHECK(check(c, "title") == ValidationCode::control_characters);

  c = valid_comment();
  for (const char* bad : {"\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "ok\xFF"}) {
    CAPTURE(bad);
    c.author.name = bad;
    c.body = bad;
    c.author.email = std::string("a") + bad + "@b.co";
    const auto errors = validate_new_comment(c);
    CHECK(error_for(errors, "author.name") == ValidationCode::invalid_utf8);
    CHECK(error_for(errors, "body") == ValidationCode::invalid_utf8);
    CHECK(error_for(errors, "author.email") == ValidationCode::invalid_utf8);
  }
}

TEST_CASE("link counting") {
  CHECK(count_links("pas de lien") == 0);
  CHECK(count_links("voir https://a.fr et HTTP://b.fr et mailto:x@y.fr") == 3);
  CHECK(count_links("[texte](https://a.fr)") == 1);
  CHECK(count_links("[texte](www.spam.example) [x](/relatif)") == 2);
  CHECK(count_links("https://https://") == 2);
  CHECK(count_links("http:/ / https:") == 0);

  NewComment c = valid_comment();
  c.body.clear();
  for (int i = 0; i < 10; ++i) c.body += "https://spam" + std::to_string(i) + ".example ";
  CHECK_FALSE(check(c, "body"));
  c.body += "[encore](spam.example)";
  CHECK(check(c, "body") == ValidationCode::too_many_links);
  Limits no_links;
  no_links.max_links = 0;
  c.body = "un seul lien : https://a.fr";
  CHECK(check(c, "body", no_links) == ValidationCode::too_many_links);
}

TEST_CASE("the honeypot must stay empty") {
  NewComment c = valid_comment();
  c.website = "http://spam.example";
  CHECK(check(c, "website") == ValidationCode::honeypot);
  c.website = " ";
  CHECK(check(c, "website") == ValidationCode::honeypot);
  c.website = "";
  CHECK(validate_new_comment(c).empty());
}

TEST_CASE("normalisation") {
  CHECK(trim("  \t\xC2\xA0Marie Dupont\xC2\xA0\n") == "Marie Dupont");
  CHECK(trim("") == "");
  CHECK(trim("\xC2") == "\xC2");  // a lone lead byte is not a space
  CHECK(normalize_body("\r\n\r\n   \n  code\r\nligne\rfin  \n\n") == "  code\nligne\nfin");
  CHECK(normalize_body(" \n \n") == "");
  CHECK(normalize_body("a\r\rb") == "a\n\nb");

  NewComment c = valid_comment();
  c.author.name = "  Marie  ";
  c.author.url = " marie.example ";
  c.title = "  ";
  c.url = " https://example.org/a ";
  normalize_new_comment(c);
  CHECK(c.author.name == "Marie");
  CHECK(c.author.url == "https://marie.example");
  CHECK_FALSE(c.title.has_value());
  CHECK(c.url == "https://example.org/a");
  c.author.url = "javascript:alert(1)";  // a scheme is kept, so validation refuses it
  normalize_new_comment(c);
  CHECK(c.author.url == "javascript:alert(1)");
}

TEST_CASE("edits and single-field checks use the body rules") {
  CHECK(validate_comment_edit({"texte corrigé"}).empty());
  const auto errors = validate_comment_edit({"  "});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == ValidationError{"body", ValidationCode::required});
  CHECK(validate_body(std::string(10001, 'x')) == std::vector<ValidationError>{{"body", ValidationCode::too_long}});
}

TEST_CASE("thread keys") {
  CHECK(is_valid_thread_key("/2026/12/un-article"));
  CHECK(is_valid_thread_key(std::string(512, 'k')));
  CHECK_FALSE(is_valid_thread_key(std::string(513, 'k')));
  CHECK_FALSE(is_valid_thread_key(""));
  CHECK_FALSE(is_valid_thread_key("/a\nb"));
  CHECK_FALSE(is_valid_thread_key("/a\xFF"));
}

TEST_CASE("the 422 answer lists every failure") {
  NewComment c;
  c.author.email = "nope";
  c.website = "x";
  const auto errors = validate_new_comment(c);
  const ApiError e = validation_api_error(errors);
  CHECK(e.code == "validation_failed");
  REQUIRE(e.field.has_value());
  CHECK(*e.field == "author.name");
  CHECK(e.message == "author.name is required (and 3 more)");
  CHECK(e.details == std::vector<FieldError>{{"author.name", "required"},
                                             {"author.email", "invalid_email"},
                                             {"body", "required"},
                                             {"website", "honeypot"}});
}
