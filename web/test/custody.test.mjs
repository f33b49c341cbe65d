import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  kdfCostFor,
  kdfCostValid,
  passwordKeys,
  recoveryFormat,
  recoveryKeys,
  recoveryNew,
  recoveryParse,
  unwrapSeed,
  verifier,
  wrapAd,
  wrapSeed,
} from '../app/custody.js';
import { hex, toHex, vectors } from '../testlib/vectors.mjs';

const v = vectors('custody');

test('every custody.json password case gives its keys, verifier and wrapped seed', () => {
  assert.ok(v.password_cases.length >= 2);
  for (const c of v.password_cases) {
    const k = passwordKeys(c.password, hex(c.salt_hex), c.opslimit, c.memlimit);
    assert.equal(toHex(k.master), c.master_hex);
    assert.equal(toHex(k.authKey), c.auth_key_hex);
    assert.equal(toHex(k.wrapKey), c.wrap_key_hex);
    assert.equal(toHex(verifier(k.authKey)), c.verifier_hex);
    assert.equal(toHex(wrapAd(c.member_id, c.purpose)), c.ad_hex);
    const w = wrapSeed(hex(c.seed_hex), k.wrapKey, c.member_id, c.purpose, hex(c.nonce_hex));
    assert.equal(toHex(w), c.wrapped_hex);
    assert.equal(toHex(unwrapSeed(hex(c.wrapped_hex), k.wrapKey, c.member_id, c.purpose)), c.seed_hex);
  }
});

test('a wrapped seed does not open under another member, purpose or key', () => {
  const c = v.recovery_cases[0];
  const k = recoveryKeys(hex(c.raw_hex));
  const w = hex(c.wrapped_hex);
  assert.equal(toHex(unwrapSeed(w, k.wrapKey, c.member_id, 'recovery')), c.seed_hex);
  assert.throws(() => unwrapSeed(w, k.wrapKey, 'm-0002', 'recovery'), RangeError);
  assert.throws(() => unwrapSeed(w, k.wrapKey, c.member_id, 'password'), RangeError);
  assert.throws(() => unwrapSeed(w, k.authKey, c.member_id, 'recovery'), RangeError);
  assert.throws(() => unwrapSeed(w.subarray(1), k.wrapKey, c.member_id, 'recovery'), RangeError);
});

test('every custody.json recovery case gives its code, keys and wrapped seed', () => {
  assert.ok(v.recovery_cases.length >= 2);
  for (const c of v.recovery_cases) {
    assert.equal(recoveryFormat(hex(c.raw_hex)), c.code);
    for (const typed of [c.code, ...c.equivalent_codes]) assert.equal(toHex(recoveryParse(typed)), c.raw_hex);
    const k = recoveryKeys(hex(c.raw_hex));
    assert.equal(toHex(k.authKey), c.auth_key_hex);
    assert.equal(toHex(k.wrapKey), c.wrap_key_hex);
    assert.equal(toHex(verifier(k.authKey)), c.verifier_hex);
    assert.equal(toHex(wrapAd(c.member_id, c.purpose)), c.ad_hex);
    assert.equal(toHex(wrapSeed(hex(c.seed_hex), k.wrapKey, c.member_id, c.purpose, hex(c.nonce_hex))), c.wrapped_hex);
  }
});

test('every invalid recovery code in custody.json is refused', () => {
  assert.ok(v.invalid_recovery_codes.length >= 8);
  for (const s of v.invalid_recovery_codes) assert.throws(() => recoveryParse(s), RangeError, JSON.stringify(s));
});

test('a new recovery code is 39 characters and parses back to its bytes', () => {
  const r = recoveryNew();
  assert.match(r.code, /^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
  assert.equal(toHex(recoveryParse(r.code)), toHex(r.raw));
});

test('key derivation costs outside the bounds are refused', () => {
  assert.ok(kdfCostValid(2, 19 * 1024 * 1024));
  assert.ok(!kdfCostValid(1, 64 * 1024 * 1024));
  assert.ok(!kdfCostValid(3, 8 * 1024 * 1024));
  assert.ok(!kdfCostValid(11, 64 * 1024 * 1024));
  assert.ok(!kdfCostValid(3, 2 * 1024 * 1024 * 1024));
  assert.ok(!kdfCostValid(3, 64 * 1024 * 1024, 4));
  assert.throws(() => passwordKeys('pw', new Uint8Array(16), 1, 64 * 1024 * 1024), RangeError);
  assert.throws(() => passwordKeys('', new Uint8Array(16), 2, 19 * 1024 * 1024), RangeError);
  assert.throws(() => passwordKeys('pw', new Uint8Array(15), 2, 19 * 1024 * 1024), RangeError);
});

test('the cost for new custody is the default raised to the server minimum', () => {
  assert.deepEqual(kdfCostFor({ opslimit: 2, memlimit: 19922944 }), { opslimit: 3, memlimit: 67108864 });
  assert.deepEqual(kdfCostFor({ opslimit: 4, memlimit: 134217728 }), { opslimit: 4, memlimit: 134217728 });
});
