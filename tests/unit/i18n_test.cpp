#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/api_client.h"
#include "core/dates.h"
#include "core/i18n.h"
#include "core/i18n_embedded.h"
#include "core/utf8.h"
#include "core/validation.h"

using namespace causerie;

// Placeholders ("{title}") a text uses, to compare languages.
static std::set<std::string> placeholders(const std::string& text) {
  std::set<std::string> out;
  for (size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    const size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    out.insert(text.substr(open, close - open + 1));
  }
  return out;
}

TEST_CASE("i18n: every embedded catalog parses and has every English key") {
  REQUIRE(kEmbeddedCatalogCount >= 2);
  for (size_t k = 0; k < kEmbeddedCatalogCount; ++k) {
    Catalog c;
    INFO("catalog " << kEmbeddedCatalogs[k].language);
    CHECK(parse_catalog(kEmbeddedCatalogs[k].json, c));
  }
  const Catalog& en = catalog_for("en");
  REQUIRE(en.language == "en");
  CHECK(en.messages.size() > 90);
  for (const std::string& language : available_languages()) {
    const Catalog& c = catalog_for(language);
    CHECK(c.language == language);
    CHECK(!c.name.empty());
    for (const auto& [key, message] : en.messages) {
      INFO(language << ": " << key);
      CHECK(has_message(c, key));
      if (!has_message(c, key)) continue;
      // Date patterns pick their own fields ({hour24} in French, {hour12} {ampm} in English).
      if (key == "date.absolute") continue;
      const Message& m = c.messages.find(key)->second;
      const std::string& other = m.forms[static_cast<size_t>(PluralCategory::other)];
      CHECK(placeholders(other) == placeholders(message.forms[static_cast<size_t>(PluralCategory::other)]));
    }
    for (const auto& [key, message] : c.messages) {
      INFO(language << " has a key English lacks: " << key);
      CHECK(has_message(en, key));
    }
  }
}

TEST_CASE("i18n: language tags fall back to the language, then English") {
  CHECK(catalog_for("fr").language == "fr");
  CHECK(catalog_for("fr-CA").language == "fr");
  CHECK(catalog_for("FR_be").language == "fr");
  CHECK(catalog_for("en-GB").language == "en");
  CHECK(catalog_for("tlh").language == "en");
  CHECK(catalog_for("").language == "en");
  CHECK(catalog_for(std::string(1000, 'x')).language == "en");
}

TEST_CASE("i18n: plural rules (CLDR, integers)") {
  CHECK(plural_category("fr", 0) == PluralCategory::one);
  CHECK(plural_category("fr", 1) == PluralCategory::one);
  CHECK(plural_category("fr", 2) == PluralCategory::other);
  CHECK(plural_category("fr", 1000000) == PluralCategory::other);
  CHECK(plural_category("en", 0) == PluralCategory::other);
  CHECK(plural_category("en", 1) == PluralCategory::one);
  CHECK(plural_category("en", 2) == PluralCategory::other);
  CHECK(plural_category("ru", 1) == PluralCategory::one);
  CHECK(plural_category("ru", 11) == PluralCategory::many);
  CHECK(plural_category("ru", 22) == PluralCategory::few);
  CHECK(plural_category("ru", 25) == PluralCategory::many);
  CHECK(plural_category("pl", 21) == PluralCategory::many);
  CHECK(plural_category("pl", 24) == PluralCategory::few);
  CHECK(plural_category("cs", 3) == PluralCategory::few);
  CHECK(plural_category("none", 1) == PluralCategory::other);
  CHECK(plural_category("en", INT64_MIN) == PluralCategory::other);
}

