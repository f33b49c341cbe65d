// The memo view's "Verify every signature" (the browser's `dissent memo
// verify`): all verified after an anonymous and a named signature, and a
// failure named once a stored anonymous signature is tampered with in the
// database; loading the downloaded anonymous signature after a reload to
// withdraw it; and a 200 KiB body sent and read back through the page's
// modules.  Checks the page's policy header, that nothing is requested
// from another origin, that no error is logged, and axe-core's WCAG 2.1
// A/AA rules.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { PAGE_CSP, Server, axeViolations, launch, passwordOf, requireTools, withPage } from '../../testlib/browser.mjs';

let server;
let browser;
let failed = false;

function member(handle, name, roles = 'member') {
  const code = server.createMember(handle, name, roles);
  const file = join(server.dir, `${handle}.code`);
  writeFileSync(file, code);
  server.enrollCli(handle, file);
  server.loginCli(handle);
}

before(async () => {
  requireTools();
  server = await new Server().start();
  browser = await launch();
  member('alice', 'Alice Adams');
  member('bob', 'Bob Brown');
  member('carol', 'Carol Cole');
});

after(async () => {
  await browser?.close();
  if (failed) console.error(`--- dissentd log ---\n${server?.log()}\n--- kept ${server?.dir} ---`);
  await server?.stop(failed);
});

function newMemo(title) {
  const body = join(server.dir, 'body.md');
  writeFileSync(body, 'The policy should change.\n');
  const id = server.cli(['memo', 'new', '--title', title, '--topic', 'policy', '--marking', 'SBU', '--body-file', body], undefined, undefined, 'alice').trim();
  server.cli(['memo', 'open', id], undefined, undefined, 'alice');
  server.cli(['memo', 'invite', id, 'bob'], undefined, undefined, 'alice');
  return id;
}

async function login(page, handle) {
  const res = await page.goto(`${server.url}/`);
  assert.equal(res.headers()['content-security-policy'], PAGE_CSP);
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Password').fill(passwordOf(handle));
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: 'My memos' }).waitFor({ timeout: 60_000 });
}

async function logout(page) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.locator('main').getByText('You are logged out.').waitFor();
}

