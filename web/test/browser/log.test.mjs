// The auditor's view of the channel log in a real browser against a real
// dissentd: the head verified with the server's key (the fingerprint the
// CLI pins), the entries decoded a page at a time, an entry's inclusion
// proved, the log's growth checked by a consistency proof, and a forged
// head, a rollback, a fork and tampered proofs each shown as a failed
// verdict that says what happened.  Nothing may be requested from another
// origin, and the screen must pass the accessibility audit.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import * as b64 from '../../app/b64.js';
import { Server, axeViolations, launch, passwordOf, requireTools, snap, withPage } from '../../testlib/browser.mjs';

let server;
let browser;
let failed = false;
let memoId;

// A member created, enrolled and logged in with the CLI.
function member(handle, name, roles) {
  const code = server.createMember(handle, name, roles);
  const file = join(server.dir, `${handle}.code`);
  writeFileSync(file, code);
  server.enrollCli(handle, file);
  server.loginCli(handle);
}

// The server's latest head, as the CLI verified it.
function cliHead() {
  return JSON.parse(server.cli(['--json', 'log', 'head'])).head;
}

before(async () => {
  requireTools();
  server = await new Server().start();
  member('coord', 'Casey Coordinator', 'member,coordinator');
  member('dora', 'Dora Drafter', 'member');
  member('audra', 'Audra Auditor', 'member,auditor');
  server.cli(['channel', 'init'], undefined, undefined, 'coord');
  const body = join(server.dir, 'body.md');
  writeFileSync(body, 'The policy should change.\n');
  memoId = server.cli(['memo', 'new', '--title', 'Reconsider', '--topic', 'policy', '--marking', 'SBU', '--body-file', body], undefined, undefined, 'dora').trim();
  server.cli(['memo', 'open', memoId], undefined, undefined, 'dora');
  server.cli(['memo', 'submit', memoId, '--yes'], undefined, undefined, 'dora');
  // Enough entries for more than one page.
  for (let i = 0; i < 12; i++) server.createMember(`p${i}`, `Pending ${i}`);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (failed) console.error(`--- dissentd log ---\n${server?.log()}\n--- kept ${server?.dir} ---`);
  await server?.stop(failed);
});

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

function assertSameOrigin(requests) {
  const origin = new URL(server.url).origin;
  assert.ok(requests.length > 0);
  for (const u of requests) assert.equal(new URL(u).origin, origin, `request to another origin: ${u}`);
}

// Log the auditor in and open the log from the menu.
async function openLog(page) {
  await page.goto(`${server.url}/`);
  await page.getByLabel('Handle').fill('audra');
  await page.getByLabel('Password').fill(passwordOf('audra'));
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Channel log' }).click({ timeout: 60_000 });
  await page.getByRole('heading', { level: 1, name: 'Channel log' }).waitFor();
}

// Matches the API path /api/v1/log/`name`, whatever its query.
// (One function per path: unroute() needs the same one.)
const api = Object.fromEntries(
  ['head', 'consistency', 'inclusion', 'entries'].map((n) => [n, (url) => url.pathname === `/api/v1/log/${n}`]),
);

const verdict = (page) => page.locator('main .message').first();

