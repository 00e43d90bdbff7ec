// The reader's side of ./tools/bench: transfer size, time to the first comments,
// the 10,000-comment thread, idle frames, scaling, and a CPU profile of the slow
// paths. Writes its figures as JSON (--out) and prints them as it goes.
//   node tools/benchmarks/browser.mjs --sections size,paint,big,idle,scaling,profile --out results.json
// Environment (set by tools/bench): CAUSERIE_SERVER_BIN, CAUSERIE_WEB_DIR, CAUSERIE_BENCH_DIR,
// optionally CAUSERIE_PROFILE_WEB_DIR (a build of the widget with function names).
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants as zc } from 'node:zlib';
import { makeThread, postThread, multilingualSentences } from './generate.mjs';
import { env, log, makeStaticDir, startServer, launchBrowser, summary, round, frameProbe, sleep, readJson } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const sections = new Set(opt('--sections', 'size,paint,big,idle,scaling,profile').split(','));
const outPath = opt('--out', null);
const loadsPerThread = Number(opt('--loads', 15));

const benchDir = env('CAUSERIE_BENCH_DIR');
const serverBin = env('CAUSERIE_SERVER_BIN');
const webDir = env('CAUSERIE_WEB_DIR');
const profileWebDir = process.env.CAUSERIE_PROFILE_WEB_DIR || '';

const DEMO = { key: '/demo/chine-russie', page: '/demo/chine-russie/' };
const SIZES = [100, 200, 1000, 10000];
// Threads are named by their size (the generator's Latin, Greek and Cyrillic), or 'm'
// and their size: every script of tests/corpus/multilingual.json mixed.
const MIXED = ['m200', 'm10000'];
const threadOf = (name) => {
  const mixed = String(name).startsWith('m');
  const n = Number(String(name).replace(/^m/, ''));
  const slug = (mixed ? 'm' : 't') + n;
  return { key: `/bench/${slug}`, page: `/bench/${slug}/`, count: n, mixed, title: `Banc d’essai : ${n} commentaires` };
};

const results = { sections: [...sections] };
const print = (...a) => console.log(...a);

// ---------------------------------------------------------------------------------
// Data: one SQLite database with the demo threads and the generated ones, made once
// per run of the generator (kept in build/bench/ between runs: same seed, same thread).
async function prepareData() {
  const dataDir = join(benchDir, 'data');
  const db = join(dataDir, 'bench.db');
  const manifestPath = join(dataDir, 'threads.json');
  const needed = [...SIZES, ...MIXED].filter((n) => sections.has('scaling') && typeof n === 'number' || n === 200 ||
    (n === 'm200' && sections.has('paint')) || (n === 'm10000' && sections.has('big')) ||
    (n === 10000 && (sections.has('big') || sections.has('profile'))));
  let manifest = readJson(manifestPath, { version: 2, threads: {} });
  if (manifest.version !== 2) manifest = { version: 2, threads: {} };
  const missing = needed.filter((n) => !manifest.threads[n]);
  if (missing.length && Object.keys(manifest.threads).length) {
    rmSync(dataDir, { recursive: true, force: true });  // regenerate all: ids must match the manifest
    manifest = { version: 2, threads: {} };
    missing.splice(0, missing.length, ...needed);
  }
  mkdirSync(dataDir, { recursive: true });
  const staticDir = makeStaticDir(join(benchDir, 'static'), webDir, [...SIZES, ...MIXED].map(threadOf));
  // --sync normal while generating: the figures below only read.
  const server = await startServer({ bin: serverBin, db, staticDir, args: ['--seed-demo', '--sync', 'normal'] });
  results.generation = [];
  try {
    for (const n of missing) {
      const t = threadOf(n);
      const { specs, maxDepth } = makeThread(t.count, 7, t.mixed ? multilingualSentences() : undefined);
      const { ids, seconds } = await postThread(server.url, t.key, specs, 16);
      manifest.threads[n] = { key: t.key, count: n, maxDepth, lastId: ids[ids.length - 1], seconds };
      writeFileSync(manifestPath, JSON.stringify(manifest, null, 1));
      print(`generated ${t.count} comments (depth ≤ ${maxDepth}) through POST in ${seconds.toFixed(1)} s: ${(t.count / seconds).toFixed(0)} posts/s`);
    }
  } finally {
    await server.stop();
  }
  for (const n of Object.keys(manifest.threads)) {
    const m = manifest.threads[n];
    results.generation.push({ count: Number(n), maxDepth: m.maxDepth, seconds: m.seconds, fresh: missing.includes(Number(n)) });
  }
  return { db, staticDir, manifest };
}