async function openMemo(page, id, title) {
  await page.evaluate((p) => {
    location.hash = p;
  }, `/memo/${id}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

async function signAnonymously(page) {
  const p = page.getByRole('region', { name: 'Sign anonymously', exact: true });
  await p.getByRole('button', { name: 'Check the eligible set' }).click();
  await p.getByRole('button', { name: /^Sign version 1 anonymously, as one of \d+ members$/ }).click({ timeout: 60_000 });
  await page.getByText(/You signed version 1 anonymously/).waitFor({ timeout: 60_000 });
}

async function verdict(page) {
  const panel = page.getByRole('region', { name: 'Verify the signatures', exact: true });
  const status = panel.getByRole('status', { name: 'Verification of the signatures' });
  await panel.getByRole('button', { name: 'Verify every signature' }).click();
  await panel.locator('[role="status"][data-state="done"]').waitFor({ timeout: 60_000 });
  return status.textContent();
}

function sameOrigin(requests) {
  const origin = new URL(server.url).origin;
  for (const u of requests) {
    const o = new URL(u);
    assert.equal(o.protocol === 'blob:' ? new URL(o.pathname).origin : o.origin, origin, `request to another origin: ${u}`);
  }
}

function sql(q) {
  return execFileSync('sqlite3', [join(server.data, 'dissent.db'), q], { encoding: 'utf8' }).trim();
}

test('every signature verifies in the browser; a tampered anonymous signature is reported', { timeout: 240_000 }, async () => {
  try {
    const id = newMemo('Verified dissent');
    server.cli(['memo', 'sign', id, '--yes'], undefined, undefined, 'alice');
    await withPage(browser.context, 'verify-signatures', async (page, { requests, problems }) => {
      page.setDefaultTimeout(30_000);
      await login(page, 'bob');
      await openMemo(page, id, 'Verified dissent');
      await signAnonymously(page);
      // Bob may not see the names: the anonymous one verifies, the named one is only counted.
      assert.equal(await verdict(page), '1 anonymous signatures verified; the 1 named signatures are not shown to you, so this browser cannot verify them.');
      await logout(page);

      await login(page, 'alice');
      await openMemo(page, id, 'Verified dissent');
      assert.equal(await verdict(page), '1 anonymous and 1 named signatures verified.');
      assert.deepEqual(await axeViolations(page), [], 'verify, all verified');

      // Change one byte of the stored ring signature's c_0.
      const hex = sql(`SELECT hex(signature) FROM memo_anon_signatures WHERE memo_id = '${id}'`);
      assert.match(hex, /^[0-9A-F]+$/);
      const first = hex.slice(0, 2) === '00' ? '01' : '00';
      sql(`UPDATE memo_anon_signatures SET signature = X'${first}${hex.slice(2)}' WHERE memo_id = '${id}'`);
      assert.equal(await verdict(page), 'Verification failed: anonymous signature 1 (on version 1) does not verify.');
      assert.deepEqual(await axeViolations(page), [], 'verify, failed');
      sameOrigin(requests);
      assert.deepEqual(problems, []);
    });
  } catch (e) {
    failed = true;
    throw e;
  }
});

test('after a reload the downloaded anonymous signature is loaded and withdrawn', { timeout: 240_000 }, async () => {
  try {
    const id = newMemo('Reloaded dissent');
    await withPage(browser.context, 'load-saved-signature', async (page, { requests, problems }) => {
      page.setDefaultTimeout(30_000);
      await login(page, 'bob');
      await openMemo(page, id, 'Reloaded dissent');
      await signAnonymously(page);
      await page.getByText('This memo has 0 named and 1 anonymous signatures.').waitFor();
      const w = page.getByRole('region', { name: 'Withdraw my anonymous signature', exact: true });
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        w.getByRole('link', { name: /Download my anonymous signature/ }).click(),
      ]);
      assert.equal(download.suggestedFilename(), `anonymous-${id}.json`);
      const file = join(server.dir, `anonymous-${id}.json`);
      await download.saveAs(file);

      // The session ends with the page: log in again.
      await page.reload();
      await page.getByLabel('Handle').waitFor();
      await login(page, 'bob');
      await openMemo(page, id, 'Reloaded dissent');
      assert.equal(await page.getByRole('region', { name: 'Withdraw my anonymous signature', exact: true }).count(), 0);
      const load = page.getByRole('region', { name: 'Load my saved anonymous signature', exact: true });

      // A file that is not one is refused, and says what to do.
      const junk = join(server.dir, 'junk.json');
      writeFileSync(junk, JSON.stringify({ memo: id }));
      await load.getByLabel('Load my saved anonymous signature (anonymous-ID.json)').setInputFiles(junk);
      await load.getByRole('button', { name: 'Load the signature' }).click();
      await load.getByText(/This is not a saved anonymous signature of this memo: its fields are not the expected ones/).waitFor();

      await load.getByLabel('Load my saved anonymous signature (anonymous-ID.json)').setInputFiles(file);
      await load.getByRole('button', { name: 'Load the signature' }).click();
      await page.getByText('Your anonymous signature of version 1 is loaded in this tab.').waitFor();
      assert.deepEqual(await axeViolations(page), [], 'loaded signature');
      const w2 = page.getByRole('region', { name: 'Withdraw my anonymous signature', exact: true });
      await w2.getByRole('button', { name: 'Withdraw my anonymous signature' }).click();
      await page.getByText(/Your anonymous signature is withdrawn. The memo has 0 named, 0 anonymous/).waitFor({ timeout: 60_000 });
      await page.getByText('This memo has 0 named and 0 anonymous signatures.').waitFor();
      sameOrigin(requests);
      assert.deepEqual(problems, []);
    });
  } catch (e) {
    failed = true;
    throw e;
  }
});

test('a memo with a 200 KiB body is sent and read back through the page', { timeout: 240_000 }, async () => {
  try {
    await withPage(browser.context, 'large-body', async (page, { requests, problems }) => {
      page.setDefaultTimeout(30_000);
      await login(page, 'alice');
      const r = await page.evaluate(async () => {
        const mc = await import('/app/memoclient.js');
        const body = `${'Dissent, at length. '.repeat(10240)}\n`;
        const content = { topic: 'policy', marking: 'SBU', title: 'Long dissent', summary: '', body, alternatives: '' };
        const m = await mc.createMemo(content, ['state'], false);
        const list = await mc.versions(m.id);
        const keys = await mc.openKeys(m.id);
        const v = await mc.openVersion(m, keys.key, 1, list);
        mc.wipeKeys(keys);
        const m2 = await mc.addVersion(m, (await mc.openKeys(m.id)).key, v.hash, { ...content, body: `${body}More.\n` });
        const k2 = await mc.openKeys(m.id);
        const v2 = await mc.openVersion(m2, k2.key, 2, await mc.versions(m.id));
        return { len: body.length, same: v.content.body === body, len2: v2.content.body.length };
      });
      assert.equal(r.len, 204801);
      assert.ok(r.same);
      assert.equal(r.len2, 204807);
      sameOrigin(requests);
      assert.deepEqual(problems, []);
    });
  } catch (e) {
    failed = true;
    throw e;
  }
});
