// Memos on the client (docs/PROTOCOL.md, "Memos"; src/lib/memo.c): ids,
// markings and topics; the content encoding and its rules; version
// hashes; content, reply, note and outcome boxes; named co-signatures;
// signer records sealed to the roster key; duplicate tags and package
// hashes (computed by the server, recomputed by clients to check it).
import * as aead from './aead.js';
import { Decoder, Encoder } from './binenc.js';
import { equal, fromUtf8, utf8, wipe } from './bytes.js';
import { dhash } from './dhash.js';
import { sign, verify } from './keys.js';
import { openSealed, sealTo } from './seal.js';
import sodium from './sodium.js';

export const ID_LEN = 26;
export const KEY_BYTES = 32;
export const HASH_BYTES = 32;
export const TITLE_MAX = 300;
export const SUMMARY_MAX = 4000;
export const BODY_MAX = 256 * 1024;
export const ALTERNATIVES_MAX = 64 * 1024;
export const TOPIC_MAX = 32;
export const MARKING_MAX = 16;
export const REPLY_MAX = 256 * 1024;
export const RECORD_PLAIN_BYTES = 256;
export const RECORD_SEALED_BYTES = RECORD_PLAIN_BYTES + 48;
export const MEMBER_ID_MAX = 64;
export const CONTENT_FORMAT = 1;

export const REPLY_KIND = Object.freeze({ reply: 1, redirect: 2, outcome: 3 });

