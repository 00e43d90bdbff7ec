#include <doctest/doctest.h>

#include <string>

#include "core/theme.h"

using causerie::parse_css_color;
using causerie::Rgba;

TEST_CASE("CSS colours: hex, rgb() with commas or spaces, alpha") {
  CHECK(parse_css_color("#abc") == Rgba{0xaa, 0xbb, 0xcc, 255});
  CHECK(parse_css_color("#ABCD") == Rgba{0xaa, 0xbb, 0xcc, 0xdd});
  CHECK(parse_css_color("  #1a5fb4 ") == Rgba{0x1a, 0x5f, 0xb4, 255});
  CHECK(parse_css_color("#1a5fb480") == Rgba{0x1a, 0x5f, 0xb4, 0x80});
  CHECK(parse_css_color("rgb(255, 0, 10)") == Rgba{255, 0, 10, 255});
  CHECK(parse_css_color("rgba(255,0,10,0.5)") == Rgba{255, 0, 10, 128});
  CHECK(parse_css_color("rgb(255 0 10 / 50%)") == Rgba{255, 0, 10, 128});
  CHECK(parse_css_color("RGB(100% 0% 50%)") == Rgba{255, 0, 128, 255});
  CHECK(parse_css_color("rgb(300, -5, 0)") == Rgba{255, 0, 0, 255});  // clamped like browsers
  CHECK(parse_css_color("rgba(0, 0, 0, 0)") == Rgba{0, 0, 0, 0});     // getComputedStyle's transparent
  CHECK(parse_css_color("Transparent") == Rgba{0, 0, 0, 0});
  CHECK(parse_css_color("white") == Rgba{255, 255, 255, 255});
}

TEST_CASE("CSS colours: hostile or malformed input is refused") {
  for (const char* s : {"",
                        " ",
                        "#",
                        "#ab",
                        "#abcde",
                        "#abcdefghi",
                        "#gggggg",
                        "#12345",
                        "rgb(",
                        "rgb()",
                        "rgb(1,2)",
                        "rgb(1,2,3",
                        "rgb(1 2 3 4)",
                        "rgb(1, 2 3)",
                        "rgb(1,2,3,)",
                        "rgb(1 2 / 3 / 4)",
                        "rgb(a,b,c)",
                        "rgb(1,2,3,4,5)",
                        "hsl(0 0% 0%)",
                        "url(javascript:alert(1))",
                        "rgb(1e999, 0, 0)",
                        "rgb(1 2 3 /)",
                        "rgb(- 2 3)",
                        "notacolour",
                        "#abc;background:red",
                        "rgb(1,2,3) x"})
    CHECK_MESSAGE(!parse_css_color(s), s);
  std::string huge = "rgb(" + std::string(100000, '9') + ",0,0)";
  CHECK(!parse_css_color(huge));
  std::string nul("#fff\0", 5);
  CHECK(!parse_css_color(nul));
}

TEST_CASE("CSS lengths and numbers") {
  CHECK(causerie::parse_css_length("12px") == 12.0f);
  CHECK(causerie::parse_css_length(" 12.5PX ") == 12.5f);
  CHECK(causerie::parse_css_length("0") == 0.0f);
  CHECK(!causerie::parse_css_length("12em"));
  CHECK(!causerie::parse_css_length("-3px"));
  CHECK(!causerie::parse_css_length("px"));
  CHECK(!causerie::parse_css_length("1e9px"));
  CHECK(!causerie::parse_css_length("99999999px"));
  CHECK(causerie::parse_css_number("1.6") == doctest::Approx(1.6));
  CHECK(!causerie::parse_css_number("1.6px"));
  CHECK(!causerie::parse_css_number("."));
  CHECK(!causerie::parse_css_number("1..2"));
}

TEST_CASE("WCAG contrast ratio") {
  CHECK(causerie::contrast_ratio({0, 0, 0, 255}, {255, 255, 255, 255}) == doctest::Approx(21.0));
  CHECK(causerie::contrast_ratio({255, 255, 255, 255}, {255, 255, 255, 255}) == doctest::Approx(1.0));
  // #767676 on white is the classic just-passing grey: 4.54:1.
  CHECK(causerie::contrast_ratio({0x76, 0x76, 0x76, 255}, {255, 255, 255, 255}) == doctest::Approx(4.54).epsilon(0.01));
}

