import assert from 'node:assert/strict';
import { test } from 'node:test';

import { dhash, tagPrefix } from '../app/dhash.js';
import { hex, toHex, vectors } from '../testlib/vectors.mjs';

const v = vectors('dhash');

test('every dhash.json case hashes to its value', () => {
  assert.ok(v.cases.length >= 3);
  for (const c of v.cases) assert.equal(toHex(dhash(c.tag, hex(c.msg_hex))), c.hash_hex);
});

test('the length prefix separates tag from message', () => {
  assert.notEqual(toHex(dhash('dissent/a', hex('62'))), toHex(dhash('dissent/ab', hex(''))));
});

test('tags must be 1 to 64 printable ASCII bytes', () => {
  assert.throws(() => tagPrefix(''), RangeError);
  assert.throws(() => tagPrefix('x'.repeat(65)), RangeError);
  assert.throws(() => tagPrefix('tag with space'), RangeError);
  assert.equal(tagPrefix('x'.repeat(64)).length, 65);
});
