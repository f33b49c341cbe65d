// The web application in a real browser against a real dissentd: the
// policy and headers of the page, enrollment of a member the CLI created
// (the recovery code shown once and checked by the protocol's rules here,
// the custody checked by the C client logging in with it), login with and
// without TOTP, the empty memo list, logout, a reload, and an
// accessibility audit of each screen.  Nothing may be requested from
// another origin.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { decode } from '../../app/b64.js';
import { equal } from '../../app/bytes.js';
import { recoveryKeys, recoveryParse, unwrapSeed } from '../../app/custody.js';
import { derive } from '../../app/keys.js';
import { PAGE_CSP, Server, axeViolations, launch, passwordOf, requireTools, snap, totpCode, withPage } from '../../testlib/browser.mjs';

let server;
let browser;
let failed = false;

before(async () => {
  requireTools();
  server = await new Server().start();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (failed) console.error(`--- dissentd log ---\n${server?.log()}\n--- kept ${server?.dir} ---`);
  await server?.stop(failed);
});

// A test that records its failure, so that the server's files are kept.
function it(name, body) {
  test(name, { timeout: 180_000 }, async () => {
    try {
      await body();
    } catch (e) {
      failed = true;
      throw e;
    }
  });
}

// Every URL requested must be of the server's origin.
function assertSameOrigin(requests) {
  const origin = new URL(server.url).origin;
  assert.ok(requests.length > 0);
  for (const u of requests) {
    assert.equal(new URL(u).origin, origin, `request to another origin: ${u}`);
  }
}

it('the page carries its strict policy and the security headers', async () => {
  await withPage(browser.context, 'page-headers', async (page, { requests, problems }) => {
    const res = await page.goto(`${server.url}/`);
    assert.equal(res.status(), 200);
    const hd = res.headers();
    assert.equal(hd['content-security-policy'], PAGE_CSP);
    assert.equal(hd['content-type'], 'text/html; charset=utf-8');
    assert.equal(hd['x-content-type-options'], 'nosniff');
    assert.equal(hd['x-frame-options'], 'DENY');
    assert.equal(hd['referrer-policy'], 'no-referrer');
    assert.equal(hd['cache-control'], 'no-store');
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    const js = await page.request.get(`${server.url}/app/app.js`);
    assert.equal(js.headers()['content-type'], 'text/javascript; charset=utf-8');
    assert.ok(js.headers().etag);
    const lib = await page.request.get(`${server.url}/vendor/libsodium-sumo.mjs`);
    assert.equal(lib.status(), 200);
    const hidden = await page.request.get(`${server.url}/app/../package.json`);
    assert.equal(hidden.status(), 404);
    assert.deepEqual(problems, []);
    assertSameOrigin(requests);
  });
});

