// The channel log's Merkle tree (docs/PROTOCOL.md, "Merkle log"; RFC 9162
// §2.1 with SHA-256; src/lib/merkle.c): leaf and interior node hashes, the
// root of a list of leaves, and the verification of inclusion and
// consistency proofs.  Sizes and indexes are BigInts inside (JavaScript's
// bit operators stop at 32 bits); callers may pass safe integers.  A root
// does not commit to its size: always take (size, root) from one verified
// signed tree head (treehead.js).
import { concat, equal } from './bytes.js';
import sodium from './sodium.js';

export const HASH_BYTES = 32;
export const MAX_SIZE = 1n << 63n;
export const MAX_PROOF = 64;

const LEAF_PREFIX = Uint8Array.of(0);
const NODE_PREFIX = Uint8Array.of(1);

// A tree size or index as a BigInt in 0 .. 2^64 - 1; throws otherwise.
function big(v) {
  if (typeof v === 'bigint') {
    if (v < 0n || v >= 1n << 64n) throw new RangeError('out of range');
    return v;
  }
  if (Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new RangeError('not a tree size or index');
}

function isHash(h) {
  return h instanceof Uint8Array && h.length === HASH_BYTES;
}

// SHA-256(0x00 || leaf): the leaf hash of the leaf input `leaf`.
export function leafHash(leaf) {
  if (!(leaf instanceof Uint8Array)) throw new TypeError('a leaf is bytes');
  return sodium.crypto_hash_sha256(concat(LEAF_PREFIX, leaf));
}

// SHA-256(0x01 || left || right): the interior node over two hashes.
export function nodeHash(left, right) {
  if (!isHash(left) || !isHash(right)) throw new RangeError('a node hash is 32 bytes');
  return sodium.crypto_hash_sha256(concat(NODE_PREFIX, left, right));
}

// SHA-256(""): the root of the empty tree.
export function emptyRoot() {
  return sodium.crypto_hash_sha256(new Uint8Array(0));
}

// The proof as an array of 32-byte hashes: `proof` is such an array, or
// the hashes concatenated (as the vectors write them).  Throws if a hash
// is not 32 bytes or there are more than MAX_PROOF.
export function splitProof(proof) {
  let out;
  if (proof instanceof Uint8Array) {
    if (proof.length % HASH_BYTES !== 0) throw new RangeError('a proof is whole 32-byte hashes');
    out = [];
    for (let i = 0; i < proof.length; i += HASH_BYTES) out.push(proof.slice(i, i + HASH_BYTES));
  } else if (Array.isArray(proof)) {
    if (!proof.every(isHash)) throw new RangeError('a proof hash is 32 bytes');
    out = proof;
  } else {
    throw new TypeError('a proof is a list of hashes');
  }
  if (out.length > MAX_PROOF) throw new RangeError('a proof has at most 64 hashes');
  return out;
}

// The largest power of two strictly below `n` (n >= 2).
function split(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// MTH of the leaf hashes `hashes[lo:hi]` (RFC 9162 §2.1.1).
function mth(hashes, lo, hi) {
  const n = hi - lo;
  if (n === 0) return emptyRoot();
  if (n === 1) return hashes[lo];
  const k = split(n);
  return nodeHash(mth(hashes, lo, lo + k), mth(hashes, lo + k, hi));
}

// MTH(D[start:end]) of the list of leaf hashes `hashes` (the whole list
// by default): the root of those leaves as a tree of their own.
export function rootOf(hashes, start = 0, end = hashes.length) {
  if (!Array.isArray(hashes) || !hashes.every(isHash)) throw new RangeError('leaf hashes are 32 bytes');
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > hashes.length || start > end) {
    throw new RangeError('not a range of the list');
  }
  return mth(hashes, start, end);
}

// PATH(m, hashes[lo:hi]) of RFC 9162 §2.1.3.1.
function path(m, hashes, lo, hi) {
  const n = hi - lo;
  if (n === 1) return [];
  const k = split(n);
  if (m < k) return [...path(m, hashes, lo, lo + k), mth(hashes, lo + k, hi)];
  return [...path(m - k, hashes, lo + k, hi), mth(hashes, lo, lo + k)];
}

// The inclusion proof of leaf `index` in the tree of the first `size` of
// the leaf hashes `hashes` (for an auditor who holds the leaves, and the
// tests).
export function inclusionProof(hashes, index, size) {
  if (!Array.isArray(hashes) || !hashes.every(isHash)) throw new RangeError('leaf hashes are 32 bytes');
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size || size > hashes.length) {
    throw new RangeError('no such leaf in that tree');
  }
  return path(index, hashes, 0, size);
}

