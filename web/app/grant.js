// Sealed grants of 32-byte keys (docs/PROTOCOL.md, "Sealed grant";
// src/lib/grant.c): P = str("dissent/grant/v1") || str(purpose) ||
// str(context) || key (32), sealed to the recipient's X25519 key.
import { Decoder, Encoder } from './binenc.js';
import { equal, utf8, wipe } from './bytes.js';
import { openSealed, sealTo } from './seal.js';

const TAG = 'dissent/grant/v1';
export const KEY_BYTES = 32;
export const PURPOSE_MAX = 64;
export const CONTEXT_MAX = 128;

function checkLabels(purpose, context) {
  const p = utf8(purpose);
  const c = utf8(context);
  if (p.length < 1 || p.length > PURPOSE_MAX) throw new RangeError('a purpose is 1 to 64 bytes');
  if (c.length > CONTEXT_MAX) throw new RangeError('a context is at most 128 bytes');
}

// The plaintext P of a grant.
export function grantPlaintext(purpose, context, key) {
  checkLabels(purpose, context);
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) throw new RangeError('a granted key is 32 bytes');
  return new Encoder().str(TAG).str(purpose).str(context).fixed(key, KEY_BYTES).bytes();
}

// Seal `key` for `purpose` and `context` to the recipient `boxPk`.
// `ephemeralSeed` only for the vectors (see seal.js).
export function grantSeal(boxPk, purpose, context, key, ephemeralSeed) {
  const p = grantPlaintext(purpose, context, key);
  try {
    return sealTo(p, boxPk, ephemeralSeed);
  } finally {
    wipe(p);
  }
}

// Open the grant `sealed` with the key pair (`boxPk`, `boxSk`) and return
// its key; throws unless it opens and its tag, purpose and context are
// exactly the expected ones with a 32-byte key and nothing after it.
export function grantOpen(sealed, boxPk, boxSk, purpose, context) {
  checkLabels(purpose, context);
  const p = openSealed(sealed, boxPk, boxSk);
  try {
    const d = new Decoder(p);
    const tag = d.var(TAG.length);
    const pu = d.var(PURPOSE_MAX);
    const co = d.var(CONTEXT_MAX);
    if (!equal(tag, utf8(TAG)) || !equal(pu, utf8(purpose)) || !equal(co, utf8(context))) {
      throw new RangeError('the grant is for another purpose or context');
    }
    const key = d.fixed(KEY_BYTES);
    d.end();
    return key;
  } catch (e) {
    throw new RangeError(`the grant is refused: ${e.message}`);
  } finally {
    wipe(p);
  }
}
