#include "widget/reply_form.h"

#include <algorithm>

#include "core/markdown.h"

namespace causerie {

namespace {

constexpr float kFieldPadX = 10.0f, kFieldPadY = 8.0f;
constexpr int kBodyMinLines = 5;
constexpr ImU32 kErrorColour = IM_COL32(0xb3, 0x26, 0x1e, 0xff);  // 6.6:1 on white

const char* const kFieldNames[kTextFieldCount] = {"body", "author.name", "author.email", "author.url"};

// A paragraph wrapped across `lane` at `size`, in `colour`; returns its height.
float draw_paragraph(ImDrawList* dl, const TextFonts& fonts, Theme theme, const Lane& lane, float y, float size,
                     ImU32 colour, const std::string& text) {
  Document doc;
  doc.blocks.emplace_back();
  doc.blocks.back().spans.push_back({text, kStyleNone, {}});
  TextFonts sized = fonts;
  sized.size = size;
  const TextLayout layout = layout_text(doc, sized, std::max(80.0f, lane.width()));
  theme.text = colour;
  draw_text_layout(dl, sized, theme, layout, ImVec2(lane.left, y));
  return layout.height;
}

}  // namespace

void ReplyForm::set_field(int field, std::string value) {
  if (field < 0 || field >= kTextFieldCount) return;
  if (value != values_[field] && !errors_[field].empty()) {  // the reader is fixing it
    errors_[field].clear();
    messages_changed_ = true;
  }
  values_[field] = std::move(value);
}

std::vector<std::string> ReplyForm::messages() const {
  std::vector<std::string> out(errors_.begin(), errors_.end());
  out.push_back(form_error_);
  return out;
}

void ReplyForm::reply_to(std::optional<CommentId> parent, std::string parent_name) {
  set_previewing(false);
  asking_my_data_ = false;
  parent_ = parent;
  parent_name_ = std::move(parent_name);
  editing_.reset();
  clear_errors();
}

void ReplyForm::clear_errors() {
  for (std::string& e : errors_) e.clear();
  form_error_.clear();
  notice_.clear();
  messages_changed_ = true;
}

std::vector<std::string> ReplyForm::labels() const {
  const char* submit = asking_my_data_ ? "my_data.copy" : editing_ ? "comment.save" : "form.submit";
  return {tr(catalog_, "form.comment") + " *",  tr(catalog_, "form.name") + " *",
          tr(catalog_, "form.email") + " *",    tr(catalog_, "form.website"),
          tr(catalog_, "form.cookies_consent"), tr(catalog_, submit),
          tr(catalog_, "form.preview"),         tr(catalog_, "my_data.open"),
          tr(catalog_, "my_data.erase")};
}

void ReplyForm::ask_my_data(bool on) {
  if (on && !my_data_available_) return;
  set_previewing(false);
  asking_my_data_ = on;
  parent_.reset();
  editing_.reset();
  clear_errors();
}

bool ReplyForm::validate_my_data(std::string& email) {
  clear_errors();
  email = trim(values_[kFieldEmail]);
  const char* code = email.empty() ? "required" : !is_email_shape(email) ? "invalid_email" : nullptr;
  if (code) show_field_errors({{"author.email", code}});
  return !code;
}

void ReplyForm::set_preview_available(bool available) {
  preview_available_ = available;
  if (!available) set_previewing(false);
}

void ReplyForm::set_previewing(bool on) {
  on = on && preview_available_;
  if (on == previewing_) return;
  previewing_ = on;
  preview_changed_ = true;
}

void ReplyForm::edit(CommentId id) {
  set_previewing(false);
  asking_my_data_ = false;
  editing_ = id;
  parent_.reset();
  clear_errors();
}

bool ReplyForm::validate_edit(std::string& body) {
  clear_errors();
  std::vector<FieldError> errors;
  for (const ValidationError& e : validate_body(values_[kFieldBody])) errors.push_back({e.field, to_string(e.code)});
  show_field_errors(errors);
  if (!errors.empty()) return false;
  body = values_[kFieldBody];
  return true;
}

bool ReplyForm::validate(NewComment& out) {
  NewComment c;
  c.parent_id = parent_;
  c.body = values_[kFieldBody];
  c.author.name = values_[kFieldName];
  c.author.email = values_[kFieldEmail];
  if (!values_[kFieldUrl].empty()) c.author.url = values_[kFieldUrl];
  normalize_new_comment(c);
  clear_errors();
  std::vector<FieldError> errors;
  for (const ValidationError& e : validate_new_comment(c)) errors.push_back({e.field, to_string(e.code)});
  show_field_errors(errors);
  if (!errors.empty()) return false;
  out = std::move(c);
  return true;
}

void ReplyForm::show_field_errors(const std::vector<FieldError>& errors) {
  for (const FieldError& e : errors) {
    int field = -1;
    for (int f = 0; f < kTextFieldCount; ++f)
      if (e.field == kFieldNames[f]) field = f;
    const std::string message = validation_message(catalog_, e.field, e.code);
    messages_changed_ = true;
    if (field >= 0) {
      if (errors_[field].empty()) errors_[field] = message;
    } else {
      form_error_ = message;  // not tied to a field (honeypot, parent gone...)
    }
  }
}

float ReplyForm::draw_field(ImDrawList* dl, const TextFonts& fonts, const Theme& theme, int field, ImVec2 pos,
                            float width, bool multiline) {
  // The frame and background only: the DOM field laid over them draws its own text,
  // caret, selection, composition and spell-check marks.
  const std::string& value = values_[field];
  float lines_h = fonts.line();
  if (multiline) {  // the textarea grows with its text
    Document doc;
    doc.blocks.emplace_back();
    if (!value.empty()) doc.blocks.back().spans.push_back({value, kStyleNone, {}});
    const TextLayout layout = layout_text(doc, fonts, std::max(40.0f, width - 2 * kFieldPadX));
    lines_h = std::max(layout.height, kBodyMinLines * fonts.line());
  }
  const float h = lines_h + 2 * kFieldPadY;
  const bool focused = focused_ == field;
  const bool has_error = !errors_[field].empty();
  rects_[field] = ImVec4(pos.x, pos.y, width, h);

  const ImVec2 a = pos, b(pos.x + width, pos.y + h);
  dl->AddRectFilled(a, b, theme.field_background, theme.radius);
  dl->AddRect(a, b,
              has_error ? kErrorColour
              : focused ? theme.accent
                        : theme.field_border,
              theme.radius, 0, focused ? 2.0f : 1.0f);
  return h;
}

float ReplyForm::draw_preview(ImDrawList* dl, const TextFonts& fonts, const Theme& theme, const Lane& lane,
                              float top) {
  const std::string& body = values_[kFieldBody];
  if (body != preview_source_) {
    preview_source_ = body;
    preview_layout_ = {};  // before the Document it points into changes
    preview_doc_ = parse_markdown(body);
    apply_typography(preview_doc_);
    preview_changed_ = true;
  }
  // Inside the field's frame, as the textarea's text is: each block in its own
  // direction (dir=auto), the empty preview's notice from the start edge.
  const Lane inner = lane.inset(kFieldPadX, kFieldPadX);
  preview_layout_ = layout_text(preview_doc_, fonts, std::max(40.0f, inner.width()));
  preview_origin_ = ImVec2(inner.left, top + kFieldPadY);
  const float h = std::max(preview_layout_.height, kBodyMinLines * fonts.line()) + 2 * kFieldPadY;
  // Where the textarea was: the page lays the preview's accessible copy there.
  const ImVec2 a(lane.left, top), b(lane.right, top + h);
  rects_[kFieldBody] = ImVec4(a.x, a.y, lane.width(), h);
  dl->AddRectFilled(a, b, theme.field_background, theme.radius);
  dl->AddRect(a, b, theme.field_border, theme.radius, 0, 1.0f);
  if (preview_layout_.runs.empty()) {
    const std::string empty = tr(catalog_, "form.preview_empty");
    draw_text(dl, fonts, fonts.italic, fonts.size,
              ImVec2(inner.x(0, text_width(fonts, fonts.italic, fonts.size, empty)), preview_origin_.y), theme.muted,
              empty);
  } else {
    draw_text_layout(dl, fonts, theme, preview_layout_, preview_origin_);
  }
  return h;
}

float ReplyForm::draw(ImDrawList* dl, const TextFonts& fonts, const Theme& theme, const Lane& lane, float top) {
  const float width = lane.width();
  float y = top + 12;
  const float small = 14.0f;
  // A line of text at the start edge.
  const auto at_start = [&](uint8_t font, float size, const std::string& s) {
    return lane.x(0, text_width(fonts, font, size, s));
  };
  // Title, and « Annuler la réponse » after it when replying to a comment.
  const std::string title = asking_my_data_ ? tr(catalog_, "my_data.title")
                            : editing_       ? tr(catalog_, "comment.edit")
                            : parent_        ? tr(catalog_, "form.title_reply_to", {{"name", parent_name_}})
                                             : tr(catalog_, "form.title");
  const float title_size = fonts.size * 1.25f;
  Flow title_line(lane);
  draw_text(dl, fonts, fonts.bold, title_size,
            ImVec2(title_line.place(text_width(fonts, fonts.bold, title_size, title), 14), y), theme.text, title);
  if (parent_ || editing_ || asking_my_data_) {
    const std::string cancel = tr(catalog_, parent_ ? "form.cancel_reply" : "comment.cancel");
    const float cw = text_width(fonts, fonts.regular, small, cancel);
    const ImVec2 cp(title_line.place(cw), y + (title_size - small) * 0.6f);
    const bool hovered =
        ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(cp, ImVec2(cp.x + cw, cp.y + small * 1.3f), false);
    draw_text(dl, fonts, fonts.regular, small, cp, theme.accent, cancel);
    if (hovered) {
      dl->AddLine(ImVec2(cp.x, cp.y + small * 1.2f), ImVec2(cp.x + cw, cp.y + small * 1.2f), theme.accent);
      ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
      if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) cancel_requested_ = true;
    }
  }
  y += title_size * 1.2f + 8;
  if (asking_my_data_) {
    y += draw_paragraph(dl, fonts, theme, lane, y, small, theme.text, tr(catalog_, "my_data.intro")) + 14;
  } else if (!editing_) {
    const std::string notes = tr(catalog_, "form.notes") + " " + tr(catalog_, "form.required_notes");
    draw_text(dl, fonts, fonts.regular, small, ImVec2(at_start(fonts.regular, small, notes), y), theme.muted, notes);
    y += small * 1.2f + 14;
  }
  rects_.fill(ImVec4(0, 0, 0, 0));  // elements not drawn are hidden

