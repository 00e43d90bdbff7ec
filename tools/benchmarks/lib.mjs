// Shared pieces of the benchmark scripts: a server on a benchmark database and a
// static folder of its own, Chromium, statistics and small helpers.
// playwright-core comes from tests/browser/node_modules, through tests/browser/harness.mjs.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, launchBrowser } from '../../tests/browser/harness.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export { launchBrowser };

export function env(name, fallback) {
  const v = process.env[name];
  if (v) return v;
  if (fallback !== undefined) return fallback;
  throw new Error(`${name} is not set (run through tools/bench)`);
}

export const log = (...a) => console.error('[bench]', ...a);

// A copy of the widget's build output plus one article page per benchmark thread,
// so that every page is served by the real server as a plain static file (routing
// pages through the browser would put node on the path of every request).
export function makeStaticDir(dir, webDir, threads) {
  mkdirSync(dir, { recursive: true });
  // Timestamps kept: the server sends NAME.br / NAME.gz only when not older than NAME.
  cpSync(webDir, dir, { recursive: true, preserveTimestamps: true });
  for (const t of threads) {
    const pageDir = join(dir, t.key.replace(/^\//, ''));
    mkdirSync(pageDir, { recursive: true });
    writeFileSync(join(pageDir, 'index.html'), articlePage(t));
  }
  return dir;
}

function articlePage({ key, title }) {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/demo/demo.css">
</head>
<body>
<header class="site"><a href="/">Le Quotidien de la démo</a></header>
<main>
<article>
<h1>${title}</h1>
<p>Un article de banc d’essai : le fil de commentaires ci-dessous est généré.</p>
</article>
<div id="causerie"></div>
<script async src="/causerie.js" data-api="/api/v1" data-thread="${key}" data-lang="fr"></script>
</main>
</body>
</html>
`;
}

// Starts causerie-server; resolves to {url, stop()}.
export async function startServer({ bin, db, staticDir, args = [] }) {
  const port = await freePort();
  const child = spawn(bin, ['--listen', `127.0.0.1:${port}`, '--db', `sqlite:${db}`, '--static', staticDir,
    '--moderation', 'open', '--rate-post', '0', '--rate-read', '0', '--no-access-log', ...args],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`causerie-server exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(url + '/healthz')).ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error('causerie-server did not start: ' + stderr); }
    await sleep(50);
  }
  return {
    url, pid: child.pid,
    peakRssKb: () => {
      try {
        return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]);
      } catch { return null; }
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    },
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function quantile(sorted, q) {
  if (!sorted.length) return null;
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i), hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

// {n, median, min, max, p10, p90}
export function summary(values) {
  const v = values.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  return {
    n: v.length, median: quantile(v, 0.5), min: v[0] ?? null, max: v[v.length - 1] ?? null,
    p10: quantile(v, 0.1), p90: quantile(v, 0.9),
  };
}

export const round = (x, d = 1) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);

// Measures how the page spends its animation frames, without touching the widget:
// every requestAnimationFrame callback the page registers (all of them are the
// widget's) is timed. The benchmark's own frame waits use the original function.
export const frameProbe = `(() => {
  const raf = window.requestAnimationFrame.bind(window);
  window.__benchRaf = raf;
  window.__frameCosts = [];
  // With __syncGpu set, each frame also waits for the GPU process (SwiftShader) to
  // finish it: the frame's whole cost up to pixels, not only its JS and wasm.
  window.__syncGpu = false;
  let gl = null;
  window.requestAnimationFrame = (cb) => raf((t) => {
    const s = performance.now();
    try {
      cb(t);
      if (window.__syncGpu) {
        gl = gl || document.querySelector('#causerie canvas')?.getContext('webgl2');
        if (gl) gl.finish();
      }
    } finally { window.__frameCosts.push(performance.now() - s); }
  });
})();`;

export function chromiumVersion() {
  try {
    return execFileSync(env('CHROMIUM', '/usr/bin/chromium'), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch { return 'unknown'; }
}

export function readJson(path, fallback = null) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : fallback;
}
