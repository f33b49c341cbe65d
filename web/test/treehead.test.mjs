import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as b64 from '../app/b64.js';
import { decode as decodeEvent } from '../app/event.js';
import { consistencyProof, emptyRoot, inclusionProof, leafHash, rootOf } from '../app/merkle.js';
import sodium from '../app/sodium.js';
import {
  checkConsistency,
  checkInclusion,
  fromJson,
  instanceIdValid,
  proofFromJson,
  signHead,
  statement,
  toJson,
  verify,
} from '../app/treehead.js';
import { hex, toHex, vectors } from '../testlib/vectors.mjs';

const v = vectors('treehead');
const ev = vectors('event');
const server = sodium.crypto_sign_seed_keypair(hex(v.server_seed_hex));
const pk = hex(v.server_pk_hex);
const leaves = v.leaves_hex.map(hex);
const hashes = leaves.map(leafHash);

function headOf(c) {
  return {
    instanceId: c.instance_id,
    size: BigInt(c.size),
    timestamp: BigInt(c.timestamp),
    root: hex(c.root_hex),
    signature: hex(c.sig_hex),
  };
}

const heads = v.heads.map(headOf);
const headOfSize = (n) => heads.find((h) => h.size === BigInt(n));

test('the treehead.json server key comes from its seed', () => {
  assert.equal(toHex(server.publicKey), v.server_pk_hex);
});

test('the treehead.json leaves are the event.json cases, in order, each decodable', () => {
  assert.equal(leaves.length, ev.cases.length);
  v.leaves_hex.forEach((l, i) => {
    assert.equal(l, ev.cases[i].encoding_hex);
    decodeEvent(leaves[i]);
  });
});

test('every treehead.json head has its root, statement and signature, and verifies', () => {
  assert.equal(heads.length, 7);
  v.heads.forEach((c, i) => {
    const h = heads[i];
    assert.equal(c.instance_id, v.instance_id);
    assert.equal(toHex(rootOf(hashes, 0, c.size)), c.root_hex);
    assert.equal(toHex(statement(h)), c.statement_hex);
    // Ed25519 is deterministic: signing again gives the same signature.
    assert.equal(toHex(signHead({ ...h, signature: undefined }, server.privateKey).signature), c.sig_hex);
    assert.ok(verify(h, pk));
  });
  assert.equal(toHex(heads[0].root), toHex(emptyRoot()));
});

test('a head is refused with another key, another field or a changed signature', () => {
  const other = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(7)).publicKey;
  for (const h of heads) {
    assert.equal(verify(h, other), false);
    assert.equal(verify({ ...h, size: h.size + 1n }, pk), false);
    assert.equal(verify({ ...h, timestamp: h.timestamp + 1n }, pk), false);
    assert.equal(verify({ ...h, instanceId: `${h.instanceId}0` }, pk), false);
    const root = h.root.slice();
    root[0] ^= 1;
    assert.equal(verify({ ...h, root }, pk), false);
    const sig = h.signature.slice();
    sig[63] ^= 0x10;
    assert.equal(verify({ ...h, signature: sig }, pk), false);
    assert.equal(verify({ ...h, signature: h.signature.subarray(1) }, pk), false);
  }
});

test('instance ids are 1 to 64 printable ASCII bytes without spaces', () => {
  assert.ok(instanceIdValid(v.instance_id));
  assert.ok(instanceIdValid('x'.repeat(64)));
  for (const bad of ['', 'x'.repeat(65), 'a b', 'é', 'a\u0000', 'tab\t', 42, null]) {
    assert.equal(instanceIdValid(bad), false, JSON.stringify(bad));
  }
  const h = heads[1];
  assert.equal(verify({ ...h, instanceId: 'a b' }, pk), false);
});

test('a size above 2^63 is refused even when signed', () => {
  const big = signHead({ ...heads[0], size: (1n << 63n) }, server.privateKey);
  assert.ok(verify(big, pk));
  assert.throws(() => signHead({ ...heads[0], size: (1n << 63n) + 1n }, server.privateKey), RangeError);
  assert.equal(verify({ ...big, size: (1n << 63n) + 1n }, pk), false);
});

test('every treehead.json consistency proof is reproduced and checks between its heads', () => {
  assert.equal(v.consistency.length, 7);
  for (const c of v.consistency) {
    const proof = hex(c.proof_hex);
    assert.equal(toHex(Uint8Array.from(consistencyProof(hashes, c.first, c.second).flatMap((h) => [...h]))), c.proof_hex);
    assert.ok(checkConsistency(headOfSize(c.first), headOfSize(c.second), proof), `${c.first} to ${c.second}`);
    // The reverse direction is a rollback.
    assert.equal(checkConsistency(headOfSize(c.second), headOfSize(c.first), proof), false);
    // A changed byte anywhere in the proof is refused.
    for (let at = 0; at < proof.length; at += 32) {
      const bad = proof.slice();
      bad[at + 5] ^= 4;
      assert.equal(checkConsistency(headOfSize(c.first), headOfSize(c.second), bad), false);
    }
  }
});

test('heads of the same size must have the same root, and need no proof', () => {
  for (const h of heads) {
    const later = signHead({ ...h, timestamp: h.timestamp + 60n }, server.privateKey);
    assert.ok(checkConsistency(h, later, []));
    assert.equal(checkConsistency(h, later, [h.root]), false);
  }
  const h = headOfSize(3);
  const fork = signHead({ ...h, root: headOfSize(2).root }, server.privateKey);
  assert.equal(checkConsistency(h, fork, []), false);
});

