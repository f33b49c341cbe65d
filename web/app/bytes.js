// Byte strings: hex, UTF-8, concatenation and comparison.

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// The lowercase hexadecimal text of the bytes `b`.
export function toHex(b) {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

// The bytes of the hexadecimal text `s` (either case); throws on anything
// else.
export function fromHex(s) {
  if (typeof s !== 'string' || s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) {
    throw new TypeError('not hexadecimal');
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// The UTF-8 bytes of the string `s`.  A string holding a lone surrogate
// has no UTF-8 form and is refused (TextEncoder would replace it).
export function utf8(s) {
  if (typeof s !== 'string') throw new TypeError('not a string');
  // With the u flag, only unpaired surrogates match.
  if (/[\ud800-\udfff]/u.test(s)) throw new RangeError('text with a lone surrogate');
  return encoder.encode(s);
}

// The string of the UTF-8 bytes `b`; throws on invalid UTF-8 (overlong
// forms, surrogates, values above U+10FFFF, cut or stray sequences).
export function fromUtf8(b) {
  return decoder.decode(b);
}

// The concatenation of the byte arrays given.
export function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// Whether the byte arrays `a` and `b` are equal, in time that depends only
// on their lengths.
export function equal(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

// Whether every byte of `b` is zero.
export function isZero(b) {
  let d = 0;
  for (const x of b) d |= x;
  return d === 0;
}

// Overwrite the bytes `b` with zeros (secrets no longer needed).
export function wipe(b) {
  if (b) b.fill(0);
}
