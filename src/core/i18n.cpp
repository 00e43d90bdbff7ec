#include "core/i18n.h"

#include <nlohmann/json.hpp>

#include "core/i18n_embedded.h"
#include "core/utf8.h"

namespace causerie {

namespace {

constexpr std::string_view kCategoryNames[6] = {"zero", "one", "two", "few", "many", "other"};

std::string normalize_tag(std::string_view tag) {
  std::string out;
  for (char c : tag.substr(0, 35)) {
    if (c == '_') c = '-';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += c;
  }
  return out;
}

struct Catalogs {
  std::vector<Catalog> all;
  Catalog english;  // the fallback, possibly empty if en.json were missing

  Catalogs() {
    for (size_t k = 0; k < kEmbeddedCatalogCount; ++k) {
      Catalog catalog;
      if (!parse_catalog(kEmbeddedCatalogs[k].json, catalog)) continue;  // unit-tested never to happen
      catalog.language = normalize_tag(kEmbeddedCatalogs[k].language);
      if (catalog.language == "en") english = catalog;
      all.push_back(std::move(catalog));
    }
    if (english.language.empty()) {
      english.language = "en";
      english.plural = "en";
    }
  }

  const Catalog* find(std::string_view language) const {
    for (const Catalog& c : all)
      if (c.language == language) return &c;
    return nullptr;
  }
};

const Catalogs& catalogs() {
  static const Catalogs instance;
  return instance;
}

const Message* find_message(const Catalog& catalog, std::string_view key) {
  const auto it = catalog.messages.find(key);
  return it == catalog.messages.end() ? nullptr : &it->second;
}

const Message* find_with_fallback(const Catalog& catalog, std::string_view key) {
  if (const Message* m = find_message(catalog, key)) return m;
  return find_message(catalogs().english, key);
}

std::string pick_form(const Catalog& catalog, const Message& m, int64_t count) {
  for (const auto& [n, text] : m.exact)
    if (n == count) return text;
  const std::string& form = m.forms[static_cast<size_t>(plural_category(catalog.plural, count))];
  return form.empty() ? m.forms[static_cast<size_t>(PluralCategory::other)] : form;
}

// A catalog text must be valid UTF-8 without control characters (a line break is
// allowed): it is drawn as is.
bool is_clean_text(std::string_view s) {
  if (!utf8_valid(s)) return false;
  for (char c : s)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7F) return false;
  return true;
}

}  // namespace

PluralCategory plural_category(std::string_view rule, int64_t n) {
  const uint64_t i = n < 0 ? static_cast<uint64_t>(-(n + 1)) + 1 : static_cast<uint64_t>(n);
  const uint64_t mod10 = i % 10, mod100 = i % 100;
  if (rule == "fr") return i <= 1 ? PluralCategory::one : PluralCategory::other;
  if (rule == "none") return PluralCategory::other;
  if (rule == "ru") {
    if (mod10 == 1 && mod100 != 11) return PluralCategory::one;
    if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return PluralCategory::few;
    return PluralCategory::many;
  }
  if (rule == "pl") {
    if (i == 1) return PluralCategory::one;
    if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return PluralCategory::few;
    return PluralCategory::many;
  }
  if (rule == "ar") {
    if (i == 0) return PluralCategory::zero;
    if (i == 1) return PluralCategory::one;
    if (i == 2) return PluralCategory::two;
    if (mod100 >= 3 && mod100 <= 10) return PluralCategory::few;
    if (mod100 >= 11) return PluralCategory::many;
    return PluralCategory::other;  // 100-102, 200-202...
  }
  if (rule == "cs") {
    if (i == 1) return PluralCategory::one;
    if (i >= 2 && i <= 4) return PluralCategory::few;
    return PluralCategory::other;
  }
  return i == 1 ? PluralCategory::one : PluralCategory::other;  // "en" and unknown
}

bool is_rtl_language(std::string_view language_tag) {
  const std::string tag = normalize_tag(language_tag);
  const std::string_view language = std::string_view(tag).substr(0, tag.find('-'));
  // Languages whose usual script is Arabic, Hebrew, Thaana or Syriac.
  for (std::string_view rtl : {"ar", "he", "iw", "fa", "ur", "ps", "sd", "ug", "ckb", "yi", "dv", "syr"})
    if (language == rtl) return true;
  return false;
}

bool parse_catalog(std::string_view json, Catalog& out) {
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return false;
  Catalog catalog;
  const auto language = doc.find("language");
  const auto name = doc.find("name");
  const auto plural = doc.find("plural");
  const auto messages = doc.find("messages");
  if (language == doc.end() || !language->is_string() || name == doc.end() || !name->is_string() ||
      plural == doc.end() || !plural->is_string() || messages == doc.end() || !messages->is_object())
    return false;
  catalog.language = normalize_tag(language->get_ref<const std::string&>());
  catalog.name = name->get_ref<const std::string&>();
  catalog.plural = plural->get_ref<const std::string&>();
  for (const auto& [key, value] : messages->items()) {
    Message message;
    if (value.is_string()) {
      message.forms[static_cast<size_t>(PluralCategory::other)] = value.get_ref<const std::string&>();
    } else if (value.is_object()) {
      for (const auto& [form, text] : value.items()) {
        if (!text.is_string()) return false;
        const std::string& s = text.get_ref<const std::string&>();
        if (!form.empty() && form[0] == '=') {
          int64_t n = 0;
          if (form.size() < 2 || form.size() > 10) return false;
          for (size_t k = 1; k < form.size(); ++k) {
            if (form[k] < '0' || form[k] > '9') return false;
            n = n * 10 + (form[k] - '0');
          }
          message.exact.emplace_back(n, s);
          continue;
        }
        size_t category = 6;
        for (size_t c = 0; c < 6; ++c)
          if (form == kCategoryNames[c]) category = c;
        if (category == 6) return false;
        message.forms[category] = s;
      }
      if (message.forms[static_cast<size_t>(PluralCategory::other)].empty()) return false;
    } else {
      return false;
    }
    for (const std::string& form : message.forms)
      if (!is_clean_text(form)) return false;
    for (const auto& exact : message.exact)
      if (!is_clean_text(exact.second)) return false;
    catalog.messages.emplace(key, std::move(message));
  }
  out = std::move(catalog);
  return true;
}

