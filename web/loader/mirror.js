// The accessibility mirror: the thread as real DOM, text set with textContent only
// (nothing from a comment is ever parsed as HTML). It holds a window of comments
// around the viewport, as the widget describes it (setMirror; its JSON format:
// docs/architecture.md); the total is
// announced in the heading's section.
import { HIDDEN } from './util.js';
import { Focus } from './bridge.js';

// The mirror's <section>; call(fn) runs fn(the wasm's calls) while the widget runs.
export function createMirror(id, call) {
  const element = document.createElement('section');
  element.id = 'causerie-mirror-' + id;
  element.className = 'causerie-mirror';
  element.style.cssText = 'position:absolute;left:0;top:0;width:100%;height:0;margin:0;';
  return {
    element,
    set(data) {
      const had = element.contains(document.activeElement) ? document.activeElement : null;
      const focusKey = had && had.dataset.key;
      renderMirror(element, data, call);
      // Rebuilt around the viewport: keep keyboard focus on the same control.
      if (focusKey) {
        const again = element.querySelector('[data-key="' + focusKey + '"]');
        if (again) again.focus({ preventScroll: true });
      }
    },
  };
}

function renderMirror(section, data, call) {
  const el = (tag, text, attrs) => {
    const e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  };
  const children = [];
  // The interface's language and direction; each author's text finds its own (dir=auto).
  section.lang = data.lang;
  section.dir = data.dir;
  const heading = el('h2', data.heading, { id: section.id + '-heading' });
  children.push(heading);
  if (data.arrived_label) {   // « 2 nouveaux commentaires »: the pill in the canvas
    const reveal = el('button', data.arrived_label, { type: 'button', style: HIDDEN });
    reveal.dataset.key = 'reveal';
    reveal.onclick = () => call((w) => w.reveal());
    reveal.onfocus = () => call((w) => w.focus(Focus.Reveal, 0));
    reveal.onblur = () => call((w) => w.focus(Focus.None, 0));
    children.push(reveal);
  }
  if (data.state === 'error') {
    children.push(el('p', data.error, { style: HIDDEN }));
    const retry = el('button', data.retry_label, { type: 'button', style: HIDDEN });
    retry.onclick = () => call((w) => w.retry());
    children.push(retry);
  }
  data.comments.forEach((c, i) => {
    const article = el('article', null, { id: 'causerie-comment-' + c.id, 'aria-posinset': String(data.first + i + 1), 'aria-setsize': String(data.total) });
    // Laid exactly over the comment drawn in the canvas, invisible: focusing a
    // button in it (Tab) or finding its text (Ctrl+F) scrolls the page to the
    // comment itself.
    article.style.cssText = 'position:absolute;left:0;width:100%;overflow:hidden;opacity:0;' +
      'pointer-events:none;top:' + c.top + 'px;height:' + c.height + 'px;';
    article.dataset.id = c.id;
    const header = el('header');
    header.appendChild(c.url ? el('a', c.author, { href: c.url, rel: 'nofollow ugc noopener', target: '_blank', dir: 'auto' })
      : el('strong', c.author, { dir: 'auto' }));
    header.appendChild(document.createTextNode(' '));
    header.appendChild(el('time', c.date, { datetime: c.datetime }));
    article.appendChild(header);
    if (c.in_reply_to) article.appendChild(el('p', c.in_reply_to));
    if (c.notice) article.appendChild(el('p', c.notice));
    article.appendChild(el('p', c.text, { style: 'white-space:pre-line', dir: 'auto' }));
    if (c.links) {
      const list = el('ul');
      for (const l of c.links) {
        const a = el('a', l.text, { rel: 'nofollow ugc noopener', target: '_blank', dir: 'auto' });
        a.href = l.href;  // a property, from a link the widget's core accepted
        const li = el('li');
        li.appendChild(a);
        list.appendChild(li);
      }
      article.appendChild(list);
    }
    // Focus on a control shows as a ring around it in the canvas.
    const control = (b, action, focus) => {
      b.dataset.key = action + '-' + c.id;
      b.onfocus = () => call((w) => w.focus(focus, c.id));
      b.onblur = () => call((w) => w.focus(Focus.None, 0));
      article.appendChild(b);
    };
    if (c.can_reply) {
      const reply = el('button', data.reply_label, { type: 'button', 'aria-label': data.reply_label + ' — ' + c.author });
      reply.onclick = () => call((w) => w.reply(c.id));
      control(reply, 'reply', Focus.Reply);
    }
    if (c.editable_until && Date.now() / 1000 < c.editable_until) {
      for (const [label, action, focus] of [[data.edit_label, 'edit', Focus.Edit], [data.delete_label, 'delete', Focus.Delete]]) {
        const b = el('button', label, { type: 'button' });
        b.onclick = () => call((w) => w[action](c.id));
        control(b, action, focus);
      }
    }
    children.push(article);
  });
  if (data.has_more) {
    const more = el('button', data.load_more_label, { type: 'button', style: HIDDEN });
    more.onclick = () => call((w) => w.loadMore());
    children.push(more);
  }
  heading.style.cssText = HIDDEN;
  section.setAttribute('aria-labelledby', heading.id);
  section.replaceChildren(...children);
}
