#include "widget/comment_section.h"

#include <imgui.h>

namespace causerie {

CommentSection::CommentSection(WidgetConfig config) : config_(std::move(config)) {}

void CommentSection::draw(float width, float height) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(width, height));
  constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                      ImGuiWindowFlags_NoSavedSettings |
                                      ImGuiWindowFlags_NoBackground |
                                      ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("##causerie", nullptr, kFlags);
  const bool fr = config_.lang.rfind("fr", 0) == 0;
  const std::string header = fr ? "Réflexions au sujet de “" + config_.title + "”"
                                : "Thoughts on “" + config_.title + "”";
  ImGui::TextWrapped("%s", header.c_str());
  ImGui::Spacing();
  ImGui::TextWrapped("%s", fr ? "« Laisser un commentaire » — l’espace est prêt."
                              : "“Leave a Reply” — it’s ready.");
  content_height_ = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
  ImGui::End();
}

}  // namespace causerie
