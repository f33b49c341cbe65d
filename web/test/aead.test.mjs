import assert from 'node:assert/strict';
import { test } from 'node:test';

import { open, seal } from '../app/aead.js';
import { hex, toHex, vectors } from '../testlib/vectors.mjs';

const v = vectors('aead');

test('every aead.json case seals to its box and opens again', () => {
  assert.ok(v.cases.length >= 3);
  for (const c of v.cases) {
    const box = seal(hex(c.key_hex), hex(c.ad_hex), hex(c.msg_hex), hex(c.nonce_hex));
    assert.equal(toHex(box), c.box_hex);
    assert.equal(toHex(open(hex(c.key_hex), hex(c.ad_hex), box)), c.msg_hex);
  }
});

test('a box with any byte changed, or under other associated data, is refused', () => {
  const c = v.cases[1];
  const box = hex(c.box_hex);
  for (const i of [0, 24, box.length - 1]) {
    const bad = box.slice();
    bad[i] ^= 1;
    assert.throws(() => open(hex(c.key_hex), hex(c.ad_hex), bad), RangeError);
  }
  assert.throws(() => open(hex(c.key_hex), hex('00'), box), RangeError);
});

test('a box shorter than 40 bytes is refused', () => {
  assert.throws(() => open(new Uint8Array(32), new Uint8Array(0), new Uint8Array(39)), /too short/);
});

test('production boxes use fresh nonces', () => {
  const k = new Uint8Array(32);
  assert.notEqual(toHex(seal(k, new Uint8Array(0), new Uint8Array(1))), toHex(seal(k, new Uint8Array(0), new Uint8Array(1))));
});
