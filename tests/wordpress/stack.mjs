// A real WordPress for the tests, from Debian's packages, in a temporary folder:
// a private MariaDB (Unix socket only, no TCP), WordPress's files with a generated
// wp-config.php, PHP's built-in server on a free loopback port, the Causerie plugin
// of docs/wordpress/ with the wasm build as its widget/ folder, and the fixture of
// setup.php. Everything it starts dies with it, however the test ends.
//
//   const wp = await startWordPress();   // {url, postId, link, comments, stop()}
//
// Standalone, to look at it in a browser: node tests/wordpress/stack.mjs (Ctrl-C stops).
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const sourceDir = process.env.CAUSERIE_SOURCE_DIR || join(here, '..', '..');
const wordpressDir = process.env.WORDPRESS_DIR || '/usr/share/wordpress';

function freePort() {
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

function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 60000, maxBuffer: 16 << 20, ...options }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

async function until(what, check, ms) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up in ${ms} ms${last ? ': ' + last.message : ''}`);
}

// Starts `cmd` in a session of its own behind a shell that holds the read end of a
// pipe whose other end is ours: when we close it (stop) or die (even by SIGKILL),
// the shell kills the command's whole process group (PHP's server forks workers
// that outlive their parent) and waits for it. The shell ignores the signals a
// terminal or `timeout` sends to our process group, so it always gets to clean up.
function spawnGuarded(cmd, args, { env, logFile } = {}) {
  const script = 'setsid "$@" >>"$LOG" 2>&1 & pid=$!\n' +
    "trap '' INT TERM HUP QUIT\n" +
    'cat >/dev/null\n' +
    'kill -TERM -"$pid" 2>/dev/null\n' +
    // Up to 15 s to shut down (until it is a zombie), then whatever is left is killed.
    'i=0\n' +
    'while [ $i -lt 150 ] && ! grep -qs "^[0-9]* ([^)]*) Z" /proc/$pid/stat && [ -e /proc/$pid ]; do sleep 0.1; i=$((i+1)); done\n' +
    'kill -KILL -"$pid" 2>/dev/null\n' +
    'wait "$pid"\n';
  const child = spawn('/bin/sh', ['-c', script, 'guard', cmd, ...args], {
    stdio: ['pipe', 'ignore', 'ignore'],
    env: { ...process.env, ...env, LOG: logFile },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

const php = (s) => "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";

export async function startWordPress({ webDir = process.env.CAUSERIE_WEB_DIR } = {}) {
  if (!webDir) throw new Error('CAUSERIE_WEB_DIR is not set (the wasm build\'s web folder)');
  for (const f of ['causerie.js', 'causerie-widget.js', 'causerie-widget.wasm'])
    statSync(join(webDir, f));   // throws with the path when the wasm build is missing
  statSync(join(wordpressDir, 'wp-settings.php'));

  const dir = mkdtempSync(join(tmpdir(), 'causerie-wp-'));
  const started = [];
  const stop = async () => {
    for (const p of started.reverse()) await p.stop();
    started.length = 0;
    rmSync(dir, { recursive: true, force: true });
  };
  const logs = () => ['mariadb.log', 'php.log'].map((f) => {
    try { return `--- ${f}\n` + readFileSync(join(dir, f), 'utf8').slice(-4000); } catch { return ''; }
  }).join('\n');

  try {
    // MariaDB: its own data folder and socket; root without password on the socket.
    const socket = join(dir, 'mysqld.sock');
    const asRoot = process.getuid && process.getuid() === 0;
    const user = asRoot ? ['--user=root'] : [];
    await run('mariadb-install-db', ['--no-defaults', `--datadir=${join(dir, 'db')}`, ...user,
      '--auth-root-authentication-method=normal', '--skip-test-db']);
    started.push(spawnGuarded('mariadbd', ['--no-defaults', `--datadir=${join(dir, 'db')}`, `--socket=${socket}`,
      '--skip-networking', `--pid-file=${join(dir, 'mysqld.pid')}`, ...user, '--skip-log-bin',
      '--innodb-buffer-pool-size=32M', '--innodb-flush-log-at-trx-commit=0'],
      { logFile: join(dir, 'mariadb.log') }));
    const client = ['--no-defaults', `--socket=${socket}`, '-uroot'];
    await until('MariaDB', () => run('mariadb', [...client, '-e', 'SELECT 1'], { timeout: 5000 }).then(() => true), 30000);
    await run('mariadb', [...client, '-e', 'CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci']);

    // WordPress: the top-level PHP files copied (ABSPATH is the folder of wp-load.php,
    // and Debian's wp-config.php reads /etc/wordpress), the code folders linked.
    const root = join(dir, 'wordpress');
    mkdirSync(root);
    for (const entry of readdirSync(wordpressDir)) {
      if (entry === 'wp-config.php' || entry === 'wp-content') continue;
      const from = join(wordpressDir, entry);
      if (statSync(from).isDirectory()) symlinkSync(from, join(root, entry));
      else copyFileSync(from, join(root, entry));
    }
    const content = join(root, 'wp-content');
    mkdirSync(join(content, 'themes'), { recursive: true });
    mkdirSync(join(content, 'plugins'), { recursive: true });
    mkdirSync(join(content, 'uploads'), { recursive: true });
    cpSync(join(here, 'theme'), join(content, 'themes', 'causerie-test'), { recursive: true });
    cpSync(join(here, 'mu-plugins'), join(content, 'mu-plugins'), { recursive: true });
    const plugin = join(content, 'plugins', 'causerie-comments');
    cpSync(join(sourceDir, 'docs', 'wordpress', 'causerie-comments'), plugin, { recursive: true });
    symlinkSync(webDir, join(plugin, 'widget'));

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const salt = () => php(randomBytes(32).toString('hex'));
    writeFileSync(join(root, 'wp-config.php'), `<?php
