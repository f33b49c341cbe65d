// Every role's screens in a real browser against a real dissentd, and
// the whole story of a memo: a member drafts it in the browser, three
// colleagues sign (one in the browser, one with the CLI, one anonymously
// with the CLI), it is submitted with a receipt verified in the page, a
// coordinator acknowledges, distributes and replies, the director
// approves the distribution, and the drafter reads the reply and sees who
// accessed the memo.  Across implementations: a memo drafted in the
// browser is signed with the CLI, and one drafted with the CLI is signed
// in the browser.  Every test checks the page's policy header, that
// nothing is requested from another origin, that no error is logged, and
// runs axe-core's WCAG 2.1 A/AA rules on each screen it visits.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { DISSENTD, PAGE_CSP, ROOT, Server, axeViolations, launch, passwordOf, requireTools, snap, withPage } from '../../testlib/browser.mjs';

let server;
let browser;
let failed = false;
// What the tests hand on to each other.
const story = {};

// A member created, enrolled and logged in with the CLI.
function member(handle, name, roles = 'member') {
  const code = server.createMember(handle, name, roles);
  const file = join(server.dir, `${handle}.code`);
  writeFileSync(file, code);
  server.enrollCli(handle, file);
  server.loginCli(handle);
}

// Restart the server on the same port with the settings `sets` (the
// standard distribution list, a test clock file).
async function restartWith(sets) {
  server.proc.kill('SIGTERM');
  for (let i = 0; i < 100 && !server.exited; i++) await sleep(50);
  const portFile = join(server.dir, 'port2');
  rmSync(portFile, { force: true });
  const log = openSync(server.logFile, 'a');
  server.exited = false;
  server.proc = spawn(DISSENTD, [
    '--data-dir', server.data, '--listen', '127.0.0.1', '--port', new URL(server.url).port,
    '--port-file', portFile, '--set', `web_dir=${join(ROOT, 'web')}`, ...sets.flatMap((x) => ['--set', x]),
  ], { stdio: ['ignore', log, log] });
  closeSync(log);
  server.proc.on('exit', () => {
    server.exited = true;
  });
  for (let i = 0; i < 200 && !existsSync(portFile); i++) {
    if (server.exited) throw new Error(`dissentd exited at restart:\n${server.log()}`);
    await sleep(50);
  }
  assert.equal(readFileSync(portFile, 'utf8').trim(), new URL(server.url).port);
}

let clockFile;

// Move the server's clock to `t` (Unix seconds).
function setClock(t) {
  writeFileSync(clockFile, `${t}\n`);
}

before(async () => {
  requireTools();
  server = await new Server().start();
  clockFile = join(server.dir, 'clock');
  await restartWith(['standard_principals=paula', `test_clock_file=${clockFile}`]);
  browser = await launch();
  member('alice', 'Alice Adams');
  member('bob', 'Bob Brown');
  member('erin', 'Erin Evans');
  member('carol', 'Carol Cole', 'member,coordinator');
  member('dora', 'Dora Dean', 'member,director');
  member('pat', 'Pat Price', 'member,principal');
  member('paula', 'Paula Page', 'member,principal');
  member('aud', 'Audrey Auditor', 'member,auditor');
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

// Open the page on a new tab of the browser as `name`, check its policy,
// run `body(page)`, then check that every request went to the server and
// that the page logged no error.
async function session(name, body) {
  await withPage(browser.context, name, async (page, { requests, problems }) => {
    page.setDefaultTimeout(15_000);
    const res = await page.goto(`${server.url}/`);
    assert.equal(res.headers()['content-security-policy'], PAGE_CSP);
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    await body(page);
    const origin = new URL(server.url).origin;
    for (const u of requests) {
      const o = new URL(u);
      // Downloads offered by the page are blob: URLs of its own origin.
      assert.equal(o.protocol === 'blob:' ? new URL(o.pathname).origin : o.origin, origin, `request to another origin: ${u}`);
    }
    assert.deepEqual(problems, []);
  });
}

async function login(page, handle, heading = 'My memos') {
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Password').fill(passwordOf(handle));
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 60_000 });
}