// Markings, lowest level first.
export const MARKINGS = Object.freeze(['UNCLASSIFIED', 'SBU', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET']);

const TAG_VERSION = 'dissent/memo-version/v1';
const TAG_CONTENT = 'dissent/memo-content/v1';
const TAG_REPLY = 'dissent/memo-reply/v1';
const TAG_BOX = 'dissent/memo-box/v1';
const TAG_NAMED = 'dissent/named-signature/v1';
const TAG_RECORD = 'dissent/signer-record/v1';
const TAG_SIGNER = 'dissent/signer-tag/v1';
const TAG_PACKAGE = 'dissent/memo-package/v2';

// Whether `id` is a memo id: "d_" and 24 lowercase hex digits.
export function memoIdValid(id) {
  return typeof id === 'string' && /^d_[0-9a-f]{24}$/.test(id);
}

// A fresh memo id (12 random bytes).
export function newMemoId() {
  return `d_${[...sodium.randombytes_buf(12)].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

// Whether `id` is a member id: "m_" and 24 lowercase hex digits.
export function memberIdValid(id) {
  return typeof id === 'string' && /^m_[0-9a-f]{24}$/.test(id);
}

// The level of the marking `name` (0 to 4), or -1 if it is not one.
export function markingLevel(name) {
  return MARKINGS.indexOf(name);
}

// Whether `topic` is 1 to 32 bytes of a-z 0-9 - starting with a letter.
export function topicValid(topic) {
  return typeof topic === 'string' && /^[a-z][a-z0-9-]{0,31}$/.test(topic);
}

// Whether the text `s` has no control character (C0, DEL, C1), but tab,
// line feed and carriage return when `multiline`.
function textValid(s, multiline) {
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (multiline && (c === 0x09 || c === 0x0a || c === 0x0d)) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return false;
  }
  return true;
}

// Check one text field and return its UTF-8 bytes.
function field(name, s, min, max, multiline) {
  if (typeof s !== 'string') throw new RangeError(`${name} is not text`);
  const b = utf8(s);
  if (b.length < min || b.length > max) throw new RangeError(`${name} must be ${min} to ${max} bytes`);
  if (!textValid(s, multiline)) throw new RangeError(`${name} has a control character`);
  return b;
}

// The encoding of the content {topic, marking, title, summary, body,
// alternatives} (summary and alternatives may be absent: empty); throws
// if a field breaks its rule.
export function contentEncode(c) {
  if (!topicValid(c.topic)) throw new RangeError('topic is not valid');
  if (markingLevel(c.marking) < 0) throw new RangeError('marking is not known');
  return new Encoder()
    .u8(CONTENT_FORMAT)
    .str(c.topic)
    .str(c.marking)
    .var(field('title', c.title, 1, TITLE_MAX, false))
    .var(field('summary', c.summary ?? '', 0, SUMMARY_MAX, true))
    .var(field('body', c.body, 1, BODY_MAX, true))
    .var(field('alternatives', c.alternatives ?? '', 0, ALTERNATIVES_MAX, true))
    .bytes();
}

// The content encoded in `b`; throws on any breach of the rules (the
// encoding is canonical, so what decodes re-encodes to the same bytes).
export function contentDecode(b) {
  const d = new Decoder(b);
  if (d.u8() !== CONTENT_FORMAT) throw new RangeError('unknown content format');
  const c = {
    topic: d.str(TOPIC_MAX),
    marking: d.str(MARKING_MAX),
    title: d.str(TITLE_MAX),
    summary: d.str(SUMMARY_MAX),
    body: d.str(BODY_MAX),
    alternatives: d.str(ALTERNATIVES_MAX),
  };
  d.end();
  if (!topicValid(c.topic)) throw new RangeError('topic is not valid');
  if (markingLevel(c.marking) < 0) throw new RangeError('marking is not known');
  field('title', c.title, 1, TITLE_MAX, false);
  field('summary', c.summary, 0, SUMMARY_MAX, true);
  field('body', c.body, 1, BODY_MAX, true);
  field('alternatives', c.alternatives, 0, ALTERNATIVES_MAX, true);
  return c;
}

function checkMemoId(memoId) {
  if (!memoIdValid(memoId)) throw new RangeError('not a memo id');
}

function checkVersion(version) {
  if (!Number.isInteger(version) || version < 1 || version > 0xffffffff) throw new RangeError('version out of range');
}

// dhash("dissent/memo-version/v1", str memo_id || u32 version || prev ||
// roster_pk || var content); `prev` is 32 zero bytes for version 1.
export function versionHash(memoId, version, prev, rosterPk, content) {
  checkMemoId(memoId);
  checkVersion(version);
  return dhash(
    TAG_VERSION,
    new Encoder().str(memoId).u32(version).fixed(prev, HASH_BYTES).fixed(rosterPk, 32).var(content).bytes(),
  );
}

// AD = str("dissent/memo-content/v1") || str(memo_id) || u32(version).
export function contentAd(memoId, version) {
  checkMemoId(memoId);
  checkVersion(version);
  return new Encoder().str(TAG_CONTENT).str(memoId).u32(version).bytes();
}

// The content box of version `version`.  `nonce` only for the vectors.
export function contentSeal(key, memoId, version, content, nonce) {
  return aead.seal(key, contentAd(memoId, version), content, nonce);
}

// The encoded content inside a content box; throws if it does not open.
export function contentOpen(key, memoId, version, box) {
  return aead.open(key, contentAd(memoId, version), box);
}

// AD = str("dissent/memo-reply/v1") || str(memo_id) || u8(kind) || u32(n).
export function replyAd(memoId, kind, n) {
  checkMemoId(memoId);
  if (!Object.values(REPLY_KIND).includes(kind)) throw new RangeError('unknown reply kind');
  checkVersion(n);
  return new Encoder().str(TAG_REPLY).str(memoId).u8(kind).u32(n).bytes();
}

// The box of reply, note or outcome `n` of kind `kind`.
export function replySeal(key, memoId, kind, n, text, nonce) {
  const plain = new Encoder().var(field('text', text, 1, REPLY_MAX, true)).bytes();
  try {
    return aead.seal(key, replyAd(memoId, kind, n), plain, nonce);
  } finally {
    wipe(plain);
  }
}

// The text of a reply, note or outcome box.
export function replyOpen(key, memoId, kind, n, box) {
  const plain = aead.open(key, replyAd(memoId, kind, n), box);
  const d = new Decoder(plain);
  const text = fromUtf8(d.var(REPLY_MAX));
  d.end();
  field('text', text, 1, REPLY_MAX, true);
  return text;
}

// dhash("dissent/memo-box/v1", box): what the log carries of a box.
export function boxHash(box) {
  return dhash(TAG_BOX, box);
}

function checkSignature(s) {
  checkMemoId(s.memoId);
  if (!memberIdValid(s.signerId)) throw new RangeError('not a member id');
  checkVersion(s.version);
  if (!(s.versionHash instanceof Uint8Array) || s.versionHash.length !== HASH_BYTES) {
    throw new RangeError('a version hash is 32 bytes');
  }
}

// T = str(memo_id) || version_hash || str(signer_id) || u64(time).
export function namedTranscript(memoId, versionHash, signerId, time) {
  return new Encoder().str(memoId).fixed(versionHash, HASH_BYTES).str(signerId).u64(time).bytes();
}

// The named co-signature of `s` ({memoId, version, versionHash, signerId,
// time}) with the signing key `signSk`.
export function namedSign(signSk, s) {
  checkSignature(s);
  return sign(signSk, TAG_NAMED, namedTranscript(s.memoId, s.versionHash, s.signerId, s.time));
}

// Whether `sig` is `s`'s named co-signature under `signPk`.
export function namedVerify(sig, signPk, s) {
  try {
    checkSignature(s);
    return verify(sig, signPk, TAG_NAMED, namedTranscript(s.memoId, s.versionHash, s.signerId, s.time));
  } catch {
    return false;
  }
}

// The 256-byte signer record of `s` ({memoId, version, versionHash,
// signerId, keyEpoch, time, sig}).
export function recordEncode(s) {
  checkSignature(s);
  if (!Number.isInteger(s.keyEpoch) || s.keyEpoch < 1) throw new RangeError('key epoch 0');
  const b = new Encoder()
    .str(TAG_RECORD)
    .str(s.memoId)
    .u32(s.version)
    .fixed(s.versionHash, HASH_BYTES)
    .str(s.signerId)
    .u32(s.keyEpoch)
    .u64(s.time)
    .fixed(s.sig, 64)
    .bytes();
  const out = new Uint8Array(RECORD_PLAIN_BYTES);
  out.set(b);
  return out;
}

// The record of `s` sealed to the memo's roster key (304 bytes).
// `ephemeralSeed` only for the vectors.
export function recordSeal(s, rosterPk, ephemeralSeed) {
  const plain = recordEncode(s);
  try {
    return sealTo(plain, rosterPk, ephemeralSeed);
  } finally {
    wipe(plain);
  }
}

// Open a sealed record with the roster key pair and parse it strictly
// (the signature is not verified here: check it against the signer's keys
// at keyEpoch); throws if refused.  `time` is a BigInt (a u64).
export function recordOpen(sealed, rosterPk, rosterSk) {
  if (!(sealed instanceof Uint8Array) || sealed.length !== RECORD_SEALED_BYTES) {
    throw new RangeError('a sealed record is 304 bytes');
  }
  const plain = openSealed(sealed, rosterPk, rosterSk);
  try {
    const d = new Decoder(plain);
    if (d.str(TAG_RECORD.length) !== TAG_RECORD) throw new RangeError('not a signer record');
    const s = {
      memoId: d.str(ID_LEN),
      version: d.u32(),
      versionHash: d.fixed(HASH_BYTES),
      signerId: d.str(MEMBER_ID_MAX),
      keyEpoch: d.u32(),
      time: d.u64(),
      sig: d.fixed(64),
    };
    checkSignature(s);
    if (s.keyEpoch < 1) throw new RangeError('key epoch 0');
    if (!plain.subarray(plain.length - d.remaining()).every((x) => x === 0)) {
      throw new RangeError('bytes after the record');
    }
    return s;
  } finally {
    wipe(plain);
  }
}

// A fresh roster key pair {pk, sk}.
export function rosterKeypair() {
  const k = sodium.crypto_box_keypair();
  return { pk: k.publicKey, sk: k.privateKey };
}

// The message of a duplicate tag: str(tag) || str(memo_id) || str(signer_id).
export function signerTagMessage(memoId, signerId) {
  return new Encoder().str(TAG_SIGNER).str(memoId).str(signerId).bytes();
}

// The server's duplicate tag under its tag key `key`.
export function signerTag(key, memoId, signerId) {
  return sodium.crypto_generichash(HASH_BYTES, signerTagMessage(memoId, signerId), key);
}

// dhash("dissent/memo-package/v2", str memo_id || version_hash || u32 n ||
// the sealed records || u32 m || var of each anonymous signature), records
// and anonymous signatures in the order given (the server's: by tag).
export function packageHash(memoId, versionHash, records, anonymous = []) {
  const e = new Encoder().str(memoId).fixed(versionHash, HASH_BYTES).u32(records.length);
  for (const r of records) e.fixed(r, RECORD_SEALED_BYTES);
  e.u32(anonymous.length);
  for (const s of anonymous) e.var(s);
  return dhash(TAG_PACKAGE, e.bytes());
}

// Whether the version hash recomputed from the content equals `expected`.
export function versionHashMatches(expected, memoId, version, prev, rosterPk, content) {
  return equal(expected, versionHash(memoId, version, prev, rosterPk, content));
}
