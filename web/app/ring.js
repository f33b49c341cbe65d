// Linkable ring signatures for anonymous co-signatures (LSAG over
// ristretto255; docs/PROTOCOL.md, "Anonymous co-signatures"; src/lib/ring.c,
// byte for byte): ring digests, bindings, tag bases and linking tags,
// signing, verification, and the choice of a ring from a large eligible
// set.  A signature on a ring of n keys is c_0 || s_0 .. s_{n-1} || I,
// 32 * (n + 2) bytes.
//
// JavaScript gives no control over timing or memory: unlike ring.c, this
// module does not try to make the signer's position invisible to someone
// who can watch the device's memory accesses while it signs (out of
// scope, as there: a compromised client).  The work done is the same
// wherever the signer is.
import { Encoder } from './binenc.js';
import { concat, equal, isZero, wipe } from './bytes.js';
import { dhash, keyedHash, tagPrefix } from './dhash.js';
import { memoIdValid } from './memo.js';
import sodium from './sodium.js';

export const PK_BYTES = 32;
export const SCALAR_BYTES = 32;
export const TAG_BYTES = 32;
export const SEED_BYTES = 32;
export const HASH_BYTES = 32;
export const BINDING_BYTES = 33;
export const MIN = 2;
export const N_LIMIT = 65536;
export const MAX_DEFAULT = 1024;
export const ELIGIBLE_LIMIT = 16777216;
export const BIND_VERSION = 1;
export const BIND_WITHDRAWAL = 2;

const TAG_DIGEST = 'dissent/ring-digest/v1';
const TAG_BASE = 'dissent/ring-tag-base/v1';
const TAG_CHALLENGE = 'dissent/ring-challenge/v1';
const TAG_NONCE = 'dissent/ring-nonce/v1';
const TAG_WITHDRAWAL = 'dissent/ring-withdrawal/v1';

// The group order L, little-endian.
const ORDER = Uint8Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
]);

// The bytes of a signature on a ring of `n` keys.
export function sigBytes(n) {
  return (n + 2) * SCALAR_BYTES;
}

// Whether the 32-byte little-endian `s` is below L, compared from the top
// byte down without an early exit.
export function scalarCanonical(s) {
  if (!(s instanceof Uint8Array) || s.length !== SCALAR_BYTES) return false;
  let lt = 0;
  let eq = 1;
  for (let i = SCALAR_BYTES - 1; i >= 0; i--) {
    lt |= ((s[i] - ORDER[i]) >>> 8) & eq;
    eq &= ((s[i] ^ ORDER[i]) - 1) >>> 8;
  }
  return lt !== 0;
}

function isHash(h) {
  return h instanceof Uint8Array && h.length === HASH_BYTES;
}

// u8(1) || version_hash: the binding of a signature on a version.
export function bindingVersion(versionHash) {
  if (!isHash(versionHash)) throw new RangeError('a version hash is 32 bytes');
  return concat(Uint8Array.of(BIND_VERSION), versionHash);
}

// u8(2) || dhash("dissent/ring-withdrawal/v1", version_hash || sig): the
// binding of the withdrawal of the signature `sig`, made on the version
// `versionHash`.
export function bindingWithdrawal(versionHash, sig) {
  if (!isHash(versionHash)) throw new RangeError('a version hash is 32 bytes');
  if (!(sig instanceof Uint8Array) || sig.length % SCALAR_BYTES !== 0 || sig.length < sigBytes(MIN) || sig.length > sigBytes(N_LIMIT)) {
    throw new RangeError('not a ring signature');
  }
  return concat(Uint8Array.of(BIND_WITHDRAWAL), dhash(TAG_WITHDRAWAL, concat(versionHash, sig)));
}

function checkRingShape(ring) {
  if (!Array.isArray(ring) || ring.length < MIN || ring.length > N_LIMIT) throw new RangeError(`a ring has ${MIN} to ${N_LIMIT} keys`);
  for (const p of ring) {
    if (!(p instanceof Uint8Array) || p.length !== PK_BYTES) throw new RangeError('a ring key is 32 bytes');
  }
}

// dhash("dissent/ring-digest/v1", u64(tree_size) || u32(n) || P_0 || ...).
export function digest(ring, treeSize) {
  checkRingShape(ring);
  const e = new Encoder().u64(treeSize).u32(ring.length);
  return dhash(TAG_DIGEST, concat(e.bytes(), ...ring));
}

// BLAKE2b-64 of u8(len) || "dissent/ring-tag-base/v1" || str(memo_id).
export function tagBaseHash(memoId) {
  if (!memoIdValid(memoId)) throw new RangeError('not a memo id');
  return keyedHash(64, null, TAG_BASE, new Encoder().str(memoId).bytes());
}