test('from the empty tree no proof is needed, but the old root must be the empty root', () => {
  const empty = headOfSize(0);
  for (const h of heads) assert.ok(checkConsistency(empty, h, []));
  const notEmpty = signHead({ ...empty, root: headOfSize(1).root }, server.privateKey);
  assert.equal(checkConsistency(notEmpty, headOfSize(2), []), false);
  assert.equal(checkConsistency(empty, headOfSize(2), [headOfSize(1).root]), false);
});

test('a larger head with an earlier timestamp, or of another instance, is refused', () => {
  const c = v.consistency.find((x) => x.first === 3 && x.second === 7);
  const old = headOfSize(3);
  const backdated = signHead({ ...headOfSize(7), timestamp: old.timestamp - 1n }, server.privateKey);
  assert.equal(checkConsistency(old, backdated, hex(c.proof_hex)), false);
  const elsewhere = signHead({ ...headOfSize(7), instanceId: 'another-instance' }, server.privateKey);
  assert.equal(checkConsistency(old, elsewhere, hex(c.proof_hex)), false);
});

test('every treehead.json inclusion proof is reproduced and checks against its head', () => {
  assert.equal(v.inclusion.length, 6);
  for (const c of v.inclusion) {
    const proof = hex(c.proof_hex);
    assert.equal(toHex(Uint8Array.from(inclusionProof(hashes, c.index, c.size).flatMap((h) => [...h]))), c.proof_hex);
    const h = headOfSize(c.size);
    assert.ok(checkInclusion(h, leaves[c.index], c.index, proof), `${c.index} in ${c.size}`);
    const other = leaves[(c.index + 1) % leaves.length];
    assert.equal(checkInclusion(h, other, c.index, proof), false);
    const changed = leaves[c.index].slice();
    changed[changed.length - 1] ^= 1;
    assert.equal(checkInclusion(h, changed, c.index, proof), false);
    if (c.size > 1) assert.equal(checkInclusion(h, leaves[c.index], (c.index + 1) % c.size, proof), false);
    assert.equal(checkInclusion(h, leaves[c.index], c.size, proof), false);
  }
});

test('every treehead.json bad head is refused', () => {
  assert.equal(v.bad_heads.length, 2);
  for (const c of v.bad_heads) {
    assert.ok(c.reason.length > 0);
    const h = headOf(c);
    assert.equal(toHex(statement(h)), c.statement_hex);
    if (c.expect === 'fork') {
      // Genuinely signed, yet not the log's tree: the head of the same
      // size differs, so it is no extension of it (nor it of the fork).
      assert.ok(verify(h, pk));
      assert.equal(toHex(signHead(h, server.privateKey).signature), c.sig_hex);
      assert.equal(checkConsistency(headOfSize(c.size), h, []), false);
      assert.equal(checkConsistency(h, headOfSize(c.size), []), false);
    } else if (c.expect === 'bad_signature') {
      // A real signature, over another statement.
      const signed = hex(c.signed_statement_hex);
      assert.notEqual(c.signed_statement_hex, c.statement_hex);
      const tag = new TextEncoder().encode('dissent/tree-head/v1');
      const msg = Uint8Array.from([tag.length, ...tag, ...signed]);
      assert.ok(sodium.crypto_sign_verify_detached(h.signature, msg, pk));
      assert.equal(verify(h, pk), false);
    } else {
      assert.fail(`unknown expectation ${c.expect}`);
    }
  }
});

test('a head in JSON is read strictly and written back the same', () => {
  for (const h of heads) {
    const j = toJson(h);
    assert.deepEqual(fromJson(j), h);
    assert.deepEqual(toJson(fromJson(JSON.parse(JSON.stringify(j)))), j);
  }
  const good = toJson(heads[3]);
  for (const [k, bad] of [
    ['instance_id', undefined], ['instance_id', ''], ['instance_id', 'a b'],
    ['size', -1], ['size', 1.5], ['size', '3'], ['size', 2 ** 53], ['size', undefined],
    ['timestamp', -5], ['timestamp', null],
    ['root', good.root.slice(1)], ['root', `${good.root}A`], ['root', b64.encode(new Uint8Array(31))], ['root', 7],
    ['signature', b64.encode(new Uint8Array(63))], ['signature', `${good.signature}=`], ['signature', undefined],
  ]) {
    assert.throws(() => fromJson({ ...good, [k]: bad }), RangeError, `${k}: ${bad}`);
  }
  assert.throws(() => fromJson(null), RangeError);
  assert.throws(() => fromJson([good]), RangeError);
});

test('a proof in JSON is at most 64 hashes of 32 bytes', () => {
  const h = b64.encode(new Uint8Array(32).fill(1));
  assert.equal(proofFromJson([h, h]).length, 2);
  assert.equal(proofFromJson([]).length, 0);
  assert.throws(() => proofFromJson(new Array(65).fill(h)), RangeError);
  assert.throws(() => proofFromJson([b64.encode(new Uint8Array(33))]), RangeError);
  assert.throws(() => proofFromJson({ 0: h }), RangeError);
  assert.throws(() => proofFromJson([`${h}=`]), RangeError);
});