// ---------------------------------------------------------------------------------
// Page helpers.
async function newPage(browser, { viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(frameProbe);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

const statsOf = (page) => page.evaluate(() => document.querySelector('#causerie').causerie.stats());

async function waitReady(page, timeout = 60000) {
  await page.waitForFunction(() => {
    const h = document.querySelector('#causerie')?.causerie;
    return h && (h.stats().firstPaintMs != null || document.querySelector('#causerie').dataset.state === 'error');
  }, null, { timeout, polling: 20 });
  const state = await page.evaluate(() => document.querySelector('#causerie').dataset.state);
  if (state !== 'ready') throw new Error('the widget did not become ready: ' + state);
}

// Waits until the widget draws no more frames for `quietMs`.
async function waitSettled(page, quietMs = 500, timeout = 120000) {
  const t0 = Date.now();
  let last = -1, since = Date.now();
  while (Date.now() - t0 < timeout) {
    const f = (await statsOf(page)).frames;
    if (f !== last) { last = f; since = Date.now(); } else if (Date.now() - since >= quietMs) return;
    await sleep(50);
  }
}

// One cold load: a fresh browser context (empty HTTP cache, no compiled wasm).
// Returns stats() at the first paint plus the resource timing waterfall.
async function coldLoad(browser, url) {
  const { context, page, errors } = await newPage(browser);
  try {
    const nav0 = Date.now();
    await page.goto(url);
    await waitReady(page);
    const s = await statsOf(page);
    const waterfall = await page.evaluate(() => {
      const out = {};
      for (const e of performance.getEntriesByType('resource')) {
        const name = new URL(e.name).pathname.replace(/^\/api\/v1\/threads\/.*/, 'API: first page');
        out[name] = { start: e.startTime, end: e.responseEnd };
      }
      return out;
    });
    const loader = waterfall['/causerie.js'];
    return { ...s, fromNavigationMs: loader ? loader.end + s.firstPaintMs : null, waterfall, errors, wallMs: Date.now() - nav0 };
  } finally {
    await context.close();
  }
}

async function coldLoads(browser, url, n) {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await coldLoad(browser, url));
  const median = (k) => summary(runs.map((r) => r[k]));
  // The waterfall: median start/end per resource.
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.waterfall)))];
  const waterfall = names.map((name) => ({
    name,
    start: summary(runs.map((r) => r.waterfall[name]?.start)).median,
    end: summary(runs.map((r) => r.waterfall[name]?.end)).median,
  })).sort((a, b) => a.start - b.start);
  return {
    firstPaint: median('firstPaintMs'), fromNavigation: median('fromNavigationMs'), framesAtPaint: median('frames'),
    comments: runs[0].comments, waterfall, errors: runs.flatMap((r) => r.errors),
  };
}

const fmt = (s) => (s.median == null ? 'n/a' : `median ${round(s.median)} ms (min ${round(s.min)}, p90 ${round(s.p90)}, max ${round(s.max)}, n=${s.n})`);