TEST_CASE("i18n: the WordPress French wording") {
  const Catalog& fr = catalog_for("fr");
  const std::string title = "Chine - Russie : Xi Jinping appelle à un partenariat solide face à l'Occident";
  CHECK(tr_count(fr, "header.count", 1, {{"title", title}}) == "Une réflexion au sujet de “" + title + "”");
  CHECK(tr_count(fr, "header.count", 3, {{"title", title}}) == "3 réflexions au sujet de “" + title + "”");
  CHECK(tr_count(fr, "header.count", 0, {{"title", title}}) == "Aucun commentaire");
  CHECK(tr_count(fr, "header.count", 1234, {{"title", "T"}}) == "1\u202F234 réflexions au sujet de “T”");
  CHECK(tr(fr, "comment.reply") == "Répondre");
  CHECK(tr(fr, "comment.reply_to", {{"name", "Hervé"}}) == "Répondre à Hervé");
  CHECK(tr(fr, "form.title") == "Laisser un commentaire");
  CHECK(tr(fr, "form.submit") == "Laisser un commentaire");
  CHECK(tr(fr, "form.cancel_reply") == "Annuler la réponse");
  CHECK(tr(fr, "form.notes") == "Votre adresse e-mail ne sera pas publiée.");
  CHECK(tr(fr, "comment.awaiting_moderation") == "Votre commentaire est en attente de modération.");
  CHECK(tr(fr, "comment.in_reply_to", {{"name", "Lia"}}) == "en réponse à Lia");
  CHECK(tr(fr, "comment.says", {{"name", "Lia"}}) == "Lia dit\u00A0:");
  CHECK(tr_count(fr, "thread.new_comments", 1) == "1 nouveau commentaire");
  CHECK(tr_count(fr, "thread.new_comments", 4) == "4 nouveaux commentaires");
  CHECK(tr_count(fr, "error.rate_limited", 1) == "Trop de commentaires envoyés, réessayez dans 1 seconde");
  CHECK(tr_count(fr, "error.rate_limited", 30) == "Trop de commentaires envoyés, réessayez dans 30 secondes");
  CHECK(tr_count(fr, "comment.edit_time_left", 0) == "Encore 0 minute pour modifier");  // fr: 0 is singular
}

TEST_CASE("i18n: the WordPress English wording") {
  const Catalog& en = catalog_for("en-US");
  CHECK(tr_count(en, "header.count", 1, {{"title", "Hello"}}) == "One thought on “Hello”");
  CHECK(tr_count(en, "header.count", 3, {{"title", "Hello"}}) == "3 thoughts on “Hello”");
  CHECK(tr_count(en, "header.count", 0, {{"title", "Hello"}}) == "No comments yet");
  CHECK(tr_count(en, "header.count", 1234567, {{"title", "x"}}) == "1,234,567 thoughts on “x”");
  CHECK(tr(en, "form.title") == "Leave a Reply");
  CHECK(tr(en, "form.submit") == "Post Comment");
  CHECK(tr_count(en, "comment.edit_time_left", 0) == "0 minutes left to edit");
  CHECK(tr_count(en, "comment.edit_time_left", 1) == "1 minute left to edit");
}

TEST_CASE("i18n: substitution is safe and single-pass") {
  const Catalog& fr = catalog_for("fr");
  // A commenter named "{count}" or "%s%n" stays exactly that.
  CHECK(tr(fr, "comment.reply_to", {{"name", "{count}"}}) == "Répondre à {count}");
  CHECK(tr(fr, "comment.reply_to", {{"name", "%s%n%x"}}) == "Répondre à %s%n%x");
  CHECK(tr_count(fr, "header.count", 2, {{"title", "{title} {count} {0}"}}) ==
        "2 réflexions au sujet de “{title} {count} {0}”");
  CHECK(format_message("{0} et {1}, {missing}, {}, {", {{"a", "un"}, {"b", "deux"}}) == "un et deux, {missing}, {}, {");
  CHECK(format_message("{a}{a}{b", {{"a", "x"}}) == "xx{b");
  // Missing key: English, then the key itself.
  CHECK(tr(fr, "no.such.key") == "no.such.key");
  Catalog partial;
  REQUIRE(parse_catalog(R"({"language":"xx","name":"X","plural":"en","messages":{}})", partial));
  CHECK(tr(partial, "comment.reply") == "Reply");
  CHECK(tr_count(partial, "thread.new_comments", 2) == "2 new comments");
}

