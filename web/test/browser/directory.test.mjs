// The administrator's directory in a real browser against a real
// dissentd: an organisation and a member created in the page; a new
// enrollment code issued for the member and enrolled with in a second
// browser (the first code refused); roles, co-signing and the display
// name changed, the administrator role refused in the server's words;
// the member suspended (their session ends, their login is refused with
// the documented message) and reinstated, each confirmed by name.  Every
// test checks the page's policy header, that nothing is requested from
// another origin, that the page logs no error but Chromium's own report
// of a refusal the test expects, and runs axe-core's WCAG 2.1 A/AA rules
// on each state it visits.  A failure saves a screenshot.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { PAGE_CSP, Server, axeViolations, launch, passwordOf, requireTools, snap, withPage } from '../../testlib/browser.mjs';

let server;
let adminBrowser;
let memberBrowser;
let failed = false;
// What the tests hand on to each other.
const state = {};

before(async () => {
  requireTools();
  server = await new Server().start();
  adminBrowser = await launch();
  memberBrowser = await launch();
});

after(async () => {
  await adminBrowser?.close();
  await memberBrowser?.close();
  if (failed) console.error(`--- dissentd log ---\n${server?.log()}\n--- kept ${server?.dir} ---`);
  await server?.stop(failed);
});

function it(name, body) {
  test(name, { timeout: 240_000 }, async () => {
    try {
      await body();
    } catch (e) {
      failed = true;
      throw e;
    }
  });
}

// Open the page on a new tab of `browser` as `name`, check its policy,
// run `body(page)`, then check that every request went to the server and
// that the page logged no error but Chromium's report of the refusals
// with the HTTP statuses in `allow`.
async function session(browser, name, body, allow = []) {
  await withPage(browser.context, name, async (page, { requests, problems }) => {
    page.setDefaultTimeout(15_000);
    const res = await page.goto(`${server.url}/`);
    assert.equal(res.headers()['content-security-policy'], PAGE_CSP);
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    await body(page);
    const origin = new URL(server.url).origin;
    assert.ok(requests.length > 0);
    for (const u of requests) assert.equal(new URL(u).origin, origin, `request to another origin: ${u}`);
    const expected = new RegExp(`^console: Failed to load resource: the server responded with a status of (${allow.join('|') || 'none'}) `);
    assert.deepEqual(problems.filter((p) => !expected.test(p)), []);
  });
}

async function login(page, handle, heading) {
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Password').fill(passwordOf(handle));
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 60_000 });
}

async function logout(page) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.locator('main').getByText('You are logged out.').waitFor();
}

async function accessible(page, what) {
  assert.deepEqual(await axeViolations(page), [], what);
  assert.doesNotMatch(await page.locator('main').innerText(), /\b(null|undefined|NaN|\[object Object\])\b/, what);
}

// The panel (a section labelled by its heading) titled `title`.
function panel(page, title) {
  return page.getByRole('region', { name: title, exact: true });
}

// Open the management panel of `who` ("Frank Fox (frank)").
async function manage(page, who) {
  await page.getByRole('button', { name: `Manage ${who}`, exact: true }).click();
  const p = panel(page, `Manage ${who}`);
  await p.waitFor();
  return p;
}

// The member `handle` as the CLI sees it.
function shown(handle) {
  const out = JSON.parse(server.cli(['--json', 'member', 'show', handle]));
  return out.member ?? out;
}