// Generated by tests/wordpress/stack.mjs for one test run.
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', ${php('localhost:' + socket)} );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
${['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT']
  .map((k) => `define( '${k}', ${salt()} );`).join('\n')}
$table_prefix = 'wp_';
// A French site without French language files: WordPress only accepts the
// WPLANG option for languages it has, or the one named here.
define( 'WPLANG', 'fr_FR' );
define( 'WP_HOME', ${php(url)} );
define( 'WP_SITEURL', ${php(url)} );
// Offline and quiet: no cron loopback requests, no update checks, no outgoing HTTP.
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_DISPLAY', false );
define( 'WP_DEBUG_LOG', ${php(join(dir, 'debug.log'))} );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
`);
    const fixture = JSON.parse(await run('php', [join(here, 'setup.php'), root], { cwd: root }));

    started.push(spawnGuarded('php', ['-S', `127.0.0.1:${port}`, '-t', root, join(here, 'router.php')],
      { env: { PHP_CLI_SERVER_WORKERS: '4' }, logFile: join(dir, 'php.log') }));
    await until('WordPress', async () => (await fetch(`${url}/wp-json/`)).ok, 20000);

    return {
      url, dir, root, api: `${url}/wp-json`, uploads: join(content, 'uploads'),
      // Rows of a query on WordPress's database, as arrays of strings.
      async sql(query) {
        const out = await run('mariadb', [...client, '-N', '-B', 'wordpress', '-e', query]);
        return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
      },
      postId: fixture.post_id, link: fixture.link, comments: fixture.comments,
      logs, stop,
      debugLog: () => { try { return readFileSync(join(dir, 'debug.log'), 'utf8'); } catch { return ''; } },
    };
  } catch (e) {
    const detail = logs();
    await stop();
    e.message += '\n' + detail;
    throw e;
  }
}

// Standalone: bring it up and wait for Ctrl-C.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const wp = await startWordPress({ webDir: process.env.CAUSERIE_WEB_DIR || join(sourceDir, 'build', 'wasm', 'web') });
  console.log(`WordPress at ${wp.url}, the post: ${wp.link} (Ctrl-C stops)`);
  const quit = async () => { await wp.stop(); process.exit(0); };
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
}