// ---------------------------------------------------------------------------------
// (1) Transfer size: every request the page makes while the widget loads, recorded
// by Chromium, compressed as a CDN would (gzip -9, brotli -q 11).
function compressedSizes(bytes) {
  const viaCli = (cmd, cliArgs) => {
    try { return execFileSync(cmd, cliArgs, { input: bytes, maxBuffer: 64 << 20 }).length; } catch { return null; }
  };
  return {
    raw: bytes.length,
    gzip: viaCli('gzip', ['-9', '-c', '-n']) ?? gzipSync(bytes, { level: 9 }).length,
    brotli: viaCli('brotli', ['-q', '11', '-c']) ?? brotliCompressSync(bytes, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

async function benchSize(browser, base) {
  const { context, page } = await newPage(browser);
  // "Before the first paint" is by when a request started: the page notes (epoch
  // ms) when the widget's container turns ready, which is the first frame's end.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.getElementById('causerie')?.dataset.state !== 'ready') return;
      window.causerieReadyEpoch = performance.timeOrigin + performance.now();
      observer.disconnect();
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  });
  const seen = [];
  page.on('requestfinished', async (req) => {
    const started = req.timing().startTime;
    const res = await req.response();
    if (!res) return;
    let body = null;
    try { body = await res.body(); } catch { /* redirects have none */ }
    const sizes = await req.sizes().catch(() => null);
    seen.push({ url: req.url(), type: req.resourceType(), started, body, status: res.status(),
      encoding: (await res.allHeaders())['content-encoding'] || 'identity', served: sizes ? sizes.responseBodySize : null });
  });
  await page.goto(base + DEMO.page);
  await waitReady(page);
  const readyEpoch = await page.evaluate(() => window.causerieReadyEpoch);
  await waitSettled(page);
  await sleep(300);
  await context.close();
  for (const r of seen) r.before = r.started < readyEpoch;
  const origin = new URL(base).origin;
  const files = [], others = [];
  for (const r of seen) {
    const u = new URL(r.url);
    const path = u.pathname;
    const row = { path, type: r.type, beforePaint: r.before, status: r.status, served: r.served, encoding: r.encoding,
      ...(r.body ? compressedSizes(r.body) : { raw: 0, gzip: 0, brotli: 0 }) };
    // The widget's own files: everything but the article page, its stylesheet and the API.
    if (u.origin === origin && r.type !== 'document' && !path.startsWith('/api/') && !path.startsWith('/demo/')) files.push(row);
    else others.push(row);
  }
  files.sort((a, b) => b.brotli - a.brotli);
  const sum = (rows, k) => rows.reduce((a, r) => a + (r[k] || 0), 0);
  const before = files.filter((f) => f.beforePaint);
  const total = { raw: sum(before, 'raw'), gzip: sum(before, 'gzip'), brotli: sum(before, 'brotli'), served: sum(before, 'served') };
  results.size = { files, others, total };
  print('\n(1) transfer size before the first paint (demo page; the widget\'s files, recorded by Chromium)');
  for (const f of files)
    print(`  ${f.path.padEnd(28)} raw ${String(f.raw).padStart(8)}  gzip -9 ${String(f.gzip).padStart(8)}  brotli -q 11 ${String(f.brotli).padStart(8)}  served ${f.served} (${f.encoding})${f.beforePaint ? '' : '  [after first paint]'}`);
  print(`  ${'total before first paint'.padEnd(28)} raw ${String(total.raw).padStart(8)}  gzip -9 ${String(total.gzip).padStart(8)}  brotli -q 11 ${String(total.brotli).padStart(8)}  served ${total.served}   budget ≤ 170 KB brotli`);
  for (const o of others) print(`  (not the widget) ${o.path}: raw ${o.raw}, served ${o.served} (${o.encoding})`);
}

// ---------------------------------------------------------------------------------
// (2) First comments painted, cold loads.
async function benchPaint(browser, base) {
  print(`\n(2) script start → first comments painted, ${loadsPerThread} cold loads each (fresh context)`);
  results.paint = {};
  const label = { demo: 'demo thread', t200: '200-comment thread', m200: '200-comment thread, all scripts mixed' };
  for (const [name, path] of [['demo', DEMO.page], ['t200', threadOf(200).page], ['m200', threadOf('m200').page]]) {
    const r = await coldLoads(browser, base + path, loadsPerThread);
    results.paint[name] = r;
    print(`  ${label[name]} (${r.comments} comments): ${fmt(r.firstPaint)}; from navigation start ${round(r.fromNavigation.median)} ms; frames drawn until then ${r.framesAtPaint.median}`);
    if (r.errors.length) print('  page errors: ' + r.errors.slice(0, 3).join(' | '));
  }
  print(`  mixed / Latin first paint: ${round(results.paint.m200.firstPaint.median / results.paint.t200.firstPaint.median, 2)}   budget ≤ 1.3`);
  print('  waterfall of the 200-comment thread (median ms from navigation start):');
  for (const w of results.paint.t200.waterfall) print(`    ${w.name.padEnd(28)} ${round(w.start)} → ${round(w.end)}`);
}

// ---------------------------------------------------------------------------------
// (3) and (6): a whole big thread. Loads the page with #comment-<last id> in the URL,
// which makes the widget fetch every page until it finds that comment (the reader's
// path to a linked comment), then scrolls the page from top to bottom.
async function scrollThrough(page, steps, syncGpu = false) {
  return page.evaluate(async ([steps, syncGpu]) => {
    const next = () => new Promise((r) => window.__benchRaf(r));
    const root = document.querySelector('#causerie .causerie-root');
    const top = root.getBoundingClientRect().top + scrollY;
    const end = top + root.offsetHeight - innerHeight;
    scrollTo(0, top);
    for (let i = 0; i < 10; i++) await next();
    window.__frameCosts.length = 0;
    window.__syncGpu = syncGpu;
    const intervals = [];
    let last = await next();
    for (let i = 1; i <= steps; i++) {
      scrollTo(0, top + ((end - top) * i) / steps);
      const t = await next();
      intervals.push(t - last);
      last = t;
    }
    for (let i = 0; i < 30; i++) await next();
    window.__syncGpu = false;
    return { costs: window.__frameCosts.slice(), intervals, height: root.offsetHeight };
  }, [steps, syncGpu]);
}

async function wholeThread(browser, base, t, lastId, { steps = 300, cdpProfile = null, idle = true, traceScroll = null, stopTrace = null, syncedSteps = 0 } = {}) {
  const { context, page, errors } = await newPage(browser);
  try {
    let cdp = null;
    if (cdpProfile) {
      cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const t0 = Date.now();
    await page.goto(`${base}${t.page}#comment-${lastId}`);
    await waitReady(page);
    await page.waitForFunction((n) => document.querySelector('#causerie').causerie.stats().comments >= n, t.count,
      { timeout: 240000, polling: 50 });
    const loadedMs = Date.now() - t0;
    await waitSettled(page);
    const s = await statsOf(page);
    let loadProfile = null;
    if (cdp) loadProfile = (await cdp.send('Profiler.stop')).profile;
    if (traceScroll) await traceScroll(page);
    const scroll = await scrollThrough(page, steps);
    const scrollTrace = stopTrace ? await stopTrace() : null;
    const scrollSynced = syncedSteps ? await scrollThrough(page, syncedSteps, true) : null;
    // Idle after scrolling: frames drawn in 5 s.
    let idleFrames = null;
    if (idle) {
      await waitSettled(page);
      const f0 = (await statsOf(page)).frames;
      await sleep(5000);
      idleFrames = (await statsOf(page)).frames - f0;
    }
    return { stats: s, loadedMs, scroll, scrollSynced, idleFrames, errors, loadProfile, scrollTrace };
  } finally {
    await context.close();
  }
}

function scrollFigures(scroll) {
  const c = summary(scroll.costs);
  const iv = summary(scroll.intervals);
  return { frames: c.n, costMedian: c.median, costP90: c.p90, costWorst: c.max,
    intervalMedian: iv.median, intervalP90: iv.p90, intervalWorst: iv.max, heightPx: scroll.height };
}

async function benchBig(browser, base, manifest) {
  for (const name of [10000, 'm10000']) await benchBigThread(browser, base, manifest, name);
}

async function benchBigThread(browser, base, manifest, name) {
  const t = threadOf(name);
  const m = manifest.threads[name];
  print(`\n(3) 10,000-comment thread (generated${t.mixed ? ', every script of the corpus' : ''}, depth ≤ ${m.maxDepth})`);
  const paint = await coldLoads(browser, base + t.page, 5);
  const w = await wholeThread(browser, base, t, m.lastId, { steps: 600, syncedSteps: 300 });
  const sc = scrollFigures(w.scroll);
  const synced = scrollFigures(w.scrollSynced);
  results[t.mixed ? 'bigMixed' : 'big'] = { firstPaint: paint.firstPaint, firstPaintComments: paint.comments, loadedMs: w.loadedMs,
    layoutMs: w.stats.layoutMs, heapBytes: w.stats.heapBytes, comments: w.stats.comments, scroll: sc, scrollSynced: synced,
    idleAfterScroll: w.idleFrames, errors: [...paint.errors, ...w.errors] };
  const r = results[t.mixed ? 'bigMixed' : 'big'];
  print(`  first paint (first page of ${paint.comments} comments): ${fmt(paint.firstPaint)}   budget ≤ 400 ms`);
  print(`  whole thread fetched and shown (via #comment-<last>): ${w.loadedMs} ms; last full layout (layoutMs): ${round(w.stats.layoutMs)} ms`);
  print(`  scroll top → bottom, ${sc.frames} widget frames over ${sc.heightPx} px: frame cost median ${round(sc.costMedian, 2)} ms, p90 ${round(sc.costP90, 2)}, worst ${round(sc.costWorst, 1)} ms   budget median ≤ 8, worst ≤ 33`);
  print(`  rAF interval while scrolling: median ${round(sc.intervalMedian, 1)} ms, p90 ${round(sc.intervalP90, 1)}, worst ${round(sc.intervalWorst, 1)} ms`);
  print(`  scroll again, each frame waiting for SwiftShader to finish it (gl.finish()), ${synced.frames} frames: cost median ${round(synced.costMedian, 2)} ms, p90 ${round(synced.costP90, 2)}, worst ${round(synced.costWorst, 1)} ms   budget median ≤ 8, worst ≤ 33`);
  print(`  wasm heap after load: ${(w.stats.heapBytes / 1048576).toFixed(1)} MB   budget ≤ 64 MB`);
  print(`  frames drawn while idle after the scroll: ${w.idleFrames}   budget 0`);
  if (r.errors.length) print('  page errors: ' + r.errors.slice(0, 3).join(' | '));
}

// ---------------------------------------------------------------------------------
// (4) Idle frames, and frames during a caret blink in the reply form.
async function benchIdle(browser, base) {
  const { context, page } = await newPage(browser);
  try {
    await page.goto(base + DEMO.page);
    await waitReady(page);
    await waitSettled(page, 1000);
    const f0 = (await statsOf(page)).frames;
    await sleep(5000);
    const idle = (await statsOf(page)).frames - f0;
    // The reply form: opened as a keyboard or screen-reader user does, with the first
    // "Reply" button of the accessibility mirror, which focuses its comment field; then
    // 5 s of caret blink (the caret shows solid for a moment after focus: wait 1.5 s).
    let caret = null, caretNote = 'n/a (no reply form yet)';
    const opened = await page.evaluate(() => {
      const reply = document.querySelector('#causerie .causerie-mirror article button');
      if (!reply) return false;
      reply.click();
      return true;
    });
    if (opened) {
      const focused = await page.waitForFunction(() => document.activeElement?.name === 'comment', null, { timeout: 5000 })
        .then(() => true, () => false);
      if (focused) {
        await sleep(1500);
        const c0 = (await statsOf(page)).frames;
        await sleep(5000);
        caret = (await statsOf(page)).frames - c0;
      } else caretNote = 'n/a (the reply button did not focus a comment field)';
    }
    results.idle = { demo: idle, caret, caretNote };
    print(`\n(4) frames drawn while idle for 5 s (demo thread): ${idle}   budget 0`);
    print(`    frames during 5 s of caret blink in the reply form: ${caret == null ? caretNote : caret}`);
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------
// (6) Scaling: 100, 1,000, 10,000 comments. Server read latency: wrk on the first
// page (what the widget asks first, limit=200) with 1 connection, and the time to
// walk every page in turn.
function wrkLatency(url, seconds = 3) {
  try {
    const out = execFileSync('wrk', ['-t1', '-c1', `-d${seconds}s`, '--latency', url], { encoding: 'utf8' });
    const ms = (s) => (s == null ? null : s.endsWith('us') ? parseFloat(s) / 1000 : s.endsWith('ms') ? parseFloat(s) : parseFloat(s) * 1000);
    return { rps: parseFloat(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]), p50: ms(/\s50%\s+(\S+)/.exec(out)?.[1]), p99: ms(/\s99%\s+(\S+)/.exec(out)?.[1]) };
  } catch (e) {
    return { error: String(e.message || e) };
  }
}

async function walkPages(base, key) {
  const t0 = performance.now();
  let cursor = null, pages = 0, bytes = 0;
  do {
    const r = await fetch(`${base}/api/v1/threads/${encodeURIComponent(key)}/comments?sort=oldest&limit=200${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`,
      { headers: { 'Accept-Encoding': 'identity' } });
    const text = await r.text();
    bytes += text.length;
    cursor = JSON.parse(text).next_cursor;
    pages++;
  } while (cursor);
  return { ms: performance.now() - t0, pages, bytes };
}

async function benchScaling(browser, base, manifest) {
  print('\n(6) scaling');
  results.scaling = [];
  for (const n of [100, 1000, 10000]) {
    const t = threadOf(n);
    const m = manifest.threads[n];
    const paint = await coldLoads(browser, base + t.page, 5);
    const w = n === 10000 && results.big ? null : await wholeThread(browser, base, t, m.lastId, { steps: 200, idle: false });
    const row = {
      count: n,
      firstPaint: paint.firstPaint.median,
      loadedMs: w ? w.loadedMs : results.big.loadedMs,
      layoutMs: w ? w.stats.layoutMs : results.big.layoutMs,
      heapBytes: w ? w.stats.heapBytes : results.big.heapBytes,
      scroll: w ? scrollFigures(w.scroll) : results.big.scroll,
      server: wrkLatency(`${base}/api/v1/threads/${encodeURIComponent(t.key)}/comments?sort=oldest&limit=200`),
      walk: await walkPages(base, t.key),
    };
    results.scaling.push(row);
    print(`  ${String(n).padStart(6)} comments: first paint ${round(row.firstPaint)} ms, whole thread shown ${row.loadedMs} ms, layout ${round(row.layoutMs)} ms, ` +
      `scroll frame median ${round(row.scroll.costMedian, 2)} / worst ${round(row.scroll.costWorst, 1)} ms, heap ${(row.heapBytes / 1048576).toFixed(1)} MB, ` +
      `server first page p50 ${round(row.server.p50, 2)} / p99 ${round(row.server.p99, 2)} ms (${round(row.server.rps, 0)} req/s, 1 conn), all ${row.walk.pages} pages ${round(row.walk.ms)} ms`);
  }
}

// ---------------------------------------------------------------------------------
// Profile: the same page with a build of the widget that keeps function names
// (relinked with --profiling-funcs), under V8's sampling CPU profiler: where the
// main thread's time goes while the 10,000-comment thread loads, while it scrolls,
// and during one cold load of the 200-comment thread.
function selfTimes(profile, top = 15) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const f = node.callFrame;
    const url = f.url ? f.url.replace(/^https?:\/\/[^/]+/, '') : '';
    const name = `${f.functionName || '(anonymous)'}${url && !f.url.includes('.wasm') ? ` (${url}:${f.lineNumber + 1})` : ''}`;
    self.set(name, (self.get(name) || 0) + (dt[i + 1] || 0) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const busy = total - (self.get('(idle)') || 0);
  return {
    totalMs: total, busyMs: busy,
    top: [...self.entries()].filter(([n]) => n !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: ms / busy })),
  };
}

// A Chromium trace (playwright's browser.startTracing): self time per event name on
// the busiest threads: the page's main thread, the GPU process (SwiftShader), the
// compositor. This names what V8's profiler only calls "(program)".
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.wasm',
  'blink', 'cc', 'gpu', 'viz', 'toplevel', 'benchmark', 'loading'];

