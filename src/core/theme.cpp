#include "core/theme.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace causerie {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r' || s.front() == '\f'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r' || s.back() == '\f'))
    s.remove_suffix(1);
  return s;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// A plain decimal ("-12", "1.5", ".5"): CSS numbers without exponents, which is
// all a theme needs. Consumes from the front of s.
std::optional<double> take_number(std::string_view& s) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  double value = 0;
  int digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (digits < 12) value = value * 10 + (s[i] - '0');
    else value *= 10;
    ++digits, ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    double scale = 0.1;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      value += (s[i] - '0') * scale;
      scale *= 0.1;
      ++digits, ++i;
    }
  }
  if (digits == 0 || digits > 40) return std::nullopt;
  s.remove_prefix(i);
  return negative ? -value : value;
}

uint8_t to_byte(double v) { return uint8_t(std::lround(std::clamp(v, 0.0, 255.0))); }

// One rgb() argument: a number 0-255 or a percentage; alpha: 0-1 or a percentage.
std::optional<double> take_channel(std::string_view& s, bool alpha) {
  auto n = take_number(s);
  if (!n) return std::nullopt;
  if (!s.empty() && s.front() == '%') {
    s.remove_prefix(1);
    return alpha ? *n / 100.0 : *n * 255.0 / 100.0;
  }
  return *n;
}

std::optional<Rgba> parse_rgb_function(std::string_view args) {
  // rgb(r, g, b[, a]) or rgb(r g b[ / a]); commas and spaces not mixed.
  double v[4] = {0, 0, 0, 1};
  args = trim(args);
  const bool commas = args.find(',') != std::string_view::npos;
  int count = 0;
  bool slash = false;
  while (!args.empty()) {
    if (count == 4) return std::nullopt;
    const bool is_alpha = count == 3;
    auto c = take_channel(args, is_alpha);
    if (!c) return std::nullopt;
    v[count++] = *c;
    args = trim(args);
    if (args.empty()) break;
    if (commas) {
      if (args.front() != ',') return std::nullopt;
      args.remove_prefix(1);
      args = trim(args);
      if (args.empty()) return std::nullopt;
    } else if (args.front() == '/') {
      if (count != 3 || slash) return std::nullopt;
      slash = true;
      args = trim(args.substr(1));
      if (args.empty()) return std::nullopt;
    }
  }
  if (count < 3) return std::nullopt;
  if (count == 4 && !commas && !slash) return std::nullopt;
  for (double x : v)
    if (!std::isfinite(x)) return std::nullopt;
  return Rgba{to_byte(v[0]), to_byte(v[1]), to_byte(v[2]), to_byte(std::clamp(v[3], 0.0, 1.0) * 255.0)};
}

double linear(uint8_t v) {
  const double c = v / 255.0;
  return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(Rgba c) { return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b); }

Rgba mix(Rgba a, Rgba b, double t) {  // a towards b by t, opaque
  const auto m = [t](uint8_t x, uint8_t y) { return to_byte(x + (y - x) * t); };
  return Rgba{m(a.r, b.r), m(a.g, b.g), m(a.b, b.b), 255};
}

Rgba with_alpha(Rgba c, uint8_t a) {
  c.a = a;
  return c;
}

std::string_view strip_prefix(std::string_view key) {
  constexpr std::string_view kPrefix = "--causerie-";
  if (key.substr(0, kPrefix.size()) == kPrefix) key.remove_prefix(kPrefix.size());
  return key;
}

std::string format_ratio(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", r);
  return buf;
}

}  // namespace

std::optional<Rgba> parse_css_color(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 200) return std::nullopt;
  if (s.front() == '#') {
    s.remove_prefix(1);
    int d[8] = {};
    if (s.size() != 3 && s.size() != 4 && s.size() != 6 && s.size() != 8) return std::nullopt;
    for (size_t i = 0; i < s.size(); ++i)
      if ((d[i] = hex_digit(s[i])) < 0) return std::nullopt;
    if (s.size() <= 4) {
      Rgba c{uint8_t(d[0] * 17), uint8_t(d[1] * 17), uint8_t(d[2] * 17), 255};
      if (s.size() == 4) c.a = uint8_t(d[3] * 17);
      return c;
    }
    Rgba c{uint8_t(d[0] * 16 + d[1]), uint8_t(d[2] * 16 + d[3]), uint8_t(d[4] * 16 + d[5]), 255};
    if (s.size() == 8) c.a = uint8_t(d[6] * 16 + d[7]);
    return c;
  }
  const size_t open = s.find('(');
  if (open != std::string_view::npos) {
    if (s.back() != ')') return std::nullopt;
    const std::string_view name = trim(s.substr(0, open));
    if (!iequals(name, "rgb") && !iequals(name, "rgba")) return std::nullopt;
    return parse_rgb_function(s.substr(open + 1, s.size() - open - 2));
  }
  struct Named {
    const char* name;
    Rgba c;
  };
  static constexpr Named kNamed[] = {
      {"transparent", {0, 0, 0, 0}},  {"black", {0, 0, 0, 255}},        {"white", {255, 255, 255, 255}},
      {"red", {255, 0, 0, 255}},      {"green", {0, 128, 0, 255}},      {"blue", {0, 0, 255, 255}},
      {"yellow", {255, 255, 0, 255}}, {"gray", {128, 128, 128, 255}},   {"grey", {128, 128, 128, 255}},
      {"navy", {0, 0, 128, 255}},     {"maroon", {128, 0, 0, 255}},     {"purple", {128, 0, 128, 255}},
      {"teal", {0, 128, 128, 255}},   {"silver", {192, 192, 192, 255}}, {"orange", {255, 165, 0, 255}},
  };
  for (const Named& n : kNamed)
    if (iequals(s, n.name)) return n.c;
  return std::nullopt;
}

