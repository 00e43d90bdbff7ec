/* Causerie loader: one script tag under an article mounts the comment section.
 *
 *   <div id="causerie"></div>
 *   <script async src="https://comments.example.org/causerie.js"
 *           data-api="https://comments.example.org/api/v1"
 *           data-thread="/2026/12/un-article" data-title="…" data-lang="fr"></script>
 *
 * On a WordPress site, through its own REST API (docs/wordpress.md):
 *   data-api-kind="wordpress" data-api="https://example.org/wp-json" data-thread="<post id>"
 *
 * or, from a single-page site: const handle = Causerie.mount(element, options);
 * handle.stats(); handle.textReport(); handle.destroy();
 * The script tag's widget keeps its handle on its container: element.causerie.
 *
 * Each widget is its own wasm instance (the compiled module and the widget's JS
 * are fetched once per page); its text is set by the browser in the site's fonts. The canvas is viewport-sized and sticky
 * inside a container as tall as the whole thread: the page scrolls, not the canvas.
 * Nothing is ever drawn while nothing changes. No listener is put on `window`
 * except a passive scroll/resize one; keys are only heard on the widget's elements.
 *
 * The build bundles this file and the modules it imports (web/loader/, one concern
 * each) into the one script the page loads, build/wasm/web/causerie.js
 * (src/platform/CMakeLists.txt).
 */
import { mount } from './mount.js';

// Loaded twice: keep the first.
if (!window.Causerie) {
  window.Causerie = { mount, version: '0.1.0' };

  // Script-tag use: mount into #causerie, else right after the script.
  const script = document.currentScript;
  if (script && script.dataset.api !== undefined) {
    const d = script.dataset;
    let target = document.getElementById('causerie');
    if (!target) {
      target = document.createElement('div');
      target.id = 'causerie';
      script.after(target);
    }
    // The handle, for the page's own scripts, tests and benchmarks.
    target.causerie = mount(target, { api: d.api, apiKind: d.apiKind, thread: d.thread, title: d.title, lang: d.lang,
      theme: d.theme });
  }
}
