import { readFileSync } from 'node:fs';
// Generates comment threads and posts them through the real API (the server runs
// with --rate-post 0 --moderation open). Deterministic: the same seed gives the same
// thread. Mixed lengths (one line to several paragraphs), replies nested past the
// widget's maximum visual depth, French, German, Polish, Russian, Greek and emoji,
// and the Markdown readers use: emphasis, quotes, links, lists, inline and fenced code.

// Small, fast, seedable PRNG (mulberry32).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SENTENCES = [
  // French (most readers of the reference page)
  'Les relations entre la Chine et la Russie ont connu une évolution marquante ces dernières années.',
  'Je ne suis pas d’accord : l’article oublie le rôle de l’Inde dans l’OCS.',
  'Très bon résumé, merci. On aimerait en savoir plus sur les échanges énergétiques.',
  'Où sont les sources ? « Selon le président chinois » ne suffit pas à établir un fait.',
  'Ça fait des années qu’on annonce un monde multipolaire ; il tarde à se concrétiser.',
  'L’économie russe dépend désormais largement des importations chinoises, c’est un fait.',
  // German
  'Die Beziehungen zwischen Peking und Moskau sind enger geworden, aber nicht gleichberechtigt.',
  'Größere Abhängigkeit heißt nicht automatisch größerer Einfluss – das übersieht der Artikel.',
  // Polish
  'Zgadzam się z przedmówcą: współpraca gospodarcza nie oznacza sojuszu wojskowego.',
  'Żółć i gęślą jaźń – trudno o bardziej polskie zdanie testowe.',
  // Russian
  'Отношения между Китаем и Россией действительно стали теснее за последние годы.',
  'Съешь же ещё этих мягких французских булок, да выпей чаю.',
  // Greek
  'Οι σχέσεις Κίνας και Ρωσίας αλλάζουν γρήγορα, αλλά η Ευρώπη παρακολουθεί αμήχανα.',
  'Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.',
  // English
  'The article would be stronger with figures on trade volumes before and after 2022.',
];
const EMOJI = ['🙂', '👍', '🤔', '🇫🇷', '🌍', '🔥', '😅', '🙏🏽', '👩‍💻'];
const NAMES = ['Marie', 'Jean-Luc', 'Gérard B.', 'Zoé', 'Łukasz', 'Małgorzata', 'Jürgen', 'Ñoño',
  'Дмитрий', 'Анна', 'Νίκος', 'Ελένη', 'Ahmed', 'Chloé', 'Benoît', 'Inès', 'Klaus', 'Žofie', 'Aurélien', 'Ève'];

// One comment body: its length class is drawn first (most comments are short).
function makeBody(r, i, SENTENCES) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const sentences = (n) => Array.from({ length: n }, () => pick(SENTENCES)).join(' ');
  const u = r();
  const paragraphs = u < 0.45 ? 1 : u < 0.8 ? 2 : u < 0.96 ? 4 : u < 0.995 ? 12 : 30;  // long essays too
  const out = [];
  let links = 0;
  for (let p = 0; p < paragraphs; p++) {
    let text = sentences(1 + Math.floor(r() * 4));
    let m = r();
    if (m >= 0.25 && m < 0.37 && ++links > 10) m = 0;  // the API allows 10 links a body
    if (m < 0.15) text = text.replace(/(\p{L}{6,})/u, '*$1*');
    else if (m < 0.25) text = text.replace(/(\p{L}{5,} \p{L}{4,})/u, '**$1**');
    else if (m < 0.32) text += ` Voir [cette analyse](https://example.org/analyse/${i}-${p}).`;
    else if (m < 0.37) text += ` Source : https://www.example.org/sources/${i}/${p}`;
    else if (m < 0.42) text = '> ' + text;
    else if (m < 0.46) text += ' Le champ `trade_volume` est vide.';
    else if (m < 0.48) text = '```\nSELECT pays, volume FROM échanges\nWHERE année >= 2022;\n```';
    else if (m < 0.52) text = `- ${pick(SENTENCES)}\n- ${pick(SENTENCES)}\n- ${pick(SENTENCES)}`;
    if (r() < 0.2) text += ' ' + pick(EMOJI);
    out.push(text);
  }
  // Every body is different (the server refuses duplicates within 10 minutes).
  out.push(`(Commentaire n° ${i + 1}.)`);
  return out.join('\n\n');
}

// The thread's shape: [{parent: index|null, name, email, body}], parents first.
// About a third of the comments start a conversation; the others answer a recent
// comment, and conversations go down to depth 7 (deeper than the widget's 5).
export function makeThread(count, seed = 7, sentences = SENTENCES) {
  const r = rng(seed * 7919 + count);
  const depth = [];
  const specs = [];
  for (let i = 0; i < count; i++) {
    let parent = null;
    if (i > 0 && r() > 0.33) {
      // A recent comment, preferring those that already have a conversation going.
      const back = 1 + Math.floor(r() * Math.min(i, 30));
      parent = i - back;
      while (depth[parent] >= 7) parent = specs[parent].parent;
    }
    depth.push(parent == null ? 0 : depth[parent] + 1);
    const n = Math.floor(r() * 400);
    const name = NAMES[n % NAMES.length] + (n >= NAMES.length ? ` ${n}` : '');
    specs.push({ parent, name, email: `lecteur${n}@example.org`, body: makeBody(r, i, sentences) });
  }
  return { specs, maxDepth: Math.max(0, ...depth) };
}

// The bodies of tests/corpus/multilingual.json (every script the widget is checked
// against), used as sentences.
export function multilingualSentences() {
  const corpus = JSON.parse(readFileSync(new URL('../../tests/corpus/multilingual.json', import.meta.url), 'utf8'));
  // Links are the generator's to count (the API allows 10 a body), code blocks need their lines.
  return corpus.comments.map((c) => c.body).filter((b) => !/https?:|\]\(|```|^ {4}/m.test(b))
    .map((b) => b.replace(/\s+/g, ' ').trim());
}

// Posts the specs with `concurrency` keep-alive connections; a reply waits for its
// parent's id only. Returns {ids, seconds}.
export async function postThread(url, key, specs, concurrency = 16) {
  const endpoint = `${url}/api/v1/threads/${encodeURIComponent(key)}/comments`;
  const idPromises = new Array(specs.length);
  const resolvers = new Array(specs.length);
  for (let i = 0; i < specs.length; i++) idPromises[i] = new Promise((res) => { resolvers[i] = res; });
  let next = 0;
  const t0 = performance.now();
  async function worker() {
    while (next < specs.length) {
      const i = next++;
      const s = specs[i];
      const parentId = s.parent == null ? null : await idPromises[s.parent];
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ parent_id: parentId, author: { name: s.name, email: s.email }, body: s.body,
          title: `Banc d’essai : ${specs.length} commentaires` }),
      });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`posting comment ${i} to ${key}: HTTP ${res.status} ${text}`);
      resolvers[i](JSON.parse(text).comment.id);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ids = await Promise.all(idPromises);
  return { ids, seconds: (performance.now() - t0) / 1000 };
}
