// Member keys (docs/PROTOCOL.md, "Member keys" to "Fingerprint";
// src/lib/keys.c): three key pairs from one 32-byte seed, signatures with
// a domain tag, public key checks, proof of possession, key rotation and
// the fingerprint.
import { concat, equal, isZero, toHex, wipe } from './bytes.js';
import { Encoder } from './binenc.js';
import { dhash, keyedHash, tagPrefix } from './dhash.js';
import sodium from './sodium.js';

export const SEED_BYTES = 32;
export const SIG_BYTES = 64;
export const MEMBER_ID_MAX = 64;

const KDF_CONTEXT = 'dsmember';
const SUBKEY_SIGN = 1;
const SUBKEY_BOX = 2;
const SUBKEY_RING = 3;

const TAG_POP = 'dissent/key-pop/v1';
const TAG_POP_NONCE = 'dissent/key-pop-nonce/v1';
const TAG_POP_RING = 'dissent/key-pop-ring/v1';
const TAG_ROTATION = 'dissent/key-rotation/v1';
const TAG_FINGERPRINT = 'dissent/key-fingerprint/v1';

// A fresh random seed.
export function newSeed() {
  return sodium.randombytes_buf(SEED_BYTES);
}

// Every key derived from `seed`: {signSeed, signSk, boxSk, ringWide,
// ringSk, pub: {signPk, boxPk, ringPk}}.  Throws if the ring scalar is 0.
export function derive(seed) {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) {
    throw new RangeError('a seed is 32 bytes');
  }
  const signSeed = sodium.crypto_kdf_derive_from_key(32, SUBKEY_SIGN, KDF_CONTEXT, seed);
  const sign = sodium.crypto_sign_seed_keypair(signSeed);
  const boxSk = sodium.crypto_kdf_derive_from_key(32, SUBKEY_BOX, KDF_CONTEXT, seed);
  const boxPk = sodium.crypto_scalarmult_base(boxSk);
  const ringWide = sodium.crypto_kdf_derive_from_key(64, SUBKEY_RING, KDF_CONTEXT, seed);
  const ringSk = sodium.crypto_core_ristretto255_scalar_reduce(ringWide);
  if (isZero(ringSk)) throw new RangeError('the seed gives a zero ring scalar');
  const ringPk = sodium.crypto_scalarmult_ristretto255_base(ringSk);
  return {
    signSeed,
    signSk: sign.privateKey,
    boxSk,
    ringWide,
    ringSk,
    pub: { signPk: sign.publicKey, boxPk, ringPk },
  };
}

// Overwrite the secret parts of keys made by derive().
export function wipeKeys(ks) {
  if (!ks) return;
  wipe(ks.signSeed);
  wipe(ks.signSk);
  wipe(ks.boxSk);
  wipe(ks.ringWide);
  wipe(ks.ringSk);
}

// sign(sign_sk, tag, msg): Ed25519 over u8(len(tag)) || tag || msg.
export function sign(signSk, tag, msg) {
  return sodium.crypto_sign_detached(concat(tagPrefix(tag), msg), signSk);
}

// Whether `sig` is a valid signature of `msg` under `tag` by `signPk`.
export function verify(sig, signPk, tag, msg) {
  if (!(sig instanceof Uint8Array) || sig.length !== SIG_BYTES || signPk.length !== 32) return false;
  try {
    return sodium.crypto_sign_verify_detached(sig, concat(tagPrefix(tag), msg), signPk);
  } catch {
    return false;
  }
}

// Whether `pk` is a canonical X25519 public key that is not of small order.
export function boxPkValid(pk) {
  if (!(pk instanceof Uint8Array) || pk.length !== 32) return false;
  if (pk[31] > 0x7f) return false;
  if (pk[31] === 0x7f && pk[0] >= 0xed && pk.subarray(1, 31).every((x) => x === 0xff)) return false;
  // Any clamped scalar maps exactly the small-order points to zero; the
  // probe is the one keys.c uses.
  const probe = new Uint8Array(32);
  probe.set(new TextEncoder().encode('dissent/small-order/probe/v1'));
  try {
    return !isZero(sodium.crypto_scalarmult(probe, pk));
  } catch {
    return false;
  }
}

// Whether the public keys {signPk, boxPk, ringPk} are all usable
// (docs/PROTOCOL.md, "Public key validity").
export function publicValid(pub) {
  const { signPk, boxPk, ringPk } = pub;
  if (!(signPk instanceof Uint8Array) || signPk.length !== 32) return false;
  if (!(ringPk instanceof Uint8Array) || ringPk.length !== 32) return false;
  if (!sodium.crypto_core_ed25519_is_valid_point(signPk)) return false;
  if (!boxPkValid(boxPk)) return false;
  return sodium.crypto_core_ristretto255_is_valid_point(ringPk) && !isZero(ringPk);
}

