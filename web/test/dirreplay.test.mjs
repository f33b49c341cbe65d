// dirreplay.js against a synthetic log: the cases of
// tests/unit/test_cli_anon.c (snapshot checks and refusals, parsing,
// ring choice), plus the log tie (Merkle root) of verifyAgainstLog().
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as b64 from '../app/b64.js';
import { equal } from '../app/bytes.js';
import * as dr from '../app/dirreplay.js';
import * as event from '../app/event.js';
import { derive } from '../app/keys.js';
import * as merkle from '../app/merkle.js';

const NM = 8;
const id = (i) => `m_${(i + 1).toString(16).padStart(24, '0')}`;
const ks = Array.from({ length: NM }, (_, i) => derive(new Uint8Array(32).fill(i + 1)));
const other = derive(new Uint8Array(32).fill(0x99));
const ORGS = ['org'];

// The world's log as encoded leaves; member 5 is not eligible, 6 is of
// "other", 7 is suspended last.
function world() {
  const leaves = [];
  const add = (ev) => leaves.push(event.encode({ time: 1764400000 + leaves.length, ...ev }));
  add({ type: 'org_created', orgId: 'org' });
  add({ type: 'org_created', orgId: 'other' });
  for (let i = 0; i < NM; i++) {
    add({ type: 'member_created', memberId: id(i), orgId: i === 6 ? 'other' : 'org', roles: event.ROLES.member, eligible: i !== 5 });
    add({ type: 'member_enrolled', memberId: id(i), epoch: 1, keysHash: event.keysHash(ks[i].pub) });
  }
  add({ type: 'member_suspended', memberId: id(7) });
  return { leaves, add };
}

const dirAt = (leaves, t) => dr.replay(leaves.slice(0, t).map((l) => event.decode(l)));

// The GET /ring answer for entries [{i, epoch, pub}], sorted by ring key.
function answer(entries, treeSize, max = 1024) {
  const members = entries
    .map((e) => ({ member: e.id ?? id(e.i), epoch: e.epoch ?? 1, pub: e.pub ?? ks[e.i].pub }))
    .sort((a, b) => Buffer.compare(Buffer.from(a.pub.ringPk), Buffer.from(b.pub.ringPk)))
    .map((e) => ({ member: e.member, epoch: e.epoch, sign_pk: b64.encode(e.pub.signPk), box_pk: b64.encode(e.pub.boxPk), ring_pk: b64.encode(e.pub.ringPk) }));
  return { tree_size: treeSize, max, min_warn: 2, members };
}

const five = [0, 1, 2, 3, 4].map((i) => ({ i }));

function check(ans, leaves, t) {
  dr.checkSnapshot(dr.parseSnapshot(ans), dirAt(leaves, t), ORGS);
}

test('the snapshot of the eligible set checks', () => {
  const { leaves } = world();
  check(answer(five, leaves.length), leaves, leaves.length);
});

test('members not eligible at the tree size are refused', () => {
  const { leaves } = world();
  for (const x of [5, 6, 7]) {
    assert.throws(() => check(answer([...five, { i: x }], leaves.length), leaves, leaves.length),
      (e) => e instanceof dr.SnapshotError && e.message.includes(id(x)) && e.message.includes('not an active, eligible member'));
  }
  // Before its suspension, member 7 was eligible.
  check(answer([...five, { i: 7 }], leaves.length - 1), leaves, leaves.length - 1);
});

test('a member enrolled after the tree size is refused', () => {
  const { leaves, add } = world();
  const base = leaves.length;
  add({ type: 'member_created', memberId: id(NM), orgId: 'org', roles: 1, eligible: true });
  add({ type: 'member_enrolled', memberId: id(NM), epoch: 1, keysHash: event.keysHash(other.pub) });
  const six = [...five, { id: id(NM), pub: other.pub }];
  assert.throws(() => check(answer(six, base), leaves, base), /not in the directory/);
  check(answer(six, leaves.length), leaves, leaves.length);
});

test('keys the log did not publish are refused', () => {
  const { leaves } = world();
  const forged = { ...ks[2].pub, ringPk: other.pub.ringPk };
  const e = five.map((x) => (x.i === 2 ? { i: 2, pub: forged } : x));
  assert.throws(() => check(answer(e, leaves.length), leaves, leaves.length), (err) => err.message.includes('does not publish') && err.message.includes(id(2)));
  const box = ks[3].pub.boxPk.slice();
  box[0] ^= 1;
  const e2 = five.map((x) => (x.i === 3 ? { i: 3, pub: { ...ks[3].pub, boxPk: box } } : x));
  assert.throws(() => check(answer(e2, leaves.length), leaves, leaves.length), /does not publish/);
});