std::optional<float> parse_css_length(std::string_view s) {
  s = trim(s);
  auto n = take_number(s);
  if (!n) return std::nullopt;
  if (!s.empty() && !iequals(s, "px")) return std::nullopt;
  if (*n < 0 || *n > 10000) return std::nullopt;
  return float(*n);
}

std::optional<float> parse_css_number(std::string_view s) {
  s = trim(s);
  auto n = take_number(s);
  if (!n || !s.empty() || std::fabs(*n) > 1e6) return std::nullopt;
  return float(*n);
}

std::optional<std::optional<BoxShadow>> parse_css_shadow(std::string_view s) {
  s = trim(s);
  if (iequals(s, "none")) return std::optional<BoxShadow>();
  if (s.empty() || s.size() > 200) return std::nullopt;
  // Tokens split on white space, a function's parentheses kept whole.
  std::vector<std::string_view> tokens;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
      ++i;
      continue;
    }
    const size_t start = i;
    int depth = 0;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '(') ++depth;
      else if (c == ')') {
        if (--depth < 0) return std::nullopt;
      } else if (c == ',' && depth == 0) return std::nullopt;  // several shadows
      else if ((c == ' ' || c == '\t' || c == '\n') && depth == 0) break;
    }
    if (depth != 0) return std::nullopt;
    tokens.push_back(s.substr(start, i - start));
  }
  BoxShadow b;
  float lengths[4];
  int n = 0;
  for (size_t t = 0; t < tokens.size(); ++t) {
    std::string_view tok = tokens[t];
    std::string_view rest = tok;
    if (auto v = take_number(rest); v && (rest.empty() || iequals(rest, "px")) && std::fabs(*v) <= 1000) {
      if (n == 4) return std::nullopt;
      lengths[n++] = float(*v);
      continue;
    }
    // One colour, first or last: the lengths stay together.
    if (b.colour || (n > 0 && t + 1 != tokens.size())) return std::nullopt;
    b.colour = parse_css_color(tok);
    if (!b.colour) return std::nullopt;
  }
  if (n < 2) return std::nullopt;
  b.x = lengths[0];
  b.y = lengths[1];
  if (n > 2) {
    if (lengths[2] < 0) return std::nullopt;
    b.blur = std::min(lengths[2], 100.0f);
  }
  if (n > 3) b.spread = std::clamp(lengths[3], -100.0f, 100.0f);
  return std::optional<BoxShadow>(b);
}

std::string to_css(Rgba c) {
  char buf[16];
  if (c.a == 255) std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
  else std::snprintf(buf, sizeof buf, "#%02x%02x%02x%02x", c.r, c.g, c.b, c.a);
  return buf;
}