// Hm: the memo's base point for linking tags.
export function tagBase(memoId) {
  return sodium.crypto_core_ristretto255_from_hash(tagBaseHash(memoId));
}

function checkSecret(sk) {
  if (!scalarCanonical(sk) || isZero(sk)) throw new RangeError('a ring secret key is a canonical non-zero scalar');
}

// I = sk * Hm: the linking tag of the ring secret key `sk` on memo `memoId`.
export function tag(sk, memoId) {
  checkSecret(sk);
  return sodium.crypto_scalarmult_ristretto255(sk, tagBase(memoId));
}

function checkBinding(binding) {
  if (!(binding instanceof Uint8Array) || binding.length !== BINDING_BYTES) throw new RangeError('a binding is 33 bytes');
  if (binding[0] !== BIND_VERSION && binding[0] !== BIND_WITHDRAWAL) throw new RangeError('unknown binding kind');
}

// Refuse a ring ring_verify() refuses: its size, a key that is not a
// canonical encoding or is the identity, two equal keys.
function checkRing(ring) {
  checkRingShape(ring);
  const seen = new Set();
  for (const p of ring) {
    if (!sodium.crypto_core_ristretto255_is_valid_point(p) || isZero(p)) throw new RangeError('a ring key is not a valid point');
    const k = sodium.to_hex(p);
    if (seen.has(k)) throw new RangeError('a ring key appears twice');
    seen.add(k);
  }
}

// k_j = reduce(BLAKE2b-64(key = seed, u8 len || "dissent/ring-nonce/v1" ||
// sk || str(memo_id) || D || b || u32(j))).
export function nonce(seed, sk, memoId, ringDigest, binding, j) {
  const msg = concat(sk, new Encoder().str(memoId).fixed(ringDigest, HASH_BYTES).fixed(binding, BINDING_BYTES).u32(j).bytes());
  const wide = keyedHash(64, seed, TAG_NONCE, msg);
  wipe(msg);
  const k = sodium.crypto_core_ristretto255_scalar_reduce(wide);
  wipe(wide);
  return k;
}

// The fixed part of every challenge hash: u8 len || tag || str(memo_id) ||
// D || b || I.
function challengePrefix(memoId, ringDigest, binding, I) {
  return concat(tagPrefix(TAG_CHALLENGE), new Encoder().str(memoId).bytes(), ringDigest, binding, I);
}

// c(L, R) from the challenge prefix.
function challenge(prefix, L, R) {
  return sodium.crypto_core_ristretto255_scalar_reduce(sodium.crypto_generichash(64, concat(prefix, L, R), null));
}

// One link: c(s*G + c*P, s*Hm + c*I).  Throws where libsodium refuses an
// identity product, as ring.c does.
function link(prefix, s, c, P, hm, I) {
  const L = sodium.crypto_core_ristretto255_add(
    sodium.crypto_scalarmult_ristretto255_base(s),
    sodium.crypto_scalarmult_ristretto255(c, P),
  );
  const R = sodium.crypto_core_ristretto255_add(
    sodium.crypto_scalarmult_ristretto255(s, hm),
    sodium.crypto_scalarmult_ristretto255(c, I),
  );
  return challenge(prefix, L, R);
}

// The form of the signature `sig` (ring_sig_parse()): a length of
// 32 * (n + 2) with MIN <= n <= max, canonical scalars, and a tag that is
// a canonical encoding other than the identity.  Returns {n, tag}; throws
// a RangeError otherwise.  This does not verify the signature.
export function parse(sig, max = MAX_DEFAULT) {
  if (!(sig instanceof Uint8Array) || sig.length % SCALAR_BYTES !== 0 || sig.length < sigBytes(MIN)) {
    throw new RangeError('not a ring signature');
  }
  const n = sig.length / SCALAR_BYTES - 2;
  if (n > max || n > N_LIMIT) throw new RangeError('a ring larger than allowed');
  for (let i = 0; i <= n; i++) {
    if (!scalarCanonical(sig.subarray(i * SCALAR_BYTES, (i + 1) * SCALAR_BYTES))) throw new RangeError('a scalar is not canonical');
  }
  const I = sig.slice((n + 1) * SCALAR_BYTES);
  if (!sodium.crypto_core_ristretto255_is_valid_point(I) || isZero(I)) throw new RangeError('the tag is not a valid point');
  return { n, tag: I };
}

