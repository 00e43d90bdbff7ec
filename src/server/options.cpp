#include "server/options.h"

#include <cstdio>
#include <cstdlib>

namespace causerie::server {

bool parse_options(int argc, char** argv, Options& out) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const char* v = (i + 1 < argc) ? argv[i + 1] : nullptr;
    if (a == "--listen" && v) {
      const std::string s = v;
      const auto colon = s.rfind(':');
      if (colon == std::string::npos) { std::fprintf(stderr, "--listen wants host:port\n"); return false; }
      out.host = s.substr(0, colon);
      out.port = std::atoi(s.c_str() + colon + 1);
      ++i;
    } else if (a == "--static" && v) {
      out.static_dir = v;
      ++i;
    } else {
      std::fprintf(stderr, "causerie-server: unknown option or missing value: %s\n", a.c_str());
      return false;
    }
  }
  return true;
}

}  // namespace causerie::server
