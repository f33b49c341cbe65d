// The fixed binary encoding of everything signed, hashed or bound as
// associated data (docs/PROTOCOL.md, "Binary encoding"; src/lib/binenc.c):
// u8, u32 and u64 big-endian, fixed bytes, var = u32 length || bytes, str
// = var of the UTF-8 bytes.  Never JSON text.
import { concat, fromUtf8, utf8 } from './bytes.js';

const U32_MAX = 0xffffffff;
const U64_MAX = (1n << 64n) - 1n;

// A u64 value as a BigInt: a BigInt, a safe non-negative integer, or its
// decimal text.
function toU64(v) {
  let x;
  if (typeof v === 'bigint') x = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) x = BigInt(v);
  else if (typeof v === 'string' && /^(0|[1-9][0-9]*)$/.test(v)) x = BigInt(v);
  else throw new RangeError('not a u64');
  if (x < 0n || x > U64_MAX) throw new RangeError('u64 out of range');
  return x;
}

// Builds one encoding field by field; bytes() returns it.
export class Encoder {
  constructor() {
    this.parts = [];
  }

  u8(v) {
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new RangeError('u8 out of range');
    this.parts.push(Uint8Array.of(v));
    return this;
  }

  u32(v) {
    if (!Number.isInteger(v) || v < 0 || v > U32_MAX) throw new RangeError('u32 out of range');
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, false);
    this.parts.push(b);
    return this;
  }

  u64(v) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, toU64(v), false);
    this.parts.push(b);
    return this;
  }

  fixed(b, length) {
    if (!(b instanceof Uint8Array)) throw new TypeError('fixed needs bytes');
    if (length !== undefined && b.length !== length) {
      throw new RangeError(`fixed field of ${b.length} bytes, expected ${length}`);
    }
    this.parts.push(b);
    return this;
  }

  var(b) {
    if (!(b instanceof Uint8Array)) throw new TypeError('var needs bytes');
    if (b.length > U32_MAX) throw new RangeError('var too long');
    this.u32(b.length);
    this.parts.push(b);
    return this;
  }

  str(s) {
    return this.var(utf8(s));
  }

  bytes() {
    return concat(...this.parts);
  }
}

// Reads one encoding field by field; every read throws a RangeError if the
// input ends inside the field, and end() if anything is left over.
export class Decoder {
  constructor(b) {
    this.b = b;
    this.pos = 0;
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  need(n) {
    if (n > this.b.length - this.pos) throw new RangeError('input ends inside a field');
  }

  u8() {
    this.need(1);
    return this.b[this.pos++];
  }

  u32() {
    this.need(4);
    const v = this.view.getUint32(this.pos, false);
    this.pos += 4;
    return v;
  }

  // A u64 as a BigInt.
  u64() {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, false);
    this.pos += 8;
    return v;
  }

  fixed(n) {
    this.need(n);
    const out = this.b.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  // A var field of at most `max` bytes: the length is checked against
  // `max` before anything is read.
  var(max) {
    const n = this.u32();
    if (n > max) throw new RangeError('field longer than its limit');
    return this.fixed(n);
  }

  // A str field of at most `max` bytes, valid UTF-8 without NUL.
  str(max) {
    const b = this.var(max);
    if (b.includes(0)) throw new RangeError('text with a NUL byte');
    return fromUtf8(b);
  }

  remaining() {
    return this.b.length - this.pos;
  }

  end() {
    if (this.pos !== this.b.length) throw new RangeError('bytes left over');
  }
}

// The encoding of a list of fields as the vector files write them:
// {type: "u8"|"u32"|"u64"|"fixed"|"var"|"str", value | bytes}.
export function encodeFields(fields) {
  const e = new Encoder();
  for (const f of fields) {
    switch (f.type) {
      case 'u8': e.u8(f.value); break;
      case 'u32': e.u32(f.value); break;
      case 'u64': e.u64(f.value); break;
      case 'fixed': e.fixed(f.bytes); break;
      case 'var': e.var(f.bytes); break;
      case 'str': e.str(f.value); break;
      default: throw new TypeError(`unknown field type ${f.type}`);
    }
  }
  return e.bytes();
}