  const char* const labels[kTextFieldCount] = {"form.comment", "form.name", "form.email", "form.website"};
  for (int f = 0; f < kTextFieldCount; ++f) {
    if (asking_my_data_ ? f != kFieldEmail : editing_ && f != kFieldBody) continue;
    const bool required = f != kFieldUrl;
    const std::string label = tr(catalog_, labels[f]) + (required ? " *" : "");
    draw_text(dl, fonts, fonts.bold, small, ImVec2(at_start(fonts.bold, small, label), y), theme.text, label);
    y += small * 1.2f + 4;
    const float w = f == kFieldBody ? width : std::min(width, 420.0f);
    const ImVec2 pos(lane.x(0, w), y);
    if (f == kFieldBody && previewing_) {
      y += draw_preview(dl, fonts, theme, Lane{pos.x, pos.x + w, lane.mirrored}, y) + 12;
      continue;
    }
    y += draw_field(dl, fonts, theme, f, pos, w, f == kFieldBody);
    if (!errors_[f].empty()) {
      const std::string& error = errors_[f];
      draw_text(dl, fonts, fonts.regular, small, ImVec2(at_start(fonts.regular, small, error), y + 4), kErrorColour,
                error);
      y += small * 1.2f + 6;
    }
    y += 12;
  }

