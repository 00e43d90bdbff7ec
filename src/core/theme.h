#pragma once
// Themes as site owners write them: CSS colour and length strings, from the
// --causerie-* custom properties, a theme file or the host page's computed style.
// Plain data here; the widget turns a ThemeSpec into its draw colours.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace causerie {

struct Rgba {
  uint8_t r = 0, g = 0, b = 0, a = 255;
  bool operator==(const Rgba&) const = default;
};

enum class AvatarShape { circle, square, none };

// One CSS box-shadow (outer): offsets, blur radius and spread in CSS px. No colour
// means CSS's currentColor, the theme's text colour.
struct BoxShadow {
  float x = 0, y = 0, blur = 0, spread = 0;
  std::optional<Rgba> colour;
  bool operator==(const BoxShadow&) const = default;
};

struct ThemeSpec {
  // The five keys site owners set, and the colours derived from them (finish_theme).
  Rgba accent{0x1a, 0x5f, 0xb4, 255};
  Rgba background{0xff, 0xff, 0xff, 255};
  Rgba text{0x1d, 0x1d, 0x1f, 255};
  Rgba muted{0x5f, 0x63, 0x68, 255};
  Rgba border{0xdd, 0xdd, 0xdd, 255};
  // Painted on the canvas only when the theme sets it; otherwise the page shows
  // through and `background` is what the page is believed to be (for contrast).
  bool paint_background = false;
  float radius = 6.0f;       // CSS px
  float font_size = 16.0f;   // CSS px
  float line_height = 1.5f;  // multiple of font_size
  float spacing = 14.0f;     // CSS px above and below a card
  int max_depth = 5;         // visual nesting of replies
  AvatarShape avatar = AvatarShape::circle;
  // Cards: each conversation (a comment and its replies) on a rounded card of
  // `card`, with a border of `card_border` px in `border` and a soft shadow. Off
  // (a flat list with separators) unless paint_card; the shadow needs the card.
  bool paint_card = false;
  Rgba card{0xff, 0xff, 0xff, 255};
  float card_border = 1.0f;
  std::optional<BoxShadow> shadow;  // nullopt: none

  // Derived by finish_theme().
  Rgba accent_hover, field_background, field_border, code_background, quote_bar, selection, highlight, skeleton,
      thread_line,
      on_accent;  // labels on an accent fill (the submit button): white or black, whichever reads
};

// "#rgb", "#rgba", "#rrggbb", "#rrggbbaa", "rgb(1, 2, 3)", "rgba(1 2 3 / 50%)",
// "transparent" and a few named colours. nullopt for anything else.
std::optional<Rgba> parse_css_color(std::string_view s);
// "12px", "12", "12.5px"; nullopt for other units, negatives, NaN, huge values.
std::optional<float> parse_css_length(std::string_view s);
// A unitless number ("1.6"), nullopt otherwise.
std::optional<float> parse_css_number(std::string_view s);
std::string to_css(Rgba c);
// "none" (an engaged optional holding nullopt), or one outer shadow as CSS writes it:
// "<x> <y> [<blur> [<spread>]] [<colour>]", the colour first or last. nullopt for
// anything else (inset, several shadows, other units).
std::optional<std::optional<BoxShadow>> parse_css_shadow(std::string_view s);  // "#rrggbb" or "#rrggbbaa"

// WCAG 2.1 contrast ratio of two opaque colours, 1 to 21.
double contrast_ratio(Rgba a, Rgba b);
// `over` drawn on `under` (source-over).
Rgba composite(Rgba over, Rgba under);

// light, dark, contrast; "auto" is dark or light by prefers_dark. nullopt otherwise.
std::optional<ThemeSpec> builtin_theme(std::string_view name, bool prefers_dark);

// Fills the derived colours from the five keys and the background's lightness.
void finish_theme(ThemeSpec& t);

// Sets one key ("accent", "font-size", ..., with or without the "--causerie-"
// prefix) from its CSS text. False (theme untouched) for an unknown key or a value
// that does not parse.
bool apply_theme_property(ThemeSpec& t, std::string_view key, std::string_view value);

// The loader's description of a theme (web/loader/theme.js, collectTheme):
// {"base": "light|dark|contrast|auto|page", "prefers_dark": bool,
//  "page": {"color", "background", "font-size", "link"}   (computed style, "page" base)
//  "properties": {"accent": "#c00", ...}}                  (theme file, then --causerie-*)
// Warnings name what was ignored and a text/background contrast below 4.5:1.
struct ResolvedTheme {
  ThemeSpec theme;
  std::vector<std::string> warnings;
};
ResolvedTheme resolve_theme(std::string_view json);

}  // namespace causerie
