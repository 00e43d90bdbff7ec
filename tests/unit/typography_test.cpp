#include <doctest/doctest.h>

#include <string>

#include "core/html.h"
#include "core/markdown.h"
#include "core/richtext.h"
#include "richtext_dump.h"

using namespace causerie;
using causerie::test::dump;

// U+00A0 and U+202F, spelled out so the expectations show which one is meant.
#define NBSP "\u00A0"
#define NNBSP "\u202F"

static std::string typeset_md(std::string_view source) {
  Document doc = parse_markdown(source);
  apply_typography(doc);
  return dump(doc);
}

static std::string typeset_html(std::string_view html) {
  Document doc = parse_html(html);
  apply_typography(doc);
  return dump(doc);
}

TEST_CASE("typography: the space beside French punctuation does not break") {
  CHECK(typeset_md("Il a dit « bonjour » puis : rien.") == "P{Il a dit «" NBSP "bonjour" NBSP "» puis" NBSP ": rien.}");
  CHECK(typeset_md("Vraiment ? Oui ! Enfin ; bref.") ==
        "P{Vraiment" NNBSP "? Oui" NNBSP "! Enfin" NNBSP "; bref.}");
  CHECK(typeset_md("Quoi ? ? !") == "P{Quoi" NNBSP "?" NNBSP "?" NNBSP "!}");
}

TEST_CASE("typography: only spaces the writer typed change") {
  CHECK(typeset_md("«bonjour» et Note: oui!") == "P{«bonjour» et Note: oui!}");
  CHECK(typeset_md("a b, c. d") == "P{a b, c. d}");
  CHECK(typeset_md("Déjà\u00A0? Oui\u202F!") == "P{Déjà\u00A0? Oui\u202F!}");
  // The space after the mark is an ordinary break opportunity.
  CHECK(typeset_md("Ah ! Bon") == "P{Ah" NNBSP "! Bon}");
}

TEST_CASE("typography: across styles, not inside code") {
  CHECK(typeset_md("« *vraiment* » ?") == "P{«" NBSP "[e:vraiment]" NBSP "»" NNBSP "?}");
  CHECK(typeset_html("<p><b>«</b> mot <b>»</b></p>") == "P{[s:«]" NBSP "mot" NBSP "[s:»]}");
  CHECK(typeset_md("`a ? b` et `x` ?") == "P{[c:a ? b] et [c:x]" NNBSP "?}");
  CHECK(typeset_md("```\nx = a ? b : c;\n```") == "C{|x = a ? b : c;}");
  CHECK(typeset_md("[un lien !](https://exemple.fr) !") == "P{[@https://exemple.fr:un lien" NNBSP "!]" NNBSP "!}");
}

TEST_CASE("typography: quotes and lists, and WordPress's HTML") {
  CHECK(typeset_md("> Pourquoi ?\n\n- « un »\n- deux !") ==
        "Q{P{Pourquoi" NNBSP "?}}L*{P{«" NBSP "un" NBSP "»}}{P{deux" NNBSP "!}}");
  CHECK(typeset_html("<p>Et alors ? <em>« non »</em></p><pre>a ? b</pre>") ==
        "P{Et alors" NNBSP "? [e:«" NBSP "non" NBSP "»]}C{|a ? b}");
  // A French WordPress site already sends &nbsp;: nothing left to do.
  CHECK(typeset_html("<p>&laquo;&nbsp;oui&nbsp;&raquo;</p>") == "P{«" NBSP "oui" NBSP "»}");
}

TEST_CASE("typography: a second pass changes nothing") {
  Document doc = parse_markdown("« Bon » : ça ; va ? oui !");
  apply_typography(doc);
  const std::string once = dump(doc);
  apply_typography(doc);
  CHECK(dump(doc) == once);
}
