import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Decoder, Encoder, encodeFields } from '../app/binenc.js';
import { hex, toHex, vectors } from '../testlib/vectors.mjs';

const v = vectors('binenc');

function fields(c) {
  return c.fields.map((f) => (f.hex !== undefined ? { type: f.type, bytes: hex(f.hex) } : f));
}

test('every binenc.json case encodes to its bytes', () => {
  assert.ok(v.cases.length >= 3);
  for (const c of v.cases) assert.equal(toHex(encodeFields(fields(c))), c.encoding_hex);
});

test('every binenc.json case decodes field by field to its values', () => {
  for (const c of v.cases) {
    const d = new Decoder(hex(c.encoding_hex));
    for (const f of c.fields) {
      switch (f.type) {
        case 'u8': assert.equal(d.u8(), f.value); break;
        case 'u32': assert.equal(d.u32(), f.value); break;
        case 'u64': assert.equal(d.u64(), BigInt(f.value)); break;
        case 'fixed': assert.equal(toHex(d.fixed(f.hex.length / 2)), f.hex); break;
        case 'var': assert.equal(toHex(d.var(1 << 20)), f.hex); break;
        case 'str': assert.equal(d.str(1 << 20), f.value); break;
      }
    }
    d.end();
  }
});

test('decoder refuses input that ends inside a field', () => {
  assert.throws(() => new Decoder(hex('000000')).u32(), RangeError);
  assert.throws(() => new Decoder(hex('00000003aabb')).var(10), RangeError);
  assert.throws(() => new Decoder(hex('00000000000000')).u64(), RangeError);
});

test('decoder refuses a var longer than its limit before reading it', () => {
  assert.throws(() => new Decoder(hex('00000003aabbcc')).var(2), /limit/);
});

test('decoder refuses bytes left over', () => {
  const d = new Decoder(hex('0700'));
  d.u8();
  assert.throws(() => d.end(), /left over/);
});

test('decoder refuses a str with a NUL or invalid UTF-8', () => {
  assert.throws(() => new Decoder(hex('000000026100')).str(10), /NUL/);
  assert.throws(() => new Decoder(hex('00000002c0af')).str(10));
});

test('encoder refuses values out of range', () => {
  assert.throws(() => new Encoder().u8(256), RangeError);
  assert.throws(() => new Encoder().u32(-1), RangeError);
  assert.throws(() => new Encoder().u32(2 ** 32), RangeError);
  assert.throws(() => new Encoder().u64('18446744073709551616'), RangeError);
  assert.throws(() => new Encoder().u64(1.5), RangeError);
  assert.throws(() => new Encoder().fixed(new Uint8Array(3), 4), RangeError);
  assert.throws(() => new Encoder().str('\ud800'), RangeError);
});
