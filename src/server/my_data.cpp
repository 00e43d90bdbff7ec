#include "server/my_data.h"

#include <map>

#include "server/crypto.h"

namespace causerie::server {

bool parse_data_action(std::string_view s, DataAction& out) {
  if (s == "copy") out = DataAction::copy;
  else if (s == "erase") out = DataAction::erase;
  else return false;
  return true;
}

std::string sign_payload(std::string_view salt, std::string_view purpose, std::string_view payload) {
  return base64url_encode(payload) + "." + base64url_encode(hmac_sha256(hmac_sha256(salt, purpose), payload));
}

bool read_signed_payload(std::string_view salt, std::string_view purpose, std::string_view token,
                         std::string& payload) {
  const size_t dot = token.find('.');
  std::string mac;
  return token.size() <= 1024 && dot != std::string_view::npos && base64url_decode(token.substr(0, dot), payload) &&
         base64url_decode(token.substr(dot + 1), mac) &&
         constant_time_equals(mac, hmac_sha256(hmac_sha256(salt, purpose), payload));
}

bool split_fields(const std::string& payload, std::string* fields, int count) {
  size_t start = 0;
  for (int i = 0; i < count; ++i) {
    const size_t end = i == count - 1 ? payload.size() : payload.find('\n', start);
    if (end == std::string::npos) return false;
    fields[i] = payload.substr(start, end - start);
    start = end + 1;
  }
  return true;
}

namespace {

constexpr std::string_view kDataLinkPurpose = "causerie my-data link v1";

std::string payload(const DataLink& l) {
  return std::string("1\n") + (l.action == DataAction::copy ? "copy" : "erase") + "\n" +
         std::to_string(l.expires_at) + "\n" + l.nonce + "\n" + l.email;
}

}  // namespace

std::string sign_data_link(std::string_view salt, const DataLink& link) {
  return sign_payload(salt, kDataLinkPurpose, payload(link));
}

LinkCheck read_data_link(std::string_view salt, std::string_view token, int64_t now_seconds, DataLink& out) {
  std::string p;
  if (!read_signed_payload(salt, kDataLinkPurpose, token, p)) return LinkCheck::invalid;
  // Signed by this server: the fields are as it wrote them.
  std::string fields[5];
  if (!split_fields(p, fields, 5)) return LinkCheck::invalid;
  if (fields[0] != "1" || !parse_data_action(fields[1], out.action)) return LinkCheck::invalid;
  out.expires_at = std::atoll(fields[2].c_str());
  out.nonce = fields[3];
  out.email = fields[4];
  return now_seconds > out.expires_at ? LinkCheck::expired : LinkCheck::ok;
}

std::string data_link_hash(std::string_view token) { return sha256_hex(token.substr(token.find('.') + 1)); }

std::string my_data_text(const Catalog& catalog, std::string_view key) {
  struct Text {
    const char* en;
    const char* fr;
  };
  static const std::map<std::string_view, Text> texts = {
      {"title", {"Your comments: a copy or their erasure", "Vos commentaires : une copie ou leur effacement"}},
      {"footer", {"Your data: a copy or the erasure of your comments", "Vos données : copie ou effacement de vos commentaires"}},
      {"intro",
       {"Give the e-mail address you commented with. We send a link to it; following the link proves the address is "
        "yours. The link works once, for 24 hours.",
        "Indiquez l’adresse e-mail avec laquelle vous avez commenté. Nous y envoyons un lien ; le suivre prouve que "
        "l’adresse est la vôtre. Le lien sert une fois, pendant 24 heures."}},
      {"email", {"E-mail address", "Adresse e-mail"}},
      {"what", {"What do you want?", "Que souhaitez-vous ?"}},
      {"copy", {"A copy of my comments (a JSON Lines file)", "Une copie de mes commentaires (un fichier JSON Lines)"}},
      {"erase",
       {"Erase all my comments (replies from others stay)",
        "Effacer tous mes commentaires (les réponses des autres restent)"}},
      {"send", {"Send me the link", "M’envoyer le lien"}},
      {"sent",
       {"If this address can receive e-mail, a message is on its way to it. Follow its link within 24 hours.",
        "Si cette adresse reçoit des e-mails, un message est en route. Suivez son lien dans les 24 heures."}},
      {"bad_email", {"This is not an e-mail address.", "Ce n’est pas une adresse e-mail."}},
      {"rate_limited",
       {"Too many requests from your connection; try again in an hour.",
        "Trop de demandes depuis votre connexion ; réessayez dans une heure."}},
      {"no_mail",
       {"This site does not send e-mail, so it cannot check that an address is yours: ask the site's owner.",
        "Ce site n’envoie pas d’e-mails et ne peut donc pas vérifier qu’une adresse est la vôtre : écrivez au "
        "responsable du site."}},
      {"link_invalid",
       {"This link is not valid: it may have been cut in two by your e-mail program. Copy the whole link, or ask "
        "again.",
        "Ce lien n’est pas valide : votre messagerie l’a peut-être coupé. Copiez le lien entier, ou refaites la "
        "demande."}},
      {"link_expired",
       {"This link has expired (links work for 24 hours). Ask again to get a new one.",
        "Ce lien a expiré (un lien sert 24 heures). Refaites la demande pour en recevoir un nouveau."}},
      {"link_used",
       {"This link has already been used (a link works once). Ask again to get a new one.",
        "Ce lien a déjà servi (un lien ne sert qu’une fois). Refaites la demande pour en recevoir un nouveau."}},
      {"ask_again", {"Ask again", "Refaire la demande"}},
      {"confirm_copy", {"Made with {email}: {comments}.", "Avec l’adresse {email} : {comments}."}},
      {"download", {"Download the copy", "Télécharger la copie"}},
      {"confirm_erase",
       {"Erase the {comments} made with {email}? Their text, your name, e-mail address and website go; a "
        "comment that has replies keeps its place, marked deleted. This cannot be undone.",
        "Effacer {comments} de {email} ? Leur texte, votre nom, votre adresse e-mail et votre "
        "site disparaissent ; un commentaire qui a des réponses garde sa place, marqué supprimé. C’est "
        "irréversible."}},
      {"erase_button", {"Erase my comments", "Effacer mes commentaires"}},
      {"erased", {"Erased: {comments} made with {email}.", "Effacement fait : {comments} de {email}."}},
      {"erased_item", {"{thread}, {date}", "{thread}, {date}"}},
      {"server_error",
       {"The server could not do it just now; try the link again in a few minutes.",
        "Le serveur n’a pas pu le faire pour l’instant ; réessayez le lien dans quelques minutes."}},
      {"mail_subject_copy", {"A copy of your comments", "Une copie de vos commentaires"}},
      {"mail_subject_erase", {"Erasing your comments", "L’effacement de vos commentaires"}},
      {"mail_link_copy",
       {"Someone (you, we hope) asked for a copy of the {comments} made with {email}.\n\nTo download it, "
        "follow this link within 24 hours (it works once):\n\n{link}\n",
        "Quelqu’un (vous, espérons-le) a demandé une copie de {comments} de l’adresse {email}.\n\nPour la "
        "télécharger, suivez ce lien dans les 24 heures (il ne sert qu’une fois) :\n\n{link}\n"}},
      {"mail_link_erase",
       {"Someone (you, we hope) asked to erase the {comments} made with {email}.\n\nTo confirm, follow this "
        "link within 24 hours (it works once); the page asks once more before erasing:\n\n{link}\n",
        "Quelqu’un (vous, espérons-le) a demandé l’effacement de {comments} de l’adresse {email}.\n\nPour "
        "confirmer, suivez ce lien dans les 24 heures (il ne sert qu’une fois) ; la page demande encore une fois "
        "avant d’effacer :\n\n{link}\n"}},
      {"mail_none",
       {"Someone (you, we hope) asked about the comments made with {email}. There are none on this site: there "
        "is nothing to copy or erase.\n",
        "Quelqu’un (vous, espérons-le) a demandé les commentaires faits avec {email}. Il n’y en a aucun sur ce "
        "site : il n’y a rien à copier ni à effacer.\n"}},
      {"mail_footer",
       {"\nIf you did not ask, ignore this message: nothing happens without the link.\n",
        "\nSi vous n’avez rien demandé, ignorez ce message : rien ne se passe sans le lien.\n"}},
  };
  const auto it = texts.find(key);
  if (it == texts.end()) return std::string(key);
  return catalog.language == "fr" ? it->second.fr : it->second.en;
}

std::string fill_text(std::string text, std::string_view name, const std::string& value) {
  const std::string marker = "{" + std::string(name) + "}";
  for (size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + value.size()))
    text.replace(at, marker.size(), value);
  return text;
}

std::string comment_count(const Catalog& catalog, int64_t count) {
  const bool one = plural_category(catalog.plural, count) == PluralCategory::one;
  const bool fr = catalog.language == "fr";
  return format_number(catalog, count) + (fr ? (one ? " commentaire" : " commentaires") : (one ? " comment" : " comments"));
}

DataMail data_mail(const Catalog& catalog, DataAction action, const std::string& email, int64_t count,
                   const std::string& link) {
  DataMail m;
  m.subject = my_data_text(catalog, action == DataAction::copy ? "mail_subject_copy" : "mail_subject_erase");
  std::string body = count == 0 ? my_data_text(catalog, "mail_none")
                                : my_data_text(catalog, action == DataAction::copy ? "mail_link_copy" : "mail_link_erase");
  body = fill_text(fill_text(fill_text(body, "email", email), "comments", comment_count(catalog, count)), "link", link);
  m.text = body + my_data_text(catalog, "mail_footer");
  return m;
}

}  // namespace causerie::server