test('an epoch rotated away before the tree size is refused', () => {
  const { leaves, add } = world();
  add({ type: 'keys_rotated', memberId: id(0), epoch: 2, keysHash: event.keysHash(other.pub) });
  assert.throws(() => check(answer(five, leaves.length), leaves, leaves.length), /held epoch 2/);
  check(answer(five.map((x) => (x.i === 0 ? { i: 0, epoch: 2, pub: other.pub } : x)), leaves.length), leaves, leaves.length);
  assert.throws(() => check(answer(five.map((x) => (x.i === 0 ? { i: 0, epoch: 2 } : x)), leaves.length), leaves, leaves.length), /does not publish/);
});

test('a missing member is refused', () => {
  const { leaves } = world();
  assert.throws(() => check(answer([0, 1, 3, 4].map((i) => ({ i })), leaves.length), leaves, leaves.length), /leaves members out/);
});

test('an extra member is refused', () => {
  const { leaves } = world();
  assert.throws(() => check(answer([...five, { id: id(NM), pub: other.pub }], leaves.length), leaves, leaves.length), new RegExp(id(NM)));
});

test('a replay of another size is refused', () => {
  const { leaves } = world();
  assert.throws(() => check(answer(five, leaves.length), leaves, leaves.length - 1), /not/);
});

test('suspension, reinstatement, eligibility and organisation follow the log', () => {
  const { leaves, add } = world();
  add({ type: 'member_reinstated', memberId: id(7) });
  add({ type: 'eligibility_changed', memberId: id(5), eligible: true });
  add({ type: 'eligibility_changed', memberId: id(0), eligible: false });
  add({ type: 'roles_changed', memberId: id(1), roles: event.ROLES.member | event.ROLES.coordinator });
  const set = [1, 2, 3, 4, 5, 7].map((i) => ({ i }));
  check(answer(set, leaves.length), leaves, leaves.length);
  assert.throws(() => check(answer(five, leaves.length), leaves, leaves.length), new RegExp(id(0)));
  assert.throws(() => dr.checkSnapshot(dr.parseSnapshot(answer(set, leaves.length)), dirAt(leaves, leaves.length), []), /no organisation/);
});

test('a log that breaks the directory rules does not replay', () => {
  const enc = (ev) => event.decode(event.encode({ time: 1, ...ev }));
  const org = enc({ type: 'org_created', orgId: 'org' });
  const mem = enc({ type: 'member_created', memberId: id(0), orgId: 'org', roles: 1, eligible: true });
  const enr = enc({ type: 'member_enrolled', memberId: id(0), epoch: 1, keysHash: event.keysHash(ks[0].pub) });
  const bad = [
    [[org, org], /created twice/],
    [[mem], /unknown organisation/],
    [[org, mem, mem], /created twice/],
    [[org, enr], /unknown member/],
    [[org, mem, enr, enr], /enrolls again/],
    [[org, mem, enc({ type: 'member_enrolled', memberId: id(0), epoch: 2, keysHash: event.keysHash(ks[0].pub) })], /not 1/],
    [[org, mem, enc({ type: 'keys_rotated', memberId: id(0), epoch: 2, keysHash: event.keysHash(ks[0].pub) })], /without having enrolled/],
    [[org, mem, enr, enc({ type: 'keys_rotated', memberId: id(0), epoch: 3, keysHash: event.keysHash(ks[0].pub) })], /holds epoch 1/],
    [[org, mem, enr, enc({ type: 'member_suspended', memberId: id(0) }), enc({ type: 'member_suspended', memberId: id(0) })], /suspended while suspended/],
    [[org, mem, enr, enc({ type: 'member_reinstated', memberId: id(0) })], /reinstated while active/],
  ];
  for (const [evs, re] of bad) assert.throws(() => dr.replay(evs), (e) => e instanceof dr.SnapshotError && re.test(e.message));
});

test('malformed snapshot answers are refused', () => {
  const { leaves } = world();
  assert.throws(() => dr.parseSnapshot({}), dr.SnapshotError);
  assert.throws(() => dr.parseSnapshot({ tree_size: 0, max: 8, min_warn: 2, members: [] }), /tree size/);
  assert.throws(() => dr.parseSnapshot({ tree_size: 3, max: 1, min_warn: 2, members: [] }), /largest ring/);
  assert.throws(() => dr.parseSnapshot({ tree_size: 2 ** 53, max: 8, min_warn: 2, members: [] }), /tree size/);
  assert.equal(dr.parseSnapshot({ tree_size: 3, max: 8, min_warn: 2, members: [] }).members.length, 0);
  const a = answer(five, leaves.length);
  a.members.push(a.members.shift());
  assert.throws(() => dr.parseSnapshot(a), /sorted/);
  const b = answer(five.map((x) => (x.i === 1 ? { i: 1, id: id(0) } : x)), leaves.length);
  assert.throws(() => dr.parseSnapshot(b), /twice/);
  const c = answer(five, leaves.length);
  c.members[2].box_pk = 'AAAA';
  assert.throws(() => dr.parseSnapshot(c), /malformed keys/);
  const d = answer(five, leaves.length);
  d.members[0].epoch = 0;
  assert.throws(() => dr.parseSnapshot(d), /key epoch/);
});

