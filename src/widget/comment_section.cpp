#include "widget/comment_section.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/dates.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "widget/rounded_box.h"

namespace causerie {

namespace {
// Layout of off-screen cards per frame: a frame stays well under 16 ms.
constexpr double kLayoutBudgetMs = 6;
// Cards before and after the one at the viewport's top that the idle frames lay
// out exactly: a few screens each way.
constexpr size_t kLayoutAround = 60;

// Deterministic avatar colour from the seed: a hue, with fixed saturation and
// lightness so white initials keep their contrast.
ImU32 avatar_colour(const std::string& seed) {
  uint32_t h = 2166136261u;
  for (unsigned char c : seed) h = (h ^ c) * 16777619u;
  const float hue = float(h % 360) / 360.0f;
  float r, g, b;
  ImGui::ColorConvertHSVtoRGB(hue, 0.55f, 0.62f, r, g, b);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(r, g, b, 1.0f));
}

std::string initial_of(const std::string& name) {
  if (name.empty()) return "?";
  size_t i = 0;
  const char32_t cp = utf8_next(name, i);
  std::string s = name.substr(0, i);
  if (cp >= 'a' && cp <= 'z') s[0] = char(cp - 32);
  return s;
}

}  // namespace

CommentSection::CommentSection(WidgetConfig config)
    : config_(std::move(config)), catalog_(&catalog_for(config_.lang)), form_(*catalog_) {
  metrics_.mirrored = catalog_->right_to_left();
}

void CommentSection::set_theme(const ThemeSpec& theme) {
  theme_ = theme_from_spec(theme);
  fonts_.size = theme.font_size;
  fonts_.line_height = theme.line_height;
  metrics_.padding = theme.spacing;
  metrics_.small_size = std::round(theme.font_size * 0.875f);
  metrics_.avatar = theme.avatar == AvatarShape::none ? 0.0f : std::round(theme.font_size * 2.5f);
  metrics_.indent = std::round(theme.font_size * 2.0f);
  metrics_.card_gap = theme.paint_card ? std::max(8.0f, theme.spacing) : 0.0f;
  if (theme.max_depth != config_.max_depth) {
    config_.max_depth = theme.max_depth;
    if (state_ == State::Ready) {
      ThreadOptions options;
      options.max_visual_depth = config_.max_depth;
      view_.set_options(comments_, options);
    }
  }
  view_.invalidate();
  mirror_.invalidate();
}

void CommentSection::show_loading() {
  if (state_ == State::Ready) loading_more_ = true;
  else state_ = State::Loading;
}

void CommentSection::show_thread(const ThreadState& thread) {
  if (state_ == State::Ready) reading_position_.remember(view_, first_visible_, last_viewport_top_, header_height_);
  if (selection_.id) {  // a selection points into the layout of its comment's text
    const size_t before = view_.index_of(selection_.id);
    auto after = std::find_if(thread.comments.begin(), thread.comments.end(),
                              [&](const Comment& c) { return c.id == selection_.id; });
    if (before == ThreadView::npos || after == thread.comments.end() || !view_.same_body(before, *after))
      selection_ = {};
  }
  thread_ = thread.thread;
  // Every field but the body: the view keeps it parsed, the client keeps its text
  // (in a 10,000-comment thread a second copy of the text is megabytes of heap).
  comments_.clear();
  comments_.reserve(thread.comments.size());
  for (const Comment& c : thread.comments)
    comments_.push_back({c.id, c.parent_id, c.author, {}, c.created_at, c.edited_at, c.status, c.thread});
  has_more_ = !thread.complete;
  error_.clear();
  ThreadOptions options;
  options.max_visual_depth = config_.max_depth;
  body_format_ = thread.body_format;
  form_.set_preview_available(thread.body_format == BodyFormat::markdown);
  view_.set_comments(comments_, options, thread.body_format, &thread.comments);
  state_ = State::Ready;
  loading_more_ = false;
  mirror_.invalidate();
}

void CommentSection::set_arrived_count(int count) {
  if (count != arrived_count_) mirror_.invalidate();
  arrived_count_ = count;
}

// The pill: at the top of the thread's visible part, over the comments, in a
// window of its own so that it takes the pointer from what is under it.
void CommentSection::draw_arrived_pill(float width, float viewport_top) {
  if (arrived_count_ <= 0 || state_ != State::Ready) return;
  const std::string label = tr_count(*catalog_, "thread.new_comments", arrived_count_);
  const float size = metrics_.small_size;
  const float text_w = text_width(fonts_, fonts_.bold, size, label);
  const ImVec2 pad(size * 1.0f, size * 0.5f);
  const ImVec2 pill(text_w + 2 * pad.x, size * 1.3f + 2 * pad.y);
  const float top = std::max(header_height_ - viewport_top, 0.0f) + 8.0f;
  const ImVec2 pos(std::round((width - pill.x) * 0.5f), std::round(top));
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(pill);
  constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                      ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground |
                                      ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
  ImGui::Begin("##causerie_arrived", nullptr, kFlags);
  ImGui::PopStyleVar(2);
  ImGui::SetCursorScreenPos(pos);
  if (ImGui::InvisibleButton("reveal", pill)) actions_.push_back(action::Reveal{});
  const bool hovered = ImGui::IsItemHovered();
  if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 end(pos.x + pill.x, pos.y + pill.y);
  dl->AddRectFilled(ImVec2(pos.x, pos.y + 2), ImVec2(end.x, end.y + 2), IM_COL32(0, 0, 0, 0x30), pill.y * 0.5f);
  dl->AddRectFilled(pos, end, hovered ? theme_.accent_hover : theme_.accent, pill.y * 0.5f);
  draw_text(dl, fonts_, fonts_.bold, size, ImVec2(pos.x + pad.x, pos.y + pad.y), theme_.on_accent, label);
  if (focus_.control == Focus::Reveal)  // the ring in the text colour: the pill is accent already
    dl->AddRect(ImVec2(pos.x - 3, pos.y - 3), ImVec2(end.x + 3, end.y + 3), theme_.text, pill.y * 0.5f + 3, 0, 2.0f);
  ImGui::End();
}

