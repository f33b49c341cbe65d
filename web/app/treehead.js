// Signed tree heads of the channel log (docs/PROTOCOL.md, "Signed tree
// heads"; src/lib/treehead.c, src/cli/logwire.c): the signed statement,
// its Ed25519 signature by the server key, the JSON form, and the checks
// a client makes between two heads of one server and of an entry in a
// head.  A head is {instanceId, size, timestamp, root, signature} with
// size and timestamp as BigInts.
import * as b64 from './b64.js';
import { Encoder } from './binenc.js';
import { equal, toHex } from './bytes.js';
import { dhash } from './dhash.js';
import { sign, verify as verifySig } from './keys.js';
import { HASH_BYTES, MAX_PROOF, MAX_SIZE, emptyRoot, leafHash, splitProof, verifyConsistency, verifyInclusion } from './merkle.js';

export const SIG_BYTES = 64;
export const PK_BYTES = 32;
export const INSTANCE_ID_MAX = 64;

const TAG = 'dissent/tree-head/v1';
const TAG_FINGERPRINT = 'dissent/server-fingerprint/v1';
const U64_LIMIT = 1n << 64n;

// Whether `id` is an instance id: 1 to 64 printable ASCII bytes, no space.
export function instanceIdValid(id) {
  return typeof id === 'string' && /^[\x21-\x7e]{1,64}$/.test(id);
}

function u64(v) {
  if (typeof v === 'bigint' && v >= 0n && v < U64_LIMIT) return v;
  if (Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new RangeError('not a u64');
}

// A head with its numbers as BigInts; throws if a field has the wrong
// form (the signature is not checked).
function normal(h) {
  if (!h || typeof h !== 'object') throw new TypeError('a tree head is an object');
  if (!instanceIdValid(h.instanceId)) throw new RangeError('not an instance id');
  const size = u64(h.size);
  if (size > MAX_SIZE) throw new RangeError('tree size above 2^63');
  if (!(h.root instanceof Uint8Array) || h.root.length !== HASH_BYTES) throw new RangeError('a root is 32 bytes');
  return { instanceId: h.instanceId, size, timestamp: u64(h.timestamp), root: h.root, signature: h.signature };
}

// statement = str(instance_id) || u64(size) || u64(timestamp) || root.
export function statement(head) {
  const h = normal(head);
  return new Encoder().str(h.instanceId).u64(h.size).u64(h.timestamp).fixed(h.root, HASH_BYTES).bytes();
}

// The head `head` (without its signature) signed with the server's
// Ed25519 secret key `sk` (64 bytes): a copy with `signature` set.  For
// the tests and the vectors: only the server signs heads.
export function signHead(head, sk) {
  const h = normal(head);
  return { ...h, signature: sign(sk, TAG, statement(h)) };
}

// Whether `head`'s signature is the server key `serverPk`'s over its
// statement, and the head is well formed (size at most 2^63).
export function verify(head, serverPk) {
  try {
    const h = normal(head);
    if (!(h.signature instanceof Uint8Array) || h.signature.length !== SIG_BYTES) return false;
    if (!(serverPk instanceof Uint8Array) || serverPk.length !== PK_BYTES) return false;
    return verifySig(h.signature, serverPk, TAG, statement(h));
  } catch {
    return false;
  }
}

// A non-negative JSON integer, exactly representable (at most 2^53 - 1:
// JSON numbers beyond lose digits when parsed).
function jsonU64(v, what) {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${what} is not a non-negative integer`);
  return BigInt(v);
}

// The head of the JSON object `obj`, {"instance_id", "size", "timestamp",
// "root", "signature"} (docs/API.md, "Log"); throws a RangeError if a
// field is missing or malformed.  The signature is not checked here.
export function fromJson(obj) {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new RangeError('a tree head is an object');
  if (!instanceIdValid(obj.instance_id)) throw new RangeError('the tree head has no valid instance id');
  const size = jsonU64(obj.size, 'size');
  if (size > MAX_SIZE) throw new RangeError('tree size above 2^63');
  return {
    instanceId: obj.instance_id,
    size,
    timestamp: jsonU64(obj.timestamp, 'timestamp'),
    root: b64.decode(obj.root, HASH_BYTES),
    signature: b64.decode(obj.signature, SIG_BYTES),
  };
}

// The JSON object of `head` (sizes as numbers; they are below 2^53 in
// any head fromJson() read).
export function toJson(head) {
  return {
    instance_id: head.instanceId,
    size: Number(head.size),
    timestamp: Number(head.timestamp),
    root: b64.encode(head.root),
    signature: b64.encode(head.signature),
  };
}

// The proof of a JSON answer's "proof" array (at most 64 base64url hashes
// of 32 bytes); throws if malformed.
export function proofFromJson(arr) {
  if (!Array.isArray(arr) || arr.length > MAX_PROOF) throw new RangeError('a proof is a list of at most 64 hashes');
  return arr.map((s) => b64.decode(s, HASH_BYTES));
}

// Whether the verified head `next` extends the verified head `old` of the
// same server (treehead_check_consistency()): the same instance id; a size
// at least as large; the same root at the same size; no earlier timestamp
// with a larger size; and, when the size grew from a non-empty tree, the
// RFC 9162 consistency proof `proof` from old to next.  From size 0 no
// proof is needed, but the old root must be the empty root.  Anything
// else is a rollback or a fork.
export function checkConsistency(old, next, proof = []) {
  let a;
  let b;
  let hashes;
  try {
    a = normal(old);
    b = normal(next);
    hashes = splitProof(proof);
  } catch {
    return false;
  }
  if (a.instanceId !== b.instanceId) return false;
  if (b.size < a.size) return false;
  if (b.size === a.size) return hashes.length === 0 && equal(a.root, b.root);
  if (b.timestamp < a.timestamp) return false;
  if (a.size === 0n) return hashes.length === 0 && equal(a.root, emptyRoot());
  return verifyConsistency(a.size, b.size, a.root, b.root, hashes);
}

// Whether the leaf input `leaf` is entry `index` of the verified head
// `head` by the RFC 9162 inclusion proof `proof` (treehead_check_inclusion()).
export function checkInclusion(head, leaf, index, proof) {
  try {
    const h = normal(head);
    return verifyInclusion(leafHash(leaf), index, h.size, proof, h.root);
  } catch {
    return false;
  }
}

// "abcd ef01 ..." (49 characters): the first 20 bytes of
// dhash("dissent/server-fingerprint/v1", pk), as the CLI shows the server
// key it pins (src/cli/serverpin.c).
export function serverFingerprint(pk) {
  if (!(pk instanceof Uint8Array) || pk.length !== PK_BYTES) throw new RangeError('a server key is 32 bytes');
  return toHex(dhash(TAG_FINGERPRINT, pk).subarray(0, 20)).match(/.{4}/g).join(' ');
}