test('the ring is the whole set up to the maximum', () => {
  const { leaves } = world();
  const s = dr.parseSnapshot(answer(five, leaves.length));
  const r = dr.chooseRing(s, id(2), ks[2].pub.ringPk);
  assert.equal(r.ring.length, 5);
  assert.ok(equal(r.ring[r.pos], ks[2].pub.ringPk));
  r.ring.forEach((k, i) => assert.ok(equal(k, s.members[i].pub.ringPk)));
});

test('above the maximum the ring is a sorted subset holding the signer', () => {
  const { leaves } = world();
  const s = dr.parseSnapshot(answer(five, leaves.length, 3));
  for (let n = 0; n < 10; n++) {
    const r = dr.chooseRing(s, id(4), ks[4].pub.ringPk);
    assert.equal(r.ring.length, 3);
    assert.ok(equal(r.ring[r.pos], ks[4].pub.ringPk));
    for (let i = 1; i < 3; i++) assert.ok(Buffer.compare(Buffer.from(r.ring[i - 1]), Buffer.from(r.ring[i])) < 0);
  }
});

test('the ring choice refuses outsiders, another member\'s key and a saved ring that does not fit', () => {
  const { leaves } = world();
  const s = dr.parseSnapshot(answer(five, leaves.length));
  assert.throws(() => dr.chooseRing(s, id(5), ks[5].pub.ringPk), /not in the memo's eligible set/);
  assert.throws(() => dr.chooseRing(s, id(3), ks[2].pub.ringPk), new RegExp(`gives your ring key to ${id(2)}`));
  const one = dr.parseSnapshot(answer([{ i: 0 }], leaves.length));
  assert.throws(() => dr.chooseRing(one, id(0), ks[0].pub.ringPk), /only 1 member/);
  const prev = { ring: [ks[0].pub.ringPk, ks[1].pub.ringPk].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))), treeSize: s.treeSize };
  const again = dr.chooseRing(s, id(1), ks[1].pub.ringPk, prev);
  assert.deepEqual(again.ring, prev.ring);
  assert.ok(equal(again.ring[again.pos], ks[1].pub.ringPk));
  assert.throws(() => dr.chooseRing(s, id(2), ks[2].pub.ringPk, prev), /not in the ring of your saved signature/);
  assert.throws(() => dr.chooseRing(s, id(1), ks[1].pub.ringPk, { ...prev, treeSize: s.treeSize - 1n }), /log size/);
  assert.throws(() => dr.chooseRing(s, id(1), ks[1].pub.ringPk, { ...prev, ring: [...prev.ring, other.pub.ringPk] }), /not in the memo's eligible set/);
});

// A LogSync stand-in over the leaves `leaves` with a head of `size`.
function fakeSync(leaves, size, tamper) {
  const hashes = leaves.map((l) => merkle.leafHash(l));
  const head = { instanceId: 'test', size: BigInt(size), timestamp: 1n, root: merkle.rootOf(hashes, 0, size) };
  return {
    headCovering: async () => head,
    entries: async (h, start, count) => {
      const out = [];
      for (let i = Number(start); i < Number(start) + Number(count); i++) {
        const leaf = tamper && i === 3 ? tamper(leaves[i]) : leaves[i];
        out.push({ index: BigInt(i), leaf, event: event.decode(leaf) });
      }
      return out;
    },
    get: async (path) => {
      const q = new URLSearchParams(path.split('?')[1]);
      const m = Number(q.get('first'));
      const n = Number(q.get('second'));
      return { first: m, second: n, proof: merkle.consistencyProof(hashes, m, n).map((p) => b64.encode(p)) };
    },
  };
}

test('the replay is tied to the signed tree head by its root', async () => {
  const { leaves, add } = world();
  const t = leaves.length;
  add({ type: 'member_suspended', memberId: id(0) });
  const ans = dr.parseSnapshot(answer(five, t));
  await dr.verifyAgainstLog(fakeSync(leaves, t), ans, ORGS);
  const seen = [];
  await dr.verifyAgainstLog(fakeSync(leaves, leaves.length), ans, ORGS, (d, n) => seen.push([d, n]));
  assert.deepEqual(seen, [[t, t]]);
  // A log whose entry 3 the server swapped for one that replays the same.
  const swap = (leaf) => event.encode({ ...event.decode(leaf), time: 5n });
  await assert.rejects(dr.verifyAgainstLog(fakeSync(leaves, t, swap), ans, ORGS), /not the ones of its signed tree head/);
  await assert.rejects(dr.verifyAgainstLog(fakeSync(leaves, leaves.length, swap), ans, ORGS), /not the ones of its signed tree head/);
});