TEST_CASE("built-in themes are legible and auto follows the flag") {
  for (const char* name : {"light", "dark", "contrast"}) {
    auto t = causerie::builtin_theme(name, false);
    REQUIRE(t);
    CHECK(t->paint_background);
    CHECK(causerie::contrast_ratio(t->text, t->background) >= 4.5);
    CHECK(causerie::contrast_ratio(t->muted, t->background) >= 4.5);
    CHECK(causerie::contrast_ratio(t->accent, t->background) >= 4.5);
  }
  CHECK(causerie::builtin_theme("auto", true)->background == causerie::builtin_theme("dark", false)->background);
  CHECK(causerie::builtin_theme("auto", false)->background == causerie::builtin_theme("light", true)->background);
  CHECK(!causerie::builtin_theme("neon", false));
  CHECK(!causerie::builtin_theme("", false));
}

TEST_CASE("properties: every key, with or without the prefix; bad values leave the theme as it was") {
  causerie::ThemeSpec t;
  CHECK(causerie::apply_theme_property(t, "--causerie-accent", "#c00"));
  CHECK(t.accent == Rgba{0xcc, 0, 0, 255});
  CHECK(causerie::apply_theme_property(t, "background", "rgb(10 20 30)"));
  CHECK(t.paint_background);
  CHECK(causerie::apply_theme_property(t, "text", "#eee"));
  CHECK(causerie::apply_theme_property(t, "muted", "#aaa"));
  CHECK(causerie::apply_theme_property(t, "border", "#333"));
  CHECK(causerie::apply_theme_property(t, "radius", "10px"));
  CHECK(t.radius == 10.0f);
  CHECK(causerie::apply_theme_property(t, "font-size", "18px"));
  CHECK(causerie::apply_theme_property(t, "line-height", "27px"));
  CHECK(t.line_height == doctest::Approx(1.5));
  CHECK(causerie::apply_theme_property(t, "line-height", "1.7"));
  CHECK(causerie::apply_theme_property(t, "spacing", "20"));
  CHECK(causerie::apply_theme_property(t, "max-depth", "2"));
  CHECK(t.max_depth == 2);
  CHECK(causerie::apply_theme_property(t, "avatar", "square"));
  CHECK(t.avatar == causerie::AvatarShape::square);
  const causerie::ThemeSpec before = t;
  CHECK(!causerie::apply_theme_property(t, "accent", "transparent"));
  CHECK(!causerie::apply_theme_property(t, "accent", "red; }"));
  CHECK(!causerie::apply_theme_property(t, "font-size", "2px"));
  CHECK(!causerie::apply_theme_property(t, "font-size", "1000px"));
  CHECK(!causerie::apply_theme_property(t, "line-height", "0.2"));
  CHECK(!causerie::apply_theme_property(t, "max-depth", "2.5"));
  CHECK(!causerie::apply_theme_property(t, "max-depth", "-1"));
  CHECK(!causerie::apply_theme_property(t, "avatar", "hexagon"));
  CHECK(!causerie::apply_theme_property(t, "shadow", "1px"));
  CHECK(t.accent == before.accent);
  CHECK(t.font_size == before.font_size);
  CHECK(t.max_depth == before.max_depth);
  CHECK(t.avatar == before.avatar);
  CHECK(causerie::apply_theme_property(t, "background", "transparent"));
  CHECK(!t.paint_background);
}

TEST_CASE("resolve_theme: page adaptation, properties over the base, contrast warnings") {
  // A dark page: the widget goes dark, takes the page's text and font size, paints nothing.
  auto r =
      causerie::resolve_theme(R"j({"base":"page","page":{"background":"rgb(20, 20, 20)","color":"rgb(230, 230, 230)",
                                      "font-size":"18px","link":"rgb(255, 170, 0)"}})j");
  CHECK(!r.theme.paint_background);
  CHECK(r.theme.text == Rgba{230, 230, 230, 255});
  CHECK(r.theme.accent == Rgba{255, 170, 0, 255});
  CHECK(r.theme.font_size == 18.0f);
  CHECK(r.warnings.empty());
  // An unreadable link colour on the page is not taken.
  r = causerie::resolve_theme(
      R"j({"page":{"background":"rgb(255,255,255)","color":"rgb(0,0,0)","link":"rgb(250,250,200)"}})j");
  CHECK(r.theme.accent == causerie::builtin_theme("light", false)->accent);
  // Built-in base, properties over it.
  r = causerie::resolve_theme(
      R"j({"base":"auto","prefers_dark":true,"properties":{"accent":"#ff00aa","max-depth":3}})j");
  CHECK(r.theme.background == causerie::builtin_theme("dark", false)->background);
  CHECK(r.theme.accent == Rgba{0xff, 0, 0xaa, 255});
  CHECK(r.theme.max_depth == 3);
  // Low contrast: one warning naming the colours and the ratio.
  r = causerie::resolve_theme(R"j({"base":"light","properties":{"text":"#bbbbbb"}})j");
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].find("text #bbbbbb on background #ffffff") != std::string::npos);
  CHECK(r.warnings[0].find("4.5:1") != std::string::npos);
  // Hostile JSON: never crashes, always a usable theme, says what it ignored.
  for (const char* s : {"", "null", "[]", "{", "\"x\"", R"j({"base":42})j", R"j({"properties":[1,2]})j",
                        R"j({"properties":{"accent":{"x":1}}})j", R"j({"page":"dark"})j", R"j({"base":"neon"})j"}) {
    r = causerie::resolve_theme(s);
    CHECK(r.theme.font_size == 16.0f);
  }
  r = causerie::resolve_theme(R"j({"properties":{"accent":{"x":1},"radius":"lots"}})j");
  CHECK(r.warnings.size() == 2);
}

