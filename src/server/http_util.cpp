#include "server/http_util.h"

#include <httplib.h>
#include <zlib.h>

#include <algorithm>

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

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// An RFC 9110 qvalue ("0", "0.5", "1.000"); -1 when malformed.
double parse_qvalue(std::string_view v) {
  if (v.empty() || v.size() > 5 || (v[0] != '0' && v[0] != '1')) return -1;
  if (v.size() > 1 && v[1] != '.') return -1;
  double q = v[0] - '0', scale = 0.1;
  for (size_t i = 2; i < v.size(); ++i, scale /= 10) {
    if (v[i] < '0' || v[i] > '9') return -1;
    q += (v[i] - '0') * scale;
  }
  return q > 1 ? -1 : q;
}

}  // namespace

AcceptedEncodings accepted_encodings(std::string_view header) {
  double br = -1, gzip = -1, any = -1;  // -1: not named
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    size_t semi = item.find(';');
    const std::string coding = lower(trim(item.substr(0, semi)));
    if (coding.empty()) continue;
    double q = 1;
    while (semi != std::string_view::npos) {
      item = item.substr(semi + 1);
      semi = item.find(';');
      const std::string_view param = item.substr(0, semi);
      const size_t eq = param.find('=');
      if (eq != std::string_view::npos && lower(trim(param.substr(0, eq))) == "q")
        q = parse_qvalue(trim(param.substr(eq + 1)));
    }
    if (q < 0) q = 0;  // a malformed weight: identity is always safe
    if (coding == "br") br = std::max(br, q);
    else if (coding == "gzip" || coding == "x-gzip") gzip = std::max(gzip, q);
    else if (coding == "*") any = std::max(any, q);
  }
  AcceptedEncodings out;
  out.br = br >= 0 ? br : std::max(any, 0.0);
  out.gzip = gzip >= 0 ? gzip : std::max(any, 0.0);
  return out;
}

AcceptedEncodings accepted_encodings(const httplib::Request& req) {
  // Several Accept-Encoding lines are one list (RFC 9110, 5.3).
  const size_t lines = req.get_header_value_count("Accept-Encoding");
  if (lines <= 1) return accepted_encodings(req.get_header_value("Accept-Encoding"));
  std::string all;
  for (size_t i = 0; i < lines; ++i) (all += req.get_header_value("Accept-Encoding", "", i)) += ',';
  return accepted_encodings(all);
}

bool accepts_gzip(const httplib::Request& req) { return accepted_encodings(req).gzip > 0; }

}  // namespace causerie::server
