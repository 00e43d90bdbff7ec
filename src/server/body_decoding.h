#pragma once
// A request body's Content-Encoding (gzip, deflate or br) undone as it arrives,
// with a cap on the decoded bytes: a body that decodes past the cap stops there,
// so a few compressed bytes that would inflate to gigabytes never take more than
// the cap (and one output buffer) of memory or more than the time to make it.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace causerie::server {

class BodyDecoder {
public:
  enum class Result { ok, too_large, malformed };

  // The decoder for a Content-Encoding value ("" and "identity": the bytes as they
  // are; one coding at most); null when it names a coding this server does not undo.
  static std::unique_ptr<BodyDecoder> for_encoding(std::string_view content_encoding, size_t max_decoded_bytes);
  virtual ~BodyDecoder() = default;

  // Decodes `n` more bytes of the body onto `out`. too_large once `out` would pass
  // the cap (what was decoded stays at most the cap); malformed on a broken stream
  // or bytes after its end.
  virtual Result append(const char* data, size_t n, std::string& out) = 0;
  // After the last byte: malformed when the stream stopped before its end.
  virtual Result finish() = 0;

protected:
  explicit BodyDecoder(size_t max_decoded_bytes) : max_(max_decoded_bytes) {}
  const size_t max_;
};

}  // namespace causerie::server
