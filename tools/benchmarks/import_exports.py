#!/usr/bin/env python3
"""Writes a WordPress export (WXR 1.2) and a Disqus export of N comments each, for
tools/benchmarks/import.sh: 100 comments per article, a third of them replies
(some to replies), HTML in the bodies, French, Russian, Greek and Japanese text,
a few pending, spam, trashed or deleted comments, and one pingback per article.
   import_exports.py N WXR_OUT DISQUS_OUT"""
import random
import sys
from xml.sax.saxutils import escape

n, wxr_path, disqus_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
per_thread = 100
rng = random.Random(22)
bodies = [
    "Merci pour cet article !\n\nJ'ai fait le même voyage en <strong>hiver</strong>.\nLe samovar était toujours chaud.",
    "Спасибо! <a href=\"https://example.ru/baikal\">Байкал</a> зимой — это сказка.",
    "Καλό ταξίδι! Three tips:\n<ul>\n<li>take the <em>early</em> ferry</li>\n<li>book ahead</li>\n</ul>",
    "素晴らしい旅ですね。来年はモンゴル経由で行きたいです。",
    "<blockquote>Six jours de train</blockquote>\nC'est long, mais on lit beaucoup. Try <code>apt-get install patience</code>.",
]
names = ["Jean-Michel", "Наталья", "Γιώργος", "小林 健", "Lucie", "Paul", "Ana"]


def statuses():
    r = rng.random()
    return "1" if r < 0.9 else "0" if r < 0.95 else "spam" if r < 0.98 else "trash"


with open(wxr_path, "w", encoding="utf-8") as w:
    w.write('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            '<title>Bench</title><wp:wxr_version>1.2</wp:wxr_version>'
            '<wp:base_site_url>https://bench.example.org</wp:base_site_url>\n')
    cid = 0
    for t in range((n + per_thread - 1) // per_thread):
        w.write(f'<item><title><![CDATA[Article {t}]]></title><link>https://bench.example.org/{t}/article/</link>'
                f'<wp:post_id>{t + 1}</wp:post_id><wp:post_type><![CDATA[post]]></wp:post_type>\n')
        first = cid + 1
        for k in range(min(per_thread, n - cid)):
            cid += 1
            parent = rng.randint(first, cid - 1) if cid > first and rng.random() < 0.33 else 0
            name = names[cid % len(names)]
            stamp = f"2024-{1 + cid % 12:02d}-{1 + cid % 28:02d} {cid % 24:02d}:{cid % 60:02d}:{(cid * 7) % 60:02d}"
            w.write(f'<wp:comment><wp:comment_id>{cid}</wp:comment_id>'
                    f'<wp:comment_author><![CDATA[{name}]]></wp:comment_author>'
                    f'<wp:comment_author_email><![CDATA[reader{cid % 5000}@example.org]]></wp:comment_author_email>'
                    f'<wp:comment_author_url></wp:comment_author_url>'
                    f'<wp:comment_date_gmt><![CDATA[{stamp}]]></wp:comment_date_gmt>'
                    f'<wp:comment_content><![CDATA[{bodies[cid % len(bodies)]} (#{cid})]]></wp:comment_content>'
                    f'<wp:comment_approved><![CDATA[{statuses()}]]></wp:comment_approved>'
                    f'<wp:comment_type><![CDATA[comment]]></wp:comment_type>'
                    f'<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n')
        w.write('<wp:comment><wp:comment_id>p%d</wp:comment_id><wp:comment_author>A blog</wp:comment_author>'
                '<wp:comment_date_gmt>2024-01-01 00:00:00</wp:comment_date_gmt><wp:comment_content>[...]</wp:comment_content>'
                '<wp:comment_approved>1</wp:comment_approved><wp:comment_type>pingback</wp:comment_type>'
                '<wp:comment_parent>0</wp:comment_parent></wp:comment>\n' % t)
        w.write('</item>\n')
    w.write('</channel>\n</rss>\n')

with open(disqus_path, "w", encoding="utf-8") as d:
    d.write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
            'xmlns:dsq="http://disqus.com/disqus-internals">\n')
    threads = (n + per_thread - 1) // per_thread
    for t in range(threads):
        d.write(f'<thread dsq:id="{t + 1}"><link>https://bench.example.org/{t}/article/</link>'
                f'<title>{escape("Article " + str(t))}</title><createdAt>2024-01-01T00:00:00Z</createdAt></thread>\n')
    # Posts in date order over the whole forum, as Disqus writes them: threads interleave.
    for pid in range(1, n + 1):
        t = (pid - 1) % threads
        prior = pid - threads
        parent = ""
        if prior > 0 and rng.random() < 0.33:
            parent = '<parent dsq:id="%d"/>' % (100000000 + rng.randrange(t + 1, prior + 1, threads))
        r = rng.random()
        deleted, spam = ("true" if r > 0.98 else "false"), ("true" if 0.95 < r <= 0.98 else "false")
        body = bodies[pid % len(bodies)].replace("\n\n", "</p><p>").replace("\n", "<br>")
        d.write(f'<post dsq:id="{100000000 + pid}"><message><![CDATA[<p>{body} (#{pid})</p>]]></message>'
                f'<createdAt>2024-{1 + pid % 12:02d}-{1 + pid % 28:02d}T{pid % 24:02d}:{pid % 60:02d}:00Z</createdAt>'
                f'<isDeleted>{deleted}</isDeleted><isSpam>{spam}</isSpam>'
                f'<author><email>reader{pid % 5000}@example.org</email><name>{escape(names[pid % len(names)])}</name>'
                f'<isAnonymous>false</isAnonymous></author><thread dsq:id="{t + 1}"/>{parent}</post>\n')
    d.write('</disqus>\n')
