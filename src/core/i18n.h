#pragma once
// Translations. Each language is one JSON catalog in src/core/i18n/<lang>.json,
// compiled in (i18n/embed.cmake); adding a language is adding that file. Keys are
// stable identifiers ("header.count", "validation.body.required"); texts use named
// placeholders ("{count}", "{name}") or positional ones ("{0}"), substituted once,
// so a comment author's name containing "{count}" or "%s" is inert.
//
//   const Catalog& c = catalog_for("fr-CA");
//   tr_count(c, "header.count", 3, {{"title", title}})  // « 3 réflexions au sujet de “…” »
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace causerie {

// CLDR plural categories, for integer counts.
enum class PluralCategory : uint8_t { zero, one, two, few, many, other };

// CLDR integer plural rule of a family named in the catalog's "plural" member: "fr"
// (one: 0 and 1), "en" (one: 1), "none" (ja, zh, ko...), "ru" (uk, be...), "pl", "cs",
// "ar" (all six categories). Unknown families behave as "en".
PluralCategory plural_category(std::string_view rule, int64_t n);

struct Message {
  std::string forms[6];                                // by PluralCategory; `other` always set
  std::vector<std::pair<int64_t, std::string>> exact;  // "=0": text for exactly that count
};

// Whether a language (a BCP 47 tag: its first subtag decides) is written right to left.
bool is_rtl_language(std::string_view language_tag);

struct Catalog {
  std::string language;  // "fr"
  std::string name;      // "Français": for a language picker
  std::string plural;    // plural rule family
  std::map<std::string, Message, std::less<>> messages;
  // The interface in this catalog's language reads right to left: the widget mirrors.
  bool right_to_left() const { return is_rtl_language(language); }
};

// Catalog for a BCP 47 tag: exact ("pt-br"), then its language ("fr-CA" -> "fr"),
// then English. Case and '_' / '-' do not matter.
const Catalog& catalog_for(std::string_view language_tag);
std::vector<std::string> available_languages();

// Parses one catalog document; false (and `out` untouched) when it is malformed.
bool parse_catalog(std::string_view json, Catalog& out);

struct TrArg {
  TrArg(std::string_view key, std::string_view text) : name(key), value(text) {}
  TrArg(std::string_view key, const char* text) : name(key), value(text) {}
  TrArg(std::string_view key, const std::string& text) : name(key), value(text) {}
  TrArg(std::string_view key, int64_t number);  // digits only; see format_number
  std::string_view name;                        // "count", "title"...; positional {0} {1} use the list order
  std::string value;
};

// The message for `key`, placeholders substituted. A key missing from the catalog
// falls back to English, then to the key itself (visible, never a crash).
std::string tr(const Catalog& catalog, std::string_view key, std::initializer_list<TrArg> args = {});

// Same for a counted message: picks the "=N" text or the plural form for `count`,
// and provides {count} formatted with the language's thousands separator.
std::string tr_count(const Catalog& catalog, std::string_view key, int64_t count,
                     std::initializer_list<TrArg> args = {});

// True when the catalog (not the English fallback) has the key.
bool has_message(const Catalog& catalog, std::string_view key);

// Substitutes {name} / {index} placeholders; unknown placeholders stay as written.
std::string format_message(std::string_view pattern, std::initializer_list<TrArg> args);

// 1234567 -> "1 234 567" (fr, narrow no-break spaces) / "1,234,567" (en).
std::string format_number(const Catalog& catalog, int64_t n);

// Message for a validation failure of the API ({field, code} of docs/api.md):
// "validation.<field>.<code>" if the catalog has it, else "validation.<code>" with
// {field} the translated field label, else the generic "error.validation".
std::string validation_message(const Catalog& catalog, std::string_view field, std::string_view code);

}  // namespace causerie
