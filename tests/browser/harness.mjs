// Shared set-up of the browser tests: a real causerie-server on a free loopback
// port (temporary SQLite file, the wasm build as static files) and Debian's headless
// Chromium through playwright-core.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run the browser tests through ctest)`);
  return v;
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url, child, ms = 10000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`causerie-server exited with ${child.exitCode}`);
    try {
      const r = await fetch(url + '/healthz');
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('causerie-server did not become healthy');
}

// Starts causerie-server; extraArgs go on its command line. Returns {url, stop()}.
export async function startServer(extraArgs = [], { seedDemo = true, db = null } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'causerie-browser-'));
  const port = await freePort();
  const args = ['--listen', `127.0.0.1:${port}`, '--static', env('CAUSERIE_WEB_DIR'),
    '--db', db || `sqlite:${join(dir, 'causerie.db')}`, ...(seedDemo ? ['--seed-demo'] : []), ...extraArgs];
  let log = '';
  let child;
  const url = `http://127.0.0.1:${port}`;
  async function launch() {
    child = spawn(env('CAUSERIE_SERVER_BIN'), args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d) => { log += d; });
    try {
      await waitHealthy(url, child);
    } catch (e) {
      child.kill('SIGKILL');
      throw new Error(`${e.message}\n${log}`);
    }
  }
  async function halt() {
    if (child.exitCode === null && child.signalCode === null) {  // not yet exited (or killed)
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
  await launch();
  return {
    url, dir,
    get child() { return child; },
    log: () => log,
    halt,                        // stop the process, keep its database
    start: launch,               // start it again on the same port and database
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Chromium flags that work as root, headless, offline, with WebGL2 on SwiftShader.
export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
];

export async function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [...chromiumArgs, ...extraArgs],
  });
}

// Opens `path` in a fresh context and waits for the widget's container to be ready.
export async function openWidget(browser, url, { viewport = { width: 1280, height: 800 }, ...ctx } = {}) {
  const context = await browser.newContext({ viewport, ...ctx });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(new Error(m.text())); });
  await page.goto(url);
  await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
  return { context, page, errors };
}

// Pixel statistics of the widget's canvas from a real screenshot (what a reader sees).
export async function canvasPixels(page, selector = '#causerie canvas') {
  return pngPixels(page, await page.locator(selector).first().screenshot());
}

// Pixel statistics of a PNG screenshot: distinct colours, dark pixels (text), and
// link-coloured pixels (blue clearly above red: the accent colour, anti-aliased).
export function pngPixels(page, png) {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = new OffscreenCanvas(img.width, img.height);
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, img.width, img.height).data;
    const colours = new Set();
    let dark = 0, link = 0;
    for (let i = 0; i < d.length; i += 4) {
      colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      if (d[i] + d[i + 1] + d[i + 2] < 300) dark++;
      if (d[i + 2] > 120 && d[i] < 110 && d[i + 2] - d[i] > 60) link++;
    }
    return { width: img.width, height: img.height, colours: colours.size, dark, link };
  }, png.toString('base64'));
}

// Serves `html` at `${url}${path}` through the browser (same origin as the server,
// so the loader, the wasm and the API are the real server's).
export async function routePage(context, url, path, html) {
  await context.route(url + path, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
}

export function articlePage({ thread, lang = 'fr', title = 'Article de test', extraBody = '', script = true }) {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>${title}</title></head><body style="margin:0;font:18px/1.6 serif">
<main style="max-width:760px;margin:0 auto;padding:24px"><h1>${title}</h1>
<p style="height:900px">Texte de l’article.</p>${extraBody}
<div id="causerie"></div>
${script ? `<script async src="/causerie.js" data-api="/api/v1" data-thread="${thread}" data-lang="${lang}"></script>` : ''}
</main></body></html>`;
}

// Posts comments through the real API (the server must run with --rate-post 0 and
// --moderation open). specs: [{parent: index into specs or null, name, body}].
// Returns the created ids, in order.
export async function postComments(url, thread, specs, concurrency = 8) {
  const ids = new Array(specs.length);
  const endpoint = `${url}/api/v1/threads/${encodeURIComponent(thread)}/comments`;
  let next = 0;
  async function worker() {
    while (next < specs.length) {
      const i = next++;
      const s = specs[i];
      if (s.parent != null) while (ids[s.parent] === undefined) await new Promise((r) => setTimeout(r, 5));
      const r = await fetch(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          parent_id: s.parent == null ? null : ids[s.parent],
          author: { name: s.name, email: `${s.name.replace(/\W/g, '').toLowerCase() || 'x'}@example.org` },
          body: s.body,
        }),
      });
      if (r.status !== 201) throw new Error(`post ${i}: HTTP ${r.status} ${await r.text()}`);
      ids[i] = (await r.json()).comment.id;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

// Waits until the page has drawn two more frames: the widget has seen the input.
export function nextFrames(page) {
  return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

// A PostgreSQL server of the test's own: Debian's binaries, a temporary data folder,
// loopback only, no fsync (PostgreSQL's durability is not under test). As root,
// initdb and the server run as the postgres user, as they refuse root.
export async function startPostgres() {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : [];
  const bin = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).filter((b) => existsSync(b + '/initdb')).sort().pop();
  if (!bin) throw new Error('no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (tools/setup installs them)');
  const dir = mkdtempSync(join(tmpdir(), 'causerie-pg-'));
  const root = process.getuid() === 0;
  const run = (cmd, args) => execFileSync(root ? '/usr/sbin/runuser' : cmd, root ? ['-u', 'postgres', '--', cmd, ...args] : args,
    { stdio: 'pipe' });
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  run(bin + '/initdb', ['-D', dir + '/data', '-U', 'causerie', '--auth=trust', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  run(bin + '/pg_ctl', ['-D', dir + '/data', '-l', dir + '/postgres.log', '-w', '-t', '30', '-o',
    `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgresql://causerie@127.0.0.1:${port}/postgres`,
    stop() {
      try { run(bin + '/pg_ctl', ['-D', dir + '/data', '-m', 'immediate', 'stop']); } catch { /* already gone */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A load balancer as simple as they come: each TCP connection goes to the first
// backend that accepts it, so when that process dies, new connections (a browser
// reconnecting its event stream) reach the next one.
export async function startBalancer(backendPorts) {
  const sockets = new Set();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.pause();
    const tryBackend = (i) => {
      if (i >= backendPorts.length) return client.destroy();
      const upstream = connect(backendPorts[i], '127.0.0.1');
      upstream.once('error', () => { if (!upstream.connectedOnce) tryBackend(i + 1); else client.destroy(); });
      upstream.once('connect', () => {
        upstream.connectedOnce = true;
        sockets.add(upstream);
        upstream.on('close', () => { sockets.delete(upstream); client.destroy(); });
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    tryBackend(0);
  });
  const port = await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}
