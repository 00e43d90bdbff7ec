#include "server/demo_seed.h"

#include "core/rfc3339.h"
#include "server/comment_rules.h"
#include "server/crypto.h"

namespace causerie::server {

namespace {

struct DemoComment {
  int parent;  // index + 1 in the same list, 0 = top level
  const char* name;
  const char* email;
  const char* url;
  const char* when;
  const char* body;
};

struct DemoThread {
  const char* key;
  const char* title;
  const char* url;
  std::vector<DemoComment> comments;
};

// The first two French comments are the reference page's, word for word (typos
// included: the widget must show what readers wrote).
const DemoThread kThreads[] = {
    {kDemoThreadFr,
     "Chine - Russie : Xi Jinping appelle à un partenariat solide face à l'Occident",
     "",
     {
         {0, "Bernard Lefèvre", "bernard.lefevre@example.fr", "", "2026-11-30T06:13:00Z",
          "Accord sino-russe, le pire qu’on pouvait faire ! Parce que c’est totalement de notre faute. "
          "Le premier choix de Putin, c’était l’Europe"},
         {0, "Sylvie Marchand", "sylvie.marchand@example.fr", "", "2026-11-30T08:47:00Z",
          "C’est pas génial pour nous europèens mais on ne pourra pas pleurer tellement on l’aura cherché !"},
         {1, "Hélène Roussel", "helene@example.org", "https://helene-roussel.example.org", "2026-11-30T09:02:00Z",
          "> Le premier choix de Putin, c’était l’Europe\n\n"
          "C’est *exactement* ce qu’il disait au Bundestag en 2001 : « la Russie est un pays européen ». "
          "Vingt-cinq ans plus tard, on mesure le chemin parcouru… dans l’autre sens.\n\n"
          "Le discours est ici : https://fr.wikipedia.org/wiki/Relations_entre_la_Russie_et_l%27Union_europ%C3%A9enne"},
     }},
    {kDemoThreadEn,
     "Causerie: a comment section drawn in WebAssembly",
     "",
     {
         {0, "Margaret Chen", "mchen@example.com", "", "2026-11-28T14:05:00Z",
          "Comments that appear *before* the page has finished scrolling into view. Is there a dark theme?"},
         {1, "Tom Ellis", "tom@example.net", "https://tomellis.example.net", "2026-11-28T15:21:00Z",
          "> Is there a dark theme?\n\nThere is: it follows your system setting, and the site can override "
          "it with CSS custom properties. Details: https://example.org/causerie/theming"},
         {0, "Priya Natarajan", "priya.n@example.org", "", "2026-11-29T09:40:00Z",
          "Works with my screen reader, which is more than I can say for **most** comment widgets."},
     }},
};

}  // namespace

bool seed_demo(Storage& storage, const std::string& install_salt, std::string& error) {
  bool empty = false;
  if (storage.is_empty(empty) != DbResult::ok) {
    error = "cannot read the database";
    return false;
  }
  if (!empty) return true;
  for (const DemoThread& t : kThreads) {
    std::vector<int64_t> ids;
    for (const DemoComment& c : t.comments) {
      int64_t when = 0;
      parse_rfc3339(c.when, when);
      InsertRequest r;
      r.thread_key = t.key;
      r.thread_title = t.title;
      r.thread_url = t.url;
      r.parent_id = c.parent ? ids[c.parent - 1] : 0;
      r.author_name = c.name;
      r.author_email = c.email;
      r.author_url = c.url;
      r.avatar_seed = avatar_seed(install_salt, c.email);
      r.body = c.body;
      r.now = when * 1000;
      r.duplicate_window_ms = 0;
      CommentRow row;
      if (CommentRules(storage).insert(r, row) != InsertOutcome::ok) {
        error = std::string("cannot seed thread ") + t.key;
        return false;
      }
      ids.push_back(row.id);
    }
  }
  return true;
}

}  // namespace causerie::server
