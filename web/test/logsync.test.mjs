// logsync.js against a server played from treehead.json: its heads in
// turn, its proofs, its entries, and the answers a dishonest server would
// give instead.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import * as b64 from '../app/b64.js';
import { derive } from '../app/keys.js';
import { LogError, forInstance, forgetAll } from '../app/logsync.js';
import { consistencyProof, inclusionProof, leafHash } from '../app/merkle.js';
import sodium from '../app/sodium.js';
import { signHead, toJson } from '../app/treehead.js';
import { hex, vectors } from '../testlib/vectors.mjs';

const v = vectors('treehead');
const ev = vectors('event');
const server = sodium.crypto_sign_seed_keypair(hex(v.server_seed_hex));
const instance = { instance_id: v.instance_id, server_sign_pk: b64.encode(server.publicKey) };
const leaves = v.leaves_hex.map(hex);
const hashes = leaves.map(leafHash);
const headJson = (size) => {
  const h = v.heads.find((x) => x.size === size);
  return { instance_id: h.instance_id, size: h.size, timestamp: h.timestamp, root: b64.encode(hex(h.root_hex)), signature: b64.encode(hex(h.sig_hex)) };
};

// A server that answers from the vectors, showing the head of `size`;
// `lie` may replace any answer.
function playedServer(size, lie = {}) {
  const s = { size, calls: [] };
  s.get = async (path) => {
    s.calls.push(path);
    const u = new URL(path, 'http://x');
    const q = (k) => Number(u.searchParams.get(k));
    let body;
    switch (u.pathname) {
      case '/log/head':
        body = headJson(s.size);
        break;
      case '/log/consistency':
        body = { first: q('first'), second: q('second'), proof: consistencyProof(hashes, q('first'), q('second')).map(b64.encode) };
        break;
      case '/log/inclusion':
        body = { index: q('index'), size: q('size'), proof: inclusionProof(hashes, q('index'), q('size')).map(b64.encode) };
        break;
      case '/log/entries': {
        const start = q('start');
        body = { entries: leaves.slice(start, Math.min(start + q('count'), s.size)).map((l, k) => ({ index: start + k, event: b64.encode(l) })) };
        break;
      }
      default:
        throw new Error(`unexpected ${path}`);
    }
    return lie[u.pathname] ? lie[u.pathname](body, u) : body;
  };
  return s;
}

const isLogError = (code) => (e) => e instanceof LogError && e.code === code;

beforeEach(() => forgetAll());

test('heads are followed as the log grows, each growth proved', async () => {
  const s = playedServer(1);
  const log = forInstance(instance, s.get);
  assert.equal(log.last(), null);
  assert.equal((await log.head()).size, 1n);
  for (const size of [2, 3, 7, 8, 11]) {
    s.size = size;
    assert.equal((await log.head()).size, BigInt(size));
    assert.equal(log.last().head.size, BigInt(size));
  }
  assert.ok(s.calls.includes('/log/consistency?first=8&second=11'));
  // The same head again needs no proof.
  s.calls.length = 0;
  await log.head();
  assert.deepEqual(s.calls, ['/log/head']);
});

test('from the empty log no proof is asked for', async () => {
  const s = playedServer(0);
  const log = forInstance(instance, s.get);
  await log.head();
  s.size = 7;
  await log.head();
  assert.ok(!s.calls.some((c) => c.startsWith('/log/consistency')));
});

test('a rollback, a signed fork and a bad consistency proof are refused, and the last head kept', async () => {
  const s = playedServer(8);
  const log = forInstance(instance, s.get);
  await log.head();
  s.size = 7;
  await assert.rejects(log.head(), isLogError('log_inconsistent'));
  const fork = v.bad_heads.find((b) => b.expect === 'fork');
  const forked = forInstance(instance, playedServer(8, {
    '/log/head': () => ({ instance_id: fork.instance_id, size: fork.size, timestamp: fork.timestamp, root: b64.encode(hex(fork.root_hex)), signature: b64.encode(hex(fork.sig_hex)) }),
  }).get);
  await assert.rejects(forked.head(), isLogError('log_inconsistent'));
  const lying = forInstance(instance, playedServer(11, {
    '/log/consistency': (b) => ({ ...b, proof: b.proof.slice(1) }),
  }).get);
  await assert.rejects(lying.head(), isLogError('log_inconsistent'));
  const wrongSizes = forInstance(instance, playedServer(11, { '/log/consistency': (b) => ({ ...b, first: 7 }) }).get);
  await assert.rejects(wrongSizes.head(), isLogError('bad_answer'));
  assert.equal(log.last().head.size, 8n);
  s.size = 11;
  assert.equal((await log.head()).size, 11n);
});

