import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  boxPkValid,
  derive,
  fingerprint,
  popMake,
  popTranscript,
  popVerify,
  publicValid,
  rotationSign,
  rotationVerify,
  sign,
  verify,
} from '../app/keys.js';
import { hex, toHex, vectors } from '../testlib/vectors.mjs';

const v = vectors('keys');

function pubOf(c) {
  return { signPk: hex(c.sign_pk_hex), boxPk: hex(c.box_pk_hex), ringPk: hex(c.ring_pk_hex) };
}

test('every keys.json seed derives its keys and fingerprint', () => {
  assert.ok(v.cases.length >= 2);
  for (const c of v.cases) {
    const ks = derive(hex(c.seed_hex));
    assert.equal(toHex(ks.signSeed), c.sign_seed_hex);
    assert.equal(toHex(ks.signSk), c.sign_sk_hex);
    assert.equal(toHex(ks.boxSk), c.box_sk_hex);
    assert.equal(toHex(ks.ringWide), c.ring_wide_hex);
    assert.equal(toHex(ks.ringSk), c.ring_sk_hex);
    assert.equal(toHex(ks.pub.signPk), c.sign_pk_hex);
    assert.equal(toHex(ks.pub.boxPk), c.box_pk_hex);
    assert.equal(toHex(ks.pub.ringPk), c.ring_pk_hex);
    assert.equal(fingerprint(ks.pub), c.fingerprint);
    assert.ok(publicValid(ks.pub));
  }
});

test('every keys.json signature is reproduced and verifies', () => {
  for (const c of v.cases) {
    const ks = derive(hex(c.seed_hex));
    for (const s of c.signatures) {
      assert.equal(toHex(sign(ks.signSk, s.tag, hex(s.msg_hex))), s.sig_hex);
      assert.ok(verify(hex(s.sig_hex), ks.pub.signPk, s.tag, hex(s.msg_hex)));
      assert.ok(!verify(hex(s.sig_hex), ks.pub.signPk, `${s.tag}x`, hex(s.msg_hex)));
    }
  }
});

test('every keys.json proof of possession is reproduced and verifies', () => {
  for (const c of v.cases) {
    const ks = derive(hex(c.seed_hex));
    for (const p of c.pops) {
      assert.equal(toHex(popTranscript(p.member_id, p.epoch, ks.pub)), p.transcript_hex);
      const pop = popMake(ks, p.member_id, p.epoch);
      assert.equal(toHex(pop.sig), p.sig_hex);
      assert.equal(toHex(pop.ringNonce), p.ring_nonce_hex);
      assert.equal(toHex(pop.ringChallenge), p.ring_challenge_hex);
      assert.equal(toHex(pop.ringProof), p.ring_proof_hex);
      assert.ok(popVerify({ sig: hex(p.sig_hex), ringProof: hex(p.ring_proof_hex) }, pubOf(c), p.member_id, p.epoch));
    }
  }
});

test('every invalid proof of possession in keys.json is refused', () => {
  assert.ok(v.invalid_pops.length >= 10);
  for (const p of v.invalid_pops) {
    const pub = { signPk: hex(p.sign_pk_hex), boxPk: hex(p.box_pk_hex), ringPk: hex(p.ring_pk_hex) };
    const ok = popVerify({ sig: hex(p.sig_hex), ringProof: hex(p.ring_proof_hex) }, pub, p.member_id, p.epoch);
    assert.equal(ok, false, p.reason);
  }
});

test('a proof of possession at epoch 0 is refused', () => {
  const c = v.cases[0];
  const ks = derive(hex(c.seed_hex));
  assert.throws(() => popMake(ks, 'm-0001', 0), RangeError);
  const pop = popMake(ks, 'm-0001', 1);
  assert.equal(popVerify(pop, ks.pub, 'm-0001', 0), false);
});

test('the keys.json rotation statement is reproduced and verifies', () => {
  assert.ok(v.rotations.length >= 1);
  for (const r of v.rotations) {
    const old = derive(hex(r.old_seed_hex));
    const nu = derive(hex(r.new_seed_hex));
    assert.equal(toHex(popTranscript(r.member_id, r.new_epoch, nu.pub)), r.statement_hex);
    assert.equal(toHex(rotationSign(old.signSk, r.member_id, r.new_epoch, nu.pub)), r.sig_hex);
    assert.ok(rotationVerify(hex(r.sig_hex), old.pub.signPk, r.member_id, r.new_epoch, nu.pub));
    assert.ok(!rotationVerify(hex(r.sig_hex), old.pub.signPk, r.member_id, r.new_epoch + 1, nu.pub));
    assert.throws(() => rotationSign(old.signSk, r.member_id, 1, nu.pub), RangeError);
  }
});

test('every small-order or non-canonical X25519 key in keys.json is refused', () => {
  assert.ok(v.invalid_box_pks.length >= 7);
  for (const k of v.invalid_box_pks) assert.equal(boxPkValid(hex(k)), false, k);
  for (const c of v.cases) assert.ok(boxPkValid(hex(c.box_pk_hex)));
});

test('public keys with an identity ring key are refused', () => {
  const c = v.cases[0];
  assert.equal(publicValid({ ...pubOf(c), ringPk: new Uint8Array(32) }), false);
  assert.equal(publicValid({ ...pubOf(c), signPk: new Uint8Array(32) }), false);
});