  // « Enregistrer mon nom… »: a checkbox whose state the DOM checkbox owns, its text after it.
  if (!editing_ && !asking_my_data_) {
    const float box = 18.0f;
    const ImVec2 a(lane.x(0, box), y + 2), b(a.x + box, y + 2 + box);
    dl->AddRectFilled(a, b, remember_ ? theme.accent : theme.field_background, 3.0f);
    dl->AddRect(a, b, focused_ == kRememberBox ? theme.accent : theme.field_border, 3.0f, 0,
                focused_ == kRememberBox ? 2.0f : 1.0f);
    if (remember_) {
      dl->AddLine(ImVec2(a.x + 4, a.y + 9), ImVec2(a.x + 8, a.y + 13), theme.on_accent, 2.0f);
      dl->AddLine(ImVec2(a.x + 8, a.y + 13), ImVec2(a.x + 14, a.y + 5), theme.on_accent, 2.0f);
    }
    const std::string consent = tr(catalog_, "form.cookies_consent");
    Document doc;
    doc.blocks.emplace_back();
    doc.blocks.back().spans.push_back({consent, kStyleNone, {}});
    TextFonts small_fonts = fonts;
    small_fonts.size = small;
    const Lane text = lane.inset(box + 10);
    const TextLayout layout = layout_text(doc, small_fonts, std::max(80.0f, text.width()));
    draw_text_layout(dl, small_fonts, theme, layout, ImVec2(text.left, y + 2));
    const float h = std::max(box + 4, layout.height);
    const float w = box + 10 + layout.width;
    rects_[kRememberBox] = ImVec4(lane.x(0, w), y, w, h);
    y += h + 14;
  }

