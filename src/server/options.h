#pragma once
// Command-line options of causerie-server.
#include <string>

namespace causerie::server {

struct Options {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string static_dir = "build/web";
};

// Parses argv; on error prints a message and returns false (exit code 2).
bool parse_options(int argc, char** argv, Options& out);

}  // namespace causerie::server