TEST_CASE("box shadows as CSS writes them; cards") {
  using causerie::BoxShadow;
  auto s = causerie::parse_css_shadow("0 1px 3px rgba(0, 0, 0, 0.25)");
  REQUIRE(s);
  REQUIRE(*s);
  CHECK((*s)->x == 0.0f);
  CHECK((*s)->y == 1.0f);
  CHECK((*s)->blur == 3.0f);
  CHECK((*s)->spread == 0.0f);
  CHECK((*s)->colour == Rgba{0, 0, 0, 64});
  s = causerie::parse_css_shadow("#ff2a6d -2px 0 12px -1px");  // colour first, negative offset and spread
  REQUIRE(s);
  REQUIRE(*s);
  CHECK((*s)->x == -2.0f);
  CHECK((*s)->blur == 12.0f);
  CHECK((*s)->spread == -1.0f);
  CHECK((*s)->colour == Rgba{0xff, 0x2a, 0x6d, 255});
  s = causerie::parse_css_shadow("2px 2px");  // no colour: currentColor
  REQUIRE(s);
  REQUIRE(*s);
  CHECK(!(*s)->colour);
  s = causerie::parse_css_shadow(" NONE ");
  REQUIRE(s);
  CHECK(!*s);
  for (const char* bad : {"", "1px", "inset 0 1px 2px black", "0 1px 2px black, 0 2px 4px red", "0 1px -2px black",
                          "0 1px 2px 3px 4px black", "0 black 1px", "0 1em 2px black", "0 1px rgba(0,0,0", "black",
                          "0 1px 2px black black", "0 1px 2px )("})
    CHECK_MESSAGE(!causerie::parse_css_shadow(bad), bad);

  causerie::ThemeSpec t;
  CHECK(!t.paint_card);
  CHECK(causerie::apply_theme_property(t, "card", "#fafafa"));
  CHECK(t.paint_card);
  CHECK(t.card == Rgba{0xfa, 0xfa, 0xfa, 255});
  CHECK(causerie::apply_theme_property(t, "--causerie-card-border", "2px"));
  CHECK(t.card_border == 2.0f);
  CHECK(!causerie::apply_theme_property(t, "card-border", "20px"));
  CHECK(causerie::apply_theme_property(t, "shadow", "0 2px 6px #0004"));
  REQUIRE(t.shadow);
  CHECK(t.shadow->blur == 6.0f);
  CHECK(!causerie::apply_theme_property(t, "shadow", "big"));
  CHECK(t.shadow);
  CHECK(causerie::apply_theme_property(t, "shadow", "none"));
  CHECK(!t.shadow);
  CHECK(causerie::apply_theme_property(t, "card", "none"));
  CHECK(!t.paint_card);
  CHECK(!causerie::apply_theme_property(t, "card", "plaid"));

  // Built-in themes: light cards with a shadow, dark cards with a darker one,
  // contrast with a strong border and no shadow; a page stays flat.
  CHECK(causerie::builtin_theme("light", false)->paint_card);
  CHECK(causerie::builtin_theme("light", false)->shadow);
  CHECK(causerie::builtin_theme("dark", false)->shadow);
  CHECK(!causerie::builtin_theme("contrast", false)->shadow);
  CHECK(causerie::builtin_theme("contrast", false)->card_border >= 2.0f);
  auto r =
      causerie::resolve_theme(R"j({"base":"page","page":{"background":"rgb(255,255,255)","color":"rgb(0,0,0)"}})j");
  CHECK(!r.theme.paint_card);
  CHECK(!r.theme.shadow);
  // Text on a card is checked against the card.
  r = causerie::resolve_theme(R"j({"base":"dark","properties":{"card":"#e0e0e0"}})j");
  REQUIRE(!r.warnings.empty());
  CHECK(r.warnings[0].find("on card #e0e0e0") != std::string::npos);
  for (const char* name : {"light", "dark", "contrast"}) {
    r = causerie::resolve_theme(std::string(R"j({"base":")j") + name + "\"}");
    CHECK(r.warnings.empty());
  }
}
