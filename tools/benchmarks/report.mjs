// Writes docs/performance.md from the figures of one ./tools/bench run:
//   node tools/benchmarks/report.mjs BENCH_DIR > docs/performance.md
// BENCH_DIR holds browser.json (browser.mjs), server.txt (tools/bench-server),
// scaleout.txt (tools/benchmarks/postgres.sh),
// wasm-size.json (wasm-size.mjs), machine.json and findings.md (hand-written
// analysis of the misses, kept next to the figures: tools/benchmarks/findings.md).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, round, root } from './lib.mjs';

const dir = process.argv[2];
const r = readJson(join(dir, 'browser.json'), {});
const machine = readJson(join(dir, 'machine.json'), {});
const wasm = readJson(join(dir, 'wasm-size.json'), null);
const serverText = existsSync(join(dir, 'server.txt')) ? readFileSync(join(dir, 'server.txt'), 'utf8') : '';
const scaleoutText = existsSync(join(dir, 'scaleout.txt')) ? readFileSync(join(dir, 'scaleout.txt'), 'utf8') : '';

const out = [];
const p = (s = '') => out.push(s);
const kb = (b) => (b == null ? 'n/a' : `${(b / 1024).toFixed(1)} KB`);
const ms = (x, d = 0) => (x == null ? 'n/a' : `${round(x, d)} ms`);
const verdict = (ok) => (ok == null ? '' : ok ? 'met' : '**missed**');
const misses = [];
const check = (label, value, ok) => { if (ok === false) misses.push(`${label}: ${value}`); return verdict(ok); };

p('# Performance');
p();
p('Figures from `./tools/bench` (written by it: do not edit by hand; the analysis at the end comes from');
p('`tools/benchmarks/findings.md`). Benchmarks print; no test fails on speed. Each figure is given with its budget.');
p();
p(`- Date: ${machine.date || 'n/a'}`);
p(`- Machine: ${machine.nproc} cores (\`nproc\`), ${machine.cpu}, ${machine.memory}; **shared**: other engineers were building and testing on it during the run (load average at the start: ${machine.load}), so times are pessimistic and noisy.`);
p(`- Chromium: ${r.chromium || machine.chromium} headless, WebGL2 on SwiftShader (software), loopback.`);
p(`- Emscripten: ${machine.emscripten}; widget build: MinSizeRel (-Oz, LTO), served by causerie-server (Release) from a copy of build/wasm/web.`);
p(`- Commit: ${machine.commit}`);
p();

