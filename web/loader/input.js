// The reader's input on the canvas, fed to the widget: pointer (from the canvas and
// the link laid over it), keys and focus (heard on the canvas only, never on
// window), copy of a selection, and a #comment-<id> fragment followed.
import { callWithStrings } from './util.js';
import { commentInHash } from './config.js';

// widget: {root, canvas, on, M} (mount.js).
export function listenToInput(widget) {
  const { root, canvas, on } = widget;
  const sourceOf = (e) => (e.pointerType === 'touch' ? 1 : e.pointerType === 'pen' ? 2 : 0);
  function pointer(kind) {
    return (e) => {
      const M = widget.M;
      if (!M) return;
      const r = canvas.getBoundingClientRect();
      M._causerie_pointer(kind, e.clientX - r.left, e.clientY - r.top, e.button, sourceOf(e));
    };
  }
  function key(down) {
    return (e) => {
      const M = widget.M;
      if (!M || e.isComposing) return;
      callWithStrings(M, (p) => M._causerie_key(p, down ? 1 : 0, e.ctrlKey, e.shiftKey, e.altKey, e.metaKey), e.code);
    };
  }

  on(root, 'pointermove', pointer(0), { passive: true });
  on(root, 'pointerdown', (e) => {
    if (e.target === canvas) canvas.setPointerCapture(e.pointerId);
    pointer(1)(e);
  });
  on(root, 'pointerup', pointer(2), { passive: true });
  on(root, 'pointerleave', pointer(3), { passive: true });
  on(window, 'hashchange', () => {
    const id = commentInHash();
    if (id && widget.M) widget.M._causerie_go_to_comment(id);
  });
  // Copy: synchronously inside the event (Safari allows clipboard writes only there).
  on(canvas, 'copy', (e) => {
    const M = widget.M;
    const text = M ? M.UTF8ToString(M._causerie_selected_text()) : '';
    if (!text) return;
    e.clipboardData.setData('text/plain', text);
    e.preventDefault();
  });
  on(canvas, 'keydown', key(true));
  on(canvas, 'keyup', key(false));
  on(canvas, 'focus', () => widget.M && widget.M._causerie_focus(1));
  on(canvas, 'blur', () => widget.M && widget.M._causerie_focus(0));
}
