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
  bool compress;  // worth gzipping when there is no precompressed sibling
};

FileType file_type(const std::string& ext) {
  if (ext == ".html" || ext == ".htm") return {"text/html; charset=utf-8", true};
  if (ext == ".js" || ext == ".mjs") return {"text/javascript; charset=utf-8", true};
  if (ext == ".css") return {"text/css; charset=utf-8", true};
  if (ext == ".txt") return {"text/plain; charset=utf-8", true};
  if (ext == ".svg") return {"image/svg+xml", true};
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

bool inside(const std::string& root, const std::string& canonical) {
  return canonical.size() > root.size() && canonical.compare(0, root.size(), root) == 0 &&
         canonical[root.size()] == '/';
}

std::string etag_of(uint64_t size, int64_t mtime, const char* tag) {
  std::string etag = "\"" + std::to_string(size) + "-" + std::to_string(mtime);
  if (*tag) (etag += "-") += tag;
  return etag + "\"";
}

void not_found(httplib::Response& res) {
  res.status = 404;
  res.set_content(R"({"error":{"code":"not_found","message":"no such file","field":null}})", kJsonType);
}

}  // namespace

StaticFiles::Body StaticFiles::load(const std::string& path, uint64_t size, int64_t mtime, bool gzip) {
  std::lock_guard<std::mutex> lock(mutex_);
  Cached& c = cache_[path];
  if (c.mtime != mtime || c.size != size || !c.content || c.content->size() != size) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    auto content = std::make_shared<const std::string>(ss.str());
    if (content->size() != size) {
      cache_.erase(path);
      return {};
    }
    c = Cached{mtime, size, std::move(content), {}};
  }
  if (gzip && !c.gzip) {
    std::string gz = gzip_compress(*c.content);
    if (!gz.empty()) c.gzip = std::make_shared<const std::string>(std::move(gz));
  }
  if (gzip && c.gzip) return {c.gzip, "gzip"};
  return {c.content, nullptr};
}

StaticFiles::Body StaticFiles::precompressed(const AcceptedEncodings& accepted, const std::string& file, uint64_t size,
                                             int64_t mtime, std::string& etag) {
  struct Candidate {
    double q;
    const char* suffix;
    const char* coding;
    const char* tag;
  };
  Candidate candidates[] = {{accepted.br, ".br", "br", "br"}, {accepted.gzip, ".gz", "gzip", "gz"}};
  // The client's preference first; brotli (the smaller) when it has none.
  if (candidates[1].q > candidates[0].q) std::swap(candidates[0], candidates[1]);
  for (const Candidate& c : candidates) {
    if (c.q <= 0) continue;
    std::error_code ec;
    const fs::path sibling = fs::canonical(file + c.suffix, ec);
    if (ec) continue;
    const std::string ss = sibling.string();
    // A symbolic link must not lead out of the folder, and only a regular file, not
    // older than the file (a stale one is ignored), and smaller, is worth sending.
    if (!inside(root_, ss) || !fs::is_regular_file(sibling, ec)) continue;
    const uint64_t sibling_size = fs::file_size(sibling, ec);
    if (ec || sibling_size == 0 || sibling_size >= size) continue;
    const int64_t sibling_mtime = (int64_t)fs::last_write_time(sibling, ec).time_since_epoch().count();
    if (ec || sibling_mtime < mtime) continue;
    Body body = load(ss, sibling_size, sibling_mtime, false);
    if (!body.bytes) continue;
    body.coding = c.coding;
    // The bytes sent are the sibling's: its own size and time, and the coding.
    etag = etag_of(sibling_size, sibling_mtime, c.tag);
    return body;
  }
  return {};
}

void StaticFiles::serve(const httplib::Request& req, httplib::Response& res) {
  if (root_.empty()) return not_found(res);
  // req.path is already percent-decoded (once) by cpp-httplib. Refuse anything that
  // could climb out of the folder or reach hidden files, before touching the disk:
  // an empty segment too ("//"), which would make the rest an absolute path that
  // replaces the folder (root / "/x" is "/x"), and "//host/..." a redirect elsewhere.
  const std::string& path = req.path;
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos || path.find('\\') != std::string::npos ||
      path.find("/.") != std::string::npos || path.find("//") != std::string::npos)
    return not_found(res);
  std::string relative = path.substr(1);
  if (relative.empty() || relative.back() == '/') relative += "index.html";

  std::error_code ec;
  const fs::path full = fs::path(root_) / relative;
  const fs::path canonical = fs::canonical(full, ec);
  if (ec) return not_found(res);
  const std::string cs = canonical.string();
  // Symbolic links must not lead outside the folder either.
  if (!inside(root_, cs)) return not_found(res);
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
  const AcceptedEncodings accepted = accepted_encodings(req);
  // A precompressed sibling the client accepts (NAME.br, NAME.gz: the build writes them).
  std::string etag;
  Body body = precompressed(accepted, cs, size, mtime, etag);
  const bool from_sibling = body.bytes != nullptr;
  // Without one: gzip made here (cached) for text and the types worth it.
  const bool gzip = !from_sibling && (type.compress) && size > 1024 && accepted.gzip > 0;
  if (!from_sibling) etag = etag_of(size, mtime, gzip ? "gz" : "");

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

  if (!from_sibling) body = load(cs, size, mtime, gzip);
  if (!body.bytes) return not_found(res);
  if (body.coding) res.set_header("Content-Encoding", body.coding);
  if (body.bytes->empty()) return res.set_content(*body.bytes, type.mime);
  // Through a content provider of known length: sent as it is, with no copy of the bytes.
  std::shared_ptr<const std::string> bytes = std::move(body.bytes);
  const size_t total = bytes->size();
  res.set_content_provider(total, type.mime, [bytes](size_t offset, size_t length, httplib::DataSink& sink) {
    return offset <= bytes->size() && sink.write(bytes->data() + offset, std::min(length, bytes->size() - offset));
  });
}

}  // namespace causerie::server
