// Helpers every part of the loader shares: strings on the wasm heap, localStorage
// that never throws, the visually hidden style.

// Visually hidden, still read by screen readers and found by getByRole.
export const HIDDEN = 'position:absolute;left:0;top:0;width:1px;height:1px;overflow:hidden;' +
  'clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;';

// localStorage that never throws (private modes, quotas, sandboxed iframes).
export const store = {
  get(k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
  set(k, v) { try { localStorage.setItem(k, v); } catch (e) { /* nothing to keep it in */ } },
  del(k) { try { localStorage.removeItem(k); } catch (e) { /* idem */ } },
};

// Calls a wasm export with strings (UTF-8 copies on the wasm heap, freed after).
export function callWithStrings(M, fn, ...strings) {
  const pointers = strings.map((text) => {
    const n = M.lengthBytesUTF8(text) + 1;
    const p = M._malloc(n);
    M.stringToUTF8(text, p, n);
    return p;
  });
  try { return fn(...pointers); } finally { pointers.forEach((p) => M._free(p)); }
}