// SUBPROOF(m, hashes[lo:hi], b) of RFC 9162 §2.1.4.1.
function subproof(m, hashes, lo, hi, b) {
  const n = hi - lo;
  if (m === n) return b ? [] : [mth(hashes, lo, hi)];
  const k = split(n);
  if (m <= k) return [...subproof(m, hashes, lo, lo + k, b), mth(hashes, lo + k, hi)];
  return [...subproof(m - k, hashes, lo + k, hi, false), mth(hashes, lo, lo + k)];
}

// The consistency proof between the trees of the first `size1` and
// `size2` of the leaf hashes `hashes` (0 < size1 <= size2).
export function consistencyProof(hashes, size1, size2) {
  if (!Array.isArray(hashes) || !hashes.every(isHash)) throw new RangeError('leaf hashes are 32 bytes');
  if (!Number.isInteger(size1) || !Number.isInteger(size2) || size1 < 1 || size1 > size2 || size2 > hashes.length) {
    throw new RangeError('no proof between those sizes');
  }
  return subproof(size1, hashes, 0, size2, true);
}

function bitLength(x) {
  return x === 0n ? 0 : x.toString(2).length;
}

function popcount(x) {
  let c = 0;
  for (let v = x; v > 0n; v >>= 1n) c += Number(v & 1n);
  return c;
}

function trailingZeros(x) {
  let c = 0;
  for (let v = x; (v & 1n) === 0n; v >>= 1n) c++;
  return c;
}

// The hashes an inclusion proof of `index` in a tree of `size` has: the
// levels below the point where the paths to `index` and to the last leaf
// part, plus one per left sibling above it.
function inclusionLength(index, size) {
  const inner = bitLength(index ^ (size - 1n));
  return inner + popcount(index >> BigInt(inner));
}

// Whether `proof` shows the leaf with hash `leafHashValue` at `index` in
// the tree of `size` leaves whose root is `root` (RFC 9162 §2.1.3.2, the
// refusals of merkle_inclusion_verify()).
export function verifyInclusion(leafHashValue, index, size, proof, root) {
  let fn;
  let sn;
  let hashes;
  try {
    fn = big(index);
    sn = big(size);
    hashes = splitProof(proof);
  } catch {
    return false;
  }
  if (!isHash(leafHashValue) || !isHash(root)) return false;
  if (fn >= sn || sn > MAX_SIZE) return false;
  if (hashes.length !== inclusionLength(fn, sn)) return false;
  sn -= 1n;
  let x = leafHashValue;
  for (const p of hashes) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      x = nodeHash(p, x);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      x = nodeHash(x, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && equal(x, root);
}

// Whether `proof` shows the tree of `size1` leaves with root `root1` to be
// a prefix of the tree of `size2` leaves with root `root2` (RFC 9162
// §2.1.4.2, the refusals of merkle_consistency_verify(): no proof from
// the empty tree, an empty proof and equal roots for equal sizes).
export function verifyConsistency(size1, size2, root1, root2, proof) {
  let m;
  let n;
  let hashes;
  try {
    m = big(size1);
    n = big(size2);
    hashes = splitProof(proof);
  } catch {
    return false;
  }
  if (!isHash(root1) || !isHash(root2)) return false;
  if (m === 0n || m > n || n > MAX_SIZE) return false;
  if (m === n) return hashes.length === 0 && equal(root1, root2);
  if (hashes.length === 0) return false;
  const shift = trailingZeros(m);
  const inner = bitLength((m - 1n) ^ (n - 1n)) - shift;
  const border = popcount((m - 1n) >> BigInt(inner + shift));
  const seeded = m === 1n << BigInt(shift);
  if (hashes.length !== (seeded ? 0 : 1) + inner + border) return false;
  const path = seeded ? [root1, ...hashes] : hashes;
  let fn = m - 1n;
  let sn = n - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && equal(fr, root1) && equal(sr, root2);
}