const Catalog& catalog_for(std::string_view language_tag) {
  const Catalogs& all = catalogs();
  const std::string tag = normalize_tag(language_tag);
  if (const Catalog* c = all.find(tag)) return *c;
  const size_t dash = tag.find('-');
  if (dash != std::string::npos)
    if (const Catalog* c = all.find(std::string_view(tag).substr(0, dash))) return *c;
  return all.english;
}

std::vector<std::string> available_languages() {
  std::vector<std::string> out;
  for (const Catalog& c : catalogs().all) out.push_back(c.language);
  return out;
}

TrArg::TrArg(std::string_view key, int64_t number) : name(key), value(std::to_string(number)) {}

namespace {

std::string substitute(std::string_view pattern, const TrArg* args, size_t arg_count) {
  std::string out;
  out.reserve(pattern.size());
  size_t i = 0;
  while (i < pattern.size()) {
    const size_t open = pattern.find('{', i);
    if (open == std::string_view::npos) break;
    const size_t close = pattern.find('}', open + 1);
    if (close == std::string_view::npos) break;
    out.append(pattern.substr(i, open - i));
    const std::string_view name = pattern.substr(open + 1, close - open - 1);
    const TrArg* found = nullptr;
    size_t index = 0;
    bool numeric = !name.empty() && name.size() <= 2;
    for (char c : name) {
      if (c < '0' || c > '9') {
        numeric = false;
        break;
      }
      index = index * 10 + static_cast<size_t>(c - '0');
    }
    if (numeric && index < arg_count) found = args + index;
    for (size_t k = 0; !found && k < arg_count; ++k)
      if (args[k].name == name) found = args + k;
    if (found) {
      out += found->value;  // inserted once, never scanned again
      i = close + 1;
    } else {
      out += '{';  // not a placeholder we know: literal, keep scanning after it
      i = open + 1;
    }
  }
  out.append(pattern.substr(i));
  return out;
}

}  // namespace

std::string format_message(std::string_view pattern, std::initializer_list<TrArg> args) {
  return substitute(pattern, args.begin(), args.size());
}

std::string tr(const Catalog& catalog, std::string_view key, std::initializer_list<TrArg> args) {
  const Message* m = find_with_fallback(catalog, key);
  if (!m) return std::string(key);
  return format_message(m->forms[static_cast<size_t>(PluralCategory::other)], args);
}

std::string tr_count(const Catalog& catalog, std::string_view key, int64_t count, std::initializer_list<TrArg> args) {
  const Message* m = find_message(catalog, key);
  const Catalog* rules = &catalog;
  if (!m) {  // English text, so English plural rule
    rules = &catalogs().english;
    m = find_message(*rules, key);
  }
  if (!m) return std::string(key);
  // The caller's arguments keep their positions ({0}...); {count} comes after them.
  std::vector<TrArg> all(args);
  all.emplace_back("count", format_number(catalog, count));
  return substitute(pick_form(*rules, *m, count), all.data(), all.size());
}

bool has_message(const Catalog& catalog, std::string_view key) { return find_message(catalog, key) != nullptr; }

std::string format_number(const Catalog& catalog, int64_t n) {
  const std::string digits = std::to_string(n);
  const Message* m = find_with_fallback(catalog, "number.thousands_separator");
  const std::string separator = m ? m->forms[static_cast<size_t>(PluralCategory::other)] : std::string();
  const size_t sign = (n < 0) ? 1 : 0;
  const size_t count = digits.size() - sign;
  if (separator.empty() || count <= 3) return digits;
  std::string out = digits.substr(0, sign);
  for (size_t k = 0; k < count; ++k) {
    if (k > 0 && (count - k) % 3 == 0) out += separator;
    out += digits[sign + k];
  }
  return out;
}

std::string validation_message(const Catalog& catalog, std::string_view field, std::string_view code) {
  const std::string specific = "validation." + std::string(field) + "." + std::string(code);
  if (find_with_fallback(catalog, specific)) return tr(catalog, specific);
  const std::string generic = "validation." + std::string(code);
  if (!find_with_fallback(catalog, generic)) return tr(catalog, "error.validation");
  const std::string label_key = "field." + std::string(field);
  const std::string label = find_with_fallback(catalog, label_key) ? tr(catalog, label_key) : std::string(field);
  return tr(catalog, generic, {{"field", label}});
}

}  // namespace causerie
