#include "widget/mirror.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/dates.h"
#include "core/rfc3339.h"
#include "core/richtext.h"

namespace causerie {

std::string mirror_json(const MirrorContent& content, size_t first, size_t count) {
  const Catalog& catalog = content.catalog;
  nlohmann::json j;
  j["lang"] = catalog.language;
  j["dir"] = catalog.right_to_left() ? "rtl" : "ltr";
  j["heading"] = content.heading;
  j["state"] = content.failed ? "error" : "ready";
  j["error"] = content.error;
  j["total"] = content.view.size();
  j["first"] = first;
  j["has_more"] = content.has_more;
  j["reply_label"] = tr(catalog, "comment.reply");
  j["edit_label"] = tr(catalog, "comment.edit");
  j["delete_label"] = tr(catalog, "comment.delete");
  j["load_more_label"] = tr(catalog, "thread.load_more");
  j["retry_label"] = tr(catalog, "thread.retry");
  j["arrived_label"] = content.arrived_count > 0 ? tr_count(catalog, "thread.new_comments", content.arrived_count) : "";
  nlohmann::json list = nlohmann::json::array();
  const int offset = int(content.timezone_offset_minutes);
  for (size_t i = first; i < first + count; ++i) {
    const ThreadView::Item& item = content.view.item(i);
    const Comment& c = *item.comment;
    nlohmann::json e;
    e["id"] = c.id;
    e["top"] = content.header_height + item.top;  // where the card is drawn, container coordinates
    e["height"] = item.height;
    e["author"] = c.author.name;
    if (c.author.url && is_safe_link(*c.author.url)) e["url"] = *c.author.url;
    e["datetime"] = format_rfc3339(c.created_at);
    e["date"] = format_absolute_date(catalog, c.created_at, offset);
    e["depth"] = item.entry.depth;
    if (item.entry.parent != ThreadEntry::npos) {
      const Comment& parent = content.comments[item.entry.parent];
      e["in_reply_to"] = tr(catalog, "comment.in_reply_to", {{"name", parent.author.name}});
    }
    e["status"] = to_string(c.status);
    if (c.status == CommentStatus::pending) e["notice"] = tr(catalog, "comment.awaiting_moderation");
    e["text"] = c.status == CommentStatus::deleted ? tr(catalog, "comment.deleted") : to_plain_text(item.body);
    // The body's links, as real links a keyboard reaches (hrefs core accepted).
    nlohmann::json links = nlohmann::json::array();
    for (const FlatBlock& leaf : flatten(item.body))
      for (const Span& span : leaf.block->spans)
        if (!span.href.empty()) links.push_back({{"href", span.href}, {"text", span.text}});
    if (!links.empty()) e["links"] = std::move(links);
    e["can_reply"] = c.status == CommentStatus::published && content.thread_status == ThreadStatus::open;
    for (const auto& [id, until] : content.editable)
      if (id == c.id && c.status != CommentStatus::deleted) e["editable_until"] = until;
    list.push_back(std::move(e));
  }
  j["comments"] = std::move(list);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<std::string> MirrorWindow::update(const MirrorContent& content, size_t first_visible) {
  const size_t size = content.view.size();
  if (first_ != ThreadView::npos && !dirty_) {
    const size_t end = first_ + count_;
    const bool near_top = first_ > 0 && first_visible < first_ + kMargin;
    const bool near_end = end < size && first_visible + kMargin > end;
    if (!near_top && !near_end) return std::nullopt;
  }
  dirty_ = false;
  first_ = std::min(first_visible > kWindow / 3 ? first_visible - kWindow / 3 : 0, size);
  count_ = std::min(kWindow, size - first_);
  return mirror_json(content, first_, count_);
}

}  // namespace causerie
