#pragma once
// The demo threads (--seed-demo), so that a newcomer sees a living comment section:
//   "/demo/chine-russie"  French, the reference WordPress article and its comments
//   "/en/demo"            English
#include <string>

#include "server/storage.h"

namespace causerie::server {

inline constexpr const char* kDemoThreadFr = "/demo/chine-russie";
inline constexpr const char* kDemoThreadEn = "/en/demo";

// Creates the demo threads if the database holds no thread at all. Returns false
// (with `error`) only on a storage failure.
bool seed_demo(Storage& storage, const std::string& install_salt, std::string& error);

}  // namespace causerie::server
