// The AEAD box (docs/PROTOCOL.md, "AEAD box"; src/lib/aead.c): nonce (24)
// || XChaCha20-Poly1305-IETF ciphertext and tag (16) under a 32-byte key
// with the associated data of the context.
import { concat } from './bytes.js';
import sodium from './sodium.js';

export const KEY_BYTES = 32;
export const NONCE_BYTES = 24;
export const OVERHEAD = NONCE_BYTES + 16;

// Seal `msg` under `key` with associated data `ad`.  `nonce` is for the
// known-answer vectors only: production nonces are random.
export function seal(key, ad, msg, nonce) {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) throw new RangeError('a key is 32 bytes');
  const n = nonce ?? sodium.randombytes_buf(NONCE_BYTES);
  if (n.length !== NONCE_BYTES) throw new RangeError('a nonce is 24 bytes');
  return concat(n, sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(msg, ad, null, n, key));
}

// Open the box `box` under `key` with associated data `ad`; throws if it
// is shorter than 40 bytes or does not authenticate.
export function open(key, ad, box) {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) throw new RangeError('a key is 32 bytes');
  if (!(box instanceof Uint8Array) || box.length < OVERHEAD) throw new RangeError('box too short');
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      box.subarray(NONCE_BYTES),
      ad,
      box.subarray(0, NONCE_BYTES),
      key,
    );
  } catch {
    throw new RangeError('the box does not open');
  }
}
