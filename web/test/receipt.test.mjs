// Receipts verified as memowire_receipt_verify() does, on a log made of
// the memo events of event.json signed with the server key of
// treehead.json, and on the vector log of treehead.json itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as b64 from '../app/b64.js';
import { decode as decodeEvent } from '../app/event.js';
import { inclusionProof, leafHash, rootOf } from '../app/merkle.js';
import { ReceiptError, verify } from '../app/receipt.js';
import sodium from '../app/sodium.js';
import { signHead, toJson } from '../app/treehead.js';
import { hex, vectors } from '../testlib/vectors.mjs';

const th = vectors('treehead');
const ev = vectors('event');
const server = sodium.crypto_sign_seed_keypair(hex(th.server_seed_hex));
const pk = server.publicKey;
const otherPk = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(0xee)).publicKey;

// The log: the directory events, then every memo event.
const leaves = [...th.leaves_hex, ...ev.memo_cases.map((c) => c.encoding_hex)].map(hex);
const hashes = leaves.map(leafHash);
const size = leaves.length;
const head = signHead(
  { instanceId: th.instance_id, size: BigInt(size), timestamp: 1766000500n, root: rootOf(hashes) },
  server.privateKey,
);

// The receipt of entry `index` of the log.
function receiptOf(index, extra = {}) {
  const e = decodeEvent(leaves[index]);
  return {
    memo: e.memoId ?? 'd_000000000000000000000000',
    event: b64.encode(leaves[index]),
    index,
    head: toJson(head),
    proof: inclusionProof(hashes, index, size).map(b64.encode),
    server_sign_pk: b64.encode(pk),
    ...extra,
  };
}

const first = th.leaves_hex.length;
const memoIndexes = ev.memo_cases.map((_, i) => first + i).filter((i) => decodeEvent(leaves[i]).memoId);

function refused(r, key, pattern, expect) {
  assert.throws(() => verify(r, key, expect), (e) => e instanceof ReceiptError && pattern.test(e.message), String(pattern));
}

test('a receipt of every memo event of event.json verifies and gives its event', () => {
  assert.equal(memoIndexes.length, 20); // all but the two channel key events and the complaint
  for (const i of memoIndexes) {
    const r = receiptOf(i);
    const got = verify(r, pk);
    assert.equal(got.memoId, r.memo);
    assert.equal(got.index, BigInt(i));
    assert.equal(got.head.size, BigInt(size));
    assert.deepEqual(got.event, decodeEvent(leaves[i]));
    // And once it has gone through JSON text.
    assert.deepEqual(verify(JSON.parse(JSON.stringify(r)), pk).event, got.event);
  }
});

test('a receipt checks what the caller expects of it', () => {
  const i = first + ev.memo_cases.findIndex((c) => c.type === 'memo_submitted');
  const r = receiptOf(i);
  const memo = r.memo;
  assert.equal(verify(r, pk, { instanceId: th.instance_id, memoId: memo, type: 'memo_submitted' }).event.named, 100);
  assert.equal(verify(r, pk, { type: 100 }).event.anonymous, 12);
  refused(r, pk, /not of this server/, { instanceId: 'another' });
  refused(r, pk, /not d_5f0e8a1c2b3d4e5f60718294/, { memoId: 'd_5f0e8a1c2b3d4e5f60718294' });
  refused(r, pk, /records memo_submitted, not memo_withdrawn/, { type: 'memo_withdrawn' });
});

test('a head without its instance id takes the expected one, and the signature decides', () => {
  const r = receiptOf(memoIndexes[0]);
  delete r.head.instance_id;
  refused(r, pk, /tree head is malformed/);
  assert.ok(verify(r, pk, { instanceId: th.instance_id }));
  refused(r, pk, /bad signature/, { instanceId: 'another-instance' });
});

test('a receipt with any event byte changed is refused', () => {
  const i = memoIndexes[3];
  for (let at = 0; at < leaves[i].length; at++) {
    const bytes = leaves[i].slice();
    bytes[at] ^= 1;
    refused(receiptOf(i, { event: b64.encode(bytes) }), pk, /inclusion proof fails/);
  }
});

