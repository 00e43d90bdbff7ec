// The reader's input on the canvas, fed to the widget: pointer (from the canvas and
// the link laid over it), keys and focus (heard on the canvas only, never on
// window), copy of a selection, and a #comment-<id> fragment followed.
import { PointerKind, PointerSource } from './bridge.js';
import { commentInHash } from './config.js';

// widget: {root, canvas, on, call} (mount.js).
export function listenToInput(widget) {
  const { root, canvas, on, call } = widget;
  const sourceOf = (e) => (e.pointerType === 'touch' ? PointerSource.Touch
    : e.pointerType === 'pen' ? PointerSource.Pen : PointerSource.Mouse);
  function pointer(kind) {
    return (e) => call((w) => {
      const r = canvas.getBoundingClientRect();
      w.pointer(kind, e.clientX - r.left, e.clientY - r.top, e.button, sourceOf(e));
    });
  }
  function key(down) {
    return (e) => {
      if (!e.isComposing) call((w) => w.key(e.code, down, e.ctrlKey, e.shiftKey, e.altKey, e.metaKey));
    };
  }

  on(root, 'pointermove', pointer(PointerKind.Move), { passive: true });
  on(root, 'pointerdown', (e) => {
    if (e.target === canvas) canvas.setPointerCapture(e.pointerId);
    pointer(PointerKind.Down)(e);
  });
  on(root, 'pointerup', pointer(PointerKind.Up), { passive: true });
  on(root, 'pointerleave', pointer(PointerKind.Leave), { passive: true });
  on(window, 'hashchange', () => {
    const id = commentInHash();
    if (id) call((w) => w.goToComment(id));
  });
  // Copy: synchronously inside the event (Safari allows clipboard writes only there).
  on(canvas, 'copy', (e) => {
    const text = call((w) => w.selectedText()) || '';
    if (!text) return;
    e.clipboardData.setData('text/plain', text);
    e.preventDefault();
  });
  on(canvas, 'keydown', key(true));
  on(canvas, 'keyup', key(false));
  on(canvas, 'focus', () => call((w) => w.canvasFocus(true)));
  on(canvas, 'blur', () => call((w) => w.canvasFocus(false)));
}