void CommentSection::show_error(const ClientError& error) {
  const std::string key = std::string("error.") + to_string(error.kind);
  mirror_.invalidate();
  error_ = error.kind == ClientErrorKind::rate_limited
               ? tr_count(*catalog_, key, std::max<int64_t>(1, error.retry_after_seconds))
               : tr(*catalog_, key);
  if (state_ != State::Ready) state_ = State::Error;
  loading_more_ = false;
}

std::optional<std::string> CommentSection::mirror_update() {
  if (state_ == State::Loading) return std::nullopt;
  const MirrorContent content{*catalog_,
                              view_,
                              comments_,
                              editable_,
                              header_text_,
                              error_,
                              state_ == State::Error,
                              has_more_,
                              arrived_count_,
                              thread_.status,
                              header_height_,
                              config_.timezone_offset_minutes};
  return mirror_.update(content, first_visible_);
}

float CommentSection::comment_top(CommentId id) const {
  const size_t i = view_.index_of(id);
  return i == ThreadView::npos ? -1.0f : header_height_ + view_.item(i).top;
}

bool CommentSection::text_button(const char* id, const std::string& label, ImVec2 pos, float size, ImU32 color) {
  const float w = text_width(fonts_, fonts_.bold, size, label);
  ImGui::SetCursorScreenPos(ImVec2(pos.x - 4, pos.y - 2));
  const bool clicked = ImGui::InvisibleButton(id, ImVec2(w + 8, size * 1.4f + 4));
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  draw_text(dl, fonts_, fonts_.bold, size, pos, color, label);
  if (hovered) {
    ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    dl->AddLine(ImVec2(pos.x, pos.y + size * 1.15f), ImVec2(pos.x + w, pos.y + size * 1.15f), color);
  }
  return clicked;
}

float CommentSection::draw_header(ImDrawList* dl, ImVec2 origin, float width) {
  const float size = fonts_.size * 1.35f;
  const std::string title = config_.title.empty() ? thread_.title : config_.title;
  const int64_t count = std::count_if(comments_.begin(), comments_.end(),
                                      [](const Comment& c) { return c.status == CommentStatus::published; });
  const std::string text = title.empty() ? tr_count(*catalog_, "header.count_untitled", count)
                                         : tr_count(*catalog_, "header.count", count, {{"title", title}});
  // Wrap the header like any paragraph.
  Document doc;
  doc.blocks.push_back({});
  append_span(doc.blocks.back().spans, text, kStyleStrong, {});
  TextFonts big = fonts_;
  big.size = size;
  big.line_height = 1.3f;
  const TextLayout layout = layout_text(doc, big, width);
  header_text_ = text;
  if (dl) draw_text_layout(dl, big, theme_, layout, origin);
  return layout.height + fonts_.size * 1.0f;
}

void CommentSection::open_reply(std::optional<CommentId> parent) {
  std::string name;
  if (parent) {
    const size_t i = view_.index_of(*parent);
    if (i == ThreadView::npos) parent.reset();
    else name = view_.item(i).comment->author.name;
  }
  if (parent == form_.parent() && !form_.asking_my_data()) return;
  form_.reply_to(parent, name);
}

void CommentSection::draw_focus_ring(ImDrawList* dl, ImVec2 min, ImVec2 max) const {
  // A visible focus indicator for keyboard users (WCAG 2.4.7), in the accent colour.
  dl->AddRect(ImVec2(min.x - 2, min.y - 2), ImVec2(max.x + 2, max.y + 2), theme_.accent, 4.0f, 0, 2.0f);
}

void CommentSection::open_edit(CommentId id) {
  if (view_.index_of(id) == ThreadView::npos || form_.editing() == id) return;
  form_.edit(id);
}

CommentSection::Submission CommentSection::submit(bool erase) {
  if (form_.phase() == ReplyForm::Phase::Sending) return {};
  if (form_.asking_my_data()) {
    MyDataRequest request{{}, erase};
    if (!form_.validate_my_data(request.email)) return {};
    form_.set_phase(ReplyForm::Phase::Sending);
    return request;
  }
  if (erase) return {};  // the erase button is the data form's only
  if (const std::optional<CommentId> id = form_.editing()) {
    EditedComment edit{*id, {}};
    if (!form_.validate_edit(edit.body)) return {};
    form_.set_phase(ReplyForm::Phase::Sending);
    return edit;
  }
  NewComment comment;
  if (!form_visible_ || !form_.validate(comment)) return {};
  comment.title = config_.title;
  form_.set_phase(ReplyForm::Phase::Sending);
  return comment;
}