async function logout(page) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.locator('main').getByText('You are logged out.').waitFor();
}

// Go to the screen `path` without reloading (a reload logs out).
async function nav(page, path) {
  await page.evaluate((p) => {
    location.hash = p;
  }, path);
}

async function accessible(page, what) {
  assert.deepEqual(await axeViolations(page), [], what);
  assert.doesNotMatch(await page.locator('main').innerText(), /\b(null|undefined|NaN|\[object Object\])\b/, what);
}

// The panel (a region) titled `name`.
function panel(page, name) {
  return page.getByRole('region', { name, exact: true });
}

// Invite `handle` from the open memo view, checking the card first.
async function invite(page, handle, name, as) {
  const p = panel(page, 'Invite a colleague');
  await p.getByLabel('Handle').fill(handle);
  if (as) await p.getByLabel('Invite as').selectOption(as);
  await p.getByRole('button', { name: 'Look up' }).click();
  await p.getByText(/published in the channel log, entry \d+ \(checked in this browser\)/).waitFor();
  await p.getByText(/^[0-9a-f]{4}( [0-9a-f]{4}){9}$/).waitFor();
  await p.getByRole('button', { name: `Invite ${name}` }).click();
  await page.getByText(`${name} is invited`).waitFor();
}

function memoIdOf(url) {
  const m = /#\/memo\/(d_[0-9a-f]{24})/.exec(url);
  assert.ok(m, `no memo id in ${url}`);
  return m[1];
}

