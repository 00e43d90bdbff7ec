// The reply form: real, transparent elements laid exactly over the fields the canvas
// draws, which own the text, caret, selection and composition; drafts and identity
// in localStorage.
import { HIDDEN, store } from './util.js';
import { FormElement } from './bridge.js';

// The fields' style, once per page. Their font is the one the widget sets its text
// in (--causerie-field-font, fonts.js), so the browser's caret falls between the
// characters the reader sees.
let fieldStyleAdded = false;
export function addFieldStyle() {
  if (fieldStyleAdded) return;
  fieldStyleAdded = true;
  const style = document.createElement('style');
  style.textContent =
    '.causerie-field{position:absolute;box-sizing:border-box;margin:0;padding:8px 10px;border:0;' +
    'border-radius:6px;background:transparent;color:transparent;caret-color:transparent;' +
    '-webkit-text-fill-color:transparent;font:var(--causerie-field-size,16px)/var(--causerie-field-line,24px) var(--causerie-field-font,sans-serif);' +
    'letter-spacing:normal;word-spacing:normal;text-transform:none;font-variant:normal;font-feature-settings:normal;' +
    'resize:none;overflow:hidden;outline:none;box-shadow:none;appearance:none;white-space:pre-wrap;' +
    'word-wrap:break-word;z-index:1}' +
    'input.causerie-field{white-space:pre}' +
    '.causerie-field::selection{background:transparent;color:transparent}' +
    '.causerie-field:-webkit-autofill{transition:background-color 1e6s}' +
    '.causerie-form button.causerie-field,.causerie-form input[type=checkbox].causerie-field{opacity:0;cursor:pointer}';
  document.head.appendChild(style);
}

