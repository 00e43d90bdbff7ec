#include "server/static_files.h"

#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/http_util.h"

namespace causerie::server {

namespace fs = std::filesystem;

StaticFiles::StaticFiles(std::string root) {
  std::error_code ec;
  const auto canonical = fs::canonical(root, ec);
  if (!ec && fs::is_directory(canonical, ec)) root_ = canonical.string();
}

namespace {

struct FileType {
  const char* mime;
  bool we_compress;  // cpp-httplib compresses text/* and svg itself; these it would not
};

FileType file_type(const std::string& ext) {
  if (ext == ".html" || ext == ".htm") return {"text/html; charset=utf-8", false};
  if (ext == ".js" || ext == ".mjs") return {"text/javascript; charset=utf-8", false};
  if (ext == ".css") return {"text/css; charset=utf-8", false};
  if (ext == ".txt") return {"text/plain; charset=utf-8", false};
  if (ext == ".svg") return {"image/svg+xml", false};
  if (ext == ".wasm") return {"application/wasm", true};
  if (ext == ".json" || ext == ".map") return {"application/json; charset=utf-8", true};
  if (ext == ".ttf") return {"font/ttf", true};
  if (ext == ".otf") return {"font/otf", true};
  if (ext == ".woff2") return {"font/woff2", false};  // already compressed
  if (ext == ".woff") return {"font/woff", false};
  if (ext == ".png") return {"image/png", false};
  if (ext == ".jpg" || ext == ".jpeg") return {"image/jpeg", false};
  if (ext == ".ico") return {"image/x-icon", false};
  return {"application/octet-stream", false};
}

// Long caching only where a change of content changes the URL (?v=...), or for
// the big files the loader requests with a version; the loader itself briefly.
std::string cache_control(const httplib::Request& req, const std::string& name, const std::string& ext) {
  if (req.has_param("v")) return "public, max-age=31536000, immutable";
  if (name == "causerie.js") return "public, max-age=300";
  if (ext == ".html" || ext == ".htm") return "no-cache";
  if (ext == ".wasm" || ext == ".ttf" || ext == ".otf" || ext == ".woff2" || ext == ".woff")
    return "public, max-age=86400";
  return "public, max-age=300";
}

void not_found(httplib::Response& res) {
  res.status = 404;
  res.set_content(R"({"error":{"code":"not_found","message":"no such file","field":null}})", kJsonType);
}

}  // namespace

void StaticFiles::serve(const httplib::Request& req, httplib::Response& res) {
  if (root_.empty()) return not_found(res);
  // req.path is already percent-decoded (once) by cpp-httplib. Refuse anything that
  // could climb out of the folder or reach hidden files, before touching the disk.
  const std::string& path = req.path;
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos ||
      path.find('\\') != std::string::npos || path.find("/.") != std::string::npos)
    return not_found(res);
  std::string relative = path.substr(1);
  if (relative.empty() || relative.back() == '/') relative += "index.html";

  std::error_code ec;
  const fs::path full = fs::path(root_) / relative;
  const fs::path canonical = fs::canonical(full, ec);
  if (ec) return not_found(res);
  const std::string cs = canonical.string();
  // Symbolic links must not lead outside the folder either.
  if (cs.size() <= root_.size() || cs.compare(0, root_.size(), root_) != 0 || cs[root_.size()] != '/')
    return not_found(res);
  if (fs::is_directory(canonical, ec) && fs::is_regular_file(canonical / "index.html", ec)) {
    // "/demo/article" -> "/demo/article/", so the page's relative links resolve.
    res.status = 301;
    res.set_header("Location", path + "/");
    return;
  }
  if (!fs::is_regular_file(canonical, ec)) return not_found(res);
  const uint64_t size = fs::file_size(canonical, ec);
  if (ec) return not_found(res);
  const int64_t mtime = (int64_t)fs::last_write_time(canonical, ec).time_since_epoch().count();
  if (ec) return not_found(res);

  const std::string ext = lower(canonical.extension().string());
  const FileType type = file_type(ext);
  const bool gzip = type.we_compress && accepts_gzip(req) && size > 1024;
  const std::string etag = "\"" + std::to_string(size) + "-" + std::to_string(mtime) + (gzip ? "-gz" : "") + "\"";

  res.set_header("Cache-Control", cache_control(req, canonical.filename().string(), ext));
  res.set_header("ETag", etag);
  res.set_header("Vary", "Accept-Encoding");
  // The widget's wasm and fonts are fetched from the embedding site's origin; they are
  // public and no credentials are involved, so any origin may read them.
  res.set_header("Access-Control-Allow-Origin", "*");
  res.set_header("X-Content-Type-Options", "nosniff");
  const std::string inm = req.get_header_value("If-None-Match");
  if (!inm.empty() && inm.find(etag) != std::string::npos) {
    res.status = 304;
    return;
  }

  std::string body;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Cached& c = cache_[cs];
    if (c.mtime != mtime || c.size != size || c.content.size() != size) {
      std::ifstream in(canonical, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      c = Cached{mtime, size, ss.str(), {}};
      if (c.content.size() != size) {
        cache_.erase(cs);
        return not_found(res);
      }
    }
    if (gzip && c.gzip.empty()) c.gzip = gzip_compress(c.content);
    body = (gzip && !c.gzip.empty()) ? c.gzip : c.content;
    if (gzip && !c.gzip.empty()) res.set_header("Content-Encoding", "gzip");
  }
  res.set_content(std::move(body), type.mime);
}

}  // namespace causerie::server