it('admin: an organisation and a member created, a new code issued, and the member enrolls with it in the browser', async () => {
  await session(adminBrowser, 'directory-create', async (page) => {
    await login(page, 'admin', 'Directory');
    await accessible(page, 'directory');

    const org = panel(page, 'New organisation');
    await org.getByLabel('Organisation id').fill('usaid');
    await org.getByLabel('Name').fill('Agency for International Development');
    await org.getByRole('button', { name: 'Create the organisation' }).click();
    await page.getByText('The organisation Agency for International Development exists.').waitFor();
    await page.getByRole('table', { name: 'Organisations' }).getByRole('rowheader', { name: 'usaid' }).waitFor();

    const p = panel(page, 'New member');
    await p.getByLabel('Handle').fill('frank');
    await p.getByLabel('Display name').fill('Frank Fox');
    await p.getByLabel('Organisation').selectOption('usaid');
    await p.getByRole('button', { name: 'Create the member' }).click();
    state.firstCode = (await page.locator('#enrollment-code').textContent()).trim();
    assert.match(state.firstCode, /^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
    await page.getByRole('button', { name: 'I have handed over the code' }).click();
    await page.getByText('The code is no longer shown.').waitFor();
    // The new member is in the table at once, pending.
    const row = page.getByRole('table', { name: 'Members' }).getByRole('row', { name: /^frank / });
    await row.getByRole('cell', { name: 'pending', exact: true }).waitFor();

    const m = await manage(page, 'Frank Fox (frank)');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Manage Frank Fox (frank)');
    await m.getByText('pending: not enrolled yet').waitFor();
    await accessible(page, 'member panel (pending)');
    await m.getByRole('button', { name: 'Issue a new enrollment code' }).click();
    state.code = (await page.locator('#new-enrollment-code').textContent()).trim();
    assert.match(state.code, /^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
    assert.notEqual(state.code, state.firstCode);
    await m.getByText('Give this code to Frank Fox (frank) in person. It is shown only now').waitFor();
    await snap(page, 'directory-new-code');
    await accessible(page, 'new enrollment code');
    await m.getByRole('button', { name: 'I have handed over the code' }).click();
    await m.getByText('The code is no longer shown.').waitFor();
    assert.equal(await page.locator('#new-enrollment-code').count(), 0);
    // Close returns the focus to the member's button in the table.
    await m.getByRole('button', { name: 'Close' }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Manage Frank Fox (frank)');
    await logout(page);
  });

  // Frank, in another browser: the first code no longer works, the new one does.
  await session(memberBrowser, 'directory-enroll', async (page) => {
    await page.getByRole('link', { name: /Enroll with the code/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Enroll' }).waitFor();
    await page.getByLabel('Enrollment code').fill(state.firstCode);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('This code is unknown or was already used').waitFor();
    await page.getByLabel('Enrollment code').fill(state.code);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Choose a password' }).waitFor();
    await page.getByText('Frank Fox').first().waitFor();
    await page.getByLabel('New password', { exact: true }).fill(passwordOf('frank'));
    await page.getByLabel('Repeat the new password').fill(passwordOf('frank'));
    await page.getByRole('button', { name: 'Enroll' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your recovery code' }).waitFor({ timeout: 60_000 });
    await page.getByLabel(/I have written down my recovery code/).check();
    await page.getByRole('button', { name: 'Continue to log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    await login(page, 'frank', 'My memos');
    await page.getByText('Frank Fox (frank)').waitFor();
    await logout(page);
  }, [404]);
  const f = shown('frank');
  assert.equal(f.status, 'active');
  assert.equal(f.org, 'usaid');
});

it('admin: roles, co-signing and name changed; the administrator role refused in the server\'s words', async () => {
  await session(adminBrowser, 'directory-roles', async (page) => {
    await login(page, 'admin', 'Directory');
    const m = await manage(page, 'Frank Fox (frank)');
    const roles = m.getByRole('group', { name: 'Roles' });
    assert.ok(await roles.getByLabel('member', { exact: true }).isChecked());
    assert.ok(await m.getByLabel('May co-sign memos').isChecked());

    // Nothing changed: said so, nothing sent.
    await m.getByRole('button', { name: 'Save the changes' }).click();
    await m.getByRole('alert').getByText('Nothing has changed.').waitFor();

    // Administrator besides member: not an allowed set.
    await roles.getByLabel('administrator').check();
    await m.getByRole('button', { name: 'Save the changes' }).click();
    const alert = m.getByRole('alert');
    await alert.getByText('The server refused these roles: “field "roles" is not an allowed set').waitFor();
    await alert.getByText('The administrator role is held alone', { exact: false }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alert');
    await snap(page, 'directory-roles-refused');
    await accessible(page, 'roles refused');
    // Administrator alone: an account never moves into the admin role.
    await roles.getByLabel('member', { exact: true }).uncheck();
    await m.getByRole('button', { name: 'Save the changes' }).click();
    await alert.getByText('an account cannot move into or out of the admin role; create a new account').waitFor();
    await alert.getByText('create a new account for an administrator', { exact: false }).waitFor();

    // By keyboard: member back, coordinator on, administrator off.
    await roles.getByLabel('member', { exact: true }).focus();
    await page.keyboard.press('Space');
    assert.ok(await roles.getByLabel('member', { exact: true }).isChecked());
    await roles.getByLabel('coordinator').check();
    await roles.getByLabel('administrator').uncheck();
    await m.getByLabel('May co-sign memos').uncheck();
    await m.getByLabel('Display name').fill('Frank Fox-Lee');
    await m.getByRole('button', { name: 'Save the changes' }).click();
    const saved = panel(page, 'Manage Frank Fox-Lee (frank)');
    await saved.getByText('The changes to Frank Fox-Lee (frank) are saved.').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'The changes to Frank Fox-Lee (frank) are saved.');
    await saved.getByText('member, coordinator').waitFor();
    const row = page.getByRole('table', { name: 'Members' }).getByRole('row', { name: /^frank / });
    await row.getByRole('cell', { name: 'Frank Fox-Lee', exact: true }).waitFor();
    await row.getByRole('cell', { name: 'member, coordinator', exact: true }).waitFor();
    await row.getByRole('cell', { name: 'no', exact: true }).waitFor();
    await accessible(page, 'changes saved');

    // The administrator's own account cannot be suspended from here.
    await saved.getByRole('button', { name: 'Close' }).click();
    const self = await manage(page, 'Test Admin (admin)');
    await self.getByText('This is your own account: it cannot be suspended.').waitFor();
    assert.equal(await self.getByRole('button', { name: /^Suspend/ }).count(), 0);
    await logout(page);
  }, [400]);
  const f = shown('frank');
  assert.deepEqual(f.roles, ['member', 'coordinator']);
  assert.equal(f.eligible, false);
  assert.equal(f.display_name, 'Frank Fox-Lee');
});

it('admin: a suspension, confirmed by name, ends the member\'s session and refuses their login; reinstated, they log in', async () => {
  await session(memberBrowser, 'directory-suspended', async (member) => {
    await login(member, 'frank', 'My memos');

    await session(adminBrowser, 'directory-suspend', async (page) => {
      await login(page, 'admin', 'Directory');
      let m = await manage(page, 'Frank Fox-Lee (frank)');
      // Asked first; Escape cancels and gives the focus back.
      await m.getByRole('button', { name: 'Suspend Frank Fox-Lee (frank)' }).click();
      const ask = m.getByRole('group', { name: /^Suspend Frank Fox-Lee \(frank\)\?/ });
      await ask.getByText('sessions end at once').waitFor();
      await snap(page, 'directory-confirm-suspend');
      await accessible(page, 'suspension confirmation');
      await page.keyboard.press('Escape');
      assert.equal(await ask.count(), 0);
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Suspend Frank Fox-Lee (frank)');
      assert.equal(shown('frank').status, 'active');
      await page.keyboard.press('Enter');
      await m.getByRole('button', { name: 'Yes, suspend Frank Fox-Lee (frank)' }).click();
      m = panel(page, 'Manage Frank Fox-Lee (frank)');
      await m.getByText('Frank Fox-Lee (frank) is suspended: their sessions have ended and they cannot log in.').waitFor();
      await page.getByRole('table', { name: 'Members' }).getByRole('row', { name: /^frank / }).getByRole('cell', { name: 'suspended', exact: true }).waitFor();
      await accessible(page, 'member suspended');
      assert.equal(shown('frank').status, 'suspended');

      // Frank's open session has ended; his login is refused.
      await member.getByRole('link', { name: 'Meetings' }).click();
      await member.getByText('Your session has ended. Log in again.').waitFor();
      await member.getByLabel('Handle').fill('frank');
      await member.getByLabel('Password').fill(passwordOf('frank'));
      await member.getByRole('button', { name: 'Log in' }).click();
      await member.getByRole('alert').getByText('Your account is suspended. Ask your administrator.').waitFor({ timeout: 60_000 });
      await snap(member, 'directory-login-suspended');
      await accessible(member, 'login refused (suspended)');

      // Reinstated, after the same kind of question.
      await m.getByRole('button', { name: 'Reinstate Frank Fox-Lee (frank)' }).click();
      await m.getByRole('group', { name: /^Reinstate Frank Fox-Lee \(frank\)\?/ }).getByText('can log in again').waitFor();
      await m.getByRole('button', { name: 'Yes, reinstate Frank Fox-Lee (frank)' }).click();
      await panel(page, 'Manage Frank Fox-Lee (frank)').getByText('Frank Fox-Lee (frank) is reinstated and can log in again.').waitFor();
      await accessible(page, 'member reinstated');
      await logout(page);
    });

    await member.getByLabel('Password').fill(passwordOf('frank'));
    await member.getByRole('button', { name: 'Log in' }).click();
    await member.getByRole('heading', { level: 1, name: 'My memos' }).waitFor({ timeout: 60_000 });
    await member.getByRole('link', { name: 'Inbox' }).waitFor();
    await logout(member);
  }, [401, 403]);
  assert.equal(shown('frank').status, 'active');
});