// (1)
if (r.size) {
  const s = r.size;
  p('## 1. Transfer size before the first paint');
  p();
  p('Every request the demo page made for the widget until its first paint, recorded by Chromium (not a list');
  p('of files). Compressed here with `gzip -9` and `brotli -q 11` as a CDN would; "served" is what');
  p('causerie-server itself sent (its encoding in brackets).');
  p();
  p('| file | raw | gzip -9 | brotli -q 11 | served by causerie-server |');
  p('|---|---:|---:|---:|---|');
  for (const f of s.files)
    p(`| \`${f.path}\`${f.beforePaint ? '' : ' (after first paint)'} | ${f.raw} | ${f.gzip} | ${f.brotli} | ${f.served} (${f.encoding}) |`);
  const ok = s.total.brotli <= 170 * 1024;
  p(`| **total before first paint** | **${s.total.raw}** (${kb(s.total.raw)}) | **${s.total.gzip}** (${kb(s.total.gzip)}) | **${s.total.brotli}** (${kb(s.total.brotli)}) | ${s.total.served} |`);
  p();
  p(`Budget: ≤ 170 KB brotli → ${kb(s.total.brotli)}: ${check('transfer before first paint', `${kb(s.total.brotli)} brotli (budget 170 KB)`, ok)}.`);
  const api = s.others.filter((o) => o.path.startsWith('/api/'));
  if (api.length) p(`Not counted (the thread itself): ${api.map((a) => `\`${a.path}\` ${a.raw} B raw, served ${a.served} B (${a.encoding})`).join('; ')}.`);
  p();
}

// (2)
if (r.paint) {
  p('## 2. Script start → first comments painted');
  p();
  p('`stats().firstPaintMs`: from the loader\'s first line to the end of the first frame that shows the');
  p('thread. Cold loads, each in a fresh browser context (empty HTTP cache, wasm compiled again); the');
  p('browser process itself stays up. "From navigation" adds the time until the loader arrived.');
  p();
  p('| thread | comments | loads | median | min | p90 | max | from navigation (median) | frames drawn until then | budget |');
  p('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const [k, label] of [['demo', 'demo `/demo/chine-russie`'], ['t200', '200 comments (generated)']]) {
    const x = r.paint[k];
    if (!x) continue;
    const f = x.firstPaint;
    const budget = k === 't200' ? `≤ 250 ms: ${check('first paint, 200 comments', `median ${ms(f.median)} (budget 250 ms)`, f.median <= 250)}` : '';
    p(`| ${label} | ${x.comments} | ${f.n} | ${ms(f.median)} | ${ms(f.min)} | ${ms(f.p90)} | ${ms(f.max)} | ${ms(x.fromNavigation.median)} | ${x.framesAtPaint?.median ?? 'n/a'} | ${budget} |`);
  }
  p();
  if (r.paint.t200) {
    p('Where the time goes (200-comment thread, median over the loads, ms from navigation start; resource timing):');
    p();
    p('| resource | request start | response end |');
    p('|---|---:|---:|');
    for (const w of r.paint.t200.waterfall) p(`| \`${w.name}\` | ${round(w.start)} | ${round(w.end)} |`);
    p(`| first comments painted | | ${round(r.paint.t200.fromNavigation.median)} |`);
    p();
  }
}

// (3)
if (r.big) {
  const b = r.big;
  p('## 3. A 10,000-comment thread');
  p();
  p('Generated (tools/benchmarks/generate.mjs) and posted through the real API: one to twelve paragraphs,');
  p('French, German, Polish, Russian, Greek, English and emoji, Markdown emphasis, quotes, links, lists and');
  p('code, replies nested to depth 7 (the widget indents to 5). The widget first shows the first page');
  p('(200 comments); the whole thread is loaded by opening the page at `#comment-<last id>`, which makes the');
  p('widget fetch every page until it finds that comment. Scrolling: the page is scrolled from the top of');
  p('the comments to the bottom in 600 equal steps, one per animation frame. "Frame cost" is the time spent');
  p('in the widget\'s requestAnimationFrame callback (JavaScript and wasm: layout, ImGui, WebGL command');
  p('submission); SwiftShader rasterises in the GPU process, outside that time, so a second pass (300 steps)');
  p('calls `gl.finish()` on the widget\'s context after each frame: "frame to pixels" is the widget\'s work plus');
  p('SwiftShader drawing it, the figure held against the budget. "rAF interval" is the time between frames as');
  p('the page sees them (vsync-capped at 16.7 ms; includes the browser\'s software compositing).');
  p();
  p('| figure | value | budget |');
  p('|---|---:|---|');
  p(`| first paint (first ${b.firstPaintComments} comments shown), median of ${b.firstPaint.n} cold loads | ${ms(b.firstPaint.median)} (min ${ms(b.firstPaint.min)}, max ${ms(b.firstPaint.max)}) | ≤ 400 ms: ${check('10,000: first paint', `median ${ms(b.firstPaint.median)} (budget 400 ms)`, b.firstPaint.median <= 400)} |`);
  p(`| whole thread fetched and shown (${b.comments} comments) | ${ms(b.loadedMs)} | |`);
  p(`| last full layout of the thread (\`layoutMs\`) | ${ms(b.layoutMs, 1)} | |`);
  const y = b.scrollSynced;
  p(`| scroll, frame to pixels: median (${y.frames} frames, each followed by \`gl.finish()\`) | ${ms(y.costMedian, 2)} | ≤ 8 ms: ${check('10,000: median scroll frame (to pixels, SwiftShader)', ms(y.costMedian, 2), y.costMedian <= 8)} |`);
  p(`| scroll, frame to pixels: p90 / worst | ${ms(y.costP90, 2)} / ${ms(y.costWorst, 1)} | worst ≤ 33 ms: ${check('10,000: worst scroll frame (to pixels, SwiftShader)', ms(y.costWorst, 1), y.costWorst <= 33)} |`);
  p(`| scroll, the widget's own work (JS + wasm): median / p90 / worst (${b.scroll.frames} frames, ${b.scroll.heightPx} px) | ${ms(b.scroll.costMedian, 2)} / ${ms(b.scroll.costP90, 2)} / ${ms(b.scroll.costWorst, 1)} | |`);
  p(`| scroll: rAF interval as the page sees it, median / p90 / worst | ${ms(b.scroll.intervalMedian, 1)} / ${ms(b.scroll.intervalP90, 1)} / ${ms(b.scroll.intervalWorst, 1)} | |`);
  p(`| wasm heap after load (\`heapBytes\`) | ${(b.heapBytes / 1048576).toFixed(1)} MB | ≤ 64 MB: ${check('10,000: heap', `${(b.heapBytes / 1048576).toFixed(1)} MB`, b.heapBytes <= 64 * 1048576)} |`);
  p(`| frames drawn in 5 s idle after scrolling | ${b.idleAfterScroll} | 0: ${check('idle after scrolling 10,000', b.idleAfterScroll, b.idleAfterScroll === 0)} |`);
  p();
}

