#pragma once
// The whole comment section as one ImGui view: header, thread, reply form.
// Platform-free: the platform layer feeds ImGui's IO and calls draw() per frame.
#include <string>

namespace causerie {

struct WidgetConfig {
  std::string api;     // base URL of the API, e.g. https://comments.example.org/api/v1
  std::string thread;  // thread key (page path by default)
  std::string title;   // article title for the header
  std::string lang;    // "fr", "en", ...
};

class CommentSection {
 public:
  explicit CommentSection(WidgetConfig config);

  // Draws into the current ImGui frame, in a full-size window at the origin.
  void draw(float width, float height);

  // Total height of the laid-out section in CSS pixels (the page-scroll spacer).
  float content_height() const { return content_height_; }

 private:
  WidgetConfig config_;
  float content_height_ = 0;
};

}  // namespace causerie