void CommentSection::show_post_result(const ClientResult& result) {
  form_.set_phase(ReplyForm::Phase::Editing);
  if (result.ok()) {
    form_.clear_errors();
    form_.set_previewing(false);
    open_reply(std::nullopt);
    return;
  }
  if (!result.error.fields.empty()) {
    form_.show_field_errors(result.error.fields);
  } else {
    const std::string key = std::string("error.") + to_string(result.error.kind);
    form_.set_form_error(result.error.kind == ClientErrorKind::rate_limited
                             ? tr_count(*catalog_, key, std::max<int64_t>(1, result.error.retry_after_seconds))
                             : tr(*catalog_, key));
  }
}

std::string CommentSection::show_my_data_result(const ClientResult& result) {
  form_.set_phase(ReplyForm::Phase::Editing);
  form_.clear_errors();
  const ClientError& e = result.error;
  if (result.ok()) {
    form_.set_notice(tr(*catalog_, "my_data.sent"));
    return tr(*catalog_, "my_data.sent");
  }
  if (e.kind == ClientErrorKind::validation) {
    form_.show_field_errors({{"author.email", "invalid_email"}});
    return form_.messages()[kFieldEmail];
  }
  // 503 without Retry-After: this server sends no e-mail at all.
  const std::string message = e.kind == ClientErrorKind::rate_limited ? tr(*catalog_, "my_data.rate_limited")
                              : e.http_status == 503 && e.retry_after_seconds == 0
                                  ? tr(*catalog_, "my_data.no_mail")
                              : e.http_status == 503 ? tr(*catalog_, "my_data.mail_failed")
                                                     : tr(*catalog_, std::string("error.") + to_string(e.kind));
  form_.set_form_error(message);
  return message;
}

std::vector<float> CommentSection::form_layout() const {
  // x, y, width, height per element, in the section's coordinates (the container's).
  std::vector<float> out;
  if (!form_visible_) return out;
  for (int e = 0; e < kFormElementCount; ++e) {
    const ImVec4& r = form_.element_rect(e);
    out.insert(out.end(), {r.x, r.y + last_viewport_top_, r.z, r.w});
  }
  return out;
}

std::string CommentSection::selected_text() const {
  if (!selection_.id || selection_.anchor == selection_.focus) return {};
  const size_t i = view_.index_of(selection_.id);
  if (i == ThreadView::npos) return {};
  return text_between(view_.item(i).card.body, selection_.anchor, selection_.focus);
}

namespace {

// A laid-out text's blocks (lines of runs) and decorations, as the text report gives
// them: positions relative to the text's top-left corner.
nlohmann::json layout_report(const TextLayout& body, float line) {
  nlohmann::json blocks = nlohmann::json::array();
  for (size_t b = 0; b < body.blocks.size(); ++b) {
    const TextBlock& block = body.blocks[b];
    nlohmann::json lines = nlohmann::json::array();
    for (uint32_t l = 0; l < block.lines; ++l) {
      nlohmann::json runs = nlohmann::json::array();
      for (uint32_t r = block.first_run; r < block.first_run + block.run_count; ++r) {
        const TextRun& run = body.runs[r];
        if (std::lround((run.y - block.top) / line) != long(l)) continue;
        runs.push_back({{"begin", run.offset},
                        {"end", run.offset + uint32_t(run.end - run.begin)},
                        {"x", run.x - block.left},
                        {"width", run.width},
                        {"rtl", run.rtl ? 1 : 0},
                        {"style", run.style},
                        {"link", run.link >= 0 ? 1 : 0}});
      }
      lines.push_back({{"top", float(l) * line}, {"runs", std::move(runs)}});
    }
    blocks.push_back({{"text", block_text(body, b)},
                      {"left", block.left},
                      {"top", block.top},
                      {"width", block.width},
                      {"rtl", block.rtl ? 1 : 0},
                      {"pre", block.pre ? 1 : 0},
                      {"lines", std::move(lines)}});
  }
  nlohmann::json decorations = nlohmann::json::array();
  static constexpr const char* kKinds[] = {"bar", "code", "marker"};
  for (const TextDecoration& d : body.decorations)
    decorations.push_back({{"kind", kKinds[d.kind]},
                           {"left", d.min.x},
                           {"top", d.min.y},
                           {"right", d.max.x},
                           {"bottom", d.max.y},
                           {"text", d.marker},
                           {"rtl", d.rtl ? 1 : 0}});
  return {{"blocks", std::move(blocks)}, {"decorations", std::move(decorations)}};
}

}  // namespace