  if (!form_error_.empty())
    y += draw_paragraph(dl, fonts, theme, lane, y, fonts.size, kErrorColour, form_error_) + 10;
  if (!notice_.empty()) y += draw_paragraph(dl, fonts, theme, lane, y, fonts.size, theme.text, notice_) + 10;

  // The submit button (the DOM button laid over it is what clicks and keys press),
  // then « Aperçu » (outlined, filled while the preview is shown), or in the data
  // form « Effacer mes commentaires ».
  {
    Flow buttons(lane);
    const bool sending = phase_ == Phase::Sending;
    const std::string label = tr(catalog_, sending           ? "form.sending"
                                           : asking_my_data_ ? "my_data.copy"
                                           : editing_        ? "comment.save"
                                                             : "form.submit");
    const float bw = text_width(fonts, fonts.bold, fonts.size, label) + 32;
    const float bh = fonts.size * 1.2f + 20;
    const ImVec2 a(buttons.place(bw, 12), y), b(a.x + bw, y + bh);
    const bool hovered = !sending && ImGui::IsMouseHoveringRect(a, b, false) && ImGui::IsWindowHovered();
    ImU32 fill = sending ? theme.muted : theme.accent;
    if (hovered) fill = theme.accent_hover;
    dl->AddRectFilled(a, b, fill, theme.radius);
    if (focused_ == kSubmitButton)
      dl->AddRect(ImVec2(a.x - 3, a.y - 3), ImVec2(b.x + 3, b.y + 3), theme.accent, theme.radius + 2, 0, 2.0f);
    draw_text(dl, fonts, fonts.bold, fonts.size, ImVec2(a.x + 16, a.y + 10), theme.on_accent, label);
    rects_[kSubmitButton] = ImVec4(a.x, a.y, bw, bh);
    const int second = asking_my_data_ ? kEraseButton : kPreviewButton;
    const std::string second_label = tr(catalog_, asking_my_data_ ? "my_data.erase" : "form.preview");
    const bool pressed = second == kPreviewButton && previewing_;
    const float pw = text_width(fonts, fonts.bold, fonts.size, second_label) + 32;
    if ((asking_my_data_ || preview_available_) && buttons.used() + pw <= width) {
      const ImVec2 pa(buttons.place(pw), y), pb(pa.x + pw, y + bh);
      dl->AddRectFilled(pa, pb, pressed ? theme.accent : theme.field_background, theme.radius);
      dl->AddRect(pa, pb, theme.accent, theme.radius, 0, 1.5f);
      if (focused_ == second)
        dl->AddRect(ImVec2(pa.x - 3, pa.y - 3), ImVec2(pb.x + 3, pb.y + 3), theme.accent, theme.radius + 2, 0, 2.0f);
      draw_text(dl, fonts, fonts.bold, fonts.size, ImVec2(pa.x + 16, pa.y + 10),
                pressed ? theme.on_accent : theme.accent, second_label);
      rects_[second] = ImVec4(pa.x, pa.y, pw, bh);
    }
    y += bh + 16;
  }
  // « Mes données », a link-like button under the form, where a reader looks for it.
  if (my_data_available_ && !editing_ && !asking_my_data_) {
    const std::string label = tr(catalog_, "my_data.open");
    const float w = text_width(fonts, fonts.regular, small, label), h = small * 1.3f;
    const ImVec2 a(lane.x(0, w), y);
    draw_text(dl, fonts, fonts.regular, small, a, theme.accent, label);
    dl->AddLine(ImVec2(a.x, a.y + small * 1.2f), ImVec2(a.x + w, a.y + small * 1.2f), theme.accent);
    if (focused_ == kMyDataButton)
      dl->AddRect(ImVec2(a.x - 3, a.y - 3), ImVec2(a.x + w + 3, a.y + h + 3), theme.accent, 4.0f, 0, 2.0f);
    rects_[kMyDataButton] = ImVec4(a.x, a.y, w, h);
    y += h + 12;
  }
  height_ = y - top;
  return height_;
}

}  // namespace causerie
