// The JavaScript protocol modules against a real dissentd and the real
// CLI, without a browser: a receipt the server issued (and the CLI
// verified) verifies in JavaScript and gives the same summary; the log
// the server keeps is followed with logsync.js (heads, consistency proofs
// as the log grows, every entry decoded, the root recomputed from the
// entries, the members' keys found in the log); a forged head, a
// rollback, a swapped key and a tampered receipt are each refused; and
// ring signatures cross between the implementations both ways: one made
// in JavaScript is accepted by dissentd (ring.c), and the CLI's verify in
// JavaScript.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import * as b64 from '../../app/b64.js';
import { toHex } from '../../app/bytes.js';
import { derive } from '../../app/keys.js';
import { LogError, forInstance, forgetAll } from '../../app/logsync.js';
import { leafHash, rootOf } from '../../app/merkle.js';
import { ReceiptError, verify as verifyReceipt } from '../../app/receipt.js';
import * as ring from '../../app/ring.js';
import { fromJson, toJson } from '../../app/treehead.js';
import { Server, requireTools } from '../../testlib/browser.mjs';

let server;
let failed = false;
let instance;
const ids = {};

// A GET of /api/v1`path` with `who`'s CLI session: the JSON answer, or
// an error carrying the status.
function getAs(who) {
  const { token } = JSON.parse(readFileSync(join(server.dir, `home-${who}`, 'session.json'), 'utf8'));
  return async (path) => {
    const res = await fetch(`${server.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
    const body = await res.json();
    if (!res.ok) throw Object.assign(new Error(`${path}: ${res.status} ${body?.error?.code}`), { status: res.status });
    return body;
  };
}

// A member created, enrolled and logged in with the CLI.
function member(handle, name, roles) {
  const code = server.createMember(handle, name, roles);
  const file = join(server.dir, `${handle}.code`);
  writeFileSync(file, code);
  server.enrollCli(handle, file);
  server.loginCli(handle);
  ids[handle] = JSON.parse(server.cli(['--json', 'member', 'show', handle])).member.id;
}

before(async () => {
  requireTools();
  server = await new Server().start();
  instance = await (await fetch(`${server.url}/api/v1/instance`)).json();
  ids.admin = JSON.parse(server.cli(['--json', 'member', 'show', 'admin'])).member.id;
  member('coord', 'Casey Coordinator', 'member,coordinator');
  member('dora', 'Dora Drafter', 'member');
  server.cli(['channel', 'init'], undefined, undefined, 'coord');
});

after(async () => {
  if (failed) console.error(`--- dissentd log ---\n${server?.log()}\n--- kept ${server?.dir} ---`);
  await server?.stop(failed);
});

function it(name, body) {
  test(name, { timeout: 120_000 }, async () => {
    try {
      forgetAll();
      await body();
    } catch (e) {
      failed = true;
      throw e;
    }
  });
}

it('a submission receipt from dissentd verifies in JavaScript as it does in the CLI', async () => {
  const body = join(server.dir, 'body.md');
  writeFileSync(body, 'The policy should change.\n');
  const memo = server.cli(['memo', 'new', '--title', 'Reconsider', '--topic', 'policy', '--marking', 'SBU', '--body-file', body], undefined, undefined, 'dora').trim();
  assert.match(memo, /^d_[0-9a-f]{24}$/);
  server.cli(['memo', 'open', memo], undefined, undefined, 'dora');
  const file = join(server.dir, 'receipt.json');
  const out = JSON.parse(server.cli(['--json', 'memo', 'submit', memo, '--yes', '--receipt-out', file], undefined, undefined, 'dora'));
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const pk = b64.decode(instance.server_sign_pk, 32);

  const v = verifyReceipt(r, pk, { instanceId: instance.instance_id, memoId: memo, type: 'memo_submitted' });
  const c = out.verified;
  assert.equal(v.memoId, c.memo);
  assert.equal(v.event.name, c.event);
  assert.equal(Number(v.event.time), c.time);
  assert.equal(Number(v.index), c.index);
  assert.equal(Number(v.head.size), c.tree_size);
  assert.equal(Number(v.head.timestamp), c.tree_timestamp);
  assert.equal(v.head.instanceId, c.instance_id);
  assert.equal(v.event.memoVersion, c.version);
  assert.equal(b64.encode(v.event.hash), c.version_hash);
  assert.equal(v.event.named, c.named);
  assert.equal(v.event.anonymous, c.anonymous);
  assert.equal(b64.encode(v.event.packageHash), c.package_hash);
  assert.equal(v.event.topic, undefined);
  assert.equal(v.event.orgId, undefined);
  assert.equal(c.topic, undefined);
  assert.equal(c.org, undefined);

  // The server's answer later, to the drafter, verifies too, and the log
  // followed in this "tab" extends the receipt's head.
  const again = await getAs('dora')(`/memos/${memo}/receipt`);
  const log = forInstance(instance, getAs('dora'));
  const w = await log.checkReceipt(again, { memoId: memo, type: 'memo_submitted' });
  assert.equal(w.index, v.index);

  // Forgeries are refused.
  const ev = b64.decode(r.event);
  ev[ev.length - 1] ^= 1;
  assert.throws(() => verifyReceipt({ ...r, event: b64.encode(ev) }, pk), ReceiptError);
  assert.throws(() => verifyReceipt(r, b64.decode(b64.encode(new Uint8Array(32).fill(9)), 32)), /wrong key/);
  assert.throws(() => verifyReceipt(r, pk, { memoId: 'd_000000000000000000000000' }), ReceiptError);
  assert.throws(() => verifyReceipt(r, pk, { type: 'memo_withdrawn' }), ReceiptError);
});

it('the log is followed in JavaScript: heads, growth, entries, root and keys', async () => {
  const get = getAs('admin');
  const log = forInstance(instance, get);
  const first = await log.head();
  assert.ok(first.size > 0n);
  assert.equal(log.last().head, first);

  // Every entry of the real log decodes strictly, and the entries give
  // the signed root.
  const entries = [];
  for (let s = 0n; s < first.size; s += 1000n) {
    const n = first.size - s < 1000n ? first.size - s : 1000n;
    entries.push(...(await log.entries(first, s, n)));
  }
  assert.equal(BigInt(entries.length), first.size);
  for (const e of entries) assert.ok(e.event, `entry ${e.index}: ${e.error}`);
  assert.equal(toHex(rootOf(entries.map((e) => leafHash(e.leaf)))), toHex(first.root));
  const names = new Set(entries.map((e) => e.event.name));
  for (const n of ['org_created', 'member_created', 'member_enrolled', 'channel_key_created', 'memo_submitted']) assert.ok(names.has(n), n);

  // Every entry is in the head by its inclusion proof.
  for (const e of entries) await log.proveEntry(first, e.index, e.leaf);

  // The log grows: the next head is checked by a real consistency proof.
  member('erin', 'Erin Example', 'member,auditor');
  const grown = await log.head();
  assert.ok(grown.size > first.size);
  assert.equal(log.last().head, grown);

  // Each member's keys are the ones the log published.
  for (const who of ['admin', 'coord', 'dora', 'erin']) {
    const rec = await get(`/members/${ids[who]}/keys`);
    const { pub, epoch } = await log.checkKeys(who, ids[who], rec.current);
    assert.equal(epoch, 1);
    assert.equal(b64.encode(pub.signPk), rec.current.sign_pk);
  }
});

it('a log that is rolled back, forked or re-signed under another key is refused', async () => {
  const get = getAs('admin');
  const log = forInstance(instance, get);
  const real = await log.head();

  // A server that now shows an older head: a rollback.
  const older = await get(`/log/heads/${real.size - 1n}`);
  const rolledBack = forInstance(instance, async (path) => (path === '/log/head' ? older : get(path)));
  await assert.rejects(rolledBack.head(), (e) => e instanceof LogError && e.code === 'log_inconsistent');

  // A head of the same size with another root (signed by nobody).
  const forked = { ...toJson(real), root: b64.encode(new Uint8Array(32).fill(1)) };
  const forking = forInstance(instance, async (path) => (path === '/log/head' ? forked : get(path)));
  await assert.rejects(forking.head(), (e) => e instanceof LogError && e.code === 'bad_tree_head');

  // A grown head whose consistency proof does not hold.
  member('finn', 'Finn Fourth', 'member');
  const lying = forInstance(instance, async (path) => {
    const body = await get(path);
    if (path.startsWith('/log/consistency')) body.proof = body.proof.map(() => b64.encode(new Uint8Array(32)));
    return body;
  });
  await assert.rejects(lying.head(), (e) => e instanceof LogError && e.code === 'log_inconsistent');
  // The head seen before is kept, so the honest answer still extends it.
  assert.equal(lying.last().head.size, real.size);
  assert.ok((await log.head()).size > real.size);

  // Another server key for this instance in the same tab.
  assert.throws(
    () => forInstance({ ...instance, server_sign_pk: b64.encode(new Uint8Array(32).fill(3)) }, get),
    (e) => e instanceof LogError && e.code === 'server_key_changed',
  );

  // Keys the log does not publish.
  const rec = (await get(`/members/${ids.dora}/keys`)).current;
  const swapped = { ...rec, box_pk: (await get(`/members/${ids.coord}/keys`)).current.box_pk };
  await assert.rejects(log.checkKeys('dora', ids.dora, swapped), (e) => e instanceof LogError && e.code === 'key_not_logged');
  await assert.rejects(log.checkKeys('dora', ids.coord, rec), (e) => e instanceof LogError && e.code === 'key_not_logged');
  const beyond = { ...rec, log_index: Number(real.size) + 1000 };
  await assert.rejects(log.checkKeys('dora', ids.dora, beyond), (e) => e instanceof LogError && e.code === 'key_not_logged');
  assert.deepEqual(fromJson(toJson(real)), real);
});

// A POST of `body` to /api/v1`path` with no session at all, as anonymous
// signatures are sent: {status, body}.
async function postBare(path, body) {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

it('a ring signature made in JavaScript is accepted by dissentd, and the CLI\'s verify in JavaScript', async () => {
  member('sam', 'Sam Signer', 'member');
  member('sid', 'Sid Signer', 'member');
  const body = join(server.dir, 'body2.md');
  writeFileSync(body, 'Anonymous support.\n');
  const memo = server.cli(['memo', 'new', '--title', 'Quietly', '--topic', 'policy', '--marking', 'SBU', '--body-file', body], undefined, undefined, 'dora').trim();
  server.cli(['memo', 'open', memo], undefined, undefined, 'dora');
  for (const who of ['sam', 'sid']) server.cli(['memo', 'invite', memo, who], undefined, undefined, 'dora');
  const get = getAs('sam');
  const snap = await get(`/memos/${memo}/ring`);
  const { memo: m } = await get(`/memos/${memo}`);
  const versionHash = b64.decode(m.version_hash, 32);
  const keys = snap.members.map((x) => b64.decode(x.ring_pk, 32));
  assert.ok(keys.length >= 4, `ring of ${keys.length}`);

  // Every key of the snapshot is the one the log published for its member.
  const log = forInstance(instance, get);
  for (const x of snap.members) {
    const rec = await get(`/members/${x.member}/keys`);
    const at = rec.history.find((k) => k.epoch === x.epoch);
    const { pub } = await log.checkKeys(x.member, x.member, at);
    assert.equal(b64.encode(pub.ringPk), x.ring_pk);
  }

  // Sam signs in JavaScript with the seed the CLI keeps for Sam.
  const { seed } = JSON.parse(readFileSync(join(server.dir, 'home-sam', 'session.json'), 'utf8'));
  const ks = derive(b64.decode(seed, 32));
  const me = keys.findIndex((k) => toHex(k) === toHex(ks.pub.ringPk));
  assert.ok(me >= 0, 'Sam is in the ring');
  const binding = ring.bindingVersion(versionHash);
  const sig = await ring.signAsync(keys, me, ks.ringSk, memo, binding, snap.tree_size);
  assert.ok(ring.verify(sig, keys, memo, binding, snap.tree_size));
  const post = { version: m.version, version_hash: m.version_hash, ring: snap.members.map((x) => x.ring_pk) };

  // dissentd refuses a changed byte, accepts the signature, and links a
  // second one by the same key.
  const bad = sig.slice();
  bad[40] ^= 1;
  let r = await postBare(`/memos/${memo}/anonymous-signatures`, { ...post, signature: b64.encode(bad) });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'bad_signature');
  r = await postBare(`/memos/${memo}/anonymous-signatures`, { ...post, signature: b64.encode(sig) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.counts.anonymous, 1);
  assert.equal(r.body.tag, b64.encode(ring.tag(ks.ringSk, memo)));
  const again = ring.sign(keys, me, ks.ringSk, memo, binding, snap.tree_size);
  r = await postBare(`/memos/${memo}/anonymous-signatures`, { ...post, signature: b64.encode(again) });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'already_signed');

  // Sid signs with the CLI (ring.c); both signatures verify here.
  server.cli(['memo', 'sign', memo, '--anonymous', '--yes'], undefined, undefined, 'sid');
  const list = await get(`/memos/${memo}/anonymous-signatures`);
  assert.equal(list.signatures.length, 2);
  const tags = new Set();
  for (const a of list.signatures) {
    const rk = a.ring.map((k) => b64.decode(k, 32));
    const s = b64.decode(a.signature);
    assert.ok(ring.verify(s, rk, memo, ring.bindingVersion(b64.decode(a.version_hash, 32)), list.tree_size));
    assert.equal(b64.encode(ring.parse(s).tag), a.tag);
    tags.add(a.tag);
  }
  assert.equal(tags.size, 2);
  assert.ok(tags.has(b64.encode(ring.tag(ks.ringSk, memo))));

  // Sam withdraws, in JavaScript, over the same ring.
  const w = ring.sign(keys, me, ks.ringSk, memo, ring.bindingWithdrawal(versionHash, sig), snap.tree_size);
  r = await postBare(`/memos/${memo}/anonymous-signatures/withdraw`, { ring: post.ring, signature: b64.encode(w) });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.counts.anonymous, 1);
});
