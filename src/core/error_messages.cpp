#include "core/error_messages.h"

#include <algorithm>

namespace causerie {

std::string error_message(const Catalog& catalog, const ClientError& error) {
  const std::string key = std::string("error.") + to_string(error.kind);
  if (error.kind == ClientErrorKind::rate_limited)
    return tr_count(catalog, key, std::max<int64_t>(1, error.retry_after_seconds));
  return tr(catalog, key);
}

std::vector<std::string> field_messages(const Catalog& catalog, const ClientError& error) {
  std::vector<std::string> out;
  out.reserve(error.fields.size());
  for (const FieldError& f : error.fields) out.push_back(validation_message(catalog, f.field, f.code));
  return out;
}

}  // namespace causerie
