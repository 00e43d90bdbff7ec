// Where the widget cannot run: the test for WebGL2, and the server's HTML view of
// the thread in the widget's place.

// Asked of the widget's own canvas, with the attributes exports.cpp asks for: the
// widget then gets this same context instead of the page making a second one.
export function webgl2Available(canvas) {
  try {
    return !!canvas.getContext('webgl2', { alpha: true, premultipliedAlpha: true, antialias: false, depth: false, stencil: false });
  } catch (e) {
    return false;
  }
}

// Where the widget cannot run (no WebGL2, or its files failed to load), the
// server's HTML page of the thread (GET …/comments.html: the comments and a plain
// form that posts and comes back here) takes the canvas's place in the page, not
// in an iframe: it then sizes itself, reads with the page, and the browser's
// find and zoom work on it. The markup comes from our own server, which escapes
// every text; it is still filtered here to the elements and attributes that page
// uses, with links resolved against the API's address, before joining the page.
const FALLBACK_TAGS = new Set(['section', 'h2', 'h3', 'ol', 'ul', 'li', 'article', 'p', 'span', 'a', 'time',
  'div', 'em', 'strong', 'code', 'pre', 'blockquote', 'br', 'small', 'form', 'label', 'textarea', 'input',
  'button']);
const FALLBACK_ATTRIBUTES = new Set(['class', 'id', 'lang', 'role', 'aria-labelledby', 'aria-label',
  'aria-hidden', 'aria-invalid', 'aria-describedby', 'href', 'rel', 'datetime', 'data-reply-to', 'method',
  'action', 'for', 'rows', 'cols', 'required', 'type', 'name', 'autocomplete', 'maxlength', 'inputmode',
  'value', 'tabindex', 'start', 'dir']);
// dir isolates names and fields by their own first strong character (the server's
// dir="auto"); only the three values that mean a direction are kept.
const FALLBACK_DIRECTIONS = new Set(['auto', 'ltr', 'rtl']);

export function showFallback(root, config) {
  const article = new URL(location.href);
  article.hash = '';
  const pending = article.searchParams.get('causerie') === 'pending';
  article.searchParams.delete('causerie');
  const query = new URLSearchParams({ lang: config.lang, tz: String(config.timezone_offset), return_to: article.href });
  if (config.title) query.set('title', config.title);
  if (pending) query.set('causerie', 'pending');
  const url = new URL(config.api + '/threads/' + encodeURIComponent(config.thread) + '/comments.html?' + query,
    location.href);
  return fetch(url, { credentials: 'omit' }).then((r) => {
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    return r.text();
  }).then((html) => {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const section = doc.querySelector('section.causerie-fallback');
    if (!section) throw new Error('no thread in ' + url);
    for (const el of [section, ...section.querySelectorAll('*')]) {
      if (!FALLBACK_TAGS.has(el.localName)) {
        el.remove();
        continue;
      }
      for (const { name, value } of [...el.attributes]) {
        if (!FALLBACK_ATTRIBUTES.has(name) || (name === 'dir' && !FALLBACK_DIRECTIONS.has(value.toLowerCase()))) {
          el.removeAttribute(name);
        } else if ((name === 'href' || name === 'action') && !value.startsWith('#')) {
          const target = new URL(value, url);
          if (/^(https?|mailto):$/.test(target.protocol)) el.setAttribute(name, target.href);
          else el.removeAttribute(name);
        }
      }
    }
    const style = document.createElement('style');  // the page's CSP may refuse it: still readable
    style.textContent = doc.querySelector('style') ? doc.querySelector('style').textContent : '';
    root.style.cssText = '';
    root.replaceChildren(style, document.adoptNode(section));
    // Back from a post: go to the new comment (or the form's notice), which did
    // not exist when the browser looked for the fragment.
    const target = location.hash.length > 1 && document.getElementById(location.hash.slice(1));
    if (target && root.contains(target)) target.scrollIntoView();
  });
}