// The verifier's walk: every check of ring_verify() but the closing one,
// yielding after each link; returns [c_0, c_1, ..., c_n].
function* walk(sig, ring, memoId, binding, treeSize, max, expectDigest) {
  if (!Number.isInteger(max) || max < MIN) throw new RangeError('a maximum ring size is at least 2');
  checkRingShape(ring);
  const n = ring.length;
  if (n > max) throw new RangeError('a ring larger than allowed');
  const { n: m, tag: I } = parse(sig, max);
  if (m !== n) throw new RangeError('the signature is for a ring of another size');
  if (!memoIdValid(memoId)) throw new RangeError('not a memo id');
  checkBinding(binding);
  checkRing(ring);
  const d = digest(ring, treeSize);
  if (expectDigest !== undefined && !equal(d, expectDigest)) throw new RangeError('another ring digest');
  const hm = tagBase(memoId);
  const prefix = challengePrefix(memoId, d, binding, I);
  const cs = [sig.slice(0, SCALAR_BYTES)];
  for (let i = 0; i < n; i++) {
    const s = sig.subarray((i + 1) * SCALAR_BYTES, (i + 2) * SCALAR_BYTES);
    cs.push(link(prefix, s, cs[i], ring[i], hm, I));
    yield i + 1;
  }
  return cs;
}

