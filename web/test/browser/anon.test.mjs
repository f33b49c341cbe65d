// Anonymous co-signing in the browser: an invitee checks the memo's ring
// snapshot against the log, sees the anonymity set, the warning and the
// network caveat, signs with a progress bar, and posts without the
// session; the CLI's `dissent memo verify` accepts the signature; signing
// again is refused as already signed.  Checks the page's policy header,
// that nothing is requested from another origin, that no error is
// logged, and axe-core's WCAG 2.1 A/AA rules.
import assert from 'node:assert/strict';
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

test('an invitee signs anonymously in the browser; the CLI verifies it; a second signature is refused', { timeout: 180_000 }, async () => {
  try {
    const body = join(server.dir, 'body.md');
    writeFileSync(body, 'The policy should change.\n');
    const id = server.cli(['memo', 'new', '--title', 'Quiet dissent', '--topic', 'policy', '--marking', 'SBU', '--body-file', body], undefined, undefined, 'alice').trim();
    server.cli(['memo', 'open', id], undefined, undefined, 'alice');
    server.cli(['memo', 'invite', id, 'bob'], undefined, undefined, 'alice');

    await withPage(browser.context, 'anonymous-signing', async (page, { requests, problems }) => {
      page.setDefaultTimeout(30_000);
      const anon = [];
      page.on('request', async (r) => {
        if (r.url().includes('/anonymous-signatures')) anon.push(await r.allHeaders());
      });
      const res = await page.goto(`${server.url}/`);
      assert.equal(res.headers()['content-security-policy'], PAGE_CSP);
      await page.getByLabel('Handle').fill('bob');
      await page.getByLabel('Password').fill(passwordOf('bob'));
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { level: 1, name: 'My memos' }).waitFor({ timeout: 60_000 });
      await page.evaluate((p) => {
        location.hash = p;
      }, `/memo/${id}`);
      await page.getByRole('heading', { level: 1, name: 'Quiet dissent' }).waitFor();

      const p = page.getByRole('region', { name: 'Sign anonymously', exact: true });
      await p.getByRole('button', { name: 'Check the eligible set' }).click();
      await p.getByText(/members: the ring you sign as one of/).waitFor();
      const ringText = await p.getByText(/members: the ring you sign as one of/).textContent();
      const n = Number(/^(\d+) members/.exec(ringText)[1]);
      assert.ok(n >= 3, `ring of ${n}`);
      await p.getByText(/checked against the channel log in this browser/).waitFor();
      await p.getByText(`Warning: an anonymity set of ${n} is below the instance's minimum of 50`).waitFor();
      await p.getByText(/sees the network address this request comes from/).waitFor();
      const bar = p.getByRole('progressbar');
      assert.equal(await bar.getAttribute('aria-valuenow'), '100');
      assert.deepEqual(await axeViolations(page), [], 'anonymous signing, before signing');

      // Record every progress value the bar shows while the ring signs.
      await page.evaluate(() => {
        globalThis.seenProgress = [];
        const el = document.querySelector('[role="progressbar"]');
        new MutationObserver(() => globalThis.seenProgress.push(el.getAttribute('aria-valuetext'))).observe(el, { attributes: true, attributeFilter: ['aria-valuenow', 'aria-valuetext'] });
      });
      await p.getByRole('button', { name: `Sign version 1 anonymously, as one of ${n} members` }).click();
      await page.getByText('You signed version 1 anonymously. The memo has 0 named, 1 anonymous').waitFor();
      const seen = await page.evaluate(() => globalThis.seenProgress);
      assert.ok(seen.includes(`Ring members signed: ${n} of ${n}`), JSON.stringify(seen));
      await page.getByText('This memo has 0 named and 1 anonymous signatures.').waitFor();
      // The signature is kept in the tab, and offered as a file.
      const w = page.getByRole('region', { name: 'Withdraw my anonymous signature', exact: true });
      const link = w.getByRole('link', { name: /Download my anonymous signature/ });
      assert.equal(await link.getAttribute('download'), `anonymous-${id}.json`);
      // Nothing of it is in storage (the app keeps only its session mark).
      const stored = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
      assert.ok(!stored.includes(id) && !/signature|ring/i.test(stored), stored);
      assert.deepEqual(await axeViolations(page), [], 'anonymous signing, after signing');

      // Signing again is refused: the linking tag is the same.
      await p.getByRole('button', { name: 'Check the eligible set' }).click();
      await p.getByRole('button', { name: `Sign version 1 anonymously, as one of ${n} members` }).click();
      await p.getByText('You have already signed this version anonymously').waitFor();

      // Both posts went without the session: no cookie, no Authorization.
      assert.equal(anon.length, 2);
      for (const hd of anon) {
        assert.equal(hd.cookie, undefined);
        assert.equal(hd.authorization, undefined);
      }
      const origin = new URL(server.url).origin;
      for (const u of requests) {
        const o = new URL(u);
        assert.equal(o.protocol === 'blob:' ? new URL(o.pathname).origin : o.origin, origin, `request to another origin: ${u}`);
      }
      // Chromium itself logs the refused second post (409); nothing else.
      const conflict = 'console: Failed to load resource: the server responded with a status of 409 (Conflict)';
      assert.equal(problems.filter((x) => x === conflict).length, 1);
      assert.deepEqual(problems.filter((x) => x !== conflict), []);
    });

    // The CLI verifies everything about the memo, the ring signature too.
    const out = server.cli(['memo', 'verify', id], undefined, undefined, 'alice');
    assert.match(out, /Anonymous +1 current, 0 stale; each verified/);
    assert.match(out, /OK: memo d_[0-9a-f]{24} verifies/);
  } catch (e) {
    failed = true;
    throw e;
  }
});
