import assert from 'node:assert/strict';
import { test } from 'node:test';

import { derive } from '../app/keys.js';
import {
  bindingVersion,
  bindingWithdrawal,
  challenges,
  chooseSubset,
  digest,
  nonce,
  parse,
  scalarCanonical,
  sign,
  signAsync,
  tag,
  tagBase,
  tagBaseHash,
  verify,
  verifyAsync,
} from '../app/ring.js';
import sodium from '../app/sodium.js';
import { hex, toHex, vectors } from '../testlib/vectors.mjs';

const v = vectors('ring');
const members = v.members.map((m) => ({ sk: hex(m.ring_sk_hex), pk: hex(m.ring_pk_hex) }));
const ringOf = (indices) => indices.map((i) => members[i].pk);

test('every ring.json member\'s ring key comes from its seed', () => {
  assert.equal(v.members.length, 6);
  for (const m of v.members) {
    const ks = derive(hex(m.seed_hex));
    assert.equal(toHex(ks.ringSk), m.ring_sk_hex);
    assert.equal(toHex(ks.pub.ringPk), m.ring_pk_hex);
  }
});

test('every ring.json tag base is reproduced', () => {
  assert.equal(v.tag_bases.length, 2);
  for (const b of v.tag_bases) {
    assert.equal(toHex(tagBaseHash(b.memo_id)), b.hash_hex);
    assert.equal(toHex(tagBase(b.memo_id)), b.point_hex);
  }
  assert.throws(() => tagBase('d_0000000000000000000000FF'), RangeError);
});

test('every ring.json tag is reproduced', () => {
  assert.equal(v.tags.length, 6);
  for (const t of v.tags) assert.equal(toHex(tag(members[t.member].sk, t.memo_id)), t.tag_hex);
  assert.throws(() => tag(new Uint8Array(32), v.tags[0].memo_id), RangeError);
});

test('every ring.json digest is reproduced, and order, keys and tree size count', () => {
  assert.equal(v.digests.length, 3);
  for (const d of v.digests) assert.equal(toHex(digest(ringOf(d.ring), d.tree_size)), d.digest_hex);
  assert.notEqual(v.digests[0].digest_hex, v.digests[1].digest_hex);
  assert.throws(() => digest([members[0].pk], 1), RangeError);
});

test('every ring.json binding is reproduced', () => {
  assert.equal(v.bindings.length, 2);
  for (const b of v.bindings) {
    const vh = hex(b.version_hash_hex);
    const got = b.kind === 1 ? bindingVersion(vh) : bindingWithdrawal(vh, hex(b.withdrawn_sig_hex));
    assert.equal(toHex(got), b.binding_hex);
  }
  assert.equal(v.bindings[1].withdrawn_sig_hex, v.signatures[0].sig_hex);
  assert.throws(() => bindingWithdrawal(hex(v.bindings[0].version_hash_hex), new Uint8Array(96)), RangeError);
});

test('every ring.json signature is reproduced from its seed, with every nonce and challenge, and verifies', () => {
  assert.equal(v.signatures.length, 4);
  for (const c of v.signatures) {
    const ring = ringOf(c.ring);
    assert.deepEqual(ring.map(toHex), c.ring_hex);
    const sk = members[c.ring[c.signer]].sk;
    const b = hex(c.binding_hex);
    const d = digest(ring, c.tree_size);
    assert.equal(toHex(d), c.digest_hex);
    assert.equal(toHex(tagBase(c.memo_id)), c.tag_base_hex);
    assert.equal(toHex(tag(sk, c.memo_id)), c.tag_hex);
    const seed = hex(c.seed_hex);
    c.nonces_hex.forEach((k, j) => assert.equal(toHex(nonce(seed, sk, c.memo_id, d, b, j)), k));
    const sig = sign(ring, c.signer, sk, c.memo_id, b, c.tree_size, { seed });
    assert.equal(toHex(sig), c.sig_hex);
    // Every s_j but the signer's is k_j; the tag closes the signature.
    c.nonces_hex.forEach((k, j) => {
      if (j !== c.signer) assert.equal(toHex(sig.subarray(32 * (j + 1), 32 * (j + 2))), k);
    });
    assert.equal(toHex(sig.subarray(sig.length - 32)), c.tag_hex);
    const cs = challenges(hex(c.sig_hex), ring, c.memo_id, b, c.tree_size);
    assert.deepEqual(cs.slice(0, -1).map(toHex), c.challenges_hex);
    assert.equal(toHex(cs[cs.length - 1]), c.challenges_hex[0]);
    assert.ok(verify(hex(c.sig_hex), ring, c.memo_id, b, c.tree_size));
    assert.ok(verify(hex(c.sig_hex), ring, c.memo_id, b, BigInt(c.tree_size), { digest: d }));
    assert.equal(parse(hex(c.sig_hex)).n, ring.length);
  }
});