it('a member created with the CLI enrolls, logs in, sees no memos and logs out', async () => {
  const code = server.createMember('alice', 'Alice Adams');
  await withPage(browser.context, 'enroll-login', async (page, { requests, problems }) => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    await snap(page, 'login');
    assert.doesNotMatch(await page.locator('main').innerText(), /\b(null|undefined|NaN)\b/);
    assert.deepEqual(await axeViolations(page), [], 'login screen');

    // Enrollment, by keyboard where a person would use it.
    await page.getByRole('link', { name: /Enroll with the code/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Enroll' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'enrollment code screen');
    await page.getByLabel('Enrollment code').fill('not-a-code');
    await page.keyboard.press('Enter');
    await page.getByText('This code is unknown or was already used').waitFor();
    await snap(page, 'enroll-error');
    await page.getByLabel('Enrollment code').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Choose a password' }).waitFor();
    await page.getByText('Alice Adams').waitFor();
    await snap(page, 'password');
    assert.deepEqual(await axeViolations(page), [], 'password screen');
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Repeat the new password').fill('short');
    await page.getByRole('button', { name: 'Enroll' }).click();
    await page.getByText('Use at least 10 characters.').waitFor();
    await page.getByLabel('New password', { exact: true }).fill(passwordOf('alice'));
    await page.getByLabel('Repeat the new password').fill(passwordOf('alice'));
    await page.getByRole('button', { name: 'Enroll' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your recovery code' }).waitFor({ timeout: 60_000 });
    const recovery = (await page.locator('#recovery-code').textContent()).trim();
    assert.match(recovery, /^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
    await snap(page, 'recovery');
    assert.deepEqual(await axeViolations(page), [], 'recovery screen');
    await page.getByRole('button', { name: 'Continue to log in' }).click();
    await page.getByText('Write the recovery code down first').waitFor();
    await page.getByLabel(/I have written down my recovery code/).check();
    await page.getByRole('button', { name: 'Continue to log in' }).click();

    // The recovery code, by the protocol's rules in this process, opens
    // the seed the server keeps, and that seed gives the published keys.
    const rk = recoveryKeys(recoveryParse(recovery));
    const fetched = await page.request.post(`${server.url}/api/v1/auth/recovery/fetch`, {
      data: { handle: 'alice', auth_key: Buffer.from(rk.authKey).toString('base64url') },
    });
    assert.equal(fetched.status(), 200);
    const f = await fetched.json();
    const seed = unwrapSeed(decode(f.recovery_wrapped_seed, 72), rk.wrapKey, f.member_id, 'recovery');
    const shown = JSON.parse(server.cli(['--json', 'member', 'show', 'alice']));
    const keys = (shown.member ?? shown).keys;
    assert.ok(equal(derive(seed).pub.signPk, decode(keys.sign_pk, 32)));
    assert.ok(equal(derive(seed).pub.ringPk, decode(keys.ring_pk, 32)));
    // And the C client logs in with the custody the browser made: it
    // unwraps the seed and finds the keys the server publishes.
    server.cli(['server', 'set', server.url], undefined, undefined, 'alice');
    server.loginCli('alice');

    // Login, with the handle filled in.
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    assert.equal(await page.getByLabel('Handle').inputValue(), 'alice');
    await page.getByLabel('Password').fill('wrong password here');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('The handle or password is wrong').waitFor({ timeout: 60_000 });
    await page.getByLabel('Password').fill(passwordOf('alice'));
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'My memos' }).waitFor({ timeout: 60_000 });
    await page.getByText('You have no memos yet.').waitFor();
    await page.getByText('Alice Adams (alice)').waitFor();
    assert.doesNotMatch(await page.locator('body').innerText(), /\b(null|undefined|NaN)\b/);
    await snap(page, 'memos');
    assert.deepEqual(await axeViolations(page), [], 'memos screen');
    const focused = await page.evaluate(() => document.activeElement?.tagName);
    assert.equal(focused, 'H1', 'each screen moves the focus to its heading');

    // Logout ends the server's session too.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByText('You are logged out.').waitFor();
    await snap(page, 'logged-out');
    const status = await page.evaluate(async () => (await fetch('/api/v1/auth/session')).status);
    assert.equal(status, 401);

    assert.deepEqual(problems.filter((p) => !/status of 40[14]/.test(p)), []);
    assertSameOrigin(requests);
  });
});

it('a member with TOTP on is asked for a code, and a wrong code says what to do', async () => {
  const code = server.createMember('bob', 'Bob Brown');
  const codeFile = `${server.dir}/bob.code`;
  writeFileSync(codeFile, code);
  server.enrollCli('bob', codeFile);
  server.loginCli('bob');
  const setup = JSON.parse(server.cli(['--json', 'totp', 'setup'], undefined, undefined, 'bob'));
  const secret = recoveryParse(setup.secret); // the same base32 as recovery codes
  const step = Math.floor(Date.now() / 1000 / 30);
  server.cli(['totp', 'enable', '--password-fd', '3', '--totp-fd', '4'], passwordOf('bob'), totpCode(secret, step), 'bob');

  await withPage(browser.context, 'totp-login', async (page, { requests }) => {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Handle').fill('bob');
    await page.getByLabel('Password').fill(passwordOf('bob'));
    await page.getByRole('button', { name: 'Log in' }).click();
    const totp = page.getByLabel('Authentication code');
    await totp.waitFor({ timeout: 60_000 });
    await page.getByText('Enter the 6-digit code from your authenticator app.').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('autocomplete')), 'one-time-code');
    await snap(page, 'totp');
    assert.deepEqual(await axeViolations(page), [], 'TOTP prompt');
    // The code just used to turn TOTP on is refused as a replay.
    await totp.fill(totpCode(secret, step));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('That code is wrong or was already used').waitFor({ timeout: 60_000 });
    await totp.fill(totpCode(secret, step + 1));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'My memos' }).waitFor({ timeout: 60_000 });
    await page.getByText('Bob Brown (bob)').waitFor();
    assertSameOrigin(requests);
  });
});

it('a reload forgets the keys and ends the session it cannot use', async () => {
  await withPage(browser.context, 'reload', async (page) => {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Handle').fill('alice');
    await page.getByLabel('Password').fill(passwordOf('alice'));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'My memos' }).waitFor({ timeout: 60_000 });
    await page.reload();
    await page.getByText('a reload logs you out').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/v1/auth/session')).status);
    assert.equal(status, 401);
    // The memo list needs a login again.
    await page.goto(`${server.url}/#/memos`);
    await page.getByText('Log in to see your memos.').waitFor();
  });
});
