#include "server/http_util.h"

#include <httplib.h>
#include <zlib.h>

#include <chrono>

namespace causerie::server {

std::string gzip_compress(std::string_view data) {
  z_stream zs{};
  // windowBits 15 + 16 asks zlib for a gzip header and trailer.
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out;
  out.resize(deflateBound(&zs, (uLong)data.size()) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = (uInt)data.size();
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = (uInt)out.size();
  const int rc = deflate(&zs, Z_FINISH);
  const size_t produced = out.size() - zs.avail_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return {};
  out.resize(produced);
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
  return out;
}

bool accepts_gzip(const httplib::Request& req) {
  const std::string ae = lower(req.get_header_value("Accept-Encoding"));
  const auto pos = ae.find("gzip");
  if (pos == std::string::npos) return false;
  // "gzip;q=0" (or q=0.0) is an explicit refusal.
  auto rest = ae.substr(pos + 4);
  const auto comma = rest.find(',');
  if (comma != std::string::npos) rest = rest.substr(0, comma);
  std::string compact;
  for (char ch : rest)
    if (ch != ' ') compact += ch;
  return !(compact == ";q=0" || compact == ";q=0.0" || compact == ";q=0.00" || compact == ";q=0.000");
}

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace causerie::server
