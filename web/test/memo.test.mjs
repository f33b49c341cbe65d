import assert from 'node:assert/strict';
import { test } from 'node:test';

import { grantOpen, grantSeal } from '../app/grant.js';
import { derive } from '../app/keys.js';
import {
  boxHash,
  contentAd,
  contentDecode,
  contentEncode,
  contentOpen,
  contentSeal,
  markingLevel,
  memoIdValid,
  namedSign,
  namedTranscript,
  namedVerify,
  newMemoId,
  packageHash,
  recordEncode,
  recordOpen,
  recordSeal,
  replyAd,
  replyOpen,
  replySeal,
  signerTag,
  signerTagMessage,
  topicValid,
  versionHash,
} from '../app/memo.js';
import { hex, toHex, vectors } from '../testlib/vectors.mjs';

const v = vectors('memo');
const key = hex(v.key_hex);
const rosterPk = hex(v.roster_pk_hex);
const rosterSk = hex(v.roster_sk_hex);

function signatureOf(s) {
  return {
    memoId: s.memo_id,
    version: s.version,
    versionHash: hex(s.version_hash_hex),
    signerId: s.signer_id,
    keyEpoch: s.key_epoch,
    time: s.time,
    sig: hex(s.sig_hex),
  };
}

test('memo ids, markings and topics are accepted and refused as memo.json lists', () => {
  for (const id of v.memo_ids.valid) assert.ok(memoIdValid(id), id);
  for (const id of v.memo_ids.invalid) assert.ok(!memoIdValid(id), id);
  for (const m of v.markings.known) assert.equal(markingLevel(m.name), m.level);
  for (const m of v.markings.unknown) assert.equal(markingLevel(m), -1, m);
  for (const t of v.topics.valid) assert.ok(topicValid(t), t);
  for (const t of v.topics.invalid) assert.ok(!topicValid(t), t);
  assert.ok(memoIdValid(newMemoId()));
});

test('every memo.json content encodes, hashes and seals to its bytes', () => {
  assert.ok(v.contents.length >= 3);
  for (const c of v.contents) {
    const enc = contentEncode(c);
    assert.equal(toHex(enc), c.encoding_hex);
    assert.deepEqual(contentDecode(enc), {
      topic: c.topic,
      marking: c.marking,
      title: c.title,
      summary: c.summary,
      body: c.body,
      alternatives: c.alternatives,
    });
    const h = versionHash(c.memo_id, c.version, hex(c.prev_hex), hex(c.roster_pk_hex), enc);
    assert.equal(toHex(h), c.version_hash_hex);
    assert.equal(toHex(contentAd(c.memo_id, c.version)), c.ad_hex);
    const box = contentSeal(key, c.memo_id, c.version, enc, hex(c.nonce_hex));
    assert.equal(toHex(box), c.box_hex);
    assert.equal(toHex(contentOpen(key, c.memo_id, c.version, box)), c.encoding_hex);
  }
});

test('versions chain: version 2 names version 1 as its previous hash', () => {
  const [v1, v2] = v.contents;
  assert.equal(v2.memo_id, v1.memo_id);
  assert.equal(v2.prev_hex, v1.version_hash_hex);
});

test('a content box moved to another version or memo is refused', () => {
  const c = v.contents[0];
  const box = hex(c.box_hex);
  assert.throws(() => contentOpen(key, c.memo_id, c.version + 1, box), RangeError);
  assert.throws(() => contentOpen(key, 'd_0000000000000000000000ff', c.version, box), RangeError);
});

test('every invalid content encoding in memo.json is refused', () => {
  assert.ok(v.invalid_contents.length >= 20);
  for (const c of v.invalid_contents) assert.throws(() => contentDecode(hex(c.encoding_hex)), undefined, c.reason);
});

test('content that breaks a rule is refused before encoding', () => {
  const ok = { topic: 'policy', marking: 'SBU', title: 'T', body: 'B' };
  assert.equal(contentDecode(contentEncode(ok)).summary, '');
  assert.throws(() => contentEncode({ ...ok, title: '' }), RangeError);
  assert.throws(() => contentEncode({ ...ok, title: 'a\nb' }), RangeError);
  assert.throws(() => contentEncode({ ...ok, body: 'a\u0000b' }), RangeError);
  assert.throws(() => contentEncode({ ...ok, body: '\u0085' }), RangeError);
  assert.throws(() => contentEncode({ ...ok, marking: 'secret' }), RangeError);
  assert.throws(() => contentEncode({ ...ok, topic: 'Policy' }), RangeError);
  assert.throws(() => contentEncode({ ...ok, title: 'x'.repeat(301) }), RangeError);
  assert.throws(() => contentEncode({ ...ok, body: '\ud800' }), RangeError);
});