// (4)
if (r.idle) {
  p('## 4. Frames while idle');
  p();
  p('| situation | frames in 5 s | budget |');
  p('|---|---:|---|');
  p(`| demo thread, idle after its first paint (\`stats().frames\` delta) | ${r.idle.demo} | 0: ${check('idle frames', r.idle.demo, r.idle.demo === 0)} |`);
  p(`| caret blinking in the reply form (opened with the first "Reply", focused, after 1.5 s) | ${r.idle.caret == null ? (r.idle.caretNote || 'n/a') : r.idle.caret} | a few per second at most (${r.idle.caret == null ? 'n/a' : (r.idle.caret / 5).toFixed(1) + ' per second'}) |`);
  p();
}

// (5)
if (serverText) {
  p('## 5. Server');
  p();
  p('`tools/bench-server` (wrk on loopback; causerie-server Release build, 64 worker threads, SQLite).');
  p('wrk runs on the same 2 cores as the server.');
  p();
  const rows = [];
  for (const line of serverText.split('\n')) {
    const m = /^(read|post) (\S+), (\d+) connections\s+([\d.]+) req\/s\s+p50\s+(\S+)\s+p99\s+(\S+)\s*(.*)$/.exec(line.trim());
    if (m) rows.push({ kind: m[1], what: m[2], conns: Number(m[3]), rps: Number(m[4]), p50: m[5], p99: m[6], errors: m[7] });
  }
  const toMs = (s) => (s.endsWith('us') ? parseFloat(s) / 1000 : s.endsWith('ms') ? parseFloat(s) : parseFloat(s) * 1000);
  p('| request | connections | requests/s | p50 | p99 | budget |');
  p('|---|---:|---:|---:|---:|---|');
  for (const x of rows) {
    let budget = '';
    if (x.kind === 'read' && x.what === '200' && x.conns === 64) {
      const ok = x.rps >= 5000 && toMs(x.p99) <= 20;
      budget = `≥ 5,000/s, p99 ≤ 20 ms: ${check('server read 200 @64', `${x.rps} req/s, p99 ${x.p99} (budget ≥ 5,000/s, p99 ≤ 20 ms)`, ok)}`;
    }
    if (x.kind === 'post' && x.conns === 64) {
      const ok = x.rps >= 500;
      budget = `≥ 500/s: ${check(`server post (--sync ${x.what}) @64`, `${x.rps} req/s (budget ≥ 500/s)`, ok)}`;
    }
    const label = x.kind === 'read' ? `GET a 200-comment thread, \`limit=${x.what}\`` : `POST a comment, \`--sync ${x.what}\``;
    p(`| ${label} | ${x.conns} | ${x.rps} | ${x.p50} | ${x.p99} | ${budget}${x.errors ? ' ' + x.errors : ''} |`);
  }
  p();
  for (const line of serverText.split('\n'))
    if (/peak RSS|^thread:|stored by|bench:/.test(line)) p(`- ${line.trim()}`);
  p();
}

