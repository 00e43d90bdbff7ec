// libFuzzer target: every JSON decoder of the API (src/core/codec.h) on any bytes.
// Decoders must never crash; what they accept must survive encode -> decode
// unchanged (the server and the widget must agree on every document).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/codec.h"
#include "core/markdown.h"
#include "core/validation.h"
#include "fuzz_check.h"

namespace {

template <typename T, typename Decode, typename Encode>
void round_trip(std::string_view input, Decode decode, Encode encode, const char* what) {
  T value{};
  causerie::DecodeError err;
  if (!decode(input, value, err)) return;
  const std::string encoded = encode(value);
  causerie::fuzz::require(causerie::utf8_valid(encoded), what);
  T again{};
  causerie::DecodeError err2;
  causerie::fuzz::require(decode(encoded, again, err2), what);
  causerie::fuzz::require(again == value, what);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace causerie;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  round_trip<CommentPage>(input, decode_comment_page, encode_comment_page, "comment page round trip");
  round_trip<Comment>(input, decode_comment, encode_comment, "comment round trip");
  round_trip<ModerationPage>(input, decode_moderation_page, encode_moderation_page, "moderation page round trip");
  round_trip<PostedComment>(input, decode_posted_comment, encode_posted_comment, "posted comment round trip");
  round_trip<ApiError>(input, decode_api_error, encode_api_error, "api error round trip");
  round_trip<std::vector<ThreadCount>>(input, decode_counts, encode_counts, "counts round trip");
  round_trip<NewComment>(input, decode_new_comment, encode_new_comment, "new comment round trip");
  round_trip<CommentEdit>(input, decode_comment_edit, encode_comment_edit, "comment edit round trip");

  // What the widget does with an accepted page and what the server does with a post.
  CommentPage page;
  DecodeError err;
  if (decode_comment_page(input, page, err))
    for (const Comment& c : page.comments) fuzz::check_document(parse_markdown(c.body));
  NewComment post;
  if (decode_new_comment(input, post, err)) (void)validate_new_comment(post);
  return 0;
}
