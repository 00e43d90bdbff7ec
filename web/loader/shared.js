// What a page fetches once for all its widgets: the widget's glue script and the
// wasm module (compiled once, instantiated per widget).
// Read as the script runs: document.currentScript names where the files are.
export const scriptStart = performance.now();  // for stats(): time to the first comments
const script = document.currentScript;
export const base = new URL('.', script ? script.src : location.href).href;
let shared = null;  // {factory, wasm} promises, made on the first mount

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.async = true;
    s.onload = resolve;
    s.onerror = () => reject(new Error('could not load ' + src));
    document.head.appendChild(s);
  });
}

function fetchBytes(url) {
  return fetch(url).then((r) => {
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    return r.arrayBuffer();
  });
}

export function loadShared() {
  if (shared) return shared;
  const wasmUrl = base + 'causerie-widget.wasm';
  shared = {
    factory: loadScript(base + 'causerie-widget.js').then(() => window.CauserieWidget),
    wasm: (WebAssembly.compileStreaming
      ? WebAssembly.compileStreaming(fetch(wasmUrl))
      : fetchBytes(wasmUrl).then((b) => WebAssembly.compile(b))),
  };
  return shared;
}