test('the ring.json withdrawal carries the tag of the signature it withdraws', () => {
  const w = v.signatures.filter((c) => c.binding_hex.startsWith('02'));
  assert.equal(w.length, 1);
  assert.equal(w[0].tag_hex, v.signatures[0].tag_hex);
  assert.equal(w[0].binding_hex, v.bindings[1].binding_hex);
});

test('every invalid input of ring.json is refused', () => {
  assert.equal(v.invalid.length, 21);
  for (const c of v.invalid) {
    assert.ok(c.reason.length > 0);
    const ring = c.ring_hex.map(hex);
    const ok = verify(hex(c.sig_hex), ring, c.memo_id, hex(c.binding_hex), c.tree_size, { max: c.max });
    assert.equal(ok, false, c.reason);
  }
});

test('a signature is refused against a digest the caller holds for another ring', () => {
  const c = v.signatures[1];
  const ring = ringOf(c.ring);
  const other = digest(ring, c.tree_size + 1);
  assert.equal(verify(hex(c.sig_hex), ring, c.memo_id, hex(c.binding_hex), c.tree_size, { digest: other }), false);
});

test('signing refuses what verification refuses, and a key that is not the signer\'s', () => {
  const c = v.signatures[1];
  const ring = ringOf(c.ring);
  const sk = members[c.ring[c.signer]].sk;
  const b = hex(c.binding_hex);
  const seed = hex(c.seed_hex);
  const args = (o) => ({ ring, signer: c.signer, sk, memo: c.memo_id, b, t: c.tree_size, ...o });
  for (const [why, a] of [
    ['another member\'s key', args({ sk: members[c.ring[0]].sk })],
    ['a signer out of range', args({ signer: ring.length })],
    ['a negative signer', args({ signer: -1 })],
    ['a duplicate key', args({ ring: [ring[0], ring[0], ring[2]] })],
    ['a ring of one', args({ ring: [ring[c.signer]], signer: 0 })],
    ['an identity key', args({ ring: [new Uint8Array(32), ring[1], ring[2]] })],
    ['binding kind 0', args({ b: Uint8Array.from([0, ...b.subarray(1)]) })],
    ['a short binding', args({ b: b.subarray(1) })],
    ['a bad memo id', args({ memo: 'd_0' })],
    ['a zero key', args({ sk: new Uint8Array(32) })],
  ]) {
    assert.throws(() => sign(a.ring, a.signer, a.sk, a.memo, a.b, a.t, { seed }), RangeError, why);
  }
});

test('a signature with a fresh seed differs each time, keeps the tag, and verifies', () => {
  const ring = ringOf([0, 1, 2, 3]);
  const b = bindingVersion(new Uint8Array(32).fill(9));
  const memo = 'd_5e1f0c2a9b8d7e6f40312233';
  const one = sign(ring, 2, members[2].sk, memo, b, 42);
  const two = sign(ring, 2, members[2].sk, memo, b, 42);
  assert.notEqual(toHex(one), toHex(two));
  assert.equal(toHex(one.subarray(-32)), toHex(two.subarray(-32)));
  assert.equal(toHex(one.subarray(-32)), toHex(tag(members[2].sk, memo)));
  assert.ok(verify(one, ring, memo, b, 42));
  assert.ok(verify(two, ring, memo, b, 42));
  // Any changed byte is refused.
  for (let at = 0; at < one.length; at += 7) {
    const x = one.slice();
    x[at] ^= 1;
    assert.equal(verify(x, ring, memo, b, 42), false, `byte ${at}`);
  }
});

test('signing and verifying asynchronously report progress and give the same bytes', async () => {
  const c = v.signatures[2];
  const ring = ringOf(c.ring);
  const seen = [];
  const sig = await signAsync(ring, c.signer, members[c.ring[c.signer]].sk, c.memo_id, hex(c.binding_hex), c.tree_size, {
    seed: hex(c.seed_hex),
    onProgress: (done, total) => seen.push([done, total]),
  });
  assert.equal(toHex(sig), c.sig_hex);
  assert.deepEqual(seen[seen.length - 1], [ring.length, ring.length]);
  const checked = [];
  assert.ok(await verifyAsync(sig, ring, c.memo_id, hex(c.binding_hex), c.tree_size, { onProgress: (d) => checked.push(d) }));
  assert.equal(checked[checked.length - 1], ring.length);
  const bad = sig.slice();
  bad[40] ^= 1;
  assert.equal(await verifyAsync(bad, ring, c.memo_id, hex(c.binding_hex), c.tree_size), false);
});