TEST_CASE("i18n: malformed catalogs are rejected, not half-loaded") {
  Catalog c;
  c.language = "keep";
  CHECK_FALSE(parse_catalog("", c));
  CHECK_FALSE(parse_catalog("[]", c));
  CHECK_FALSE(parse_catalog(R"({"language":"xx","name":"X","plural":"en"})", c));
  CHECK_FALSE(parse_catalog(R"({"language":1,"name":"X","plural":"en","messages":{}})", c));
  CHECK_FALSE(parse_catalog(R"({"language":"xx","name":"X","plural":"en","messages":{"a":1}})", c));
  CHECK_FALSE(parse_catalog(R"({"language":"xx","name":"X","plural":"en","messages":{"a":{"one":"x"}}})", c));
  CHECK_FALSE(
      parse_catalog(R"({"language":"xx","name":"X","plural":"en","messages":{"a":{"other":"x","lots":"y"}}})", c));
  CHECK_FALSE(parse_catalog(R"({"language":"xx","name":"X","plural":"en","messages":{"a":"\u001b[31m"}})", c));
  CHECK_FALSE(parse_catalog("{\"language\":\"xx\",\"name\":\"X\",\"plural\":\"en\",\"messages\":{\"a\":\"\xFF\"}}", c));
  CHECK(c.language == "keep");
  CHECK(parse_catalog(
      R"({"language":"pt_BR","name":"P","plural":"fr","messages":{"a":{"=0":"nada","one":"{count} um","other":"{count} x"}}})",
      c));
  CHECK(c.language == "pt-br");
  CHECK(tr_count(c, "a", 0) == "nada");
  CHECK(tr_count(c, "a", 1) == "1 um");
}

TEST_CASE("i18n: validation messages per field and code") {
  const Catalog& fr = catalog_for("fr");
  const Catalog& en = catalog_for("en");
  CHECK(validation_message(fr, "body", "required") == "Veuillez saisir un commentaire.");
  CHECK(validation_message(en, "body", "required") == "Please type your comment text.");
  CHECK(validation_message(fr, "author.name", "required") == "Veuillez indiquer votre nom.");
  CHECK(validation_message(fr, "title", "too_long") == "Le champ «\u00A0Titre\u00A0» est trop long.");
  CHECK(validation_message(en, "author.email", "invalid_utf8") == "Email contains unreadable text (invalid encoding).");
  CHECK(validation_message(fr, "author.email", "invalid_email") == "Veuillez saisir une adresse e-mail valide.");
  CHECK(validation_message(en, "body", "no_such_code") == "Some fields need fixing.");
  const char* codes[] = {"required",       "too_short",          "too_long",     "invalid_email",  "invalid_url_scheme",
                         "invalid_url",    "control_characters", "invalid_utf8", "too_many_links", "honeypot",
                         "invalid_parent", "duplicate",          "thread_closed"};
  const char* fields[] = {"author.name", "author.email", "author.url", "body", "title", "url", "website"};
  for (const std::string& language : available_languages()) {
    const Catalog& c = catalog_for(language);
    for (const char* code : codes)
      for (const char* field : fields) {
        const std::string message = validation_message(c, field, code);
        INFO(language << " " << field << " " << code << ": " << message);
        CHECK(message != tr(c, "error.validation"));
        CHECK(message.find('{') == std::string::npos);
        CHECK(utf8_valid(message));
      }
  }
}

TEST_CASE("i18n: number formatting") {
  CHECK(format_number(catalog_for("en"), 0) == "0");
  CHECK(format_number(catalog_for("en"), 999) == "999");
  CHECK(format_number(catalog_for("en"), 1000) == "1,000");
  CHECK(format_number(catalog_for("en"), -1234567) == "-1,234,567");
  CHECK(format_number(catalog_for("fr"), 12345) == "12\u202F345");
  CHECK(format_number(catalog_for("en"), INT64_MIN) == "-9,223,372,036,854,775,808");
}

TEST_CASE("i18n: every client error kind and validation code has a text in every language") {
  for (const std::string& language : available_languages()) {
    const Catalog& c = catalog_for(language);
    for (int k = static_cast<int>(ClientErrorKind::network); k <= static_cast<int>(ClientErrorKind::malformed_response);
         ++k) {
      const std::string key = std::string("error.") + to_string(static_cast<ClientErrorKind>(k));
      INFO(language << ": " << key);
      CHECK(has_message(c, key));
    }
    for (int k = static_cast<int>(ValidationCode::required); k <= static_cast<int>(ValidationCode::invalid_parent);
         ++k) {
      const std::string key = std::string("validation.") + to_string(static_cast<ValidationCode>(k));
      INFO(language << ": " << key);
      CHECK(has_message(c, key));
    }
  }
}

TEST_CASE("i18n: Arabic plural categories (CLDR: zero, one, two, few 3-10, many 11-99, other)") {
  const std::pair<int64_t, PluralCategory> cases[] = {
      {0, PluralCategory::zero},     {1, PluralCategory::one},     {2, PluralCategory::two},
      {3, PluralCategory::few},      {10, PluralCategory::few},    {11, PluralCategory::many},
      {99, PluralCategory::many},    {100, PluralCategory::other}, {101, PluralCategory::other},
      {102, PluralCategory::other},  {103, PluralCategory::few},   {110, PluralCategory::few},
      {111, PluralCategory::many},   {199, PluralCategory::many},  {200, PluralCategory::other},
      {1000, PluralCategory::other}, {1003, PluralCategory::few},  {1011, PluralCategory::many},
  };
  for (const auto& [n, category] : cases) {
    INFO(n);
    CHECK(plural_category("ar", n) == category);
  }
}

TEST_CASE("i18n: the Arabic catalog counts in all six forms and reads right to left") {
  const Catalog& ar = catalog_for("ar-MA");
  REQUIRE(ar.language == "ar");
  CHECK(ar.right_to_left());
  CHECK(tr_count(ar, "header.count_untitled", 0) == "لا توجد تعليقات بعد");
  CHECK(tr_count(ar, "header.count_untitled", 1) == "تعليق واحد");
  CHECK(tr_count(ar, "header.count_untitled", 2) == "تعليقان");
  CHECK(tr_count(ar, "header.count_untitled", 3) == "3 تعليقات");
  CHECK(tr_count(ar, "header.count_untitled", 10) == "10 تعليقات");
  CHECK(tr_count(ar, "header.count_untitled", 11) == "11 تعليقًا");
  CHECK(tr_count(ar, "header.count_untitled", 100) == "100 تعليق");
  CHECK(tr_count(ar, "header.count_untitled", 1005) == "1,005 تعليقات");
  CHECK(tr_count(ar, "header.count", 3, {{"title", "مرحبا"}}) == "3 تعليقات على “مرحبا”");
  CHECK(tr_count(ar, "date.minutes_ago", 2) == "منذ دقيقتين");
  CHECK(tr_count(ar, "date.days_ago", 5) == "منذ 5 أيام");
  CHECK(tr_count(ar, "form.characters_left", 0) == "لم يبقَ أي حرف");
  CHECK(tr_count(ar, "error.rate_limited", 30) == "أُرسلت تعليقات كثيرة جدًا، أعد المحاولة بعد 30 ثانية");
  CHECK(tr(ar, "comment.reply") == "رد");
  CHECK(tr(ar, "form.title") == "اترك تعليقًا");
  CHECK(tr(ar, "comment.in_reply_to", {{"name", "Lia"}}) == "ردًا على Lia");
  CHECK(validation_message(ar, "title", "too_long") == "حقل «العنوان» طويل جدًا.");
  // A missing key falls back to English with the English rule, not to an empty Arabic form.
  CHECK(tr_count(ar, "no.such.key", 2) == "no.such.key");
}

TEST_CASE("i18n: Arabic dates, WordPress's « j F، Y في g:i a »") {
  const Catalog& ar = catalog_for("ar");
  // 2026-12-01 06:13 UTC, read in Casablanca (UTC+1).
  CHECK(format_absolute_date(ar, 1796105580, 60) == "1 ديسمبر، 2026 في 7:13 ص");
  CHECK(format_absolute_date(ar, 1796105580 + 12 * 3600, 60) == "1 ديسمبر، 2026 في 7:13 م");
  CHECK(format_comment_date(ar, 1796105580, 1796105580 + 3 * 3600, 60) == "منذ 3 ساعات");
  CHECK(format_comment_date(ar, 1796105580, 1796105580 + 86400, 60) == "أمس");
}

TEST_CASE("i18n: right-to-left languages") {
  for (const char* tag : {"ar", "ar-EG", "AR_ma", "he", "he-IL", "fa", "fa-IR", "ur", "ur-PK", "ckb"}) {
    INFO(tag);
    CHECK(is_rtl_language(tag));
  }
  for (const char* tag : {"", "fr", "en-US", "arn", "har", "hea", "tr", "zh-Hant", "heb"}) {
    INFO(tag);
    CHECK_FALSE(is_rtl_language(tag));
  }
  CHECK_FALSE(catalog_for("fr").right_to_left());
  CHECK_FALSE(catalog_for("en").right_to_left());
  // The interface follows the catalog shown: Hebrew without a catalog is English, left to right.
  CHECK_FALSE(catalog_for("he").right_to_left());
}