// The reply form's DOM side: elements, drafts and identity in localStorage, and
// every change of text, selection, composition and focus reported to the widget.
// widget: {id, config, on, storageKey, call} (mount.js).
export function createForm(widget) {
  const { id, on, storageKey, call } = widget;
  const fr = widget.config.lang.startsWith('fr');
  const element = document.createElement('form');
  element.className = 'causerie-form';
  element.noValidate = true;
  element.style.cssText = 'position:absolute;left:0;top:0;width:0;height:0;margin:0;';
  const make = (tag, props, label) => {
    const e = document.createElement(tag);
    Object.assign(e, props);
    e.className = 'causerie-field';
    e.id = 'causerie-' + id + '-' + props.name;
    e.style.display = 'none';
    if (label) {
      const l = document.createElement('label');
      l.htmlFor = e.id;
      l.textContent = label;
      l.style.cssText = HIDDEN;
      element.appendChild(l);
    }
    element.appendChild(e);
    return e;
  };
  // Indexed as the widget's FormElement (src/widget/reply_form.h).
  const fields = [];
  fields[FormElement.kFieldBody] = make('textarea', { name: 'comment', required: true, spellcheck: true, rows: 5 }, fr ? 'Commentaire *' : 'Comment *'),
  fields[FormElement.kFieldName] = make('input', { name: 'author', type: 'text', autocomplete: 'name', required: true }, fr ? 'Nom *' : 'Name *'),
    // type=text with inputmode: email and url inputs have no selection API, and
    // the canvas draws the caret from it; the keyboard and autofill stay the same.
  fields[FormElement.kFieldEmail] = make('input', { name: 'email', type: 'text', inputMode: 'email', autocomplete: 'email', required: true, spellcheck: false }, fr ? 'E-mail *' : 'Email *'),
  fields[FormElement.kFieldUrl] = make('input', { name: 'url', type: 'text', inputMode: 'url', autocomplete: 'url', spellcheck: false }, fr ? 'Site web' : 'Website');
  const remember = make('input', { name: 'remember', type: 'checkbox' },
    fr ? 'Enregistrer mon nom, mon e-mail et mon site dans le navigateur pour mon prochain commentaire.'
      : 'Save my name, email, and website in this browser for the next time I comment.');
  const submit = make('button', { name: 'submit', type: 'submit', textContent: fr ? 'Laisser un commentaire' : 'Post Comment' });
  // « Aperçu »: the widget draws the body as it will be shown, where the textarea
  // was; the region below holds the same text for screen readers and find-in-page.
  const previewButton = make('button', { name: 'preview', type: 'button', textContent: fr ? 'Aperçu' : 'Preview' });
  previewButton.setAttribute('aria-pressed', 'false');
  const preview = document.createElement('div');
  preview.className = 'causerie-field causerie-preview';
  preview.setAttribute('role', 'region');
  preview.setAttribute('aria-label', fr ? 'Aperçu du commentaire' : 'Comment preview');
  preview.style.display = 'none';
  element.appendChild(preview);
  let previewing = false;
  let lastRects = [];
  const elements = [...fields];
  elements[FormElement.kRememberBox] = remember;
  elements[FormElement.kSubmitButton] = submit;
  elements[FormElement.kPreviewButton] = previewButton;
  let replyTarget = 0;
  const composition = fields.map(() => null);  // UTF-16 start of the text being composed
  const encoder = new TextEncoder();

  function report(i) {
    if (!widget.wasm) return;
    const f = fields[i];
    const v = f.value;
    const u8 = (n) => encoder.encode(v.slice(0, n)).length;
    const cs = composition[i] === null ? 0 : u8(composition[i]);
    const ce = composition[i] === null ? 0 : u8(f.selectionEnd);
    widget.wasm.field(i, v, u8(f.selectionStart), u8(f.selectionEnd), cs, ce);
  }
  function reportFocus() {
    call((w) => w.formFocus(elements.indexOf(document.activeElement), remember.checked));
  }
  const draftKey = (parent) => storageKey('draft', parent);

  fields.forEach((f, i) => {
    const r = () => report(i);
    for (const type of ['input', 'select', 'selectionchange', 'keyup', 'pointerup', 'focus']) on(f, type, r);
    on(f, 'compositionstart', () => { composition[i] = f.selectionStart; r(); });
    on(f, 'compositionupdate', r);
    on(f, 'compositionend', () => { composition[i] = null; r(); });
  });
  // Nothing typed is lost: the draft is saved as the reader types.
  on(fields[0], 'input', () => {
    if (String(replyTarget).startsWith('edit-')) return;
    if (fields[0].value) store.set(draftKey(replyTarget), fields[0].value);
    else store.del(draftKey(replyTarget));
  });
  on(element, 'focusin', reportFocus);
  on(element, 'focusout', () => setTimeout(reportFocus, 0));
  on(remember, 'change', reportFocus);
  on(element, 'submit', (e) => { e.preventDefault(); call((w) => w.submit()); });
  on(previewButton, 'click', () => call((w) => w.togglePreview()));
  on(element, 'keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); call((w) => w.submit()); }
    if (e.key === 'Escape' && replyTarget) { e.preventDefault(); call((w) => w.cancelReply()); }
  });

  // What this browser remembers of the reader (only when they ticked the box).
  try {
    const who = JSON.parse(store.get('causerie:identity') || 'null');
    if (who) {
      fields[1].value = who.name || '';
      fields[2].value = who.email || '';
      fields[3].value = who.url || '';
      remember.checked = true;
    }
  } catch (e) { /* ignore a damaged entry */ }
  fields[0].value = store.get(draftKey(0)) || '';

  return {
    element,
    start() {  // the widget is ready: tell it what the fields hold
      fields.forEach((f, i) => report(i));
      reportFocus();
    },
    place(rects) {
      lastRects = rects;
      elements.forEach((own, i) => {
        // While previewing, the body's place is the preview's.
        const body = i === FormElement.kFieldBody;
        const e = body && previewing ? preview : own;
        if (body) (previewing ? fields[i] : preview).style.display = 'none';
        const r = rects.slice(4 * i, 4 * i + 4);
        if (r.length < 4 || r[2] <= 0) { e.style.display = 'none'; return; }
        e.style.display = 'block';
        e.style.left = r[0] + 'px';
        e.style.top = r[1] + 'px';
        e.style.width = r[2] + 'px';
        e.style.height = r[3] + 'px';
      });
    },
    // Errors become the fields' accessible descriptions (aria-invalid +
    // aria-describedby); the form's own error describes the submit button.
    describe(messages) {
      const targets = [...fields, submit];
      targets.forEach((f, i) => {
        const text = messages[i] || '';
        let d = document.getElementById(f.id + '-error');
        if (!d) {
          d = document.createElement('span');
          d.id = f.id + '-error';
          d.style.cssText = HIDDEN;
          element.appendChild(d);
        }
        d.textContent = text;
        if (text) {
          f.setAttribute('aria-invalid', 'true');
          f.setAttribute('aria-describedby', d.id);
        } else {
          f.removeAttribute('aria-invalid');
          f.removeAttribute('aria-describedby');
        }
      });
    },
    preview(shown, text) {
      const wasFocused = document.activeElement === previewButton;
      previewing = shown;
      previewButton.setAttribute('aria-pressed', String(shown));
      preview.textContent = text;
      this.place(lastRects);
      // Back from the preview: the reader goes on writing where they were.
      const body = fields[FormElement.kFieldBody];
      if (!shown && wasFocused && body.style.display !== 'none') body.focus({ preventScroll: true });
    },
    label(names) {  // from the widget's catalog
      elements.forEach((e, i) => {
        if (!names[i]) return;
        if (e.tagName === 'BUTTON') e.textContent = names[i];
        else if (e.labels && e.labels[0]) e.labels[0].textContent = names[i];
      });
    },
    edit(commentId, body) {  // the text of one's own comment, to edit (no draft kept)
      replyTarget = 'edit-' + commentId;
      fields[0].value = body;
      report(0);
      fields[0].focus({ preventScroll: true });
    },
    replyTo(parent) {
      if (parent === replyTarget) return;
      replyTarget = parent;
      if (parent) store.set(storageKey('reply'), String(parent));
      else store.del(storageKey('reply'));
      fields[0].value = store.get(draftKey(parent)) || '';
      report(0);
      if (parent) fields[0].focus({ preventScroll: true });
    },
    posted(parent, ownedJson) {
      store.del(draftKey(parent));
      store.set(storageKey('owned'), ownedJson);
      if (remember.checked) {
        store.set('causerie:identity', JSON.stringify({ name: fields[1].value, email: fields[2].value, url: fields[3].value }));
      } else {
        store.del('causerie:identity');
      }
      fields[0].value = '';
      report(0);
    },
  };
}

