// Base64url without padding (RFC 4648 §5), decoded strictly: only the
// alphabet A-Z a-z 0-9 - _, no padding or whitespace, no length of 1 mod 4
// and no non-zero unused bits, so every accepted string is the one
// encoding of its bytes (docs/PROTOCOL.md, "Base64url").

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

// The base64url text of the bytes `b`.
export function encode(b) {
  let s = '';
  let i = 0;
  for (; i + 3 <= b.length; i += 3) {
    const v = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    s += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63] + ALPHABET[(v >> 6) & 63] + ALPHABET[v & 63];
  }
  if (b.length - i === 1) {
    const v = b[i] << 16;
    s += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63];
  } else if (b.length - i === 2) {
    const v = (b[i] << 16) | (b[i + 1] << 8);
    s += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63] + ALPHABET[(v >> 6) & 63];
  }
  return s;
}

// The bytes of the base64url text `s`; throws a RangeError unless `s` is
// canonical.  With `length`, the result must have exactly that many bytes.
export function decode(s, length) {
  if (typeof s !== 'string' || s.length % 4 === 1) throw new RangeError('not base64url');
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (const c of s) {
    const v = VALUE.get(c);
    if (v === undefined) throw new RangeError('not base64url');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  if (acc !== 0) throw new RangeError('not base64url (unused bits set)');
  if (length !== undefined && o !== length) {
    throw new RangeError(`expected ${length} bytes, got ${o}`);
  }
  return out.subarray(0, o);
}