export function summariseTrace(buffer, top = 12) {
  const events = JSON.parse(buffer.toString('utf8')).traceEvents || [];
  const threadNames = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
  const perThread = new Map();
  const open = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    let span = null;
    if (e.ph === 'X' && e.dur != null) span = { name: e.name, ts: e.ts, dur: e.dur };
    else if (e.ph === 'B') { (open.get(key) || open.set(key, []).get(key)).push(e); continue; }
    else if (e.ph === 'E') {
      const b = open.get(key)?.pop();
      if (b) span = { name: b.name, ts: b.ts, dur: e.ts - b.ts };
    }
    if (!span) continue;
    if (!perThread.has(key)) perThread.set(key, []);
    perThread.get(key).push(span);
  }
  const threads = [];
  const plumbing = /^(ImplementationBase::|CommandBufferHelper::|CommandBufferProxyImpl::)/;
  for (const [key, spans] of perThread) {
    spans.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const self = new Map();
    const gpuWaits = new Map();  // what waited for the GPU process, by its callers
    const stack = [];
    let busy = 0;
    for (const sp of spans) {
      while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= sp.ts) stack.pop();
      if (sp.name === 'CommandBufferProxyImpl::WaitForGetOffset') {
        const label = stack.map((x) => x.name).filter((n) => !plumbing.test(n)).slice(-2).join(' > ') || '(top level)';
        gpuWaits.set(label, (gpuWaits.get(label) || 0) + sp.dur);
      }
      const parent = stack[stack.length - 1];
      if (parent) self.set(parent.name, (self.get(parent.name) || 0) - Math.min(sp.dur, parent.ts + parent.dur - sp.ts));
      else busy += sp.dur;
      self.set(sp.name, (self.get(sp.name) || 0) + sp.dur);
      stack.push(sp);
    }
    const wasmUs = [...self.entries()].filter(([n]) => /wasm/i.test(n)).reduce((a, [, us]) => a + us, 0);
    // The page's renderer is the one running the widget's script (other renderers
    // may be in the trace: a closing page, a spare process).
    const scripted = spans.filter((x) => x.name === 'FunctionCall' || x.name === 'FireAnimationFrame' || /wasm/i.test(x.name)).length;
    threads.push({ thread: threadNames.get(key) || key, busyMs: busy / 1000, wasmMs: wasmUs / 1000, scripted,
      top: [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, ms: us / 1000 })),
      gpuWaits: [...gpuWaits.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([name, us]) => ({ name, ms: us / 1000 })) });
  }
  // The page's main thread, the GPU process's, the compositor: the busiest of each name.
  const keep = ['CrRendererMain', 'CrGpuMain', 'VizCompositorThread', 'Compositor'];
  const rank = (t) => (t.thread === 'CrRendererMain' ? t.scripted : t.busyMs);
  return keep.map((n) => threads.filter((t) => t.thread === n).sort((a, b) => rank(b) - rank(a))[0]).filter(Boolean);
}

