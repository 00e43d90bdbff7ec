// The reply form: real elements laid exactly over the frames the canvas draws, which
// draw their own text (the theme's colour, size and font) and own the caret,
// selection, composition and spell-check marks; drafts and identity in localStorage.
import { HIDDEN, store } from './util.js';
import { FormElement } from './bridge.js';

// The fields' style, once per page: their text in the widget's font and the theme's
// size and colour (custom properties on the widget's root), on the canvas's frame and
// background (the fields' own are transparent).
let fieldStyleAdded = false;
export function addFieldStyle() {
  if (fieldStyleAdded) return;
  fieldStyleAdded = true;
  const style = document.createElement('style');
  style.textContent =
    '.causerie-field{position:absolute;box-sizing:border-box;margin:0;padding:8px 10px;border:0;' +
    'border-radius:6px;background:transparent;' +
    // text-fill-color too: autofill forces its own `color`.
    'color:var(--causerie-field-colour,#1d1d1f);-webkit-text-fill-color:var(--causerie-field-colour,#1d1d1f);' +
    'caret-color:var(--causerie-field-colour,#1d1d1f);' +
    'font:var(--causerie-field-size,16px)/var(--causerie-field-line,24px) var(--causerie-field-font,sans-serif);' +
    'letter-spacing:normal;word-spacing:normal;text-transform:none;font-variant:normal;font-feature-settings:normal;' +
    'resize:none;overflow:hidden auto;outline:none;box-shadow:none;appearance:none;white-space:pre-wrap;' +
    'overflow-wrap:anywhere;z-index:1}' +
    'input.causerie-field{white-space:pre}' +
    // The autofill tint stays off: the canvas draws the field's background.
    '.causerie-field:-webkit-autofill{transition:background-color 1e6s}' +
    // The preview is drawn by the canvas; its region only holds the same text.
    '.causerie-preview{color:transparent;-webkit-text-fill-color:transparent}' +
    '.causerie-preview::selection{background:transparent}' +
    '.causerie-form button.causerie-field,.causerie-form input[type=checkbox].causerie-field{opacity:0;cursor:pointer}';
  document.head.appendChild(style);
}

// The reply form's DOM side: elements, drafts and identity in localStorage, and
// every change of value and focus reported to the widget.
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
    // Each text's own direction (an Arabic name in a French form, and the reverse).
    if (tag !== 'button' && props.type !== 'checkbox') e.dir = 'auto';
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
    // type=text with inputmode: the value is what was typed (an email input trims
    // it) for the widget to check; the keyboard and autofill are the same.
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
  // « Mes données »: the form asks for the e-mail address the reader's comments were
  // made with, then sends for a copy (the submit button) or their erasure.
  const myDataButton = make('button', { name: 'my-data', type: 'button', textContent: fr ? 'Mes données' : 'My data' });
  const eraseButton = make('button', { name: 'erase', type: 'button', textContent: fr ? 'Effacer mes commentaires' : 'Erase my comments' });
  let focusWhenPlaced = -1;  // the element to focus once the widget has laid it out
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
  elements[FormElement.kMyDataButton] = myDataButton;
  elements[FormElement.kEraseButton] = eraseButton;
  const shown = (i) => lastRects[4 * i + 2] > 0;
  let replyTarget = 0;

  // The field draws its own text; the widget needs its value (to size its frame,
  // validate and send it).
  function report(i) {
    if (widget.wasm) widget.wasm.field(i, fields[i].value);
  }
  function reportFocus() {
    call((w) => w.formFocus(elements.indexOf(document.activeElement), remember.checked));
  }
  const draftKey = (parent) => storageKey('draft', parent);

  fields.forEach((f, i) => {
    for (const type of ['input', 'change']) on(f, type, () => report(i));
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
  on(myDataButton, 'click', () => {
    focusWhenPlaced = FormElement.kFieldEmail;
    call((w) => w.myData(true));
  });
  on(eraseButton, 'click', () => call((w) => w.eraseMyData()));
  on(element, 'keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); call((w) => w.submit()); }
    if (e.key === 'Escape' && (replyTarget || shown(FormElement.kEraseButton))) {
      e.preventDefault();
      call((w) => w.cancelReply());
    }
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
      if (focusWhenPlaced >= 0 && shown(focusWhenPlaced)) {
        elements[focusWhenPlaced].focus({ preventScroll: true });
        focusWhenPlaced = -1;
      }
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