// The challenges c_0 .. c_n of the verifier's walk around `ring` for
// `sig` (for the vectors and for tests); throws where verify() refuses
// before the closing comparison.
export function challenges(sig, ring, memoId, binding, treeSize, max = MAX_DEFAULT) {
  const g = walk(sig, ring, memoId, binding, treeSize, max);
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

// Run the generator `g` to its end, awaiting a turn of the event loop
// every `every` steps and telling `onProgress(done, total)`.
async function drain(g, total, onProgress, every) {
  for (let steps = 0; ; steps++) {
    const r = g.next();
    if (r.done) return r.value;
    if (onProgress && (r.value % every === 0 || r.value === total)) onProgress(r.value, total);
    if (steps % every === every - 1) await new Promise((res) => setTimeout(res, 0));
  }
}

function runSync(g) {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

function* verifySteps(sig, ring, memoId, binding, treeSize, opts) {
  let cs;
  try {
    cs = yield* walk(sig, ring, memoId, binding, treeSize, opts.max ?? MAX_DEFAULT, opts.digest);
  } catch {
    return false;
  }
  return sodium.memcmp(cs[cs.length - 1], cs[0]);
}

// Whether `sig` is a valid signature of `binding` on memo `memoId` by the
// ring `ring` (an array of 32-byte keys, in order) taken at tree size
// `treeSize` (ring_verify()).  `opts`: {max} the configured maximum ring
// size (default 1024), {digest} the ring digest the caller holds for it.
export function verify(sig, ring, memoId, binding, treeSize, opts = {}) {
  return runSync(verifySteps(sig, ring, memoId, binding, treeSize, opts));
}

// As verify(), giving the page a turn every 32 members and calling
// `opts.onProgress(done, total)`.
export async function verifyAsync(sig, ring, memoId, binding, treeSize, opts = {}) {
  return drain(verifySteps(sig, ring, memoId, binding, treeSize, opts), Array.isArray(ring) ? ring.length : 0, opts.onProgress, 32);
}

function* signSteps(ring, signer, sk, memoId, binding, treeSize, seed) {
  checkRingShape(ring);
  const n = ring.length;
  if (!Number.isInteger(signer) || signer < 0 || signer >= n) throw new RangeError('the signer is not in the ring');
  if (!memoIdValid(memoId)) throw new RangeError('not a memo id');
  checkBinding(binding);
  checkRing(ring);
  checkSecret(sk);
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) throw new RangeError('a signing seed is 32 bytes');
  if (!sodium.memcmp(sodium.crypto_scalarmult_ristretto255_base(sk), ring[signer])) {
    throw new RangeError("the secret key is not the signer's ring key");
  }
  const d = digest(ring, treeSize);
  const hm = tagBase(memoId);
  const I = sodium.crypto_scalarmult_ristretto255(sk, hm);
  const s = [];
  for (let j = 0; j < n; j++) s.push(nonce(seed, sk, memoId, d, binding, j));
  const alpha = s[signer];
  const prefix = challengePrefix(memoId, d, binding, I);
  let c = challenge(prefix, sodium.crypto_scalarmult_ristretto255_base(alpha), sodium.crypto_scalarmult_ristretto255(alpha, hm));
  let c0 = null;
  for (let j = 1; j <= n; j++) {
    const i = (signer + j) % n;
    if (i === 0) c0 = c;
    if (j === n) break;
    c = link(prefix, s[i], c, ring[i], hm, I);
    yield j;
  }
  // c is now c_p: close the ring with s_p = alpha - c_p * x.
  const cx = sodium.crypto_core_ristretto255_scalar_mul(c, sk);
  s[signer] = sodium.crypto_core_ristretto255_scalar_sub(alpha, cx);
  wipe(alpha);
  wipe(cx);
  yield n;
  return concat(c0, ...s, I);
}

// The signature of `binding` on memo `memoId` with the ring secret key
// `sk`, whose public key is ring[signer], on `ring` taken at tree size
// `treeSize` (ring_sign()); throws a RangeError for everything ring_sign()
// refuses.  `opts.seed` (32 bytes) only for the vectors: by default every
// signature draws a fresh one.
export function sign(ring, signer, sk, memoId, binding, treeSize, opts = {}) {
  const seed = opts.seed ?? sodium.randombytes_buf(SEED_BYTES);
  try {
    return runSync(signSteps(ring, signer, sk, memoId, binding, treeSize, seed));
  } finally {
    if (!opts.seed) wipe(seed);
  }
}

// As sign(), giving the page a turn every 32 members and calling
// `opts.onProgress(done, total)`, so that a large ring shows progress.
export async function signAsync(ring, signer, sk, memoId, binding, treeSize, opts = {}) {
  const seed = opts.seed ?? sodium.randombytes_buf(SEED_BYTES);
  try {
    return await drain(signSteps(ring, signer, sk, memoId, binding, treeSize, seed), Array.isArray(ring) ? ring.length : 0, opts.onProgress, 32);
  } finally {
    if (!opts.seed) wipe(seed);
  }
}

function compareBytes(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

// A ChaCha20 stream (original variant, nonce 0, block counter from 0)
// read as 64-bit little-endian words.
class Drbg {
  constructor(seed) {
    this.key = seed.slice();
    this.block = 0;
    this.buf = new Uint8Array(64);
    this.pos = 64;
  }

  u64() {
    if (this.pos + 8 > 64) {
      this.buf = sodium.crypto_stream_chacha20_xor_ic(new Uint8Array(64), new Uint8Array(8), this.block, this.key);
      this.block++;
      this.pos = 0;
    }
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(this.buf[this.pos + i]);
    this.pos += 8;
    return v;
  }

  // A uniform integer below `bound` (>= 1), by rejection.
  below(bound) {
    const b = BigInt(bound);
    const min = ((1n << 64n) - b) % b;
    let v;
    do v = this.u64();
    while (v < min);
    return Number(v % b);
  }

  wipe() {
    wipe(this.key);
    wipe(this.buf);
  }
}

// The ring for the signer at index `signer` of the eligible public keys
// `eligible` (ring_choose_subset()): all of them if there are at most
// `max`, else the signer and max - 1 others drawn uniformly, sorted by the
// bytes of their keys.  Returns {indices, signerPos} (indices into
// `eligible`, and the signer's place among them).  `seed` (32 bytes) draws
// reproducibly (ring_choose_subset_with_seed()); without it a fresh one
// is drawn.  Throws if the sizes are out of range or two keys are equal.
export function chooseSubset(eligible, signer, max = MAX_DEFAULT, seed) {
  if (!Array.isArray(eligible)) throw new TypeError('the eligible keys are a list');
  const n = eligible.length;
  if (n < MIN || n > ELIGIBLE_LIMIT || !Number.isInteger(max) || max < MIN || max > N_LIMIT) throw new RangeError('sizes out of range');
  if (!Number.isInteger(signer) || signer < 0 || signer >= n) throw new RangeError('the signer is not eligible');
  for (const p of eligible) {
    if (!(p instanceof Uint8Array) || p.length !== PK_BYTES) throw new RangeError('a ring key is 32 bytes');
  }
  const sorted = eligible.map((pk, idx) => ({ pk, idx })).sort((a, b) => compareBytes(a.pk, b.pk));
  for (let i = 1; i < n; i++) {
    if (compareBytes(sorted[i - 1].pk, sorted[i].pk) === 0) throw new RangeError('an eligible key appears twice');
  }
  const m = Math.min(n, max);
  const chosen = new Uint8Array(n);
  if (n <= max) {
    chosen.fill(1);
  } else {
    const own = seed ?? sodium.randombytes_buf(SEED_BYTES);
    if (!(own instanceof Uint8Array) || own.length !== SEED_BYTES) throw new RangeError('a seed is 32 bytes');
    const g = new Drbg(own);
    if (!seed) wipe(own);
    const others = [];
    for (let i = 0; i < n; i++) if (i !== signer) others.push(i);
    for (let i = 0; i + 1 < m; i++) {
      const j = i + g.below(n - 1 - i);
      [others[i], others[j]] = [others[j], others[i]];
      chosen[others[i]] = 1;
    }
    chosen[signer] = 1;
    g.wipe();
  }
  const indices = [];
  let signerPos = 0;
  for (const { idx } of sorted) {
    if (!chosen[idx]) continue;
    if (idx === signer) signerPos = indices.length;
    indices.push(idx);
  }
  return { indices, signerPos };
}