// (6)
if (r.scaling) {
  p('## 6. Scaling');
  p();
  p('Same method as section 3, for each size (first paint: median of 5 cold loads; scroll: 200 steps, 600');
  p('for 10,000). Server: wrk, 1 connection, 3 s, on the first page the widget asks for (`limit=200`); and');
  p('one client walking every page in turn.');
  p();
  p('| comments | first paint | whole thread shown | full layout | scroll frame median / worst | heap | server first page p50 / p99 | all pages, one client |');
  p('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const x of r.scaling)
    p(`| ${x.count} | ${ms(x.firstPaint)} | ${ms(x.loadedMs)} | ${ms(x.layoutMs, 1)} | ${ms(x.scroll.costMedian, 2)} / ${ms(x.scroll.costWorst, 1)} | ${(x.heapBytes / 1048576).toFixed(1)} MB | ${ms(x.server.p50, 2)} / ${ms(x.server.p99, 2)} | ${x.walk.pages} pages, ${ms(x.walk.ms)} |`);
  p();
}
if (r.generation?.length) {
  p('Generating the threads through `POST` (16 keep-alive connections, `--sync normal`, `--rate-post 0`):');
  p(r.generation.map((g) => `${g.count} comments in ${round(g.seconds, 1)} s (${Math.round(g.count / g.seconds)}/s)`).join(', ') + '.');
  p();
}

// (7)
if (scaleoutText) {
  p('## 7. Scale-out: PostgreSQL, two processes, idle live streams');
  p();
  p('`tools/benchmarks/postgres.sh`: a PostgreSQL of its own (Debian\'s, default durability settings)');
  p('and the Release server on loopback. Every read run has the same client load, two wrk processes started');
  p('together; with two server processes each wrk talks to its own, and each server\'s CPU during the run');
  p('shows that both served. The servers, PostgreSQL and wrk share the same cores.');
  p();
  const head = scaleoutText.split('\n').find((l) => l.startsWith('every run:'));
  if (head) p(`Load: ${head.replace(/^every run:\s*/, '')}.`);
  p();
  p('| storage | requests/s, total | per wrk | p99 per wrk | server CPU during the run (% of one core, per process) | PostgreSQL CPU (all its processes) |');
  p('|---|---:|---:|---:|---|---:|');
  for (const line of scaleoutText.split('\n')) {
    const m = /^\s+(\S.*?process(?:es)?)\s+(\d+) req\/s\s+\(wrk: (\S+) req\/s; p99 (\S+); server CPU (.*?) of one core(?:; PostgreSQL CPU (\S+))?\)(.*)$/.exec(line);
    if (m) p(`| ${m[1]} | ${m[2]} | ${m[3].replace(/\+/g, ' + ')} | ${m[4].replace(/\//g, ' / ')} | ${m[5]}${m[7].trim() ? ' ' + m[7].trim() : ''} | ${m[6] || ''} |`);
  }
  p();
  const idleAt = scaleoutText.split('\n').findIndex((l) => /idle live streams/.test(l));
  if (idleAt >= 0) {
    p(`${scaleoutText.split('\n')[idleAt].trim()}:`);
    p();
    for (const line of scaleoutText.split('\n').slice(idleAt + 1)) {
      const m = /^\s+(server \S+(?: \S+)*?|streams open)\s{2,}(.*)$/.exec(line);
      if (m) p(`- ${m[1]}: ${m[2]}`);
    }
    p();
  }
}

// Profiles.
if (wasm || r.profile) {
  p('## Profiles');
  p();
}
if (wasm) {
  p('### The wasm by origin');
  p();
  p('From a relink of the same objects with `--profiling-funcs` (tools/benchmarks/profile-build.sh), parsed by');
  p('tools/benchmarks/wasm-size.mjs. "brotli alone" compresses each group\'s function bodies on their own.');
  p();
  p('| section | bytes |');
  p('|---|---:|');
  for (const s of wasm.sections) p(`| ${s.name} | ${s.size} |`);
  p();
  p(`| origin | functions | code bytes | share | brotli alone |`);
  p('|---|---:|---:|---:|---:|');
  for (const g of wasm.groups) p(`| ${g.group} | ${g.functions} | ${g.size} | ${(100 * g.size / wasm.codeTotal).toFixed(1)} % | ${g.brotli} |`);
  p();
  p('Largest functions:');
  p();
  p('| bytes | function |');
  p('|---:|---|');
  for (const f of wasm.topFunctions.slice(0, 20)) p(`| ${f.size} | \`${f.name.slice(0, 120).replace(/\|/g, '\\|')}\` |`);
  p();
}
if (r.profile) {
  for (const [k, label] of [['paint200', 'One cold load of the 200-comment thread, navigation → first paint'],
    ['load10k', 'Loading the whole 10,000-comment thread']]) {
    const x = r.profile[k];
    if (!x) continue;
    p(`### CPU: ${label}`);
    p();
    p(`V8 sampling profiler (Chromium DevTools protocol), main thread, self time; ${round(x.busyMs)} ms busy. Same page, build with names.`);
    p();
    p('| self ms | share | function |');
    p('|---:|---:|---|');
    for (const f of x.top.slice(0, 12)) p(`| ${round(f.ms, 1)} | ${(100 * f.share).toFixed(1)} % | \`${f.name.slice(0, 120).replace(/\|/g, '\\|')}\` |`);
    p();
  }
}

if (r.profile) {
  for (const [k, label, file] of [['paintTrace', 'One cold load of the 200-comment thread', 'trace-first-paint.json'],
    ['scrollTrace', `Scrolling the 10,000-comment thread (${r.profile.scrollFrames?.frames ?? '?'} widget frames, widget frame cost median ${ms(r.profile.scrollFrames?.costMedian, 2)})`, 'trace-scroll-10000.json']]) {
    const threads = r.profile[k];
    if (!threads) continue;
    p(`### Trace: ${label}`);
    p();
    p(`Chromium trace (\`browser.startTracing\`, saved as build/bench/${file}: open it in DevTools → Performance), self time by event, the busiest threads:`);
    p();
    p('| thread | busy | largest events (self ms) |');
    p('|---|---:|---|');
    for (const t of threads)
      p(`| ${t.thread} | ${ms(t.busyMs)} | ${t.top.slice(0, 6).map((e) => `${e.name.replace(/\|/g, '\\|')} ${round(e.ms)}`).join('; ')} |`);
    p();
    const main = threads.find((t) => t.thread === 'CrRendererMain');
    if (main) {
      if (main.wasmMs >= 1) p(`Page main thread: ${ms(main.wasmMs)} in events named \`*wasm*\` (compiling and loading the module).`);
      if (main.gpuWaits?.length) {
        p('Page main thread waiting for the GPU process (`CommandBufferProxyImpl::WaitForGetOffset`), by what waited:');
        p();
        for (const w of main.gpuWaits) p(`- ${w.name}: ${ms(w.ms)}`);
      }
      p();
    }
  }
}

const serverProfile = existsSync(join(dir, 'server-profile.txt')) ? readFileSync(join(dir, 'server-profile.txt'), 'utf8').trim() : '';
if (serverProfile) {
  p('### Server: perf and strace under wrk');
  p();
  p('tools/benchmarks/server-profile.sh, on a copy of the benchmark database:');
  p();
  p('```');
  p(serverProfile);
  p('```');
  p();
}

p('## Budgets missed');
p();
if (misses.length) for (const m of misses) p(`- ${m}`);
else p('None.');
p();
const findings = join(root, 'tools', 'benchmarks', 'findings.md');
if (existsSync(findings)) {
  p(readFileSync(findings, 'utf8').trim());
  p();
}
process.stdout.write(out.join('\n'));
