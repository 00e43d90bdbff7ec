// The widget's files with precompressed siblings (NAME.br, NAME.gz, as the wasm
// build writes them): which one goes out for which Accept-Encoding, sent as it is
// (never compressed a second time), and decoded it is the file.
#include <brotli/decode.h>
#include <brotli/encode.h>
#include <doctest/doctest.h>
#include <zlib.h>

#include "harness.h"
#include "server/http_util.h"

using namespace test;

namespace {

std::string brotli_encode(const std::string& in) {
  size_t size = BrotliEncoderMaxCompressedSize(in.size());
  std::string out(size, '\0');
  if (!BrotliEncoderCompress(9, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, in.size(),
                             reinterpret_cast<const uint8_t*>(in.data()), &size,
                             reinterpret_cast<uint8_t*>(out.data())))
    return {};
  out.resize(size);
  return out;
}

// "<not brotli>" unless `in` is one complete brotli stream.
std::string brotli_decode(const std::string& in) {
  BrotliDecoderState* s = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
  size_t avail_in = in.size();
  const uint8_t* next_in = reinterpret_cast<const uint8_t*>(in.data());
  std::string out;
  BrotliDecoderResult r;
  do {
    uint8_t buf[65536];
    size_t avail_out = sizeof buf;
    uint8_t* next_out = buf;
    r = BrotliDecoderDecompressStream(s, &avail_in, &next_in, &avail_out, &next_out, nullptr);
    out.append(reinterpret_cast<char*>(buf), sizeof buf - avail_out);
  } while (r == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT);
  BrotliDecoderDestroyInstance(s);
  return r == BROTLI_DECODER_RESULT_SUCCESS && avail_in == 0 ? out : "<not brotli>";
}

// gzip at level 1: not what the server would make itself (its default level), so a
// body equal to the sibling's bytes was not compressed by the server.
std::string gzip_fast(const std::string& in) {
  z_stream zs{};
  if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&zs, (uLong)in.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = (uInt)in.size();
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = (uInt)out.size();
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(out.size() - zs.avail_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string();
}

// "<not gzip>" unless `in` is one complete gzip stream.
std::string gunzip(const std::string& in) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return "<not gzip>";
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = (uInt)in.size();
  std::string out;
  int rc;
  do {
    char buf[65536];
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  } while (rc == Z_OK);
  inflateEnd(&zs);
  return rc == Z_STREAM_END && zs.avail_in == 0 ? out : "<not gzip>";
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Some JavaScript-like text, compressible but not trivially.
std::string script(const std::string& tag, int lines) {
  std::string s;
  for (int i = 0; i < lines; ++i)
    s += "function " + tag + std::to_string(i) + "(a) { return a * " + std::to_string(i * 7919 % 1009) + " + '" +
         std::to_string(i * i) + "'; }\n";
  return s;
}

httplib::Result get(httplib::Client& c, const std::string& path, const std::string& accept_encoding,
                    const std::string& if_none_match = "") {
  httplib::Headers h;
  if (!accept_encoding.empty()) h.emplace("Accept-Encoding", accept_encoding);
  if (!if_none_match.empty()) h.emplace("If-None-Match", if_none_match);
  return c.Get(path.c_str(), h);
}

}  // namespace

TEST_CASE("Accept-Encoding: tokens, weights, q=0 refuses, * stands for the rest") {
  using causerie::server::accepted_encodings;
  auto ae = accepted_encodings("gzip, deflate, br, zstd");
  CHECK(ae.br == 1);
  CHECK(ae.gzip == 1);
  ae = accepted_encodings("br;q=0, gzip;q=0.5");
  CHECK(ae.br == 0);
  CHECK(ae.gzip == 0.5);
  ae = accepted_encodings(" GZIP ; Q = 0.000 ,BR;q=1.0");
  CHECK(ae.gzip == 0);
  CHECK(ae.br == 1);
  ae = accepted_encodings("*;q=0.3, gzip;q=0");
  CHECK(ae.br == doctest::Approx(0.3));
  CHECK(ae.gzip == 0);
  ae = accepted_encodings("identity");
  CHECK(ae.br == 0);
  CHECK(ae.gzip == 0);
  CHECK(accepted_encodings("").gzip == 0);
  CHECK(accepted_encodings("x-gzip").gzip == 1);
  CHECK(accepted_encodings("brotli, gzipped").br == 0);  // tokens, not substrings
  CHECK(accepted_encodings("brotli, gzipped").gzip == 0);
  CHECK(accepted_encodings("br;q=2").br == 0);  // not a weight: not taken as consent
  CHECK(accepted_encodings("br;level=5;q=0.8").br == doctest::Approx(0.8));
}

TEST_CASE("static files: precompressed .br/.gz siblings are sent as they are, per Accept-Encoding") {
  const std::string dir = make_temp_dir();
  const std::string root = dir + "/static";
  fs::create_directories(root);
  const std::string js = script("f", 400);
  const std::string js_br = brotli_encode(js), js_gz = gzip_fast(js);
  REQUIRE(!js_br.empty());
  REQUIRE(!js_gz.empty());
  write_file(root + "/app.js", js);
  write_file(root + "/app.js.br", js_br);
  write_file(root + "/app.js.gz", js_gz);
  std::string wasm("\0asm\1\0\0\0", 8);
  wasm += script("w", 300);
  const std::string wasm_br = brotli_encode(wasm), wasm_gz = gzip_fast(wasm);
  write_file(root + "/app.wasm", wasm);
  write_file(root + "/app.wasm.br", wasm_br);
  write_file(root + "/app.wasm.gz", wasm_gz);
  const std::string plain = script("p", 200);  // no siblings
  write_file(root + "/plain.js", plain);

  {
    Server s({}, dir);
    REQUIRE(s.running());
    auto c = s.client();

    SUBCASE("br when accepted: the sibling's bytes, the file's type, decoded it is the file") {
      for (const char* accept : {"gzip, deflate, br", "br", "BR;q=1.0", "*", "gzip;q=0.5, br;q=0.9"}) {
        CAPTURE(accept);
        auto r = get(c, "/app.js", accept);
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(r->get_header_value("Content-Encoding") == "br");
        CHECK(r->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
        CHECK(r->get_header_value("Vary") == "Accept-Encoding");
        CHECK(r->get_header_value("Cache-Control") == "public, max-age=300");
        CHECK(r->get_header_value("Access-Control-Allow-Origin") == "*");
        CHECK(r->get_header_value("Content-Length") == std::to_string(js_br.size()));
        CHECK(r->body == js_br);  // not compressed a second time
        CHECK(brotli_decode(r->body) == js);
      }
      auto w = get(c, "/app.wasm?v=1", "br, gzip");
      CHECK(w->get_header_value("Content-Encoding") == "br");
      CHECK(w->get_header_value("Content-Type") == "application/wasm");
      CHECK(w->get_header_value("Cache-Control") == "public, max-age=31536000, immutable");
      CHECK(w->body == wasm_br);
      CHECK(brotli_decode(w->body) == wasm);
    }

    SUBCASE("gzip when br is refused, absent or weighed less") {
      for (const char* accept : {"gzip", "br;q=0, gzip", "gzip;q=1, br;q=0.5", "x-gzip"}) {
        CAPTURE(accept);
        auto r = get(c, "/app.js", accept);
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(r->get_header_value("Content-Encoding") == "gzip");
        CHECK(r->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
        CHECK(r->get_header_value("Vary") == "Accept-Encoding");
        CHECK(r->body == js_gz);
        CHECK(gunzip(r->body) == js);
      }
      auto w = get(c, "/app.wasm", "gzip");
      CHECK(w->get_header_value("Content-Encoding") == "gzip");
      CHECK(w->body == wasm_gz);  // the sibling, not the server's own gzip
      CHECK(gunzip(w->body) == wasm);
    }

    SUBCASE("identity when nothing is accepted, or everything refused with q=0") {
      for (const char* accept : {"", "identity", "br;q=0, gzip;q=0", "br;q=0,gzip;q=0.0,*;q=0", "deflate"}) {
        CAPTURE(accept);
        for (const char* path : {"/app.js", "/plain.js"}) {
          CAPTURE(path);
          auto r = get(c, path, accept);
          REQUIRE(r);
          CHECK(r->status == 200);
          CHECK(r->get_header_value("Content-Encoding").empty());
          CHECK(r->get_header_value("Vary") == "Accept-Encoding");
          CHECK(r->body == (std::string(path) == "/app.js" ? js : plain));
        }
        auto w = get(c, "/app.wasm", accept);
        CHECK(w->get_header_value("Content-Encoding").empty());
        CHECK(w->body == wasm);
      }
    }

    SUBCASE("an ETag per encoding, and 304 for each") {
      auto br = get(c, "/app.js", "br");
      auto gz = get(c, "/app.js", "gzip");
      auto id = get(c, "/app.js", "");
      const std::string e_br = br->get_header_value("ETag"), e_gz = gz->get_header_value("ETag"),
                        e_id = id->get_header_value("ETag");
      CHECK(!e_br.empty());
      CHECK(e_br != e_gz);
      CHECK(e_br != e_id);
      CHECK(e_gz != e_id);
      const std::vector<std::pair<std::string, std::string>> pairs = {{"br", e_br}, {"gzip", e_gz}, {"", e_id}};
      for (const auto& [accept, etag] : pairs) {
        CAPTURE(accept);
        auto again = get(c, "/app.js", accept, etag);
        REQUIRE(again);
        CHECK(again->status == 304);
        CHECK(again->body.empty());
        CHECK(again->get_header_value("ETag") == etag);
        CHECK(again->get_header_value("Vary") == "Accept-Encoding");
        // Another encoding's ETag does not match: the whole answer in this one.
        for (const auto& [other_accept, other] : pairs)
          if (other != etag) CHECK(get(c, "/app.js", accept, other)->status == 200);
      }
      // HEAD: the head of the br answer, its length, no body.
      auto head = c.Head("/app.js", {{"Accept-Encoding", "br"}});
      REQUIRE(head);
      CHECK(head->status == 200);
      CHECK(head->get_header_value("Content-Encoding") == "br");
      CHECK(head->get_header_value("Content-Length") == std::to_string(js_br.size()));
      CHECK(head->body.empty());
    }

    SUBCASE("a sibling older than its file is ignored, and a new one is picked up") {
      // The file changes after its siblings were written (a build in progress, a copy
      // of the file alone): the siblings hold the old content.
      const std::string js2 = script("g", 450);
      write_file(root + "/app.js", js2);
      const auto t = fs::last_write_time(root + "/app.js");
      fs::last_write_time(root + "/app.js.br", t - std::chrono::seconds(5));
      fs::last_write_time(root + "/app.js.gz", t - std::chrono::seconds(5));
      auto br = get(c, "/app.js", "br");
      REQUIRE(br);
      CHECK(br->body != js_br);
      // cpp-httplib may compress it on the fly; decoded, it is the new file.
      const std::string coding = br->get_header_value("Content-Encoding");
      CHECK(coding != "gzip");
      CHECK((coding == "br" ? brotli_decode(br->body) : br->body) == js2);
      CHECK(br->get_header_value("ETag").find("-br") == std::string::npos);
      auto gz = get(c, "/app.js", "gzip");
      CHECK(gz->body != js_gz);
      CHECK((gz->get_header_value("Content-Encoding") == "gzip" ? gunzip(gz->body) : gz->body) == js2);
      // The wasm, which the server gzips itself without a sibling.
      std::string wasm2 = wasm + "more";
      write_file(root + "/app.wasm", wasm2);
      fs::last_write_time(root + "/app.wasm.gz", fs::last_write_time(root + "/app.wasm") - std::chrono::seconds(5));
      auto w = get(c, "/app.wasm", "gzip");
      CHECK(w->get_header_value("Content-Encoding") == "gzip");
      CHECK(w->body != wasm_gz);
      CHECK(gunzip(w->body) == wasm2);
      CHECK(w->get_header_value("ETag") != get(c, "/app.wasm", "")->get_header_value("ETag"));

      // The build writes new siblings: sent again, with a new ETag.
      const std::string js2_br = brotli_encode(js2);
      write_file(root + "/app.js.br", js2_br);
      auto fresh = get(c, "/app.js", "br", br->get_header_value("ETag"));
      CHECK(fresh->status == 200);
      CHECK(fresh->body == js2_br);
      CHECK(brotli_decode(fresh->body) == js2);
    }

    SUBCASE("siblings never lead out of the folder, and can be fetched as files") {
      // A sibling that is a link to a file outside the folder is not followed.
      write_file(dir + "/outside.br", brotli_encode("SECRET outside the folder " + std::string(3000, 'x')));
      write_file(root + "/linked.js", script("l", 300));
      fs::create_symlink(dir + "/outside.br", root + "/linked.js.br");
      auto r = get(c, "/linked.js", "br");
      REQUIRE(r);
      CHECK(r->status == 200);
      const std::string body = r->get_header_value("Content-Encoding") == "br" ? brotli_decode(r->body) : r->body;
      CHECK(body == script("l", 300));
      CHECK(body.find("SECRET") == std::string::npos);
      CHECK(get(c, "/linked.js.br", "")->status == 404);
      // A sibling larger than its file is not worth sending.
      write_file(root + "/tiny.wasm", "hi");
      write_file(root + "/tiny.wasm.gz", gzip_fast("hi"));
      auto tiny = get(c, "/tiny.wasm", "gzip");
      CHECK(tiny->get_header_value("Content-Encoding").empty());
      CHECK(tiny->body == "hi");
      // NAME.br asked for by name: a plain file.
      auto direct = get(c, "/app.js.br", "br, gzip");
      CHECK(direct->status == 200);
      CHECK(direct->get_header_value("Content-Encoding").empty());
      CHECK(direct->body == js_br);
    }
  }
  fs::remove_all(dir);
}