test('a head that does not verify, or names another instance, is refused', async () => {
  const bad = v.bad_heads.find((b) => b.expect === 'bad_signature');
  const log = forInstance(instance, playedServer(2, {
    '/log/head': () => ({ instance_id: bad.instance_id, size: bad.size, timestamp: bad.timestamp, root: b64.encode(hex(bad.root_hex)), signature: b64.encode(hex(bad.sig_hex)) }),
  }).get);
  await assert.rejects(log.head(), isLogError('bad_tree_head'));
  const other = signHead({ instanceId: 'another', size: 2n, timestamp: 1n, root: hex(v.heads[2].root_hex) }, server.privateKey);
  const elsewhere = forInstance(instance, playedServer(2, { '/log/head': () => toJson(other) }).get);
  await assert.rejects(elsewhere.head(), isLogError('bad_tree_head'));
  const malformed = forInstance(instance, playedServer(2, { '/log/head': (b) => ({ ...b, size: '2' }) }).get);
  await assert.rejects(malformed.head(), isLogError('bad_answer'));
  assert.equal(log.last(), null);
});

test('another server key for an instance seen in this tab is refused', () => {
  forInstance(instance, async () => ({}));
  assert.throws(() => forInstance({ ...instance, server_sign_pk: b64.encode(new Uint8Array(32).fill(1)) }), isLogError('server_key_changed'));
  assert.throws(() => forInstance({ ...instance, server_sign_pk: 'x' }), isLogError('bad_answer'));
});

test('entries are decoded and proved, and a short or reordered answer is refused', async () => {
  const log = forInstance(instance, playedServer(11).get);
  const head = await log.head();
  const entries = await log.entries(head, 0, 11);
  assert.deepEqual(entries.map((e) => e.event.name), ev.cases.map((c) => c.type));
  for (const e of entries) await log.proveEntry(head, e.index, e.leaf);
  const wrong = leaves[4];
  await assert.rejects(log.proveEntry(head, 3, wrong), isLogError('not_in_log'));
  await assert.rejects(log.entries(head, 10, 2), RangeError);
  const short = forInstance(instance, playedServer(11, { '/log/entries': (b) => ({ entries: b.entries.slice(1) }) }).get);
  await assert.rejects(short.entries(head, 0, 3), isLogError('log_inconsistent'));
  const shuffled = forInstance(instance, playedServer(11, { '/log/entries': (b) => ({ entries: b.entries.reverse() }) }).get);
  await assert.rejects(shuffled.entries(head, 0, 3), isLogError('bad_answer'));
  const junk = forInstance(instance, playedServer(11, { '/log/entries': (b) => ({ entries: b.entries.map((e) => ({ ...e, event: b64.encode(Uint8Array.of(9)) })) }) }).get);
  const [j] = await junk.entries(head, 0, 1);
  assert.equal(j.event, undefined);
  assert.match(j.error, /unknown event format/);
});

test('member keys are checked against the entry that published them', async () => {
  const s = playedServer(11);
  const log = forInstance(instance, s.get);
  const member = ev.cases[2].member_id;
  const rec = (seed, epoch, index) => {
    const { pub } = derive(hex(seed));
    return { epoch, sign_pk: b64.encode(pub.signPk), box_pk: b64.encode(pub.boxPk), ring_pk: b64.encode(pub.ringPk), log_index: index };
  };
  const enrolled = rec(ev.keys_hash[0].seed_hex, 1, 2);
  const rotated = rec(ev.keys_hash[1].seed_hex, 2, 5);
  assert.equal((await log.checkKeys('alice', member, enrolled)).epoch, 1);
  assert.equal((await log.checkKeys('alice', member, rotated)).epoch, 2);
  for (const [why, who, r] of [
    ['other keys', member, { ...enrolled, ring_pk: rotated.ring_pk }],
    ['another epoch', member, { ...enrolled, epoch: 2 }],
    ['another member', ev.cases[4].member_id, enrolled],
    ['an entry that publishes no keys', member, { ...enrolled, log_index: 6 }],
  ]) {
    await assert.rejects(log.checkKeys('alice', who, r), (e) => isLogError('key_not_logged')(e) && /does not contain/.test(e.message), why);
  }
  await assert.rejects(log.checkKeys('alice', member, { ...enrolled, sign_pk: 'short' }), isLogError('bad_answer'));
});

test('keys in an entry no signed head covers are refused after waiting', async () => {
  const s = playedServer(2);
  const log = forInstance(instance, s.get);
  const { pub } = derive(hex(ev.keys_hash[1].seed_hex));
  const r = { epoch: 2, sign_pk: b64.encode(pub.signPk), box_pk: b64.encode(pub.boxPk), ring_pk: b64.encode(pub.ringPk), log_index: 5 };
  const t0 = Date.now();
  await assert.rejects(log.checkKeys('alice', ev.cases[5].member_id, r), (e) => isLogError('key_not_logged')(e) && /beyond every tree head/.test(e.message));
  assert.ok(Date.now() - t0 >= 1900);
  // A head that arrives while it waits is used.
  setTimeout(() => {
    s.size = 7;
  }, 300);
  assert.equal((await log.checkKeys('alice', ev.cases[5].member_id, r)).epoch, 2);
});
