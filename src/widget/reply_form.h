#pragma once
// The reply form, drawn in the canvas: title, labels, the fields' frames and
// backgrounds, the checkbox and the buttons. Each field is a real DOM element laid
// exactly over its frame, which draws its own text in the theme's colour and font,
// and owns the caret, the selection, the IME composition and spell-check marks (so
// what the reader sees is what the field holds, in every script); this view keeps
// what those elements report, to validate and send it.
#include <imgui.h>

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/i18n.h"
#include "core/model.h"
#include "core/richtext.h"
#include "core/validation.h"
#include "widget/lane.h"
#include "widget/text_layout.h"
#include "widget/theme.h"

namespace causerie {

// The form's DOM elements, in tab order.
enum FormElement : int {
  kFieldBody,
  kFieldName,
  kFieldEmail,
  kFieldUrl,
  kRememberBox,
  kSubmitButton,
  kPreviewButton,  // « Aperçu »: the body as it will be shown, in place of the field
  kMyDataButton,   // « Mes données »: the form becomes the reader's data request
  kEraseButton,    // in that form, « Effacer mes commentaires » (the submit button asks for a copy)
  kFormElementCount
};
constexpr int kTextFieldCount = 4;

class ReplyForm {
public:
  enum class Phase { Editing, Sending };

  explicit ReplyForm(const Catalog& catalog) : catalog_(catalog) {}

  // From the DOM elements: a text field's value (the field draws it).
  void set_field(int field, std::string value);
  const std::string& field(int field) const { return values_[field]; }
  void set_remember(bool checked) { remember_ = checked; }
  void set_focus(int element) { focused_ = element; }
  int focused() const { return focused_; }
  bool remember() const { return remember_; }

  // Where the form sits: under the thread (nullopt) or under a comment.
  void reply_to(std::optional<CommentId> parent, std::string parent_name);
  const std::optional<CommentId>& parent() const { return parent_; }
  // Edit mode: the form edits the reader's own comment `id` (only its text).
  void edit(CommentId id);
  const std::optional<CommentId>& editing() const { return editing_; }
  // The comment the form sits under: the one edited or answered.
  std::optional<CommentId> anchor() const { return editing_ ? editing_ : parent_; }
  bool validate_edit(std::string& body);
  // The reader's data (Causerie's API only): the form asks for the e-mail address
  // their comments were made with, and sends a request for a copy or the erasure.
  void set_my_data_available(bool available) { my_data_available_ = available; }
  void ask_my_data(bool on);
  bool asking_my_data() const { return asking_my_data_; }
  bool validate_my_data(std::string& email);
  // What became of the request (shown under the field; "" clears it).
  void set_notice(std::string notice) { notice_ = std::move(notice); }
  // The elements' accessible names, from the catalog (they change in edit mode).
  std::vector<std::string> labels() const;

  // Checks the fields with the rules the server applies; on success fills `out`.
  bool validate(NewComment& out);
  void show_field_errors(const std::vector<FieldError>& errors);
  void set_phase(Phase p) { phase_ = p; }
  Phase phase() const { return phase_; }
  void set_form_error(std::string message) {
    form_error_ = std::move(message);
    messages_changed_ = true;
  }
  void clear_errors();
  // The messages shown (one per text field, then the form's), for the DOM elements'
  // accessible descriptions; `changed` once after they change.
  std::vector<std::string> messages() const;
  bool take_messages_changed() { return std::exchange(messages_changed_, false); }

  // Draws across `lane` (mirrored: from its right edge), from canvas y `top`, and
  // returns the height. Element rectangles, in canvas coordinates, are in element_rect().
  float draw(ImDrawList* dl, const TextFonts& fonts, const Theme& theme, const Lane& lane, float top);
  float height() const { return height_; }
  const ImVec4& element_rect(int element) const { return rects_[element]; }  // x, y, w, h

  // What the reader clicked in the canvas since the last call.
  bool take_cancel() { return std::exchange(cancel_requested_, false); }

  // The preview: the body parsed and drawn as a posted comment is, in place of the
  // field. Only where bodies are Markdown (a WordPress site renders its own).
  void set_preview_available(bool available);
  void set_previewing(bool on);
  bool previewing() const { return previewing_; }
  // The previewed body as text (for the page's accessible copy of the preview).
  std::string preview_text() const { return to_plain_text(preview_doc_); }
  // Once after previewing() or the previewed text changed.
  bool take_preview_changed() { return std::exchange(preview_changed_, false); }
  // The preview as last drawn, and its text's top-left corner on the canvas.
  const TextLayout& preview_layout() const { return preview_layout_; }
  ImVec2 preview_origin() const { return preview_origin_; }

private:
  float draw_field(ImDrawList* dl, const TextFonts& fonts, const Theme& theme, int field, ImVec2 pos, float width,
                   bool multiline);
  float draw_preview(ImDrawList* dl, const TextFonts& fonts, const Theme& theme, const Lane& lane, float top);

  const Catalog& catalog_;
  std::array<std::string, kTextFieldCount> values_;
  std::array<std::string, kTextFieldCount> errors_;
  std::array<ImVec4, kFormElementCount> rects_{};
  std::string form_error_;
  std::optional<CommentId> parent_;
  std::optional<CommentId> editing_;
  std::string parent_name_;
  bool remember_ = false;
  int focused_ = -1;
  Phase phase_ = Phase::Editing;
  bool cancel_requested_ = false;
  bool messages_changed_ = false;
  bool preview_available_ = true;
  bool my_data_available_ = false;
  bool asking_my_data_ = false;
  std::string notice_;
  bool previewing_ = false;
  bool preview_changed_ = false;
  std::string preview_source_;  // the body preview_doc_ was parsed from
  Document preview_doc_;
  TextLayout preview_layout_;  // points into preview_doc_
  ImVec2 preview_origin_;
  float height_ = 0;
};

}  // namespace causerie