// Wait for the verdict to match `re`; on a timeout, say what it read.
async function expectVerdict(page, re) {
  const deadline = Date.now() + 30_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await verdict(page).innerText();
    if (re.test(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new assert.AssertionError({ message: `the verdict reads: ${text}`, expected: re, actual: text });
}

it('an auditor sees the log verified, a page at a time, and proves an entry', async () => {
  await withPage(browser.context, 'log-auditor', async (page, { requests, problems }) => {
    await openLog(page);
    const head = cliHead();
    const fp = JSON.parse(server.cli(['--json', 'server', 'show'])).fingerprint;
    await expectVerdict(page, new RegExp(`^Verified: the tree head of ${head.size} entries is signed by the server's key`));
    assert.match(await verdict(page).innerText(), /first tree head seen in this tab/);
    assert.match(fp, /^[0-9a-f]{4}( [0-9a-f]{4}){9}$/);
    assert.ok((await verdict(page).innerText()).includes(fp), 'the fingerprint the CLI pins');
    const facts = await page.locator('#log-head').innerText();
    assert.ok(facts.includes(head.root), 'the root the CLI verified');
    assert.ok(facts.includes(String(head.size)));
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
    assert.equal(await page.title(), 'Channel log — dissent');

    // The last page, oldest first; the page before it by the button.
    const last = head.size - 1;
    await page.getByRole('heading', { level: 3, name: new RegExp(`^Entry ${last}: `) }).waitFor();
    assert.match(await page.locator('#log-page-status').innerText(), new RegExp(`Entries ${head.size - 20} to ${last} of ${head.size}`));
    assert.equal(await page.locator('main ol > li').count(), 20);
    await snap(page, 'log');
    assert.deepEqual(await axeViolations(page), [], 'log screen');
    await page.getByRole('button', { name: 'Earlier entries' }).click();
    await page.getByRole('heading', { level: 3, name: 'Entry 0: Org created' }).waitFor();
    assert.match(await page.locator('#log-page-status').innerText(), /^Entries 0 to /);

    // Every event is decoded: the memo's submission with its counts.
    const submitted = page.locator('li', { has: page.getByRole('heading', { level: 3, name: /: Memo submitted$/ }) });
    await submitted.waitFor();
    const text = await submitted.innerText();
    assert.ok(text.includes(memoId));
    assert.match(text, /Named signatures\s+0/);
    assert.doesNotMatch(text, /Topic|organisation/i);
    assert.doesNotMatch(await page.locator('main').innerText(), /\b(null|undefined|NaN)\b/);

    // Prove it.
    await submitted.getByRole('button', { name: /^Check inclusion of entry \d+$/ }).click();
    await submitted.getByText(/is in the signed tree of \d+ entries: its inclusion proof verifies\./).waitFor();
    assert.match(await verdict(page).innerText(), /^Verified: entry \d+ is in the tree head/);

    // A chosen entry, by number, from the keyboard.
    await page.getByLabel('Entry number').fill('2');
    await page.keyboard.press('Enter');
    await page.locator('main').getByText('Entry 2 is in the signed tree of').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Entry 2: Member enrolled');
    await page.getByLabel('Entry number').fill('two');
    await page.keyboard.press('Enter');
    await page.getByText('Enter an entry number: digits only, counting from 0.').waitFor();
    await page.getByLabel('Entry number').fill(String(head.size + 5));
    await page.keyboard.press('Enter');
    await page.getByText(`there is no entry ${head.size + 5} yet`).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'log screen after checks');

    // The log grows; the new head is checked against the one seen.
    server.createMember('late', 'Late Comer');
    await page.getByRole('button', { name: 'Check for a newer tree head' }).click();
    await expectVerdict(page, new RegExp(`It extends the head of ${head.size} entries seen at .*: the consistency proof verifies\\.`));
    assert.deepEqual(problems, []);
    assertSameOrigin(requests);
  });
});

it('a forged head, a rollback, a fork and tampered proofs are shown as failures', async () => {
  await withPage(browser.context, 'log-tampered', async (page, { requests }) => {
    const old = cliHead();
    server.createMember('later', 'Later Still');
    await openLog(page);
    await expectVerdict(page, /^Verified: the tree head of/);
    const seen = cliHead();
    assert.ok(seen.size > old.size);
    const refresh = page.getByRole('button', { name: 'Check for a newer tree head' });

    // A head whose root was changed: its signature fails.
    const root = b64.decode(seen.root);
    root[0] ^= 1;
    await page.route(api.head, (r) => r.fulfill({ json: { ...seen, root: b64.encode(root) } }));
    await refresh.click();
    await expectVerdict(page, /^Not verified: The server's signed tree head \(size \d+\) does not verify with its key\./);
    assert.equal(await verdict(page).getAttribute('role'), 'alert');
    await snap(page, 'log-forged');

    // An older head, genuinely signed: a rollback.
    await page.unroute(api.head);
    await page.route(api.head, (r) => r.fulfill({ json: old }));
    await refresh.click();
    await expectVerdict(page, /^Not verified: The server's log is inconsistent with the tree head seen on .* it may have been rolled back or forked\./);

    // The log grows, but the consistency proof is not the real one.
    await page.unroute(api.head);
    server.createMember('forker', 'Fork Er');
    await page.route(api.consistency, async (r) => {
      const body = await (await r.fetch()).json();
      body.proof = body.proof.map(() => b64.encode(new Uint8Array(32).fill(7)));
      await r.fulfill({ json: body });
    });
    await refresh.click();
    await expectVerdict(page, /^Not verified: The server's log is inconsistent with the tree head/);
    await page.unroute(api.consistency);

    // With honest answers again, the grown log verifies against the head
    // kept from before the failures.
    await refresh.click();
    await expectVerdict(page, /^Verified: the tree head of/);
    assert.match(await verdict(page).innerText(), new RegExp(`It extends the head of ${seen.size} entries seen at`));

    // A tampered inclusion proof.
    await page.route(api.inclusion, async (r) => {
      const body = await (await r.fetch()).json();
      body.proof = body.proof.map(() => b64.encode(new Uint8Array(32).fill(9)));
      await r.fulfill({ json: body });
    });
    await page.getByLabel('Entry number').fill('1');
    await page.keyboard.press('Enter');
    await page.locator('main').getByText('Entry 1 could not be verified.').waitFor();
    await expectVerdict(page, /^Not verified: Log entry 1 is not in the signed tree of size \d+ \(its inclusion proof fails\)/);
    await page.unroute(api.inclusion);

    // An entry changed in transit no longer matches its proof.
    await page.route(api.entries, async (r) => {
      const body = await (await r.fetch()).json();
      for (const e of body.entries) {
        const leaf = b64.decode(e.event);
        if (leaf[2] === 1) leaf[leaf.length - 1] ^= 1; // org_created "state" -> "statd"
        e.event = b64.encode(leaf);
      }
      await r.fulfill({ json: body });
    });
    await page.getByLabel('Entry number').fill('0');
    await page.keyboard.press('Enter');
    await page.locator('main').getByText('Entry 0 could not be verified.').waitFor();
    await page.unroute(api.entries);
    assert.deepEqual(await axeViolations(page), [], 'log screen with failures');
    assertSameOrigin(requests);
  });
});

it('a member who is not an auditor has no log link, the log needs a login, and any member may read it', async () => {
  await withPage(browser.context, 'log-member', async (page) => {
    await page.goto(`${server.url}/#/log`);
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    await page.getByLabel('Handle').fill('dora');
    await page.getByLabel('Password').fill(passwordOf('dora'));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor({ timeout: 60_000 });
    assert.equal(await page.getByRole('link', { name: 'Channel log' }).count(), 0);
    // The log itself is open to any member signed in.
    await page.goto(`${server.url}/#/log`);
    await expectVerdict(page, /^Verified: the tree head of \d+ entries/);
  });
});