test('a receipt with a changed signature, head field or proof hash is refused', () => {
  const r = receiptOf(memoIndexes[5]);
  const sig = b64.decode(r.head.signature);
  sig[10] ^= 1;
  refused({ ...r, head: { ...r.head, signature: b64.encode(sig) } }, pk, /bad signature/);
  refused({ ...r, head: { ...r.head, size: size + 1 } }, pk, /bad signature/);
  refused({ ...r, head: { ...r.head, timestamp: 1 } }, pk, /bad signature/);
  const root = b64.decode(r.head.root);
  root[0] ^= 1;
  refused({ ...r, head: { ...r.head, root: b64.encode(root) } }, pk, /bad signature/);
  for (let k = 0; k < r.proof.length; k++) {
    const p = b64.decode(r.proof[k]);
    p[31] ^= 0x80;
    const proof = [...r.proof];
    proof[k] = b64.encode(p);
    refused({ ...r, proof }, pk, /inclusion proof fails/);
  }
  refused({ ...r, proof: r.proof.slice(1) }, pk, /inclusion proof fails/);
  refused({ ...r, proof: [...r.proof, r.proof[0]] }, pk, /inclusion proof fails/);
  refused({ ...r, index: r.index + 1 }, pk, /inclusion proof fails/);
  refused({ ...r, index: size }, pk, /inclusion proof fails/);
});

test('a receipt under another server key is refused, whatever key it carries', () => {
  const r = receiptOf(memoIndexes[2]);
  refused(r, otherPk, /wrong key/);
  const { server_sign_pk: _, ...bare } = r;
  assert.ok(verify(bare, pk));
  refused(bare, otherPk, /bad signature/);
  refused({ ...r, server_sign_pk: b64.encode(otherPk) }, pk, /wrong key/);
  refused({ ...r, server_sign_pk: 'not base64!' }, pk, /wrong key/);
});

test('a receipt of an event that is not a memo event is refused, though it is in the log', () => {
  // The vector log of treehead.json holds directory events only: every
  // one of its inclusion cases is genuinely in a genuine head.
  for (const c of th.inclusion) {
    const h = th.heads.find((x) => x.size === c.size);
    const r = {
      memo: 'd_5f0e8a1c2b3d4e5f60718293',
      event: b64.encode(hex(th.leaves_hex[c.index])),
      index: c.index,
      head: { instance_id: h.instance_id, size: h.size, timestamp: h.timestamp, root: b64.encode(hex(h.root_hex)), signature: b64.encode(hex(h.sig_hex)) },
      proof: (c.proof_hex.match(/.{64}/g) ?? []).map((p) => b64.encode(hex(p))),
    };
    refused(r, hex(th.server_pk_hex), /not a memo event/);
  }
  // complaint_filed is a channel event, but about no memo.
  const complaint = first + ev.memo_cases.findIndex((c) => c.type === 'complaint_filed');
  refused(receiptOf(complaint), pk, /not a memo event/);
});

test('a receipt naming another memo than its event is refused', () => {
  const r = receiptOf(memoIndexes[0]);
  refused({ ...r, memo: 'd_000000000000000000000001' }, pk, /another memo/);
});

test('a malformed receipt is refused, saying what is wrong', () => {
  const r = receiptOf(memoIndexes[1]);
  refused(null, pk, /not a JSON object/);
  refused([r], pk, /not a JSON object/);
  refused({ ...r, memo: undefined }, pk, /no valid memo/);
  refused({ ...r, memo: 'D_5f0e8a1c2b3d4e5f60718293' }, pk, /no valid memo/);
  for (const index of [undefined, -1, 1.5, '3', 2 ** 53]) refused({ ...r, index }, pk, /no log index/);
  refused({ ...r, head: undefined }, pk, /tree head is malformed/);
  refused({ ...r, head: { ...r.head, root: undefined } }, pk, /tree head is malformed/);
  refused({ ...r, head: { ...r.head, signature: r.head.signature.slice(2) } }, pk, /tree head is malformed/);
  refused({ ...r, proof: undefined }, pk, /proof is malformed/);
  refused({ ...r, proof: ['AAAA'] }, pk, /proof is malformed/);
  refused({ ...r, proof: new Array(65).fill(r.proof[0]) }, pk, /proof is malformed/);
  refused({ ...r, event: undefined }, pk, /event is malformed/);
  refused({ ...r, event: `${r.event}=` }, pk, /event is malformed/);
  refused({ ...r, event: b64.encode(new Uint8Array(4097)) }, pk, /event is malformed/);
});

test('an event that does not decode is refused even when it is in the signed tree', () => {
  // A log whose entry 0 is not an event at all: the proof holds, the
  // decoding does not.
  const junk = [Uint8Array.of(1, 0, 0x65), leaves[first + 7]];
  const hs = junk.map(leafHash);
  const h = signHead({ instanceId: th.instance_id, size: 2n, timestamp: 5n, root: rootOf(hs) }, server.privateKey);
  const r = {
    memo: 'd_5f0e8a1c2b3d4e5f60718293',
    event: b64.encode(junk[0]),
    index: 0,
    head: toJson(h),
    proof: inclusionProof(hs, 0, 2).map(b64.encode),
  };
  refused(r, pk, /not a well-formed event/);
  assert.ok(verify({ ...r, event: b64.encode(junk[1]), index: 1, proof: inclusionProof(hs, 1, 2).map(b64.encode) }, pk));
});
