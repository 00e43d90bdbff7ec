#include "server/body_decoding.h"

#include <brotli/decode.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>

#include "server/http_util.h"

namespace causerie::server {

namespace {

// Decoded bytes are produced at most this many at a time past what `out` holds.
constexpr size_t kStep = 16 * 1024;

// Room for the next step of output at the end of `out`: at most one byte past the
// cap, so that passing it is seen without decoding further.
char* grow(std::string& out, size_t max, size_t& room) {
  room = std::min(kStep, max + 1 - out.size());
  const size_t old = out.size();
  out.resize(old + room);
  return out.data() + old;
}

class Identity final : public BodyDecoder {
public:
  explicit Identity(size_t max) : BodyDecoder(max) {}
  Result append(const char* data, size_t n, std::string& out) override {
    if (n > max_ - std::min(max_, out.size())) return Result::too_large;
    out.append(data, n);
    return Result::ok;
  }
  Result finish() override { return Result::ok; }
};

// gzip (RFC 1952) or, for "deflate", the zlib format (RFC 1950) HTTP means by it.
class Inflate final : public BodyDecoder {
public:
  Inflate(size_t max, bool gzip) : BodyDecoder(max) { ok_ = inflateInit2(&z_, gzip ? 15 + 16 : 15) == Z_OK; }
  ~Inflate() override { inflateEnd(&z_); }

  Result append(const char* data, size_t n, std::string& out) override {
    if (!ok_) return Result::malformed;
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    z_.avail_in = (uInt)n;  // content readers hand over far less than 4 GB at once
    while (!ended_) {
      size_t room = 0;
      z_.next_out = reinterpret_cast<Bytef*>(grow(out, max_, room));
      z_.avail_out = (uInt)room;
      const int rc = inflate(&z_, Z_NO_FLUSH);
      out.resize(out.size() - z_.avail_out);
      if (rc == Z_STREAM_END) ended_ = true;
      else if (rc != Z_OK && rc != Z_BUF_ERROR) return Result::malformed;
      if (out.size() > max_) return Result::too_large;
      if (z_.avail_in == 0 && z_.avail_out > 0) return Result::ok;  // all taken, all given out
    }
    return z_.avail_in > 0 ? Result::malformed : Result::ok;  // nothing may follow the stream's end
  }
  Result finish() override { return ended_ ? Result::ok : Result::malformed; }

private:
  z_stream z_{};
  bool ok_ = false;
  bool ended_ = false;
};

// Brotli (RFC 7932). Its decoder sizes its ring buffer by what a stream announces
// (up to 16 MiB), so its allocations come from a budget: about twice the cap for
// the ring buffer plus its tables. A stream that asks for more cannot decode to
// within the cap anyway and counts as too large.
class Unbrotli final : public BodyDecoder {
public:
  explicit Unbrotli(size_t max) : BodyDecoder(max), budget_(2 * max + (1u << 20)) {
    state_ = BrotliDecoderCreateInstance(&Unbrotli::allocate, &Unbrotli::release, this);
  }
  ~Unbrotli() override {
    if (state_) BrotliDecoderDestroyInstance(state_);
  }

  Result append(const char* data, size_t n, std::string& out) override {
    if (!state_) return Result::malformed;
    const uint8_t* next_in = reinterpret_cast<const uint8_t*>(data);
    size_t avail_in = n;
    for (;;) {
      if (result_ == BROTLI_DECODER_RESULT_SUCCESS) return avail_in > 0 ? Result::malformed : Result::ok;
      size_t room = 0;
      uint8_t* next_out = reinterpret_cast<uint8_t*>(grow(out, max_, room));
      size_t avail_out = room;
      result_ = BrotliDecoderDecompressStream(state_, &avail_in, &next_in, &avail_out, &next_out, nullptr);
      out.resize(out.size() - avail_out);
      if (result_ == BROTLI_DECODER_RESULT_ERROR) return over_budget_ ? Result::too_large : Result::malformed;
      if (out.size() > max_) return Result::too_large;
      if (result_ == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) return Result::ok;
    }
  }
  Result finish() override { return result_ == BROTLI_DECODER_RESULT_SUCCESS ? Result::ok : Result::malformed; }

private:
  // Each block carries its size in front, so that release can return it to the budget.
  static void* allocate(void* self, size_t size) {
    auto* d = static_cast<Unbrotli*>(self);
    if (size > d->budget_ - std::min(d->budget_, d->used_)) {
      d->over_budget_ = true;
      return nullptr;
    }
    auto* block = static_cast<size_t*>(std::malloc(size + sizeof(std::max_align_t)));
    if (!block) return nullptr;
    *block = size;
    d->used_ += size;
    return reinterpret_cast<char*>(block) + sizeof(std::max_align_t);
  }
  static void release(void* self, void* p) {
    if (!p) return;
    auto* block = reinterpret_cast<size_t*>(static_cast<char*>(p) - sizeof(std::max_align_t));
    static_cast<Unbrotli*>(self)->used_ -= *block;
    std::free(block);
  }

  BrotliDecoderState* state_ = nullptr;
  BrotliDecoderResult result_ = BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT;
  const size_t budget_;
  size_t used_ = 0;
  bool over_budget_ = false;
};

}  // namespace

std::unique_ptr<BodyDecoder> BodyDecoder::for_encoding(std::string_view content_encoding, size_t max_decoded_bytes) {
  const std::string coding = lower(content_encoding);
  std::string_view c = coding;
  while (!c.empty() && (c.front() == ' ' || c.front() == '\t')) c.remove_prefix(1);
  while (!c.empty() && (c.back() == ' ' || c.back() == '\t')) c.remove_suffix(1);
  if (c.empty() || c == "identity") return std::make_unique<Identity>(max_decoded_bytes);
  if (c == "gzip" || c == "x-gzip") return std::make_unique<Inflate>(max_decoded_bytes, true);
  if (c == "deflate") return std::make_unique<Inflate>(max_decoded_bytes, false);
  if (c == "br") return std::make_unique<Unbrotli>(max_decoded_bytes);
  return nullptr;  // another coding, or several ("gzip, br")
}

}  // namespace causerie::server
