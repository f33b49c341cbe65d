// Domain-separated hashing (docs/PROTOCOL.md, "Domain-separated hash";
// src/lib/dhash.c): dhash(tag, msg) = BLAKE2b-32(u8(len(tag)) || tag ||
// msg), tag 1 to 64 ASCII bytes.
import { concat } from './bytes.js';
import sodium from './sodium.js';

export const DHASH_BYTES = 32;

// u8(len(tag)) || tag, for every tagged hash, signature and nonce.
export function tagPrefix(tag) {
  if (typeof tag !== 'string' || tag.length < 1 || tag.length > 64 || !/^[\x21-\x7e]+$/.test(tag)) {
    throw new RangeError('a tag is 1 to 64 printable ASCII bytes');
  }
  const out = new Uint8Array(1 + tag.length);
  out[0] = tag.length;
  for (let i = 0; i < tag.length; i++) out[1 + i] = tag.charCodeAt(i);
  return out;
}

// dhash(tag, msg): 32 bytes.
export function dhash(tag, msg) {
  return sodium.crypto_generichash(DHASH_BYTES, concat(tagPrefix(tag), msg), null);
}

// Keyed BLAKE2b-n of u8(len(tag)) || tag || msg (recovery keys, nonces).
export function keyedHash(n, key, tag, msg) {
  return sodium.crypto_generichash(n, concat(tagPrefix(tag), msg), key);
}