test('a ring of 100 members signs and verifies from every position', () => {
  const keys = [];
  for (let i = 0; i < 100; i++) keys.push(derive(new Uint8Array(32).fill(i + 1)));
  const ring = keys.map((k) => k.pub.ringPk);
  const b = bindingVersion(new Uint8Array(32).fill(3));
  const memo = 'd_00000000000000000000abcd';
  for (const p of [0, 1, 50, 98, 99]) {
    const sig = sign(ring, p, keys[p].ringSk, memo, b, 1000);
    assert.equal(sig.length, 32 * 102);
    assert.ok(verify(sig, ring, memo, b, 1000));
    assert.equal(verify(sig, ring, memo, b, 1000, { max: 99 }), false);
  }
});

test('scalars at or above the group order are not canonical', () => {
  const L = hex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000000'.slice(0, 62) + '10');
  assert.equal(scalarCanonical(L), false);
  const below = L.slice();
  below[0] -= 1;
  assert.ok(scalarCanonical(below));
  const high = new Uint8Array(32);
  high[31] = 0x80;
  assert.equal(scalarCanonical(high), false);
  assert.ok(scalarCanonical(new Uint8Array(32)));
  assert.equal(scalarCanonical(new Uint8Array(31)), false);
});

test('a ring is the whole eligible set when it fits, sorted by key', () => {
  const eligible = ringOf([3, 0, 5, 1]);
  const { indices, signerPos } = chooseSubset(eligible, 2, 4);
  assert.equal(indices.length, 4);
  const sorted = indices.map((i) => toHex(eligible[i]));
  assert.deepEqual(sorted, [...sorted].sort());
  assert.equal(indices[signerPos], 2);
});

test('a ring drawn from a larger set has the signer and max - 1 others, reproducibly per seed', () => {
  const eligible = [];
  for (let i = 0; i < 40; i++) eligible.push(derive(new Uint8Array(32).fill(0x40 + i)).pub.ringPk);
  const seed = new Uint8Array(32).fill(0x5a);
  const a = chooseSubset(eligible, 7, 10, seed);
  const b = chooseSubset(eligible, 7, 10, seed);
  assert.deepEqual(a, b);
  assert.equal(a.indices.length, 10);
  assert.equal(new Set(a.indices).size, 10);
  assert.equal(a.indices[a.signerPos], 7);
  const hexes = a.indices.map((i) => toHex(eligible[i]));
  assert.deepEqual(hexes, [...hexes].sort());
  const c = chooseSubset(eligible, 7, 10, new Uint8Array(32).fill(0x5b));
  assert.notDeepEqual(c.indices, a.indices);
  // Every other member is drawn about equally often.
  const count = new Array(40).fill(0);
  for (let s = 0; s < 400; s++) {
    const seedS = new Uint8Array(32);
    new DataView(seedS.buffer).setUint32(0, s);
    for (const i of chooseSubset(eligible, 7, 10, seedS).indices) count[i]++;
  }
  assert.equal(count[7], 400);
  const others = count.filter((_, i) => i !== 7);
  // Expected 400 * 9 / 39 = 92.3 each.
  assert.ok(Math.min(...others) > 50 && Math.max(...others) < 140, String(others));
});

test('the subset draw refuses duplicates and sizes out of range', () => {
  const eligible = ringOf([0, 1, 2]);
  assert.throws(() => chooseSubset([...eligible, eligible[0]], 0, 2, new Uint8Array(32)), RangeError);
  assert.throws(() => chooseSubset(eligible, 3, 2), RangeError);
  assert.throws(() => chooseSubset(eligible, 0, 1), RangeError);
  assert.throws(() => chooseSubset([eligible[0]], 0, 2), RangeError);
});

test('the drawing stream is ChaCha20 with a zero nonce, read as little-endian words', () => {
  // Independent of ring.js: the first two words of the stream for a key.
  const key = new Uint8Array(32).fill(0x5a);
  const block = sodium.crypto_stream_chacha20(64, key, new Uint8Array(8));
  const dv = new DataView(block.buffer, block.byteOffset);
  const w0 = dv.getBigUint64(0, true);
  // With 3 eligible and max 2, the one other member drawn is
  // others[0 + w0 mod 2] of the two others (no rejection: 2^64 mod 2 = 0).
  const eligible = ringOf([0, 1, 2]);
  const { indices } = chooseSubset(eligible, 0, 2, key);
  const drawn = indices.filter((i) => i !== 0);
  assert.deepEqual(drawn, [[1, 2][Number(w0 % 2n)]]);
});
