// « Mes données » in the widget: a reader asks for a copy or the erasure of their
// comments, by keyboard, and the e-mail reaches a real SMTP server (Debian's
// python3-aiosmtpd, started here); the link it carries works. Without e-mail, the
// form says to ask the site's owner.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, freePort, postComments } from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const DEMO = '/demo/chine-russie/';

// aiosmtpd on a free loopback port; each message, decoded by Python's email
// package, becomes mail-N.json: {to, subject, body}.
const SINK = `
import email, json, os, signal, sys
from email import policy
from aiosmtpd.controller import Controller
port, out = int(sys.argv[1]), sys.argv[2]
class Sink:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        Sink.count += 1
        path = os.path.join(out, "mail-%d.json" % Sink.count)
        with open(path + ".tmp", "w") as f:
            json.dump({"to": envelope.rcpt_tos, "subject": str(msg["subject"]), "body": msg.get_content()}, f)
        os.rename(path + ".tmp", path)
        return "250 OK"
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
open(os.path.join(out, "ready"), "w").close()
signal.sigwait({signal.SIGTERM, signal.SIGINT})
controller.stop()
`;

async function startSmtpSink() {
  const dir = mkdtempSync(join(tmpdir(), 'causerie-smtp-'));
  const port = await freePort();
  writeFileSync(join(dir, 'sink.py'), SINK);
  const child = spawn('/usr/bin/python3', [join(dir, 'sink.py'), String(port), dir], { stdio: 'ignore' });
  const ready = join(dir, 'ready');
  for (let i = 0; i < 500 && !existsSync(ready); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(existsSync(ready), 'the SMTP sink did not start');
  return {
    url: `smtp://127.0.0.1:${port}`,
    async mail(n) {  // the n-th message received (1-based), waited for
      const path = join(dir, `mail-${n}.json`);
      for (let i = 0; i < 500 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(existsSync(path), `no e-mail number ${n} arrived`);
      return JSON.parse(readFileSync(path, 'utf8'));
    },
    count: () => [1, 2, 3, 4, 5].filter((n) => existsSync(join(dir, `mail-${n}.json`))).length,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openDemo(url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(url + DEMO);
  await page.waitForSelector('#causerie[data-state="ready"]');
  return { context, page, errors };
}

const status = (page) => page.locator('.causerie-status').textContent();

test('« Mes données »: by keyboard, the address, a copy, then the erasure; each e-mail arrives with its link', async () => {
  const smtp = await startSmtpSink();
  const server = await startServer(['--moderation', 'open', '--smtp-url', smtp.url,
    '--mail-from', 'commentaires@example.org', '--public-url', 'https://comments.example.org']);
  try {
    await postComments(server.url, '/demo/chine-russie', // Zoe's address is zoe@example.org.
      [{ parent: null, name: 'Zoe', body: 'Un seul commentaire.' }]);
    const { context, page, errors } = await openDemo(server.url);
    // Under the form, where a reader looks for it: a real button, reached with Tab.
    const open = page.getByRole('button', { name: 'Mes données' });
    await page.getByRole('button', { name: 'Aperçu' }).focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Mes données');
    const formBox = await page.getByLabel('Commentaire *').boundingBox();
    const openBox = await open.boundingBox();
    assert.ok(openBox.y > formBox.y + formBox.height, 'the control is under the form');
    await page.keyboard.press('Enter');
    // The form asks for the address only, and focuses it.
    await page.waitForFunction(() => document.activeElement?.name === 'email');
    assert.equal(await page.getByLabel('Commentaire *').isVisible(), false);
    assert.equal(await page.getByLabel('Nom *').isVisible(), false);
    const copy = page.getByRole('button', { name: 'Recevoir une copie' });
    const erase = page.getByRole('button', { name: 'Effacer mes commentaires' });
    assert.ok(await copy.isVisible());
    assert.ok(await erase.isVisible());

    // A wrong address is said so, and nothing is sent.
    await page.keyboard.type('pas-une-adresse');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('input[name=email]').getAttribute('aria-invalid') === 'true');
    await page.getByLabel('E-mail *').fill('zoe@example.org');
    await page.keyboard.press('Enter');  // the submit button: a copy
    await page.waitForFunction(() => document.querySelector('.causerie-status').textContent.startsWith('Si des commentaires existent'));
    const first = await smtp.mail(1);
    assert.deepEqual(first.to, ['zoe@example.org']);
    assert.equal(first.subject, 'Une copie de vos commentaires');
    assert.match(first.body, /une copie de 1 commentaire de l’adresse zoe@example\.org\./);
    // The link works: its page offers the download.
    const link = first.body.match(/https:\/\/comments\.example\.org(\/api\/v1\/my-data\/link\?\S*t=\S+)/);
    assert.ok(link, first.body);
    const linkPage = await (await fetch(server.url + link[1])).text();
    assert.match(linkPage, /Télécharger la copie/);

    // The erasure, with the second button.
    await erase.click();
    await page.waitForFunction(() => document.querySelector('.causerie-status').textContent.startsWith('Si des commentaires existent'));
    const second = await smtp.mail(2);
    assert.equal(second.subject, 'L’effacement de vos commentaires');
    assert.match(second.body, /l’effacement de 1 commentaire de l’adresse zoe@example\.org\./);

    // Escape gives the comment form back.
    await page.getByLabel('E-mail *').focus();
    await page.keyboard.press('Escape');
    await page.getByLabel('Commentaire *').waitFor({ state: 'visible' });
    assert.ok(await open.isVisible());
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await server.stop();
    await smtp.stop();
  }
});

test('« Mes données » on a server that sends no e-mail: the form says to ask the site’s owner', async () => {
  const server = await startServer();
  try {
    const { context, page } = await openDemo(server.url);
    await page.getByRole('button', { name: 'Mes données' }).click();
    await page.waitForFunction(() => document.activeElement?.name === 'email');
    await page.keyboard.type('zoe@example.org');
    await page.getByRole('button', { name: 'Recevoir une copie' }).click();
    await page.waitForFunction(() => document.querySelector('.causerie-status').textContent.length > 0);
    assert.match(await status(page), /écrivez au responsable du site/);
    // The same message describes the button, for screen readers.
    const described = await page.evaluate(() => {
      const b = document.querySelector('button[name=submit]');
      return document.getElementById(b.getAttribute('aria-describedby') || '')?.textContent;
    });
    assert.match(described, /écrivez au responsable du site/);
    await context.close();
  } finally {
    await server.stop();
  }
});
