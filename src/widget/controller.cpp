#include "widget/controller.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/error_messages.h"
#include "core/i18n.h"
#include "core/theme.h"
#include "core/wordpress_client.h"

namespace causerie {

namespace {

// ImGui needs a couple of frames after an event to settle (hover state, the input
// queue trickling a down+up that arrived in one frame).
constexpr int kSettleFrames = 3;

std::string string_member(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t integer_member(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

ImGuiKey key_from_dom_code(std::string_view code) {
  struct Entry {
    const char* code;
    ImGuiKey key;
  };
  static constexpr Entry kKeys[] = {
      {"Tab", ImGuiKey_Tab},
      {"ArrowLeft", ImGuiKey_LeftArrow},
      {"ArrowRight", ImGuiKey_RightArrow},
      {"ArrowUp", ImGuiKey_UpArrow},
      {"ArrowDown", ImGuiKey_DownArrow},
      {"PageUp", ImGuiKey_PageUp},
      {"PageDown", ImGuiKey_PageDown},
      {"Home", ImGuiKey_Home},
      {"End", ImGuiKey_End},
      {"Delete", ImGuiKey_Delete},
      {"Backspace", ImGuiKey_Backspace},
      {"Space", ImGuiKey_Space},
      {"Enter", ImGuiKey_Enter},
      {"NumpadEnter", ImGuiKey_KeypadEnter},
      {"Escape", ImGuiKey_Escape},
      {"KeyA", ImGuiKey_A},
      {"KeyC", ImGuiKey_C},
      {"KeyV", ImGuiKey_V},
      {"KeyX", ImGuiKey_X},
      {"KeyY", ImGuiKey_Y},
      {"KeyZ", ImGuiKey_Z},
      {"ShiftLeft", ImGuiKey_LeftShift},
      {"ShiftRight", ImGuiKey_RightShift},
      {"ControlLeft", ImGuiKey_LeftCtrl},
      {"ControlRight", ImGuiKey_RightCtrl},
      {"AltLeft", ImGuiKey_LeftAlt},
      {"AltRight", ImGuiKey_RightAlt},
      {"MetaLeft", ImGuiKey_LeftSuper},
      {"MetaRight", ImGuiKey_RightSuper},
  };
  for (const Entry& e : kKeys)
    if (code == e.code) return e.key;
  return ImGuiKey_None;
}

}  // namespace

std::optional<StartOptions> parse_start_options(std::string_view json) {
  const auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  StartOptions o;
  o.canvas = string_member(j, "canvas");
  o.first_page_url = string_member(j, "first_page_url");
  o.server = string_member(j, "server");
  o.wordpress = string_member(j, "api_kind") == "wordpress";
  o.config.api = string_member(j, "api");
  o.config.thread = string_member(j, "thread");
  o.config.title = string_member(j, "title");
  o.config.lang = string_member(j, "lang");
  o.config.timezone_offset_minutes = integer_member(j, "timezone_offset");
  o.target_comment = std::max<int64_t>(0, integer_member(j, "target_comment"));
  o.reply_to = std::max<int64_t>(0, integer_member(j, "reply_to"));
  if (auto it = j.find("owned"); it != j.end() && it->is_array()) {
    for (const auto& e : *it) {
      if (!e.is_object()) continue;
      auto id = e.find("id"), token = e.find("edit_token");
      if (id == e.end() || !id->is_number_integer() || token == e.end() || !token->is_string()) continue;
      o.owned.push_back({id->get<int64_t>(), token->get<std::string>(), integer_member(e, "edit_expires_at")});
    }
  }
  return o;
}

ApiChoice make_api_client(const StartOptions& options) {
  ApiChoice choice;
  if (options.wordpress) {
    WordPressClientConfig wp;
    wp.api_root = options.config.api;
    wp.title = options.config.title;
    choice.thread_valid = parse_wordpress_post_id(options.config.thread, wp.post_id);
    choice.client = std::make_unique<WordPressClient>(std::move(wp));
    return choice;
  }
  CauserieClientConfig cc;
  cc.base_url = options.server;
  cc.thread_key = options.config.thread;
  cc.first_page_url = options.first_page_url;
  choice.client = std::make_unique<CauserieClient>(std::move(cc));
  return choice;
}

Controller::Controller(Host& host, ApiClient& client, WidgetConfig config)
    : host_(host), client_(client), section_(config), catalog_(catalog_for(config.lang)), title_(config.title) {
  section_.set_avatar_pictures([this](const std::string& url, int device_pixels) {
    auto [it, added] = avatars_.try_emplace(url, ImTextureID_Invalid);
    if (added) host_.load_avatar(url, std::clamp(device_pixels, 16, 256));
    return it->second;
  });
}

void Controller::start(const StartOptions& options, bool thread_valid) {
  target_comment_ = options.target_comment;
  pending_reply_to_ = options.reply_to;
  if (!thread_valid) {
    ClientError error;
    error.kind = ClientErrorKind::not_found;
    section_.show_error(error);
    wake();
    return;
  }
  // Their pending comments are listed to them, and their recent comments stay
  // editable after a reload.
  client_.set_owned(options.owned);
  section_.form().set_my_data_available(client_.offers_my_data());
  send(client_.load_first_page());
  if (auto info = client_.load_thread_info()) send(std::move(*info));
  wake();
}

void Controller::wake() {
  settle_frames_ = kSettleFrames;
  host_.request_frame();
}

void Controller::send(HttpRequest request, int post_seq) {
  host_.fetch(request, kRequestTimeoutMs,
              [this, request, post_seq](HttpResponse response) { on_answer(request, response, post_seq); });
}

// Each answer to its place in the view.
void Controller::on_answer(const HttpRequest& request, const HttpResponse& response, int post_seq) {
  const ClientResult result = client_.on_response(request, response);
  switch (request.kind) {
    case RequestKind::load_page:
      if (result.ok()) section_.show_thread(client_.thread());
      else section_.show_error(result.error);
      follow_live();
      break;
    case RequestKind::load_thread_info:
      // The title and open/closed state (WordPress): not fatal when missing.
      if (result.ok() && client_.thread().loaded) section_.show_thread(client_.thread());
      if (auto next = client_.load_thread_info()) send(std::move(*next));
      break;
    case RequestKind::post_comment:
      if (post_seq) {                                             // the page's own script posted
        if (result.ok()) section_.show_thread(client_.thread());  // with it, pending or not
        report_post(post_seq, result);
      } else {
        posted(result);
      }
      break;
    case RequestKind::edit_comment:
      if (result.ok()) section_.show_thread(client_.thread());
      section_.show_post_result(result);
      if (result.ok()) host_.announce(tr(catalog_, "comment.edited"));
      break;
    case RequestKind::delete_comment:
      if (result.ok()) section_.show_thread(client_.thread());
      host_.announce(result.ok() ? tr(catalog_, "comment.deleted") : error_message(catalog_, result.error));
      break;
    case RequestKind::ask_my_data: host_.announce(section_.show_my_data_result(result)); break;
    case RequestKind::find_imported:
      // An old site's anchor: scroll to the comment imported with that id.
      if (result.ok()) target_comment_ = result.imported_id;
      break;
    case RequestKind::load_counts: break;
  }
  update_editable();
  wake();
}

// The answer to the form's post: the comment in its place, the draft gone, the edit
// token kept; or the errors on the form, the text untouched.
void Controller::posted(const ClientResult& result) {
  const std::optional<CommentId> parent = section_.form().parent();
  section_.show_post_result(result);
  if (!result.ok() || !result.posted) return;
  const Comment& c = result.posted->comment;
  section_.show_thread(client_.thread());
  host_.form_posted(parent.value_or(0), client_.owned(),
                    tr(catalog_, c.status == CommentStatus::pending ? "comment.awaiting_moderation" : "form.posted"));
  target_comment_ = c.id;  // scroll to it and highlight it
}

// What became of a post of the page's script: the comment's id and status, or the
// error with the reader's messages (the form shows the same).
void Controller::report_post(int seq, const ClientResult& result) {
  nlohmann::json j = nlohmann::json::object();
  j["ok"] = result.ok();
  if (result.ok() && result.posted) {
    const Comment& c = result.posted->comment;
    j["id"] = c.id;
    j["status"] = to_string(c.status);
    j["message"] = tr(catalog_, c.status == CommentStatus::pending ? "comment.awaiting_moderation" : "form.posted");
  } else {
    j["error"] = to_string(result.error.kind);
    j["http_status"] = result.error.http_status;
    j["message"] = error_message(catalog_, result.error);
    const std::vector<std::string> messages = field_messages(catalog_, result.error);
    nlohmann::json fields = nlohmann::json::array();
    for (size_t i = 0; i < messages.size(); ++i)
      fields.push_back(
          {{"field", result.error.fields[i].field}, {"code", result.error.fields[i].code}, {"message", messages[i]}});
    j["fields"] = std::move(fields);
  }
  host_.post_done(seq, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// Tells the page where the thread's live stream resumes, when that changed (the
// first page, a reload after a reset); nothing for APIs without one.
void Controller::follow_live() {
  const std::string url = client_.events_url();
  if (url.empty()) return;
  const std::string& position = client_.live_position();
  if (position == live_position_) return;
  live_position_ = position;
  host_.set_live(url, position);
}

// Which comments this reader may still edit, for the Modifier/Supprimer links.
void Controller::update_editable() {
  std::vector<std::pair<CommentId, int64_t>> editable;
  for (const OwnedComment& o : client_.owned()) editable.emplace_back(o.id, o.edit_expires_at);
  section_.set_editable(std::move(editable));
}

void Controller::load_more() {
  if (auto request = client_.load_next_page()) {
    section_.show_loading();
    send(std::move(*request));
  }
}

void Controller::retry() {
  if (client_.thread().loaded) {
    load_more();
  } else {
    section_.show_loading();
    send(client_.load_first_page());
  }
}

void Controller::reveal() {
  if (section_.arrived_count() <= 0) return;
  revealed_ = client_.reveal_arrived();
  section_.set_arrived_count(0);
  section_.show_thread(client_.thread());
  section_.highlight(revealed_);
}

void Controller::submit(bool erase) {
  const CommentSection::Submission submission = section_.submit(erase);
  if (const MyDataRequest* data = std::get_if<MyDataRequest>(&submission)) {
    if (auto request = client_.ask_my_data(data->email, data->erase, catalog_.language)) send(std::move(*request));
  } else if (const NewComment* comment = std::get_if<NewComment>(&submission)) {
    send(client_.post_comment(*comment));
  } else if (const EditedComment* edit = std::get_if<EditedComment>(&submission)) {
    // Refused before asking the server: the reader's own comment past its window
    // (they are told so), or one this browser holds no token for.
    const ClientErrorKind refusal = client_.edit_refusal(edit->id, host_.unix_now());
    std::optional<HttpRequest> request;
    if (refusal == ClientErrorKind::none) request = client_.edit_comment(edit->id, edit->body);
    if (request) {
      send(std::move(*request));
    } else {
      ClientResult refused;
      refused.error.kind = refusal == ClientErrorKind::none ? ClientErrorKind::forbidden : refusal;
      section_.show_post_result(refused);
    }
  }
}

void Controller::remove(CommentId id) {
  if (!host_.confirm(tr(catalog_, "comment.delete_confirm"))) return;
  if (auto request = client_.delete_comment(id)) send(std::move(*request));
}

void Controller::act(const ReaderAction& a) {
  struct Visitor {
    Controller& c;
    void operator()(const action::Retry&) { c.retry(); }
    void operator()(const action::LoadMore&) { c.load_more(); }
    void operator()(const action::Reveal&) { c.reveal(); }
    void operator()(const action::Submit& s) { c.submit(s.erase); }
    void operator()(const action::Delete& d) { c.remove(d.id); }
    void operator()(const action::OpenReply& r) { c.section_.open_reply(r.parent); }
    void operator()(const action::OpenEdit& e) { c.section_.open_edit(e.id); }
    void operator()(const action::Focus& f) { c.section_.set_focus(f.focus); }
    void operator()(const action::TogglePreview&) {
      ReplyForm& form = c.section_.form();
      form.set_previewing(!form.previewing());
    }
    void operator()(const action::OpenMyData& m) { c.section_.open_my_data(m.open); }
  };
  std::visit(Visitor{*this}, a);
  wake();
}

void Controller::resize(float css_width, float css_height, float pixel_ratio) {
  css_width_ = css_width;
  css_height_ = css_height;
  pixel_ratio_ = pixel_ratio;
  wake();
}

void Controller::scroll(float viewport_top) {
  if (viewport_top == viewport_top_) return;
  viewport_top_ = viewport_top;
  wake();
}

void Controller::pointer(PointerKind kind, float x, float y, int button, PointerSource source) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(source == PointerSource::Touch ? ImGuiMouseSource_TouchScreen
                         : source == PointerSource::Pen ? ImGuiMouseSource_Pen
                                                        : ImGuiMouseSource_Mouse);
  if (kind == PointerKind::Leave) io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
  else io.AddMousePosEvent(x, y);
  const bool press = kind == PointerKind::Down;
  if ((press || kind == PointerKind::Up) && button >= 0 && button < 3) io.AddMouseButtonEvent(button, press);
  wake();
}

void Controller::key(std::string_view dom_code, bool down, bool ctrl, bool shift, bool alt, bool meta) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddKeyEvent(ImGuiMod_Ctrl, ctrl);
  io.AddKeyEvent(ImGuiMod_Shift, shift);
  io.AddKeyEvent(ImGuiMod_Alt, alt);
  io.AddKeyEvent(ImGuiMod_Super, meta);
  if (const ImGuiKey k = key_from_dom_code(dom_code); k != ImGuiKey_None) io.AddKeyEvent(k, down);
  wake();
}

void Controller::focus(bool focused) {
  ImGui::GetIO().AddFocusEvent(focused);
  wake();
}

void Controller::field(int field, std::string value) {
  section_.form().set_field(field, std::move(value));
  wake();
}

void Controller::form_focus(int element, bool remember) {
  section_.form().set_focus(element);
  section_.form().set_remember(remember);
  wake();
}

void Controller::go_to_comment(CommentId id) {
  target_comment_ = id;
  asked_imported_ = false;
  wake();
}

// New comments wait behind the pill; changes to comments on screen apply in place.
void Controller::live_event(std::string_view event, std::string_view id, std::string_view data) {
  const size_t arrived_before = client_.thread().arrived.size();
  switch (client_.on_live_event(event, id, data)) {
    case LiveChange::none: return;
    case LiveChange::arrived: {
      const size_t arrived = client_.thread().arrived.size();
      section_.set_arrived_count(int(arrived));
      if (arrived > arrived_before) host_.announce(tr_count(catalog_, "thread.new_comments", int64_t(arrived)));
      break;
    }
    case LiveChange::changed:
      section_.show_thread(client_.thread());
      update_editable();
      break;
    case LiveChange::reload:
      follow_live();  // closed until the new read says where to resume
      section_.set_arrived_count(0);
      send(client_.load_first_page());
      break;
  }
  wake();
}

// The theme the loader collected: applied at once, and the site's developers told
// what was ignored or is below the WCAG contrast minimum.
void Controller::set_theme(std::string_view theme_json) {
  const ResolvedTheme resolved = resolve_theme(theme_json);
  for (const std::string& w : resolved.warnings) host_.warn(w);
  section_.set_theme(resolved.theme);
  const Rgba& text = resolved.theme.text;
  host_.set_field_style(resolved.theme.font_size, resolved.theme.font_size * resolved.theme.line_height,
                        "rgba(" + std::to_string(text.r) + "," + std::to_string(text.g) + "," + std::to_string(text.b) +
                            "," + std::to_string(text.a / 255.0f) + ")");
  wake();
}

void Controller::set_fonts(const TextFonts& fonts) {
  fonts_ = fonts;
  section_.set_fonts(fonts);
  wake();
}

bool Controller::awaiting_avatar(const std::string& url) const {
  auto it = avatars_.find(url);
  return it != avatars_.end() && it->second == ImTextureID_Invalid;
}

void Controller::set_avatar(const std::string& url, ImTextureID texture) {
  avatars_[url] = texture;
  wake();
}

int Controller::post_from_page(std::string_view json) {
  const auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object()) return 0;
  NewComment c;
  if (const int64_t parent = integer_member(j, "parent_id"); parent > 0) c.parent_id = parent;
  c.author.name = string_member(j, "name");
  c.author.email = string_member(j, "email");
  if (std::string url = string_member(j, "url"); !url.empty()) c.author.url = std::move(url);
  c.body = string_member(j, "body");
  if (!title_.empty()) c.title = title_;
  send(client_.post_comment(c), ++post_seq_);
  return post_seq_;
}

Controller::Frame Controller::frame() {
  if (css_width_ <= 0 || css_height_ <= 0 || !fonts_.shaper) return {};  // no size or no shaper yet
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(css_width_, css_height_);
  io.DisplayFramebufferScale = ImVec2(pixel_ratio_, pixel_ratio_);
  ImGui::NewFrame();
  const double t0 = host_.now_ms();
  section_.draw(css_width_, viewport_top_, css_height_, host_.unix_now());
  if (section_.relaid_out()) layout_ms_ = host_.now_ms() - t0;
  ImGui::Render();
  ++frames_;
  after_draw();
  // While the thread loads there is nothing to hover or type into: one frame per
  // event draws the placeholder (on a machine without a GPU each frame costs a
  // readback; they all sat on the path to the first paint).
  if (section_.state() == CommentSection::State::Loading) settle_frames_ = 0;
  const bool settling = --settle_frames_ > 0;
  return {true, settling || section_.laying_out()};
}

// What the frame just drawn means for the page: its size and scroll, the form's
// elements, the mirror, and what the reader asked for in the canvas.
void Controller::after_draw() {
  static const char* kCursors[] = {"default",     "text",        "move",    "ns-resize",  "ew-resize",
                                   "nesw-resize", "nwse-resize", "pointer", "not-allowed"};
  const ImGuiMouseCursor cursor = ImGui::GetMouseCursor();
  host_.set_cursor(cursor >= 0 && cursor < 9 ? kCursors[cursor] : "default");

  if (const float height = section_.content_height(); height != last_content_height_) {
    last_content_height_ = height;
    host_.set_content_height(height);
  }
  // The thread changed above what the reader reads: the page scrolls with it.
  if (const float moved = section_.take_scroll_correction(); moved != 0) {
    viewport_top_ += moved;
    host_.scroll_by(moved);
  }
  using State = CommentSection::State;
  const State state = section_.state();
  if (pending_reply_to_ && state == State::Ready) section_.open_reply(std::exchange(pending_reply_to_, 0));
  if (state != State::Loading || ready_) {
    ready_ = true;
    host_.set_state(state == State::Ready ? "ready" : state == State::Error ? "error" : "loading");
  }
  if (std::optional<std::string> mirror = section_.mirror_update()) host_.set_mirror(*mirror);
  // The reply form: its DOM elements follow the drawn fields.
  if (std::vector<float> layout = section_.form_layout(); layout != form_layout_) {
    form_layout_ = std::move(layout);
    host_.set_form_layout(form_layout_);
  }
  ReplyForm& form = section_.form();
  if (form.take_messages_changed()) host_.set_form_messages(form.messages());
  if (form.take_preview_changed()) host_.set_form_preview(form.previewing(), form.preview_text());
  if (const auto target = std::make_tuple(form.parent(), form.editing(), form.asking_my_data());
      target != form_target_) {
    form_target_ = target;
    host_.set_form_labels(form.labels());
    if (const auto id = form.editing()) {
      for (const Comment& c : client_.thread().comments)
        if (c.id == *id) host_.set_edit_target(c.id, c.body);
    } else {
      host_.set_reply_target(form.parent().value_or(0));
    }
    wake();
  }
  // Revealed comments, laid out by this frame: bring the first into view, unless it is.
  if (!revealed_.empty() && state == State::Ready) {
    float first = -1;
    for (CommentId id : revealed_) {
      const float top = section_.comment_top(id);
      if (top >= 0 && (first < 0 || top < first)) first = top;
    }
    revealed_.clear();
    if (first >= 0 && (first < viewport_top_ || first > viewport_top_ + css_height_ * 0.75f)) host_.scroll_to(first);
  }
  for (const ReaderAction& a : section_.take_actions()) act(a);
  // #comment-<id>: the next page until it is found, then there.
  if (target_comment_ && section_.state() == State::Ready) {
    if (const float top = section_.comment_top(target_comment_); top >= 0) {
      section_.highlight(target_comment_);
      host_.scroll_to(top);
      target_comment_ = 0;
    } else if (!client_.thread().complete) {
      if (!section_.loading_more()) load_more();
    } else {
      // None of this thread's ids: perhaps the id it had on the old site (an
      // imported WordPress thread's #comment-123), asked once.
      if (!std::exchange(asked_imported_, true))
        if (auto request = client_.find_imported(target_comment_)) send(std::move(*request));
      target_comment_ = 0;
    }
  }
  if (!(section_.hovered_link() == link_)) {
    link_ = section_.hovered_link();
    host_.set_link(link_);
  }
}

}  // namespace causerie
