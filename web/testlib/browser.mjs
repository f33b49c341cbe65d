// What the browser tests share: a real dissentd on a loopback port with a
// fresh instance, the real CLI for the administrator's work, and Debian's
// Chromium driven by playwright-core with a fresh profile.  A test that
// fails saves a screenshot to build/web-screenshots/ (or
// $DISSENT_SCREENSHOTS).
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = resolve(ROOT, process.env.DISSENT_BUILD ?? 'build');
export const DISSENTD = process.env.DISSENTD ?? join(BUILD, 'dissentd');
export const DISSENT = process.env.DISSENT ?? join(BUILD, 'dissent');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = process.env.DISSENT_SCREENSHOTS ?? join(ROOT, 'build', 'web-screenshots');

// The page's policy, exactly as src/server/routes_web.h sends it.
export const PAGE_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// The lowest Argon2id cost the server accepts (tests/integration/lib.sh).
const KDF_FLAGS = ['--kdf-ops', '2', '--kdf-mem', '19922944'];

// Fail at once, and clearly, if something the tests need is missing.
export function requireTools() {
  for (const [what, path, how] of [
    ['dissentd', DISSENTD, 'build it first (make build), or set DISSENTD'],
    ['dissent', DISSENT, 'build it first (make build), or set DISSENT'],
    ['Chromium', CHROMIUM, 'install Debian\'s "chromium" package (scripts/install-deps), or set CHROMIUM'],
  ]) {
    try {
      accessSync(path, constants.X_OK);
      if (!statSync(path).isFile()) throw new Error('not a file');
    } catch {
      throw new Error(`${what} not found at ${path}: ${how}`);
    }
  }
  if (!existsSync(join(ROOT, 'web', 'vendor', 'libsodium-wrappers.mjs'))) {
    throw new Error('web/vendor/ is missing: run "npm ci && npm run vendor" in web/ (make web does both)');
  }
}

// A password for `handle` in these tests.
export function passwordOf(handle) {
  return `correct horse ${handle} battery`;
}

// A dissentd instance: init, start, and the administrator enrolled and
// logged in with the CLI.
export class Server {
  async start() {
    this.dir = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), 'dissent-web-'));
    this.data = join(this.dir, 'data');
    execFileSync(DISSENTD, [
      'init', '--data-dir', this.data, '--channel-org', 'state',
      '--channel-org-name', 'Department of State', '--admin-handle', 'admin',
      '--admin-name', 'Test Admin', '--instance-name', 'dissent web test',
      '--code-file', join(this.dir, 'admin.code'),
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    const portFile = join(this.dir, 'port');
    this.logFile = join(this.dir, 'dissentd.log');
    writeFileSync(this.logFile, '');
    const log = openSync(this.logFile, 'a');
    this.proc = spawn(DISSENTD, [
      '--data-dir', this.data, '--listen', '127.0.0.1', '--port', '0',
      '--port-file', portFile, '--set', `web_dir=${join(ROOT, 'web')}`,
    ], { stdio: ['ignore', log, log] });
    closeSync(log);
    this.exited = false;
    this.proc.on('exit', () => { this.exited = true; });
    for (let i = 0; i < 200 && !existsSync(portFile); i++) {
      if (this.exited) throw new Error(`dissentd exited at start:\n${this.log()}`);
      await sleep(50);
    }
    if (!existsSync(portFile)) throw new Error('dissentd did not write its port');
    this.url = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
    this.enrollCli('admin', join(this.dir, 'admin.code'));
    this.loginCli('admin');
    return this;
  }

  // Log `handle` in with the CLI.
  loginCli(handle) {
    this.cli(['login', '--handle', handle, '--password-fd', '3'], passwordOf(handle), undefined, handle);
  }

  // Run the CLI as `who` (its own home directory); `fd3` and `fd4` are
  // written to descriptors 3 and 4.
  cli(args, fd3, fd4, who = 'admin') {
    const home = join(this.dir, `home-${who}`);
    mkdirSync(home, { recursive: true, mode: 0o700 });
    const script = '"$DISSENT" --server "$URL" "$@" 3<<<"$FD3" 4<<<"$FD4"';
    return execFileSync('bash', ['-c', script, 'dissent', ...args], {
      env: { ...process.env, DISSENT, URL: this.url, DISSENT_HOME: home, FD3: fd3 ?? '', FD4: fd4 ?? '' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  // Enroll `handle` with the CLI and the code in `codeFile`.
  enrollCli(handle, codeFile) {
    this.cli(['server', 'set', this.url], undefined, undefined, handle);
    this.cli(['enroll', '--code-fd', '3', '--password-fd', '4', ...KDF_FLAGS,
      '--recovery-code-file', join(this.dir, `${handle}.recovery`)],
    readFileSync(codeFile, 'utf8').trim(), passwordOf(handle), handle);
  }

  // Create a pending member with the CLI; returns the enrollment code.
  createMember(handle, name, roles = 'member', org = 'state') {
    const codeFile = join(this.dir, `${handle}.code`);
    this.cli(['member', 'create', '--handle', handle, '--name', name, '--org', org, '--roles', roles, '--code-file', codeFile]);
    return readFileSync(codeFile, 'utf8').trim();
  }

  log() {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-40).join('\n');
    } catch {
      return '';
    }
  }

  async stop(keep) {
    if (this.proc && !this.exited) {
      this.proc.kill('SIGTERM');
      for (let i = 0; i < 100 && !this.exited; i++) await sleep(50);
    }
    if (this.dir && !keep) rmSync(this.dir, { recursive: true, force: true });
  }
}

// The 6-digit TOTP code (RFC 6238: HMAC-SHA1, 30-second steps) of the
// 20-byte `secret` at `step`.
export function totpCode(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', Buffer.from(secret)).update(msg).digest();
  const off = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// Chromium with a fresh profile, as the machine's closed network needs:
// no background networking, sync, component updates or GPU.
export async function launch() {
  const profile = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), 'dissent-chromium-'));
  const args = [
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-sync',
    '--disable-component-update',
    '--disable-quic',
    '--no-first-run',
    '--disable-default-apps',
    '--disable-extensions',
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args,
      viewport: { width: 390, height: 844 }, // phone width
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Run `body(page)` on a new page of `context`, collecting every request's
// URL and every console error; on failure save a screenshot named `name`.
export async function withPage(context, name, body) {
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  try {
    await body(page, { requests, problems });
  } catch (e) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const file = join(SCREENSHOTS, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
    try {
      await page.screenshot({ path: file, fullPage: true });
      e.message += `\n(screenshot: ${file})`;
    } catch {
      // The page may be gone; the error says enough.
    }
    throw e;
  } finally {
    await page.close();
  }
}

// With DISSENT_WEB_SHOTS=1, save a screenshot of the page as `name`.png
// in the screenshots directory (to look at the screens; off by default).
export async function snap(page, name) {
  if (process.env.DISSENT_WEB_SHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `step-${name}.png`), fullPage: true });
}

// Run axe-core in the page (through the DevTools protocol, which the
// page's CSP does not govern) and return its violations of WCAG 2.1 A/AA.
export async function axeViolations(page) {
  const source = readFileSync(join(ROOT, 'web', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  // A string is evaluated by the protocol itself, outside the page's CSP.
  await page.evaluate(source);
  return page.evaluate(async () => {
    const r = await globalThis.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
  });
}
