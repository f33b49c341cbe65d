import assert from 'node:assert/strict';
import { test } from 'node:test';

import { grantOpen, grantPlaintext, grantSeal } from '../app/grant.js';
import { derive } from '../app/keys.js';
import { hex, toHex, vectors } from '../testlib/vectors.mjs';

const v = vectors('grant');
const kv = vectors('keys');

test('every grant.json case has its plaintext, seals to its bytes and opens', () => {
  assert.ok(v.cases.length >= 2);
  for (const c of v.cases) {
    const ks = derive(hex(c.recipient_seed_hex));
    assert.equal(toHex(ks.pub.boxPk), c.recipient_box_pk_hex);
    assert.equal(toHex(grantPlaintext(c.purpose, c.context, hex(c.key_hex))), c.plaintext_hex);
    const sealed = grantSeal(ks.pub.boxPk, c.purpose, c.context, hex(c.key_hex), hex(c.ephemeral_seed_hex));
    assert.equal(toHex(sealed), c.sealed_hex);
    assert.equal(toHex(grantOpen(hex(c.sealed_hex), ks.pub.boxPk, ks.boxSk, c.purpose, c.context)), c.key_hex);
  }
});

test('a grant for another purpose or context, or to another recipient, is refused', () => {
  const c = v.cases[0];
  const ks = derive(hex(c.recipient_seed_hex));
  const other = derive(hex(v.cases[1].recipient_seed_hex));
  const sealed = hex(c.sealed_hex);
  assert.throws(() => grantOpen(sealed, ks.pub.boxPk, ks.boxSk, 'channel-key', c.context), RangeError);
  assert.throws(() => grantOpen(sealed, ks.pub.boxPk, ks.boxSk, c.purpose, `${c.context}x`), RangeError);
  assert.throws(() => grantOpen(sealed, other.pub.boxPk, other.boxSk, c.purpose, c.context), RangeError);
});

test('fresh grants differ each time and open', () => {
  const ks = derive(hex(v.cases[0].recipient_seed_hex));
  const key = new Uint8Array(32).fill(7);
  const a = grantSeal(ks.pub.boxPk, 'memo-key', 'd_1', key);
  const b = grantSeal(ks.pub.boxPk, 'memo-key', 'd_1', key);
  assert.notEqual(toHex(a), toHex(b));
  assert.equal(toHex(grantOpen(a, ks.pub.boxPk, ks.boxSk, 'memo-key', 'd_1')), toHex(key));
});

test('grants to unusable keys or with bad labels are refused', () => {
  const key = new Uint8Array(32);
  for (const bad of kv.invalid_box_pks) assert.throws(() => grantSeal(hex(bad), 'memo-key', '', key), RangeError);
  const pk = hex(v.cases[0].recipient_box_pk_hex);
  assert.throws(() => grantSeal(pk, '', '', key), RangeError);
  assert.throws(() => grantSeal(pk, 'p'.repeat(65), '', key), RangeError);
  assert.throws(() => grantSeal(pk, 'memo-key', 'c'.repeat(129), key), RangeError);
  assert.throws(() => grantSeal(pk, 'memo-key', '', new Uint8Array(31)), RangeError);
});
