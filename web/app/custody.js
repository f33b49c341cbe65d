// Account custody on the client (docs/PROTOCOL.md, "Account custody" and
// "Recovery codes"; src/lib/custody.c): a password becomes an
// authentication key (sent) and a wrapping key (never sent) through
// Argon2id; the seed travels only wrapped; a recovery code, shown once,
// wraps it a second time.
import * as aead from './aead.js';
import { Encoder } from './binenc.js';
import { utf8, wipe } from './bytes.js';
import { dhash, keyedHash } from './dhash.js';
import sodium from './sodium.js';

export const SALT_BYTES = 16;
export const KEY_BYTES = 32;
export const WRAPPED_BYTES = 72;
export const OPSLIMIT_DEFAULT = 3;
export const MEMLIMIT_DEFAULT = 64 * 1024 * 1024;
export const OPSLIMIT_MIN = 2;
export const MEMLIMIT_MIN = 19 * 1024 * 1024;
export const OPSLIMIT_MAX = 10;
export const MEMLIMIT_MAX = 1024 * 1024 * 1024;
export const PASSWORD_MAX = 1024;
export const RECOVERY_RAW_BYTES = 20;

const KDF_CONTEXT = 'dscustdy';
const TAG_VERIFIER = 'dissent/auth-verifier/v1';
const TAG_WRAP = 'dissent/seed-wrap/v1';
const TAG_RECOVERY_AUTH = 'dissent/recovery-auth/v1';
const TAG_RECOVERY_WRAP = 'dissent/recovery-wrap/v1';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

// Whether the cost (`opslimit`, `memlimit` bytes) is at least the server's
// minimum (`minOps`, `minMem`) and at most what custody accepts.
export function kdfCostValid(opslimit, memlimit, minOps = OPSLIMIT_MIN, minMem = MEMLIMIT_MIN) {
  return (
    Number.isSafeInteger(opslimit) &&
    Number.isSafeInteger(memlimit) &&
    opslimit >= Math.max(minOps, OPSLIMIT_MIN) &&
    opslimit <= OPSLIMIT_MAX &&
    memlimit >= Math.max(minMem, MEMLIMIT_MIN) &&
    memlimit <= MEMLIMIT_MAX
  );
}

// The cost for new custody: the client default, raised to the server's
// minimum (as the CLI's cli_kdf_cost()).
export function kdfCostFor(kdfMin) {
  const ops = Math.max(OPSLIMIT_DEFAULT, kdfMin?.opslimit ?? 0, OPSLIMIT_MIN);
  const mem = Math.max(MEMLIMIT_DEFAULT, kdfMin?.memlimit ?? 0, MEMLIMIT_MIN);
  return { opslimit: ops, memlimit: mem };
}

// {master, authKey, wrapKey} of the password `password` (a string) with
// the cost and salt given.  Argon2id is slow on purpose.
export function passwordKeys(password, salt, opslimit, memlimit) {
  const pw = utf8(password);
  if (pw.length < 1 || pw.length > PASSWORD_MAX) throw new RangeError('a password is 1 to 1024 bytes');
  if (!(salt instanceof Uint8Array) || salt.length !== SALT_BYTES) throw new RangeError('a salt is 16 bytes');
  if (!kdfCostValid(opslimit, memlimit)) throw new RangeError('key derivation cost out of bounds');
  try {
    const master = sodium.crypto_pwhash(KEY_BYTES, pw, salt, opslimit, memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
    return {
      master,
      authKey: sodium.crypto_kdf_derive_from_key(KEY_BYTES, 1, KDF_CONTEXT, master),
      wrapKey: sodium.crypto_kdf_derive_from_key(KEY_BYTES, 2, KDF_CONTEXT, master),
    };
  } finally {
    wipe(pw);
  }
}

// What the server stores of an authentication key.
export function verifier(authKey) {
  return dhash(TAG_VERIFIER, authKey);
}

// AD = str("dissent/seed-wrap/v1") || str(member_id) || str(purpose).
export function wrapAd(memberId, purpose) {
  if (purpose !== 'password' && purpose !== 'recovery') throw new RangeError('unknown wrap purpose');
  return new Encoder().str(TAG_WRAP).str(memberId).str(purpose).bytes();
}

// The 72-byte wrapped seed.  `nonce` only for the vectors.
export function wrapSeed(seed, wrapKey, memberId, purpose, nonce) {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new RangeError('a seed is 32 bytes');
  return aead.seal(wrapKey, wrapAd(memberId, purpose), seed, nonce);
}

// The seed inside `wrapped`; throws under another key, member or purpose.
export function unwrapSeed(wrapped, wrapKey, memberId, purpose) {
  if (!(wrapped instanceof Uint8Array) || wrapped.length !== WRAPPED_BYTES) {
    throw new RangeError('a wrapped seed is 72 bytes');
  }
  return aead.open(wrapKey, wrapAd(memberId, purpose), wrapped);
}

// The text of a recovery code: 32 base32 characters in 8 groups of 4.
export function recoveryFormat(raw) {
  if (!(raw instanceof Uint8Array) || raw.length !== RECOVERY_RAW_BYTES) throw new RangeError('20 bytes');
  let bits = 0;
  let acc = 0;
  let s = '';
  for (const b of raw) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      s += BASE32[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return s.match(/.{4}/g).join('-');
}

// The 20 bytes of the recovery code `text`: spaces and '-' are dropped
// anywhere, letters may be in either case, exactly 32 base32 characters
// must remain; throws on anything else.
export function recoveryParse(text) {
  if (typeof text !== 'string') throw new RangeError('not a recovery code');
  const s = text.replace(/[ -]/g, '').toUpperCase();
  if (s.length !== 32) throw new RangeError('a recovery code has 32 letters and digits');
  const raw = new Uint8Array(RECOVERY_RAW_BYTES);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const c of s) {
    const v = BASE32.indexOf(c);
    if (v < 0) throw new RangeError('a recovery code has only A-Z and 2-7');
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      raw[o++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  return raw;
}

// A new recovery code: {raw, code}.
export function recoveryNew() {
  const raw = sodium.randombytes_buf(RECOVERY_RAW_BYTES);
  return { raw, code: recoveryFormat(raw) };
}

// {authKey, wrapKey} of a recovery code's 20 bytes.
export function recoveryKeys(raw) {
  if (!(raw instanceof Uint8Array) || raw.length !== RECOVERY_RAW_BYTES) throw new RangeError('20 bytes');
  return {
    authKey: keyedHash(KEY_BYTES, raw, TAG_RECOVERY_AUTH, new Uint8Array(0)),
    wrapKey: keyedHash(KEY_BYTES, raw, TAG_RECOVERY_WRAP, new Uint8Array(0)),
  };
}