function memberIdBytes(memberId) {
  const b = new TextEncoder().encode(memberId);
  if (typeof memberId !== 'string' || b.length < 1 || b.length > MEMBER_ID_MAX) {
    throw new RangeError('a member id is 1 to 64 bytes');
  }
  return b;
}

// T = str(id) || u32(epoch) || sign_pk || box_pk || ring_pk.
export function popTranscript(memberId, epoch, pub) {
  return new Encoder()
    .var(memberIdBytes(memberId))
    .u32(epoch)
    .fixed(pub.signPk, 32)
    .fixed(pub.boxPk, 32)
    .fixed(pub.ringPk, 32)
    .bytes();
}

// A 64-byte BLAKE2b of u8(len(tag)) || tag || parts, keyed with `key` or
// not, reduced mod L.
function hashToScalar(key, tag, ...parts) {
  return sodium.crypto_core_ristretto255_scalar_reduce(keyedHash(64, key, tag, concat(...parts)));
}

function ringChallenge(R, ringPk, t) {
  return hashToScalar(null, TAG_POP_RING, R, ringPk, t);
}

// Whether the 32-byte little-endian scalar `s` is below L.
function scalarCanonical(s) {
  const wide = new Uint8Array(64);
  wide.set(s);
  return equal(sodium.crypto_core_ristretto255_scalar_reduce(wide), s);
}

// The proof of possession of the keys `ks` for `memberId` at `epoch`:
// {sig, ringProof, ringNonce, ringChallenge} (the last two for the
// vectors only).
export function popMake(ks, memberId, epoch) {
  if (!Number.isInteger(epoch) || epoch < 1) throw new RangeError('epoch 0');
  const t = popTranscript(memberId, epoch, ks.pub);
  const sig = sign(ks.signSk, TAG_POP, t);
  const r = hashToScalar(ks.ringSk, TAG_POP_NONCE, t);
  const R = sodium.crypto_scalarmult_ristretto255_base(r);
  const c = ringChallenge(R, ks.pub.ringPk, t);
  const s = sodium.crypto_core_ristretto255_scalar_add(r, sodium.crypto_core_ristretto255_scalar_mul(c, ks.ringSk));
  const out = { sig, ringProof: concat(R, s), ringNonce: r.slice(), ringChallenge: c };
  wipe(r);
  return out;
}

// Whether `pop` ({sig, ringProof}) proves possession of `pub` for
// `memberId` at `epoch` (the refusals of keys_pop_verify()).
export function popVerify(pop, pub, memberId, epoch) {
  try {
    if (!Number.isInteger(epoch) || epoch < 1) return false;
    if (!publicValid(pub)) return false;
    const t = popTranscript(memberId, epoch, pub);
    if (!verify(pop.sig, pub.signPk, TAG_POP, t)) return false;
    if (!(pop.ringProof instanceof Uint8Array) || pop.ringProof.length !== 64) return false;
    const R = pop.ringProof.subarray(0, 32);
    const s = pop.ringProof.subarray(32);
    if (!sodium.crypto_core_ristretto255_is_valid_point(R)) return false;
    if (!scalarCanonical(s)) return false;
    const c = ringChallenge(R, pub.ringPk, t);
    // Both throw on an identity result, refused as libsodium does.
    const sG = sodium.crypto_scalarmult_ristretto255_base(s);
    const cP = sodium.crypto_scalarmult_ristretto255(c, pub.ringPk);
    return equal(sG, sodium.crypto_core_ristretto255_add(R, cP));
  } catch {
    return false;
  }
}

// The old signing key's signature over the new keys at `newEpoch` (>= 2).
export function rotationSign(oldSignSk, memberId, newEpoch, newPub) {
  if (!Number.isInteger(newEpoch) || newEpoch < 2) throw new RangeError('a rotation takes epoch 2 or more');
  return sign(oldSignSk, TAG_ROTATION, popTranscript(memberId, newEpoch, newPub));
}

// Whether `sig` is the rotation statement to `newPub` at `newEpoch`.
export function rotationVerify(sig, oldSignPk, memberId, newEpoch, newPub) {
  try {
    if (!Number.isInteger(newEpoch) || newEpoch < 2) return false;
    return verify(sig, oldSignPk, TAG_ROTATION, popTranscript(memberId, newEpoch, newPub));
  } catch {
    return false;
  }
}

// "abcd ef01 ..." (49 characters): the first 20 bytes of
// dhash("dissent/key-fingerprint/v1", sign_pk || box_pk || ring_pk).
export function fingerprint(pub) {
  const h = toHex(dhash(TAG_FINGERPRINT, concat(pub.signPk, pub.boxPk, pub.ringPk)).subarray(0, 20));
  return h.match(/.{4}/g).join(' ');
}