// Draft a memo in the browser; returns its id.
async function draft(page, title, body) {
  await page.getByRole('link', { name: 'Write a new memo' }).click();
  await page.getByRole('heading', { level: 1, name: 'New memo' }).waitFor();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Topic').fill('policy');
  await page.getByLabel('Summary (optional)').fill('Applicants wait months.');
  await page.getByLabel('Body').fill(body);
  await page.getByRole('button', { name: 'Save the draft' }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor({ timeout: 30_000 });
  return memoIdOf(page.url());
}

it('admin: the directory, a new organisation, and a new member whose code is shown once', async () => {
  await session('admin-directory', async (page) => {
    await login(page, 'admin', 'Directory');
    await page.getByRole('rowheader', { name: 'alice' }).waitFor();
    await snap(page, 'directory');
    await accessible(page, 'directory');

    const org = panel(page, 'New organisation');
    await org.getByLabel('Organisation id').fill('USAID!');
    await org.getByRole('button', { name: 'Create the organisation' }).click();
    await org.getByText('Use lower-case letters, digits and hyphens').waitFor();
    await org.getByLabel('Organisation id').fill('usaid');
    await org.getByLabel('Name').fill('Agency for International Development');
    await org.getByRole('button', { name: 'Create the organisation' }).click();
    await page.getByText('The organisation Agency for International Development exists.').waitFor();

    const p = panel(page, 'New member');
    await p.getByLabel('Handle').fill('dave');
    await p.getByLabel('Display name').fill('Dave Diaz');
    await p.getByLabel('Organisation').selectOption('state');
    await p.getByRole('button', { name: 'Create the member' }).click();
    const code = (await page.locator('#enrollment-code').textContent()).trim();
    assert.match(code, /^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
    await snap(page, 'enrollment-code');
    await accessible(page, 'enrollment code');
    await page.getByRole('button', { name: 'I have handed over the code' }).click();
    await page.getByText('The code is no longer shown.').waitFor();
    assert.equal(await page.locator('#enrollment-code').count(), 0);
    // The code works: Dave enrolls with the CLI.
    const file = join(server.dir, 'dave.code');
    writeFileSync(file, code);
    server.enrollCli('dave', file);
    server.loginCli('dave');
    await logout(page);
  });
});

it('coordinator: the channel key is created in the browser; the inbox and statistics', async () => {
  await session('coordinator', async (page) => {
    await login(page, 'carol');
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    await page.getByText('The inbox is empty.').waitFor();
    await accessible(page, 'empty inbox');
    await page.getByRole('button', { name: 'Create the channel key' }).click();
    await page.getByText('The channel key exists and is sealed to you.').waitFor();
    await panel(page, 'Grant the channel key').waitFor();
    await snap(page, 'inbox-empty');
    await page.getByRole('link', { name: 'Statistics', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Statistics' }).waitFor();
    await page.getByText('No memo has reached the channel yet.').waitFor();
    await accessible(page, 'statistics');
    await logout(page);
  });
  // The CLI finds the key the browser made in the log.
  const out = JSON.parse(server.cli(['--json', 'channel', 'inbox'], undefined, undefined, 'carol'));
  assert.deepEqual(out.memos, []);
});

it('member: the editor refuses what it must, saves versions, and compares them', async () => {
  await session('member-editor', async (page) => {
    await login(page, 'alice');
    await accessible(page, 'memos');
    await page.getByRole('link', { name: 'Write a new memo' }).click();
    await page.getByRole('heading', { level: 1, name: 'New memo' }).waitFor();
    await snap(page, 'editor');
    await accessible(page, 'editor');
    await page.getByLabel('Topic').fill('Policy!');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.getByText('Write the title.').waitFor();
    assert.equal(await page.getByLabel('Title').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.name), 'title');
    await page.getByText('Choose a topic: lower-case letters').waitFor();
    await page.getByText('Write the body.').waitFor();
    await page.getByLabel('Title').fill('Consular staffing');
    await page.getByLabel('Topic').fill('policy');
    await page.getByLabel('Body').fill('# Staffing\n\nWe need **more** staff.\nLine three.');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'Consular staffing' }).waitFor();
    const id = memoIdOf(page.url());
    // Markdown is text: the asterisks are shown, no element is made.
    await page.getByText('We need **more** staff.', { exact: false }).waitFor();
    assert.equal(await page.locator('main strong').count(), 0);
    assert.equal(await page.getByRole('heading', { name: 'Staffing', exact: true }).count(), 0);
    // The page title names the memo by id only (history keeps titles).
    assert.equal(await page.title(), `Memo ${id} — dissent`);

    await page.getByRole('link', { name: 'Edit: write a new version' }).click();
    await page.getByRole('heading', { level: 1, name: `New version of memo ${id}` }).waitFor();
    assert.equal(await page.getByLabel('Title').inputValue(), 'Consular staffing');
    await page.getByLabel('Body').fill('# Staffing\n\nWe need more staff now.\nLine three.\nLine four.');
    await page.getByRole('button', { name: 'Save as version 2' }).click();
    await page.getByText('Saved as version 2.').waitFor();
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.getByRole('heading', { level: 1, name: `Memo ${id}: version 1 and version 2` }).waitFor();
    await page.getByText('2 lines added, 1 removed.').waitFor();
    await page.getByText('Unchanged: title, topic, marking, summary, alternatives considered.').waitFor();
    await page.locator('del', { hasText: 'We need **more** staff.' }).waitFor();
    await page.locator('ins', { hasText: 'Line four.' }).waitFor();
    await page.getByText('Shown to Alice Adams (alice)').waitFor();
    await snap(page, 'diff');
    await accessible(page, 'diff');

    // The watermark: a line and a pattern, both printed.
    await nav(page, `/memo/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Consular staffing' }).waitFor();
    const bg = await page.locator('.memo-doc').evaluate((el) => getComputedStyle(el).backgroundImage);
    assert.match(bg, /^url\("data:image\/svg\+xml/);
    assert.match(decodeURIComponent(bg), /Alice Adams \(alice\)/);
    await page.emulateMedia({ media: 'print' });
    assert.ok(await page.locator('.watermark-line').isVisible());
    assert.ok(!(await page.locator('#nav').isVisible()));
    await page.emulateMedia({ media: 'screen' });
    await snap(page, 'memo-draft');
    await accessible(page, 'memo view (draft)');
    await logout(page);
  });
});

it('the story: drafted in the browser, signed three times, submitted, answered, and its accesses seen', async () => {
  await session('story', async (page) => {
    // Alice drafts, opens and invites.
    await login(page, 'alice');
    const id = await draft(page, 'Visa processing backlog',
      'The backlog grows.\n\n<script>alert(1)</script> and **bold** stay text.');
    story.id = id;
    assert.equal(await page.locator('main script').count(), 0);
    await page.getByText('<script>alert(1)</script> and **bold** stay text.').waitFor();
    await page.getByRole('button', { name: 'Open for signatures' }).click();
    await page.getByText('The memo is open for signatures.').waitFor();
    await invite(page, 'bob', 'Bob Brown');
    await snap(page, 'invited');
    await invite(page, 'dave', 'Dave Diaz');
    await accessible(page, 'memo view (open)');
    await logout(page);
    server.cli(['memo', 'invite', id, 'erin'], undefined, undefined, 'alice');

    // Bob signs in the browser; the names are not shown to him.
    await login(page, 'bob');
    await page.getByText('1 awaiting your signature.').waitFor();
    await page.getByRole('region', { name: 'Awaiting your signature' }).getByRole('link', { name: `Memo ${id}`, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Visa processing backlog' }).waitFor();
    await page.getByText('The names of the signers are not shown to you.').waitFor();
    await page.getByRole('button', { name: 'Sign version 1 with my name' }).click();
    await page.getByText('You signed version 1. The memo has 1 named').waitFor();
    await snap(page, 'signed');
    await accessible(page, 'memo view (signer)');
    await logout(page);

    // Dave signs with his name with the CLI, Erin anonymously.
    server.cli(['memo', 'sign', id, '--yes'], undefined, undefined, 'dave');
    server.cli(['memo', 'sign', id, '--anonymous', '--yes'], undefined, undefined, 'erin');
    const named = 2;
    const anon = 1;

    // Alice sees who signed, verified, and submits.
    await login(page, 'alice');
    await nav(page, `/memo/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Visa processing backlog' }).waitFor();
    await page.getByText(`This memo has ${named} named and ${anon} anonymous signatures.`).waitFor();
    await page.getByRole('button', { name: 'Show who signed' }).click();
    const signersTable = page.getByRole('table', { name: 'Named signers' });
    await signersTable.getByRole('rowheader', { name: 'Bob Brown' }).waitFor();
    await signersTable.getByRole('rowheader', { name: 'Dave Diaz' }).waitFor();
    assert.equal(await page.getByRole('cell', { name: /^verified; keys in log entry \d+$/ }).count(), named);
    const sub = panel(page, 'Submit to the channel');
    await sub.getByRole('button', { name: 'Check the channel key' }).click();
    await sub.getByText(/published in the channel log, entry \d+ \(checked in this browser\)/).waitFor();
    await sub.getByRole('button', { name: 'Submit version 1 to the channel' }).click();
    await page.getByText(/Submitted\. The receipt verifies: the channel log holds the submission at entry \d+\./).waitFor();
    await page.getByRole('link', { name: 'The submission receipt' }).click();
    await page.getByText('The receipt verifies').waitFor();
    await page.getByText(`${named} named, ${anon} anonymous`).waitFor();
    await snap(page, 'receipt');
    await accessible(page, 'receipt');
    await logout(page);

    // Carol acknowledges, distributes (to a principal off the standard
    // list, for the director) and replies.
    await login(page, 'carol');
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByText('1 memo, by due date.').waitFor();
    await snap(page, 'inbox');
    await accessible(page, 'inbox');
    await page.getByRole('link', { name: `Memo ${id}`, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Visa processing backlog' }).waitFor();
    await page.getByRole('button', { name: 'Acknowledge the memo' }).click();
    await page.getByText(/Acknowledged\. The receipt verifies/).waitFor();
    const dist = panel(page, 'Distribute');
    assert.ok(await dist.getByLabel('Paula Page (paula)').isChecked());
    await dist.getByLabel('Other principals (optional)').fill('pat');
    await dist.getByRole('button', { name: 'Distribute' }).click();
    await page.getByText('Distributed to 1 principal; 1 await the director\'s approval.').waitFor();
    await panel(page, 'Distribute').getByText('Everyone on the standard list has the memo already.').waitFor();
    await panel(page, 'Reply').getByLabel('Reply').fill('Thank you. We will add two officers.');
    await panel(page, 'Reply').getByRole('button', { name: 'Send the reply' }).click();
    await page.getByText(/The reply is sent\. The receipt verifies/).waitFor();
    await page.getByText('Thank you. We will add two officers.').waitFor();
    await snap(page, 'coordinator-memo');
    await accessible(page, 'memo view (coordinator)');
    await logout(page);

    // Dora, the director, approves the distribution.
    await login(page, 'dora');
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('link', { name: `Memo ${id}`, exact: true }).click();
    await page.getByText('You may see this memo\'s state, but not its text.').waitFor();
    await page.getByRole('button', { name: 'Approve Pat Price (pat)' }).click();
    await page.getByText(/Approved: the memo is distributed to Pat Price \(pat\)\. The receipt verifies/).waitFor();
    await accessible(page, 'memo view (director)');
    await logout(page);

    // Alice reads the reply, sees who accessed the memo, and asks Pat
    // for a meeting.
    await login(page, 'alice');
    await nav(page, `/memo/${id}`);
    await page.getByText('Thank you. We will add two officers.').waitFor();
    await page.getByRole('heading', { name: /^Reply 1, from Carol Cole \(carol\)/ }).waitFor();
    const meet = panel(page, 'Ask for a meeting');
    await meet.getByLabel('Handle').fill('pat');
    await meet.getByRole('button', { name: 'Look up' }).click();
    await meet.getByRole('button', { name: 'Ask for a meeting with Pat Price' }).click();
    await page.getByText('A meeting with Pat Price is requested.').waitFor();
    await page.getByRole('link', { name: 'Who accessed this memo' }).click();
    await page.getByRole('heading', { level: 1, name: `Who accessed memo ${id}` }).waitFor();
    const table = page.getByRole('table', { name: 'Accesses' });
    await table.getByRole('row', { name: /Carol Cole \(carol\) read a version/ }).first().waitFor();
    await table.getByRole('row', { name: /Bob Brown \(bob\) read a version/ }).first().waitFor();
    await table.getByRole('row', { name: /Pat Price \(pat\) was given a key/ }).first().waitFor();
    assert.equal(await table.getByText('not yet in a signed tree head').count() + await table.getByText('matches the log').count(),
      await table.locator('tbody tr').count());
    await snap(page, 'accesses');
    await accessible(page, 'accesses');
    await logout(page);
  });
  // The CLI agrees with everything the browser did.
  const st = JSON.parse(server.cli(['--json', 'memo', 'status', story.id], undefined, undefined, 'alice')).memo;
  assert.equal(st.state, 'replied');
  assert.equal(st.counts.named, 2);
  assert.equal(st.counts.anonymous, 1);
  server.cli(['memo', 'receipt', story.id], undefined, undefined, 'alice');
  const rep = JSON.parse(server.cli(['--json', 'memo', 'replies', story.id], undefined, undefined, 'bob'));
  assert.equal(rep.replies[0].text, 'Thank you. We will add two officers.');
});

it('across implementations: drafted in the browser and signed with the CLI, and the other way round', async () => {
  const body = join(server.dir, 'cli-body.md');
  writeFileSync(body, 'Drafted with the CLI.\nSecond line.\n');
  const cliMemo = server.cli(['memo', 'new', '--title', 'From the terminal', '--topic', 'operations', '--marking', 'SBU',
    '--body-file', body], undefined, undefined, 'bob').trim();
  server.cli(['memo', 'open', cliMemo], undefined, undefined, 'bob');
  server.cli(['memo', 'invite', cliMemo, 'alice'], undefined, undefined, 'bob');
  let webMemo;
  await session('cross-implementation', async (page) => {
    await login(page, 'alice');
    webMemo = await draft(page, 'From the browser', 'Drafted in the browser.\nSecond line.');
    await page.getByRole('button', { name: 'Open for signatures' }).click();
    await page.getByText('The memo is open for signatures.').waitFor();
    await invite(page, 'bob', 'Bob Brown');
    // The CLI's memo, decrypted and signed here.
    await nav(page, `/memo/${cliMemo}`);
    await page.getByRole('heading', { level: 1, name: 'From the terminal' }).waitFor();
    await page.getByText('Drafted with the CLI.').waitFor();
    await page.getByRole('button', { name: 'Sign version 1 with my name' }).click();
    await page.getByText('You signed version 1.').waitFor();
    await logout(page);
  });
  // The browser's memo, decrypted, checked and signed by the CLI.
  const shown = JSON.parse(server.cli(['--json', 'memo', 'show', webMemo], undefined, undefined, 'bob'));
  assert.equal(JSON.stringify(shown).includes('Drafted in the browser.'), true);
  server.cli(['memo', 'sign', webMemo, '--yes'], undefined, undefined, 'bob');
  const signedWeb = JSON.parse(server.cli(['--json', 'memo', 'signers', webMemo], undefined, undefined, 'alice'));
  assert.deepEqual(signedWeb.signers.map((s) => s.handle), ['bob']);
  // The browser's signature, verified by the CLI against alice's logged keys.
  const signedCli = JSON.parse(server.cli(['--json', 'memo', 'signers', cliMemo], undefined, undefined, 'bob'));
  assert.deepEqual(signedCli.signers.map((s) => s.handle), ['alice']);
  assert.equal(signedCli.signers[0].current, true);
});

it('director: the inbox and the statistics', async () => {
  await session('director', async (page) => {
    await login(page, 'dora');
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('link', { name: `Memo ${story.id}`, exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create the channel key' }).count(), 0);
    await page.getByRole('link', { name: 'Statistics', exact: true }).first().click();
    await page.getByRole('table').waitFor();
    await page.getByRole('cell', { name: 'withheld' }).first().waitFor();
    await page.getByLabel('Period').selectOption('year');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('rowheader', { name: /^\d{4}$/ }).first().waitFor();
    await snap(page, 'statistics');
    await accessible(page, 'statistics (director)');
    await logout(page);
  });
});

it('principal: the reading list, the signers, and a meeting scheduled and held', async () => {
  await session('principal', async (page) => {
    await login(page, 'pat');
    await page.getByRole('link', { name: 'Reading list' }).click();
    await page.getByText('1 memo distributed to you.').waitFor();
    await accessible(page, 'reading list');
    await page.getByRole('link', { name: `Memo ${story.id}`, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Visa processing backlog' }).waitFor();
    await page.getByText('Shown to Pat Price (pat)').waitFor();
    await page.getByRole('button', { name: 'Show who signed' }).click();
    await page.getByRole('table', { name: 'Named signers' }).getByRole('rowheader', { name: 'Bob Brown' }).waitFor();
    await page.getByText('The list matches the submission receipt.').waitFor();
    await page.getByRole('link', { name: 'Meetings' }).click();
    await page.getByRole('heading', { level: 2, name: 'Meeting 1' }).waitFor();
    await accessible(page, 'meetings');
    await page.getByLabel('Date and time').fill('2031-03-04T10:30');
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.getByText(/Meeting 1 is scheduled for/).waitFor();
    await page.getByLabel('Outcome note').fill('We agreed on two more officers by spring.');
    await page.getByRole('button', { name: 'Record the outcome' }).click();
    await page.getByText('Meeting 1 is recorded as held.').waitFor();
    await snap(page, 'meetings');
    await logout(page);
  });
  const rep = JSON.parse(server.cli(['--json', 'memo', 'replies', story.id], undefined, undefined, 'alice'));
  assert.deepEqual(rep.replies.map((r) => [r.kind, r.text]), [
    ['reply', 'Thank you. We will add two officers.'],
    ['outcome', 'We agreed on two more officers by spring.'],
  ]);
});

it('auditor: a complaint filed in the browser is read in the browser; the access history', async () => {
  await session('auditor', async (page) => {
    await login(page, 'erin');
    await page.getByRole('link', { name: 'File a complaint' }).click();
    await page.getByRole('heading', { level: 1, name: 'File a reprisal complaint' }).waitFor();
    await accessible(page, 'complaint form');
    await page.getByLabel('Your complaint').fill('I was moved to another post after signing.');
    await page.getByRole('button', { name: 'File the complaint' }).click();
    await page.getByText('The complaint is filed, readable by the 1 auditor only.').waitFor();
    await logout(page);

    await login(page, 'aud');
    await page.getByRole('link', { name: 'Complaints' }).click();
    await page.getByText('1 complaint, decrypted in this browser.').waitFor();
    await page.getByText('I was moved to another post after signing.').waitFor();
    await snap(page, 'complaints');
    await accessible(page, 'complaints');
    await page.getByLabel('Memo id').fill(story.id);
    await page.getByRole('button', { name: 'Show the access history' }).click();
    await page.getByRole('heading', { level: 1, name: `Who accessed memo ${story.id}` }).waitFor();
    await page.getByRole('table', { name: 'Accesses' }).getByRole('row', { name: /Pat Price \(pat\) read a version/ }).first().waitFor();
    await accessible(page, 'accesses (auditor)');
    await logout(page);
  });
});

it('coordinator: overdue memos come first and are marked; redirect, close and assign', async () => {
  const body = join(server.dir, 'late.md');
  writeFileSync(body, 'A memo the channel owes an answer.\n');
  const make = (title) => {
    const id = server.cli(['memo', 'new', '--title', title, '--topic', 'management', '--marking', 'SBU', '--body-file', body],
      undefined, undefined, 'bob').trim();
    server.cli(['memo', 'open', id], undefined, undefined, 'bob');
    server.cli(['memo', 'submit', id, '--yes'], undefined, undefined, 'bob');
    return id;
  };
  const late = make('Out of scope');
  const acked = make('To assign');
  server.cli(['channel', 'ack', acked], undefined, undefined, 'carol');
  // Four months later, both deadlines have passed (sessions have ended).
  setClock(Math.floor(Date.now() / 1000) + 120 * 86400);
  await session('coordinator-overdue', async (page) => {
    await login(page, 'carol');
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByText('3 memos, by due date; 2 overdue.').waitFor();
    assert.deepEqual(await page.locator('.memo-list h2 a').allTextContents(), [`Memo ${late}`, `Memo ${acked}`, `Memo ${story.id}`]);
    assert.equal(await page.getByText(/^Overdue since /).count(), 2);
    await snap(page, 'inbox-overdue');
    await accessible(page, 'inbox (overdue)');

    await page.getByRole('link', { name: `Memo ${late}`, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Out of scope' }).waitFor();
    await panel(page, 'Redirect').getByLabel('Where to go instead').fill('Please write to the inspector general.');
    await panel(page, 'Redirect').getByRole('button', { name: 'Redirect the memo' }).click();
    await page.getByText(/Redirected\. The receipt verifies/).waitFor();
    await page.getByRole('button', { name: 'Close the memo' }).click();
    await page.getByText(/Closed\. The receipt verifies/).waitFor();

    await nav(page, `/memo/${acked}`);
    await page.getByRole('heading', { level: 1, name: 'To assign' }).waitFor();
    const as = panel(page, 'Assign');
    await as.getByLabel('Handle').fill('erin');
    await as.getByRole('button', { name: 'Look up' }).click();
    await as.getByRole('button', { name: 'Assign to Erin Evans' }).click();
    await page.getByText(/Assigned to Erin Evans\. The receipt verifies/).waitFor();
    await accessible(page, 'memo view (assigned)');
    await logout(page);
  });
  server.loginCli('bob');
  const notes = JSON.parse(server.cli(['--json', 'memo', 'replies', late], undefined, undefined, 'bob'));
  assert.deepEqual(notes.replies.map((r) => [r.kind, r.text]), [['redirect', 'Please write to the inspector general.']]);
  const st = JSON.parse(server.cli(['--json', 'memo', 'status', late], undefined, undefined, 'bob')).memo;
  assert.equal(st.state, 'closed');
});