test('every memo.json reply, note and outcome box is reproduced and opens', () => {
  assert.ok(v.replies.length >= 3);
  for (const r of v.replies) {
    assert.equal(toHex(replyAd(r.memo_id, r.kind, r.n)), r.ad_hex);
    const box = replySeal(key, r.memo_id, r.kind, r.n, r.text, hex(r.nonce_hex));
    assert.equal(toHex(box), r.box_hex);
    assert.equal(replyOpen(key, r.memo_id, r.kind, r.n, box), r.text);
    assert.equal(toHex(boxHash(box)), r.box_hash_hex);
    assert.throws(() => replyOpen(key, r.memo_id, r.kind, r.n + 1, box), RangeError);
    assert.throws(() => replyOpen(key, r.memo_id, (r.kind % 3) + 1, r.n, box), RangeError);
  }
});

test('every memo.json named signature is reproduced and verifies', () => {
  assert.ok(v.signatures.length >= 3);
  for (const s of v.signatures) {
    const ks = derive(hex(s.signer_seed_hex));
    assert.equal(toHex(ks.pub.signPk), s.sign_pk_hex);
    const f = signatureOf(s);
    assert.equal(toHex(namedTranscript(f.memoId, f.versionHash, f.signerId, f.time)), s.transcript_hex);
    assert.equal(toHex(namedSign(ks.signSk, f)), s.sig_hex);
    assert.ok(namedVerify(hex(s.sig_hex), ks.pub.signPk, f));
    assert.ok(!namedVerify(hex(s.sig_hex), ks.pub.signPk, { ...f, time: f.time + 1 }));
  }
});

test('every memo.json signer record seals to its bytes and opens to its fields', () => {
  assert.ok(v.records.length >= 3);
  for (const r of v.records) {
    const f = signatureOf(r);
    assert.equal(toHex(recordEncode(f)), r.plaintext_hex);
    assert.equal(toHex(recordSeal(f, rosterPk, hex(r.ephemeral_seed_hex))), r.sealed_hex);
    const o = recordOpen(hex(r.sealed_hex), rosterPk, rosterSk);
    assert.deepEqual({ ...o, time: Number(o.time) }, f);
    assert.equal(o.time, BigInt(r.time));
  }
});

test('every sealed record in invalid_records is refused', () => {
  assert.ok(v.invalid_records.length >= 5);
  for (const r of v.invalid_records) assert.throws(() => recordOpen(hex(r.sealed_hex), rosterPk, rosterSk), undefined, r.reason);
});

test('a record is not sealed to an unusable roster key', () => {
  const f = signatureOf(v.records[0]);
  assert.throws(() => recordSeal(f, new Uint8Array(32)), RangeError);
  assert.throws(() => recordSeal({ ...f, keyEpoch: 0 }, rosterPk), RangeError);
});

test('the channel grants of memo.json open with the channel key and reseal to their bytes', () => {
  const pk = hex(v.channel_pk_hex);
  const sk = hex(v.channel_sk_hex);
  assert.ok(v.channel_grants.length >= 2);
  for (const g of v.channel_grants) {
    assert.equal(toHex(grantOpen(hex(g.sealed_hex), pk, sk, g.purpose, g.context)), g.key_hex);
    assert.equal(toHex(grantSeal(pk, g.purpose, g.context, hex(g.key_hex), hex(g.ephemeral_seed_hex))), g.sealed_hex);
  }
});

test('every memo.json duplicate tag is reproduced', () => {
  const tk = hex(v.tag_key_hex);
  assert.ok(v.signer_tags.length >= 3);
  for (const t of v.signer_tags) {
    assert.equal(toHex(signerTagMessage(t.memo_id, t.signer_id)), t.message_hex);
    assert.equal(toHex(signerTag(tk, t.memo_id, t.signer_id)), t.tag_hex);
  }
});

test('every memo.json package hash is reproduced, and order matters', () => {
  assert.ok(v.packages.length >= 8);
  for (const p of v.packages) {
    const h = packageHash(
      p.memo_id,
      hex(p.version_hash_hex),
      p.records_hex.map(hex),
      p.anonymous_hex.map(hex),
    );
    assert.equal(toHex(h), p.package_hash_hex);
  }
  assert.notEqual(v.packages[0].package_hash_hex, v.packages[1].package_hash_hex);
});

test('a package hash covers its anonymous signatures and their order', () => {
  const p = v.packages.filter((c) => c.anonymous_hex.length === 2);
  assert.ok(p.length >= 2);
  assert.notEqual(p[0].package_hash_hex, p[1].package_hash_hex);
  const q = p[0];
  const without = packageHash(q.memo_id, hex(q.version_hash_hex), q.records_hex.map(hex));
  assert.notEqual(toHex(without), q.package_hash_hex);
});
