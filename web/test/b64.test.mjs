import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decode, encode } from '../app/b64.js';
import { hex, toHex, vectors } from '../testlib/vectors.mjs';

const v = vectors('b64');

test('every valid b64.json pair encodes and decodes', () => {
  assert.ok(v.valid.length >= 8);
  for (const c of v.valid) {
    assert.equal(encode(hex(c.hex)), c.b64);
    assert.equal(toHex(decode(c.b64)), c.hex);
  }
});

test('every invalid b64.json string is refused', () => {
  assert.ok(v.invalid.length >= 10);
  for (const s of v.invalid) assert.throws(() => decode(s), RangeError, JSON.stringify(s));
});

test('decode checks the expected length', () => {
  assert.equal(decode('Zm9v', 3).length, 3);
  assert.throws(() => decode('Zm9v', 32), /expected 32 bytes/);
});
