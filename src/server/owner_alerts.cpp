#include "server/owner_alerts.h"

#include <nlohmann/json.hpp>

#include <map>

#include "core/rfc3339.h"
#include "server/my_data.h"

namespace causerie::server {

namespace {

constexpr std::string_view kPurpose = "causerie moderation link v1";

}  // namespace

std::string sign_moderation_link(std::string_view salt, const ModerationLink& l) {
  return sign_payload(salt, kPurpose,
                      std::string("1\n") + (l.status == CommentStatus::spam ? "spam" : "approve") + "\n" +
                          std::to_string(l.expires_at) + "\n" + l.nonce + "\n" + std::to_string(l.comment_id));
}

LinkCheck read_moderation_link(std::string_view salt, std::string_view token, int64_t now_seconds, ModerationLink& out) {
  std::string p, fields[5];
  if (!read_signed_payload(salt, kPurpose, token, p) || !split_fields(p, fields, 5) || fields[0] != "1")
    return LinkCheck::invalid;
  if (fields[1] == "approve") out.status = CommentStatus::published;
  else if (fields[1] == "spam") out.status = CommentStatus::spam;
  else return LinkCheck::invalid;
  out.expires_at = std::atoll(fields[2].c_str());
  out.nonce = fields[3];
  out.comment_id = std::atoll(fields[4].c_str());
  return now_seconds > out.expires_at ? LinkCheck::expired : LinkCheck::ok;
}

std::string owner_alert_text(const Catalog& catalog, std::string_view key) {
  struct Text {
    const char* en;
    const char* fr;
  };
  static const std::map<std::string_view, Text> texts = {
      {"subject_pending", {"Comment awaiting approval: {thread}", "Commentaire en attente : {thread}"}},
      {"subject_published", {"New comment: {thread}", "Nouveau commentaire : {thread}"}},
      {"intro_pending",
       {"{name} commented on “{thread}”. The comment waits for your approval.",
        "{name} a commenté « {thread} ». Le commentaire attend votre approbation."}},
      {"intro_published",
       {"{name} commented on “{thread}”. The comment is published.",
        "{name} a commenté « {thread} ». Le commentaire est publié."}},
      {"read", {"Read it in place:", "Le lire en place :"}},
      {"approve", {"Approve it:", "L’approuver :"}},
      {"spam", {"Mark it as spam:", "Le marquer comme indésirable :"}},
      {"links_note",
       {"Each link works once, for 7 days, and asks you to confirm.",
        "Chaque lien sert une fois, pendant 7 jours, et demande confirmation."}},
      {"author", {"From: {name} <{email}> {url}", "De : {name} <{email}> {url}"}},
      {"title", {"Moderating a comment", "Modérer un commentaire"}},
      {"confirm_approve", {"Approve this comment by {name}?", "Approuver ce commentaire de {name} ?"}},
      {"confirm_spam", {"Mark this comment by {name} as spam?", "Marquer ce commentaire de {name} comme indésirable ?"}},
      {"approve_button", {"Approve", "Approuver"}},
      {"spam_button", {"Mark as spam", "Marquer comme indésirable"}},
      {"approved", {"The comment is published.", "Le commentaire est publié."}},
      {"spammed", {"The comment is marked as spam.", "Le commentaire est marqué comme indésirable."}},
      {"gone", {"This comment no longer exists.", "Ce commentaire n’existe plus."}},
      {"link_invalid",
       {"This link is not valid: it may have been cut or altered.",
        "Ce lien n’est pas valide : il a peut-être été coupé ou modifié."}},
      {"link_expired", {"This link has expired.", "Ce lien a expiré."}},
      {"link_used", {"This link was already used.", "Ce lien a déjà servi."}},
      {"server_error",
       {"The server could not do it just now; try again in a moment.",
        "Le serveur n’a pas pu le faire ; réessayez dans un instant."}},
  };
  const auto it = texts.find(key);
  if (it == texts.end()) return std::string(key);
  return catalog.language == "fr" ? it->second.fr : it->second.en;
}

OwnerMail owner_alert_mail(const Catalog& catalog, const CommentRow& c, const ThreadRow& thread,
                           const std::string& comment_link, const std::string& approve_link,
                           const std::string& spam_link) {
  const bool pending = c.status == CommentStatus::pending;
  const std::string place = thread.title.empty() ? thread.key : thread.title;
  OwnerMail m;
  m.subject = fill_text(owner_alert_text(catalog, pending ? "subject_pending" : "subject_published"), "thread", place);
  std::string t = fill_text(
      fill_text(owner_alert_text(catalog, pending ? "intro_pending" : "intro_published"), "name", c.author_name),
      "thread", place);
  t += "\n\n" + fill_text(fill_text(fill_text(owner_alert_text(catalog, "author"), "name", c.author_name), "email",
                                    c.author_email),
                          "url", c.author_url);
  while (!t.empty() && t.back() == ' ') t.pop_back();
  t += "\n\n" + c.body + "\n\n";
  t += owner_alert_text(catalog, "read") + "\n" + comment_link + "\n\n";
  if (pending) t += owner_alert_text(catalog, "approve") + "\n" + approve_link + "\n\n";
  t += owner_alert_text(catalog, "spam") + "\n" + spam_link + "\n\n";
  t += owner_alert_text(catalog, "links_note") + "\n";
  m.text = t;
  return m;
}

std::string webhook_comment_json(const CommentRow& c, const ThreadRow& thread, const std::string& comment_link,
                                 int64_t now_seconds) {
  const nlohmann::json j = {
      {"event", "comment.created"},
      {"sent_at", format_rfc3339(now_seconds)},
      {"thread", {{"key", thread.key}, {"title", thread.title}, {"url", thread.url}}},
      {"comment",
       {{"id", c.id},
        {"parent_id", c.parent_id ? nlohmann::json(c.parent_id) : nlohmann::json(nullptr)},
        {"status", status_name(c.status)},
        {"author", {{"name", c.author_name}, {"url", c.author_url}}},  // no e-mail: the receiver may be anyone's service
        {"body", c.body},
        {"created_at", format_rfc3339(c.created_at / 1000)},
        {"link", comment_link}}},
  };
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace causerie::server