async function benchProfile(browser, manifest, db) {
  if (!profileWebDir) {
    print('\nprofile: skipped (no build with function names; see tools/benchmarks/profile-build.sh)');
    return;
  }
  const staticDir = makeStaticDir(join(benchDir, 'static-profile'), profileWebDir, SIZES.map(threadOf));
  const server = await startServer({ bin: serverBin, db, staticDir });
  try {
    const t = threadOf(10000);
    const w = await wholeThread(browser, server.url, t, manifest.threads[10000].lastId, { steps: 200, cdpProfile: true, idle: false,
      traceScroll: (page) => browser.startTracing(page, { categories: TRACE_CATEGORIES }), stopTrace: () => browser.stopTracing() });
    // One cold load of the 200-comment thread, profiled from navigation to first paint,
    // then the same under a Chromium trace.
    const { context, page } = await newPage(browser);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    await page.goto(server.url + threadOf(200).page);
    await waitReady(page);
    const paintProfile = (await cdp.send('Profiler.stop')).profile;
    await context.close();
    const traced = await newPage(browser);
    await browser.startTracing(traced.page, { categories: TRACE_CATEGORIES });
    await traced.page.goto(server.url + threadOf(200).page);
    await waitReady(traced.page);
    const paintTrace = await browser.stopTracing();
    await traced.context.close();
    writeFileSync(join(benchDir, 'trace-first-paint.json'), paintTrace);
    if (w.scrollTrace) writeFileSync(join(benchDir, 'trace-scroll-10000.json'), w.scrollTrace);
    results.profile = {
      load10k: selfTimes(w.loadProfile), paint200: selfTimes(paintProfile),
      paintTrace: summariseTrace(paintTrace), scrollTrace: w.scrollTrace ? summariseTrace(w.scrollTrace) : null,
      scrollFrames: scrollFigures(w.scroll),
    };
    for (const [k, label] of [['paint200', 'cold load of the 200-comment thread, navigation → first paint'],
      ['load10k', 'loading the whole 10,000-comment thread']]) {
      const p = results.profile[k];
      print(`\nprofile: ${label}: ${round(p.busyMs)} ms of main-thread CPU (self time, top functions)`);
      for (const f of p.top.slice(0, 10)) print(`  ${round(f.ms).toString().padStart(8)} ms ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.name.slice(0, 160)}`);
    }
    for (const [k, label] of [['paintTrace', 'trace of a cold load of the 200-comment thread'], ['scrollTrace', 'trace of scrolling the 10,000-comment thread']]) {
      for (const th of results.profile[k] || []) {
        print(`\nprofile: ${label}, thread ${th.thread}: ${round(th.busyMs)} ms busy (self time by event)`);
        for (const e of th.top.slice(0, 8)) print(`  ${round(e.ms).toString().padStart(8)} ms  ${e.name}`);
        if (th.wasmMs) print(`  compiling and loading wasm (events named *wasm*): ${round(th.wasmMs)} ms`);
        for (const e of th.gpuWaits) print(`  waiting for the GPU process under ${e.name}: ${round(e.ms)} ms`);
      }
    }
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------
const { db, staticDir, manifest } = await prepareData();
const server = await startServer({ bin: serverBin, db, staticDir });
const browser = await launchBrowser();
results.chromium = browser.version();
try {
  if (sections.has('size')) await benchSize(browser, server.url);
  if (sections.has('paint')) await benchPaint(browser, server.url);
  if (sections.has('big')) await benchBig(browser, server.url, manifest);
  if (sections.has('idle')) await benchIdle(browser, server.url);
  if (sections.has('scaling')) await benchScaling(browser, server.url, manifest);
  results.serverPeakRssKb = server.peakRssKb();
  if (sections.has('profile')) await benchProfile(browser, manifest, db);
} finally {
  await browser.close();
  await server.stop();
  if (outPath) writeFileSync(outPath, JSON.stringify(results, null, 1));
}
