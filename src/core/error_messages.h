#pragma once
// What the reader reads when a request fails: one localized sentence per error
// kind, and one per field for validation errors. Shared by the thread's error
// state and the comment form, whichever API (Causerie's, WordPress's) answered.
#include <string>
#include <vector>

#include "core/api_client.h"
#include "core/i18n.h"

namespace causerie {

// "error.<kind>" of the catalog; rate_limited says how many seconds to wait.
std::string error_message(const Catalog& catalog, const ClientError& error);

// One message per field error, in order ("Veuillez indiquer votre nom.").
std::vector<std::string> field_messages(const Catalog& catalog, const ClientError& error);

}  // namespace causerie