double contrast_ratio(Rgba a, Rgba b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

Rgba composite(Rgba over, Rgba under) {
  const double a = over.a / 255.0;
  const auto m = [a](uint8_t o, uint8_t u) { return to_byte(o * a + u * (1 - a)); };
  return Rgba{m(over.r, under.r), m(over.g, under.g), m(over.b, under.b), to_byte(over.a + under.a * (1 - a))};
}

void finish_theme(ThemeSpec& t) {
  const bool dark = luminance(t.background) < 0.2;
  const Rgba bg = with_alpha(t.background, 255);
  t.accent_hover = mix(t.accent, dark ? Rgba{255, 255, 255, 255} : Rgba{0, 0, 0, 255}, 0.2);
  t.field_background = dark ? mix(bg, t.text, 0.06) : Rgba{255, 255, 255, 255};
  t.field_border = mix(bg, t.text, 0.55);
  t.code_background = with_alpha(t.text, 0x10);
  t.quote_bar = mix(bg, t.text, 0.25);
  t.selection = with_alpha(t.accent, 0x50);
  t.highlight = dark ? with_alpha(t.accent, 0x38) : Rgba{0xff, 0xe8, 0x8c, 0x70};
  t.skeleton = with_alpha(t.text, 0x14);
  t.thread_line = with_alpha(t.text, 0x20);
  const Rgba white{255, 255, 255, 255}, black{0, 0, 0, 255};
  t.on_accent = contrast_ratio(white, t.accent) >= contrast_ratio(black, t.accent) ? white : black;
}

std::optional<ThemeSpec> builtin_theme(std::string_view name, bool prefers_dark) {
  ThemeSpec t;
  if (name == "auto") name = prefers_dark ? "dark" : "light";
  t.paint_card = true;
  if (name == "light") {
    // White cards on white, told apart by a soft shadow.
    t.card_border = 0;
    t.shadow = BoxShadow{0, 1, 4, 0, Rgba{0, 0, 0, 0x30}};
  } else if (name == "dark") {
    t.card = {0x25, 0x27, 0x2d, 255};
    t.card_border = 1;
    t.shadow = BoxShadow{0, 2, 8, 0, Rgba{0, 0, 0, 0x80}};
    t.background = {0x1c, 0x1d, 0x21, 255};
    t.text = {0xe8, 0xe6, 0xe3, 255};
    t.muted = {0xa4, 0xa8, 0xb0, 255};
    t.accent = {0x7c, 0xb7, 0xff, 255};
    t.border = {0x3a, 0x3d, 0x44, 255};
  } else if (name == "contrast") {
    t.background = {0, 0, 0, 255};
    t.text = {255, 255, 255, 255};
    t.muted = {0xe0, 0xe0, 0xe0, 255};
    t.accent = {0xff, 0xff, 0x00, 255};
    t.border = {255, 255, 255, 255};
    t.radius = 0;
    t.card = {0, 0, 0, 255};
    t.card_border = 2;  // no shadow: a strong edge instead
  } else {
    return std::nullopt;
  }
  t.paint_background = true;
  finish_theme(t);
  return t;
}

bool apply_theme_property(ThemeSpec& t, std::string_view key, std::string_view value) {
  key = strip_prefix(trim(key));
  value = trim(value);
  Rgba* colour = key == "accent"       ? &t.accent
                 : key == "background" ? &t.background
                 : key == "text"       ? &t.text
                 : key == "muted"      ? &t.muted
                 : key == "border"     ? &t.border
                                       : nullptr;
  if (colour) {
    auto c = parse_css_color(value);
    if (!c) return false;
    if (colour == &t.background) {
      if (c->a == 0) {
        t.paint_background = false;
        return true;
      }  // "transparent": the page shows
      t.paint_background = true;
    } else if (c->a == 0) {
      return false;  // invisible text or links: refuse
    }
    *colour = *c;
    return true;
  }
  if (key == "card") {
    auto c = parse_css_color(value);
    if (!c && !iequals(value, "none")) return false;
    t.paint_card = c && c->a > 0;
    if (t.paint_card) t.card = *c;
    return true;
  }
  if (key == "card-border") {
    auto n = parse_css_length(value);
    if (!n || *n > 8) return false;
    t.card_border = *n;
    return true;
  }
  if (key == "shadow") {
    auto sh = parse_css_shadow(value);
    if (!sh) return false;
    t.shadow = *sh;
    return true;
  }
  if (key == "radius" || key == "font-size" || key == "spacing") {
    auto n = parse_css_length(value);
    if (!n) return false;
    if (key == "radius") t.radius = std::min(*n, 40.0f);
    else if (key == "font-size") {
      if (*n < 8 || *n > 48) return false;
      t.font_size = *n;
    } else t.spacing = std::min(*n, 64.0f);
    return true;
  }
  if (key == "line-height") {
    // Unitless (1.6) or px (24px, relative to the font size).
    auto n = parse_css_number(value);
    if (!n) {
      auto px = parse_css_length(value);
      if (!px || t.font_size <= 0) return false;
      n = *px / t.font_size;
    }
    if (*n < 1.0f || *n > 3.0f) return false;
    t.line_height = *n;
    return true;
  }
  if (key == "max-depth") {
    auto n = parse_css_number(value);
    if (!n || *n < 0 || *n > 20 || *n != std::floor(*n)) return false;
    t.max_depth = int(*n);
    return true;
  }
  if (key == "avatar") {
    if (iequals(value, "circle")) t.avatar = AvatarShape::circle;
    else if (iequals(value, "square")) t.avatar = AvatarShape::square;
    else if (iequals(value, "none")) t.avatar = AvatarShape::none;
    else return false;
    return true;
  }
  return false;
}

ResolvedTheme resolve_theme(std::string_view json) {
  ResolvedTheme out;
  const auto j = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (!j.is_object()) {
    out.theme = *builtin_theme("light", false);
    out.theme.paint_background = false;
    out.warnings.push_back("theme: not a JSON object, using the light theme");
    return out;
  }
  const auto str = [](const nlohmann::json& o, const char* key) {
    auto it = o.find(key);
    return (it != o.end() && it->is_string()) ? it->get<std::string>() : std::string();
  };
  const auto prefers = j.find("prefers_dark");
  const bool prefers_dark = prefers != j.end() && prefers->is_boolean() && prefers->get<bool>();
  std::string base = str(j, "base");
  if (base.empty()) base = "page";
  ThemeSpec& t = out.theme;
  if (auto builtin = builtin_theme(base, prefers_dark)) {
    t = *builtin;
  } else {
    if (base != "page")
      out.warnings.push_back("theme: unknown theme \"" + base.substr(0, 60) + "\", adapting to the page");
    // The host page's own look: light or dark by its background, its text, link
    // colour and font size; the canvas stays transparent.
    std::optional<Rgba> page_bg, page_text, page_link;
    std::optional<float> page_size;
    if (auto p = j.find("page"); p != j.end() && p->is_object()) {
      page_bg = parse_css_color(str(*p, "background"));
      page_text = parse_css_color(str(*p, "color"));
      page_link = parse_css_color(str(*p, "link"));
      page_size = parse_css_length(str(*p, "font-size"));
    }
    // No background anywhere: the browser's (white), unless the text is light
    // (a page in color-scheme: dark).
    const bool dark_page =
        page_bg && page_bg->a > 0 ? luminance(*page_bg) < 0.2 : page_text && luminance(*page_text) > 0.5;
    t = *builtin_theme(dark_page ? "dark" : "light", false);
    t.paint_background = false;
    // Blending in: a flat list, no cards, no shadow (a site may turn them on).
    t.paint_card = false;
    t.card_border = 1;
    t.shadow.reset();
    if (page_bg && page_bg->a == 255) t.background = *page_bg;
    if (page_text && page_text->a > 0) {
      t.text = with_alpha(*page_text, 255);
      t.muted = mix(t.text, t.background, 0.35);
      if (contrast_ratio(t.muted, t.background) < 4.5) t.muted = mix(t.text, t.background, 0.2);
    }
    // A page's link colour is only taken when it is readable: the default blue of
    // an unstyled page is fine, a pale decorative one is not.
    if (page_link && page_link->a == 255 && contrast_ratio(*page_link, t.background) >= 3.0) t.accent = *page_link;
    if (page_size && *page_size >= 8 && *page_size <= 48) t.font_size = *page_size;
  }
  if (auto p = j.find("properties"); p != j.end() && p->is_object()) {
    // Lengths after font-size so that a px line-height divides by the final size.
    for (int pass = 0; pass < 2; ++pass) {
      for (auto it = p->begin(); it != p->end(); ++it) {
        const std::string_view key = strip_prefix(it.key());
        if ((key == "line-height") != (pass == 1)) continue;
        std::string value;
        if (it->is_string()) value = it->get<std::string>();
        else if (it->is_number()) value = it->dump();
        else {
          out.warnings.push_back("theme: " + std::string(key.substr(0, 60)) + " must be a string or a number");
          continue;
        }
        if (!apply_theme_property(t, key, value))
          out.warnings.push_back("theme: ignored " + std::string(key.substr(0, 60)) + ": \"" + value.substr(0, 60) +
                                 "\"");
      }
    }
  }
  finish_theme(t);
  // Legibility: text and links on the background the reader will see.
  const Rgba bg = t.background.a == 255 ? t.background : composite(t.background, Rgba{255, 255, 255, 255});
  const struct {
    const char* name;
    Rgba c;
  } checks[] = {{"text", t.text}, {"muted", t.muted}, {"accent", t.accent}};
  // The comments are on the cards when there are cards; the header and the form
  // stay on the background.
  const Rgba card = composite(t.card, bg);
  for (const auto& c : checks) {
    const double r = contrast_ratio(composite(c.c, bg), bg);
    if (r < 4.5)
      out.warnings.push_back("theme: " + std::string(c.name) + " " + to_css(c.c) + " on background " + to_css(bg) +
                             " has a contrast of " + format_ratio(r) + ":1, below the 4.5:1 WCAG AA minimum");
    else if (t.paint_card && card != bg) {
      const double rc = contrast_ratio(composite(c.c, card), card);
      if (rc < 4.5)
        out.warnings.push_back("theme: " + std::string(c.name) + " " + to_css(c.c) + " on card " + to_css(card) +
                               " has a contrast of " + format_ratio(rc) + ":1, below the 4.5:1 WCAG AA minimum");
    }
  }
  return out;
}

}  // namespace causerie