std::string CommentSection::text_report() const {
  nlohmann::json out = nlohmann::json::array();
  const auto piece = [](const std::string& text, float left, float top, float width, float size, uint8_t style,
                        ImU32 colour) {
    char css[32];
    std::snprintf(css, sizeof css, "rgba(%u,%u,%u,%.3f)", colour & 0xff, (colour >> 8) & 0xff, (colour >> 16) & 0xff,
                  double(colour >> 24) / 255.0);
    return nlohmann::json{{"text", text}, {"left", left},   {"top", top},   {"width", width},
                          {"size", size}, {"style", style}, {"colour", css}};
  };
  for (size_t i = 0; i < view_.size(); ++i) {
    const ThreadView::Item& item = view_.item(i);
    const TextLayout& body = item.card.body;
    if (!item.exact || body.blocks.empty()) continue;  // not laid out yet, or deleted
    nlohmann::json c = layout_report(body, fonts_.line());
    const float top = header_height_ + item.top;
    const CardHeader h = card_header(item, item.card.text_lane(list_left_, metrics_.mirrored), last_now_);
    c["header"] = {piece(item.comment->author.name, h.name_x, top + h.name_top, h.name_width, fonts_.size,
                         fonts_.bold, h.name_colour),
                   piece(h.date, h.date_x, top + h.date_top, h.date_width, metrics_.small_size, fonts_.regular,
                         h.date_colour)};
    c["id"] = item.id;
    c["left"] = list_left_ + item.card.text_x;
    c["top"] = top + item.card.body_y;
    out.push_back(std::move(c));
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string CommentSection::form_report() const {
  nlohmann::json fields = nlohmann::json::array();
  for (int f = 0; f < kTextFieldCount; ++f) {  // as FormElement; width 0 when not shown
    const ImVec4 r = form_visible_ ? form_.element_rect(f) : ImVec4(0, 0, 0, 0);
    fields.push_back({{"value", form_.field(f)},
                      {"left", r.x},
                      {"top", r.y + last_viewport_top_},
                      {"width", r.z},
                      {"height", r.w}});
  }
  nlohmann::json preview = nullptr;
  if (form_visible_ && form_.previewing()) {
    preview = layout_report(form_.preview_layout(), fonts_.line());
    preview["left"] = form_.preview_origin().x;
    preview["top"] = form_.preview_origin().y + last_viewport_top_;
  }
  return nlohmann::json{{"fields", std::move(fields)}, {"preview", std::move(preview)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void CommentSection::update_selection(float list_top) {
  const ImGuiIO& io = ImGui::GetIO();
  const auto body_origin = [&](CommentId id, ImVec2 offset, const TextLayout** layout) -> ImVec2 {
    const size_t i = view_.index_of(id);
    if (i == ThreadView::npos) return ImVec2(0, 0);
    *layout = &view_.item(i).card.body;
    return ImVec2(offset.x, list_top + view_.item(i).top + offset.y);
  };
  if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) && ImGui::IsWindowHovered()) {
    selection_ = {};
    if (hovered_body_ && hovered_link_.href.empty()) {
      const TextLayout* layout = nullptr;
      const ImVec2 o = body_origin(hovered_body_, hovered_body_offset_, &layout);
      if (layout && !layout->blocks.empty()) {
        const TextPosition p = text_position_at(*layout, fonts_, ImVec2(io.MousePos.x - o.x, io.MousePos.y - o.y));
        selection_ = {hovered_body_, p, p, hovered_body_offset_};
        selecting_ = true;
      }
    }
  }
  if (selecting_ && ImGui::IsMouseDown(ImGuiMouseButton_Left) && selection_.id) {
    const TextLayout* layout = nullptr;
    const ImVec2 o = body_origin(selection_.id, selection_.body_offset, &layout);
    if (layout && !layout->blocks.empty())
      selection_.focus = text_position_at(*layout, fonts_, ImVec2(io.MousePos.x - o.x, io.MousePos.y - o.y));
  }
  if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) selecting_ = false;
}

void CommentSection::draw_body(ImDrawList* dl, const ThreadView::Item& item, ImVec2 origin) {
  const TextLayout& layout = item.card.body;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (ImGui::IsWindowHovered() && mouse.x >= origin.x && mouse.x < origin.x + layout.width && mouse.y >= origin.y &&
      mouse.y < origin.y + layout.height) {
    hovered_body_ = item.comment->id;
    hovered_body_offset_ = ImVec2(origin.x, origin.y - item_top_on_canvas_);
    ImGui::SetMouseCursor(ImGuiMouseCursor_TextInput);
  }
  // The selection, behind the text: one rectangle per run it covers.
  if (selection_.id == item.comment->id && !(selection_.anchor == selection_.focus))
    for (const ImVec4& r : text_selection_rects(layout, fonts_, selection_.anchor, selection_.focus))
      dl->AddRectFilled(ImVec2(origin.x + r.x, origin.y + r.y), ImVec2(origin.x + r.z, origin.y + r.w),
                        theme_.selection);
  // The link run under the pointer: a real <a> goes over it (hovered_link_).
  int hovered_run = -1;
  for (size_t i = 0; i < layout.runs.size() && ImGui::IsWindowHovered(); ++i) {
    const TextRun& r = layout.runs[i];
    const ImVec2 lo(origin.x + r.x, origin.y + r.y), hi(lo.x + r.width, lo.y + fonts_.line());
    if (r.link < 0 || mouse.x < lo.x || mouse.x >= hi.x || mouse.y < lo.y || mouse.y >= hi.y) continue;
    hovered_run = static_cast<int>(i);
    hovered_link_ = {std::string(layout.links[r.link]), lo, hi};
    ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  }
  draw_text_layout(dl, fonts_, theme_, layout, origin, hovered_run);
}

CommentSection::CardHeader CommentSection::card_header(const ThreadView::Item& item, const Lane& text,
                                                       int64_t now) const {
  const Comment& c = *item.comment;
  CardHeader h;
  Flow line(text);
  // Each is drawn alone (draw_text: its own direction from its first strong
  // character), so a name written right to left, or holding U+202E, cannot reorder
  // the date after it: an isolate, as <bdi> in the DOM.
  if (c.status != CommentStatus::deleted) {
    h.name_width = text_width(fonts_, fonts_.bold, fonts_.size, c.author.name);
    h.name_x = line.place(h.name_width, 10.0f);
    h.name_top = item.card.header_y + (fonts_.line() - fonts_.size * 1.2f) * 0.5f;
    h.name_colour = c.author.url && is_safe_link(*c.author.url) ? theme_.accent : theme_.text;
  }
  h.date = format_comment_date(*catalog_, c.created_at, now, int(config_.timezone_offset_minutes));
  h.date_width = text_width(fonts_, fonts_.regular, metrics_.small_size, h.date);
  h.date_x = line.place(h.date_width);
  h.date_top = item.card.header_y + (fonts_.line() - metrics_.small_size * 1.2f) * 0.5f + 1;
  h.date_colour = theme_.muted;
  return h;
}

void CommentSection::draw_comment(ImDrawList* dl, const ThreadView::Item& item, ImVec2 origin, float width,
                                  int64_t now) {
  const Comment& c = *item.comment;
  const CardMetrics& m = metrics_;
  const CardLayout& card = item.card;
  const Lane lane{origin.x, origin.x + width, m.mirrored};
  const float x0 = origin.x + card.avatar_x;
  item_top_on_canvas_ = origin.y;
  const float y = origin.y + card.header_y;
  float content_bottom = y + std::max(fonts_.line(), m.avatar);  // of what is drawn, for drawn_cards()
  if (std::find(highlighted_.begin(), highlighted_.end(), c.id) != highlighted_.end()) {
    const float hx = lane.x(card.indent - 8, width - card.indent + 8);
    dl->AddRectFilled(ImVec2(hx, origin.y + 4), ImVec2(hx + width - card.indent + 8, origin.y + item.height - 4),
                      theme_.highlight, theme_.radius);
  }
  // Thread line: replies hang from a line under their parent's avatar.
  if (item.entry.visual_depth > 0) {
    const float lx = lane.x(card.indent - m.indent, m.avatar) + m.avatar * 0.5f;
    dl->AddLine(ImVec2(lx, origin.y), ImVec2(lx, origin.y + item.height), theme_.thread_line, 2.0f);
  } else if (item.top > 0 && !theme_.paint_card) {  // on cards, the gap between them separates
    dl->AddLine(ImVec2(origin.x, origin.y), ImVec2(origin.x + width, origin.y), theme_.border);
  }
  // Avatar: the site's picture of the author once it arrived, else a coloured disc
  // with the initial.
  const ImVec2 centre(x0 + m.avatar * 0.5f, y + m.avatar * 0.5f);
  const bool square = theme_.avatar == AvatarShape::square;
  const bool drawn = theme_.avatar != AvatarShape::none && c.status != CommentStatus::deleted;
  const ImTextureID picture =
      drawn && avatar_pictures_ && !c.author.avatar_url.empty()
          ? avatar_pictures_(c.author.avatar_url, int(std::ceil(m.avatar * ImGui::GetIO().DisplayFramebufferScale.x)))
          : ImTextureID_Invalid;
  if (theme_.avatar == AvatarShape::none) {
    // no avatar: the text starts at the card's edge
  } else if (picture != ImTextureID_Invalid) {
    dl->AddImageRounded(picture, ImVec2(x0, y), ImVec2(x0 + m.avatar, y + m.avatar), ImVec2(0, 0), ImVec2(1, 1),
                        IM_COL32_WHITE, square ? std::min(theme_.radius, m.avatar * 0.25f) : m.avatar * 0.5f);
  } else if (drawn) {
    const ImU32 fill = avatar_colour(c.author.avatar_seed.empty() ? c.author.name : c.author.avatar_seed);
    if (square)
      dl->AddRectFilled(ImVec2(x0, y), ImVec2(x0 + m.avatar, y + m.avatar), fill,
                        std::min(theme_.radius, m.avatar * 0.25f));
    else dl->AddCircleFilled(centre, m.avatar * 0.5f, fill);
    const std::string initial = initial_of(c.author.name);
    const float isz = m.avatar * 0.45f;
    const float iw = text_width(fonts_, fonts_.bold, isz, initial);
    draw_text(dl, fonts_, fonts_.bold, isz, ImVec2(centre.x - iw * 0.5f, centre.y - isz * 0.6f), IM_COL32_WHITE,
              initial);
  } else if (square) {
    dl->AddRect(ImVec2(x0 + 1, y + 1), ImVec2(x0 + m.avatar - 1, y + m.avatar - 1), theme_.border,
                std::min(theme_.radius, m.avatar * 0.25f), 0, 1.5f);
  } else {
    dl->AddCircle(centre, m.avatar * 0.5f - 1, theme_.border, 0, 1.5f);
  }
  const Lane text = card.text_lane(origin.x, m.mirrored);
  ImGui::PushID((int)c.id);
  const CardHeader header = card_header(item, text, now);
  if (c.status != CommentStatus::deleted) {
    const std::string& name = c.author.name;
    const float name_w = header.name_width;
    const ImVec2 np(header.name_x, origin.y + header.name_top);
    const bool is_link = c.author.url && is_safe_link(*c.author.url);
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const bool hovered = is_link && ImGui::IsWindowHovered() && mouse.x >= np.x && mouse.x < np.x + name_w &&
                         mouse.y >= y && mouse.y < y + fonts_.line();
    draw_text(dl, fonts_, fonts_.bold, fonts_.size, np, header.name_colour, name);
    if (hovered) {
      dl->AddLine(ImVec2(np.x, np.y + fonts_.size * 1.2f), ImVec2(np.x + name_w, np.y + fonts_.size * 1.2f),
                  theme_.accent);
      hovered_link_ = {*c.author.url, ImVec2(np.x, y), ImVec2(np.x + name_w, y + fonts_.line())};
      ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    }
  }
  {
    // Relative when recent; the absolute date on hover, as a tooltip.
    const float dw = header.date_width;
    const ImVec2 dp(header.date_x, origin.y + header.date_top);
    draw_text(dl, fonts_, fonts_.regular, m.small_size, dp, header.date_colour, header.date);
    if (ImGui::IsWindowHovered() &&
        ImGui::IsMouseHoveringRect(dp, ImVec2(dp.x + dw, dp.y + m.small_size * 1.2f), false))
      date_tooltip_ = format_absolute_date(*catalog_, c.created_at, int(config_.timezone_offset_minutes));
  }
  // A notice line's text sits 2 px into its line.
  const auto notice = [&](float line_y, const std::string& s) {
    const float w = text_width(fonts_, fonts_.italic, m.small_size, s);
    draw_text(dl, fonts_, fonts_.italic, m.small_size, ImVec2(text.x(0, w), origin.y + line_y + 2), theme_.muted, s);
    content_bottom = std::max(content_bottom, origin.y + line_y + m.small_size * 1.2f + 2);
  };
  if (card.in_reply_to_y)
    notice(*card.in_reply_to_y, item.entry.orphan
                                    ? tr(*catalog_, "comment.orphan")
                                    : tr(*catalog_, "comment.in_reply_to", {{"name", item.entry.reply_to_name}}));
  if (card.pending_y) notice(*card.pending_y, tr(*catalog_, "comment.awaiting_moderation"));
  const float body_y = origin.y + card.body_y;
  if (c.status == CommentStatus::deleted) {
    const std::string s = tr(*catalog_, "comment.deleted");
    const float w = text_width(fonts_, fonts_.italic, fonts_.size, s);
    draw_text(dl, fonts_, fonts_.italic, fonts_.size,
              ImVec2(text.x(0, w), body_y + (fonts_.line() - fonts_.size * 1.2f) * 0.5f), theme_.muted, s);
  } else {
    draw_body(dl, item, ImVec2(text.left, body_y));
  }
  content_bottom = std::max(content_bottom, body_y + card.body_height);
  const float actions_y = origin.y + card.actions_y;
  const auto action_drawn = [&] { content_bottom = std::max(content_bottom, ImGui::GetItemRectMax().y); };
  Flow actions(text);
  const auto action_button = [&](const char* id, const std::string& label, Focus::Control control) {
    const float w = text_width(fonts_, fonts_.bold, m.small_size, label);
    const bool clicked = text_button(id, label, ImVec2(actions.place(w, 18), actions_y), m.small_size, theme_.accent);
    action_drawn();
    if (focus_.id == c.id && focus_.control == control)
      draw_focus_ring(dl, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    return clicked;
  };
  if (c.status == CommentStatus::published && thread_.status == ThreadStatus::open)
    if (action_button("reply", tr(*catalog_, "comment.reply"), Focus::Reply)) open_reply(c.id);
  // The reader's own comment, within the edit window: Modifier, Supprimer, time left.
  for (const auto& [id, until] : editable_) {
    if (id != c.id || now >= until || c.status == CommentStatus::deleted) continue;
    if (action_button("edit", tr(*catalog_, "comment.edit"), Focus::Edit)) open_edit(c.id);
    if (action_button("delete", tr(*catalog_, "comment.delete"), Focus::Delete))
      actions_.push_back(action::Delete{c.id});
    const int64_t minutes = std::max<int64_t>(1, (until - now + 59) / 60);
    const std::string left_to_edit = tr_count(*catalog_, "comment.edit_time_left", minutes);
    const float w = text_width(fonts_, fonts_.regular, m.small_size, left_to_edit);
    draw_text(dl, fonts_, fonts_.regular, m.small_size, ImVec2(actions.place(w), actions_y - 2), theme_.muted,
              left_to_edit);
  }
  ImGui::PopID();
  drawn_cards_.push_back(
      {c.id, origin.y + last_viewport_top_, content_bottom + last_viewport_top_, x0, text.left, text.right});
}

void CommentSection::draw_skeleton(ImDrawList* dl, ImVec2 origin, float width) {
  // Grey shapes where comments will be: the reader sees the section's shape at once.
  float y = origin.y + metrics_.padding;
  const Lane lane{origin.x, origin.x + width, metrics_.mirrored};
  const Lane text = lane.inset(metrics_.avatar + metrics_.avatar_gap);
  for (int i = 0; i < 3; ++i) {
    dl->AddCircleFilled(ImVec2(lane.x(0, 40) + 20, y + 20), 20, theme_.skeleton);
    const float name_x = text.x(0, 140);
    dl->AddRectFilled(ImVec2(name_x, y + 4), ImVec2(name_x + 140, y + 18), theme_.skeleton, 4);
    for (int l = 0; l < 2; ++l) {
      const float w = text.width() * (l == 1 ? 0.6f : 0.95f);
      const float x = text.x(0, w);
      dl->AddRectFilled(ImVec2(x, y + 30 + l * 22), ImVec2(x + w, y + 44 + l * 22), theme_.skeleton, 4);
    }
    y += 100;
  }
}

void CommentSection::draw_cards(ImDrawList* dl, ImVec2 list_origin, float width, float top, float bottom,
                                float shadow_reach) {
  // One card per conversation (a top-level comment and its replies, and the reply
  // form when it is among them), from the top-level comment's top to the next
  // one's, less the gap. Only what is on screen is looked at: a card that starts
  // above or ends below the canvas is cut a little beyond its edge.
  const float margin = 8.0f + theme_.radius + std::max(0.0f, shadow_reach) + std::fabs(theme_.shadow_offset.y);
  RoundedBox box;
  box.radius = theme_.radius;
  box.border = theme_.card_border;
  box.fill = theme_.card;
  box.stroke = theme_.border;
  box.shadow_offset = theme_.shadow_offset;
  box.shadow_blur = theme_.shadow_blur;
  box.shadow_spread = theme_.shadow_spread;
  box.shadow = theme_.shadow;
  size_t i = first_visible_;
  while (i < view_.size() && view_.item(i).top < bottom) {
    const float card_top = view_.item(i).entry.depth == 0 ? view_.item(i).top : top - margin;
    size_t end = i + 1;
    while (end < view_.size() && view_.item(end).entry.depth > 0 && view_.item(end).top < bottom) ++end;
    const float card_bottom = end == view_.size()                ? view_.height()
                              : view_.item(end).entry.depth == 0 ? view_.item(end).top - metrics_.card_gap
                                                                 : bottom + margin;
    box.min = ImVec2(list_origin.x, list_origin.y + std::max(card_top, top - margin));
    box.max = ImVec2(list_origin.x + width, list_origin.y + std::min(card_bottom, bottom + margin));
    add_rounded_box(dl, box);
    i = end;
  }
}

void CommentSection::draw(float width, float viewport_top, float height, int64_t now) {
  const bool scrolled = viewport_top != last_viewport_top_;
  last_viewport_top_ = viewport_top;
  last_now_ = now;
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(width, height));
  constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                      ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground |
                                      ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::Begin("##causerie", nullptr, kFlags);
  ImGui::PopStyleVar();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (theme_.paint_background) dl->AddRectFilled(ImVec2(0, 0), ImVec2(width, height), theme_.background);
  hovered_link_ = {};
  hovered_body_ = 0;
  drawn_cards_.clear();
  date_tooltip_.clear();
  // Room for focus rings at the edges, and for the cards' shadows.
  const float shadow_reach = theme_.shadow >> IM_COL32_A_SHIFT ? std::max(std::fabs(theme_.shadow_offset.x), 0.0f) +
                                                                     theme_.shadow_spread + theme_.shadow_blur * 1.5f
                                                               : 0.0f;
  const float pad = std::round(4.0f + (theme_.paint_card ? std::max(0.0f, shadow_reach) : 0.0f));
  const float inner = std::max(100.0f, width - 2 * pad);
  ImVec2 origin(pad, -viewport_top);
  const Lane lane{origin.x, origin.x + inner, metrics_.mirrored};
  // A line of text at the start edge.
  const auto line_x = [&](uint8_t font, float size, const std::string& s) {
    return lane.x(0, text_width(fonts_, font, size, s));
  };

  header_height_ = draw_header(dl, origin, inner);
  float y = header_height_;
  switch (state_) {
    case State::Loading:
      draw_skeleton(dl, ImVec2(origin.x, origin.y + y), inner);
      y += 300;
      break;
    case State::Error: {
      draw_text(dl, fonts_, fonts_.regular, fonts_.size,
                ImVec2(line_x(fonts_.regular, fonts_.size, error_), origin.y + y), theme_.text, error_);
      y += fonts_.line() + 8;
      const std::string retry = tr(*catalog_, "thread.retry");
      if (text_button("retry", retry, ImVec2(line_x(fonts_.bold, fonts_.size, retry), origin.y + y), fonts_.size,
                      theme_.accent))
        actions_.push_back(action::Retry{});
      y += fonts_.line() * 2;
      break;
    }
    case State::Ready: {
      // On cards, the comments are inset by the card's padding.
      const bool cards = theme_.paint_card;
      const float card_pad = cards ? std::round(fonts_.size) : 0.0f;
      const float list_w = inner - 2 * card_pad;
      list_left_ = origin.x + card_pad;
      view_.layout(fonts_, metrics_, list_w);
      // Heights change with fonts, width and theme, not only with the comments: the
      // mirror's articles must stay where their cards are drawn.
      if (view_.take_moved()) mirror_.invalidate();
      if (view_.take_relaid_out()) {
        relaid_out_ = true;
        mirror_.invalidate();
        selection_ = {};  // positions point into runs that no longer exist
      }
      // The reply form under the comment it answers: room for it in the list.
      size_t gap = ThreadView::npos;
      if (form_.anchor()) {
        gap = view_.index_of(*form_.anchor());
        if (gap == ThreadView::npos) open_reply(std::nullopt);  // that comment is gone
      }
      view_.set_gap(gap, gap == ThreadView::npos ? 0.0f : form_.height() + 8.0f);
      // Estimated heights near the reader become the browser's a few at a time, in
      // frames where the page did not scroll (a scrolling frame pays for the cards
      // it shows, not for these); what the reader is reading stays where it is
      // however much the cards above it changed. Cards far away keep their estimate:
      // a long thread is not laid out (nor kept laid out) in the background.
      layout_pending_ = view_.estimated() > 0 && scrolled;
      if (view_.estimated() > 0 && !scrolled) {
        reading_position_.remember(view_, first_visible_, last_viewport_top_, header_height_);
        layout_pending_ = view_.lay_out_some(kLayoutBudgetMs, first_visible_ - std::min(first_visible_, kLayoutAround),
                                             first_visible_ + kLayoutAround);
      }
      if (reading_position_.remembered()) {
        const float moved = reading_position_.restore(view_, header_height_);
        scroll_correction_ += moved;
        origin.y -= moved;
        viewport_top += moved;
        last_viewport_top_ = viewport_top;
      }
      // Only the comments on screen are drawn, laid out by the browser.
      const float top = viewport_top - y, bottom = top + height;
      view_.lay_out_exactly(top, bottom);
      if (view_.take_moved()) mirror_.invalidate();
      const float list_height = view_.height();
      first_visible_ = view_.index_at(std::max(0.0f, top));
      if (cards) draw_cards(dl, ImVec2(origin.x, origin.y + y), inner, top, bottom, shadow_reach);
      for (size_t i = first_visible_; i < view_.size(); ++i) {
        const ThreadView::Item& item = view_.item(i);
        if (item.top >= bottom) break;
        draw_comment(dl, item, ImVec2(origin.x + card_pad, origin.y + y + item.top), list_w, now);
      }
      update_selection(origin.y + y);
      // The form's lane: the list's, indented one level deeper than the comment it answers.
      float form_y = 0;
      Lane form_lane = lane;
      if (gap != ThreadView::npos) {
        form_y = y + view_.gap_top();
        form_lane = lane.inset(card_pad + (view_.item(gap).entry.visual_depth + 1) * metrics_.indent, card_pad);
      }
      y += list_height;
      if (has_more_) {
        y += 8;
        if (loading_more_) {
          const std::string s = tr(*catalog_, "thread.loading");
          draw_text(dl, fonts_, fonts_.regular, fonts_.size,
                    ImVec2(line_x(fonts_.regular, fonts_.size, s), origin.y + y), theme_.muted, s);
        } else if (const std::string more = tr(*catalog_, "thread.load_more");
                   text_button("load_more", more, ImVec2(line_x(fonts_.bold, fonts_.size, more), origin.y + y),
                               fonts_.size, theme_.accent)) {
          actions_.push_back(action::LoadMore{});
        }
        y += fonts_.line() * 2;
      }
      if (!error_.empty() && loading_more_ == false && has_more_) {
        draw_text(dl, fonts_, fonts_.regular, metrics_.small_size,
                  ImVec2(line_x(fonts_.regular, metrics_.small_size, error_), origin.y + y), theme_.muted, error_);
        y += fonts_.line();
      }
      if (thread_.status == ThreadStatus::closed) {
        const std::string closed = tr(*catalog_, "thread.closed");
        draw_text(dl, fonts_, fonts_.italic, fonts_.size,
                  ImVec2(line_x(fonts_.italic, fonts_.size, closed), origin.y + y + 16), theme_.muted, closed);
        y += fonts_.line() + 32;
        form_visible_ = false;
        break;
      }
      if (gap == ThreadView::npos) {
        if (view_.size() > 0 && !cards)
          dl->AddLine(ImVec2(origin.x, origin.y + y), ImVec2(origin.x + inner, origin.y + y), theme_.border);
        form_y = y + 8 + (cards ? metrics_.card_gap : 0.0f);
      }
      form_visible_ = true;
      form_.draw(dl, fonts_, theme_, form_lane, origin.y + form_y);
      if (form_.take_cancel()) open_reply(std::nullopt);
      if (gap == ThreadView::npos) y = form_y + form_.height();
      break;
    }
  }
  // The hovered link's URL, shown as the browser's status bar would.
  if (!hovered_link_.href.empty()) {
    const std::string& u = hovered_link_.href;
    const float sz = metrics_.small_size;
    const float w = std::min(text_width(fonts_, fonts_.regular, sz, u) + 12, width - 8);
    ImDrawList* fg = ImGui::GetForegroundDrawList();
    const float x = Lane{4, width - 4, metrics_.mirrored}.x(0, w);  // the bottom corner on the start side
    const ImVec2 a(x, height - sz * 1.6f - 4), b(x + w, height - 4);
    fg->AddRectFilled(a, b, theme_.field_background, 4.0f);
    fg->AddRect(a, b, theme_.border, 4.0f);
    fg->PushClipRect(a, b, true);
    draw_text(fg, fonts_, fonts_.regular, sz, ImVec2(a.x + 6, a.y + sz * 0.2f), theme_.text, u);
    fg->PopClipRect();
  }
  // The absolute date, as a tooltip by the pointer (drawn here: ImGui's own tooltip
  // would set it in ImGui's font, not the browser's).
  if (!date_tooltip_.empty()) {
    const float sz = metrics_.small_size;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const float w = text_width(fonts_, fonts_.regular, sz, date_tooltip_) + 12;
    const ImVec2 a(std::clamp(mouse.x + 12, 4.0f, std::max(4.0f, width - w - 4)), mouse.y + 18);
    const ImVec2 b(a.x + w, a.y + sz * 1.2f + 8);
    ImDrawList* fg = ImGui::GetForegroundDrawList();
    fg->AddRectFilled(a, b, theme_.field_background, 4.0f);
    fg->AddRect(a, b, theme_.border, 4.0f);
    draw_text(fg, fonts_, fonts_.regular, sz, ImVec2(a.x + 6, a.y + 4), theme_.text, date_tooltip_);
  }
  content_height_ = y + 24.0f;
  ImGui::End();
  draw_arrived_pill(width, viewport_top);
}

}  // namespace causerie
