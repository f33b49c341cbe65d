// Channel log events (docs/PROTOCOL.md, "Log events" and "Memo and channel
// events"; src/lib/event.c): the strict decoder of every event type, the
// encoder (the encoding is canonical: what decodes re-encodes to the same
// bytes), and the hashes events carry.  A decoded event is {version,
// type, name, time, ...its type's fields}, with u64 values (time, at) as
// BigInts and hashes as 32-byte arrays.
import { Decoder, Encoder } from './binenc.js';
import { concat, utf8 } from './bytes.js';
import { dhash } from './dhash.js';

export const FORMAT_VERSION = 1;
export const MAX_BYTES = 4096;
export const HASH_BYTES = 32;
export const NONCE_BYTES = 32;

const TIME_MAX = (1n << 63n) - 1n;
const MEMBER_ID_LEN = 26;
const ORG_ID_MAX = 32;
const MEMO_ID_LEN = 26;

const TAG_EVENT_KEYS = 'dissent/event-keys/v1';
const TAG_ACCESS_COMMIT = 'dissent/access-commit/v1';
const TAG_CHANNEL_KEY = 'dissent/channel-key/v1';

// Role bits (docs/PROTOCOL.md, "Log events").
export const ROLES = Object.freeze({
  member: 0x01,
  coordinator: 0x02,
  director: 0x04,
  principal: 0x08,
  auditor: 0x10,
  admin: 0x20,
});
const ROLE_ALL = 0x3f;

// Whether `roles` is a set the directory allows: not empty, no unknown
// bit, admin alone, and otherwise including member.
export function rolesValid(roles) {
  if (!Number.isInteger(roles) || roles <= 0 || (roles & ~ROLE_ALL) !== 0) return false;
  if (roles & ROLES.admin) return roles === ROLES.admin;
  return (roles & ROLES.member) !== 0;
}

// The names of the roles in `roles`, in the directory's order.
export function roleNames(roles) {
  return Object.entries(ROLES)
    .filter(([, bit]) => (roles & bit) !== 0)
    .map(([name]) => name);
}

const isMemberId = (s) => /^m_[0-9a-f]{24}$/.test(s);
const isOrgId = (s) => /^[a-z][a-z0-9-]{0,31}$/.test(s);
const isMemoId = (s) => /^d_[0-9a-f]{24}$/.test(s);

// Every field: how it is read and written, and its rule (event.c's
// field_valid()).  `t` is the event type's entry, for kinds and epochs.
const FIELDS = {
  memberId: { read: (d) => d.str(MEMBER_ID_LEN), write: (e, v) => e.str(v), valid: isMemberId },
  orgId: { read: (d) => d.str(ORG_ID_MAX), write: (e, v) => e.str(v), valid: isOrgId },
  roles: { read: (d) => d.u32(), write: (e, v) => e.u32(v), valid: rolesValid },
  eligible: {
    read: (d) => {
      const v = d.u8();
      if (v > 1) throw new RangeError('eligibility is 0 or 1');
      return v === 1;
    },
    write: (e, v) => e.u8(v ? 1 : 0),
    valid: (v) => typeof v === 'boolean',
  },
  epoch: {
    read: (d) => d.u32(),
    write: (e, v) => e.u32(v),
    valid: (v, t) => Number.isInteger(v) && v >= (t.code === 4 ? 2 : 1) && v <= 0xffffffff,
  },
  keysHash: { read: (d) => d.fixed(HASH_BYTES), write: (e, v) => e.fixed(v, HASH_BYTES), valid: isHash },
  memoId: { read: (d) => d.str(MEMO_ID_LEN), write: (e, v) => e.str(v), valid: isMemoId },
  member2Id: {
    read: (d) => d.str(MEMBER_ID_LEN),
    write: (e, v) => e.str(v),
    valid: (v) => v === '' || isMemberId(v),
  },
  memoVersion: { read: (d) => d.u32(), write: (e, v) => e.u32(v), valid: (v) => u32(v) && v >= 1 },
  named: { read: (d) => d.u32(), write: (e, v) => e.u32(v), valid: u32 },
  anonymous: { read: (d) => d.u32(), write: (e, v) => e.u32(v), valid: u32 },
  n: { read: (d) => d.u32(), write: (e, v) => e.u32(v), valid: (v) => u32(v) && v >= 1 },
  kind: {
    read: (d) => d.u8(),
    write: (e, v) => e.u8(v),
    valid: (v, t) => Number.isInteger(v) && v >= 1 && v <= t.kinds.length,
  },
  at: { read: (d) => d.u64(), write: (e, v) => e.u64(v), valid: (v) => typeof v === 'bigint' && v >= 1n && v <= TIME_MAX },
  hash: { read: (d) => d.fixed(HASH_BYTES), write: (e, v) => e.fixed(v, HASH_BYTES), valid: isHash },
  packageHash: { read: (d) => d.fixed(HASH_BYTES), write: (e, v) => e.fixed(v, HASH_BYTES), valid: isHash },
  commit: { read: (d) => d.fixed(HASH_BYTES), write: (e, v) => e.fixed(v, HASH_BYTES), valid: isHash },
};

function u32(v) {
  return Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}

function isHash(v) {
  return v instanceof Uint8Array && v.length === HASH_BYTES;
}

// Every event type: code, name, its fields in encoding order and, for
// types with a kind, the kinds' names (kind k is kinds[k - 1]).
export const TYPES = Object.freeze(
  [
    [1, 'org_created', ['orgId']],
    [2, 'member_created', ['memberId', 'orgId', 'roles', 'eligible']],
    [3, 'member_enrolled', ['memberId', 'epoch', 'keysHash']],
    [4, 'keys_rotated', ['memberId', 'epoch', 'keysHash']],
    [5, 'member_suspended', ['memberId']],
    [6, 'member_reinstated', ['memberId']],
    [7, 'roles_changed', ['memberId', 'roles']],
    [8, 'eligibility_changed', ['memberId', 'eligible']],
    [100, 'memo_submitted', ['memoId', 'memoVersion', 'hash', 'named', 'anonymous', 'packageHash']],
    [101, 'memo_withdrawn', ['memoId']],
    [102, 'memo_acknowledged', ['memoId']],
    [103, 'memo_redirected', ['memoId', 'hash']],
    [104, 'memo_assigned', ['memoId', 'memberId']],
    [105, 'memo_distributed', ['memoId', 'memberId', 'member2Id']],
    [106, 'grant_created', ['memoId', 'kind', 'commit'], ['memo key', 'roster key']],
    [107, 'content_accessed', ['memoId', 'kind', 'commit'], ['memo key', 'content', 'signers', 'replies']],
    [108, 'memo_replied', ['memoId', 'n', 'hash']],
    [109, 'memo_closed', ['memoId']],
    [110, 'meeting_requested', ['memoId', 'memberId']],
    [111, 'meeting_scheduled', ['memoId', 'memberId', 'at']],
    [112, 'meeting_held', ['memoId', 'memberId', 'kind', 'hash'], ['held', 'declined']],
    [113, 'complaint_filed', ['hash']],
    [114, 'deadline_missed', ['memoId', 'kind', 'at'], ['acknowledgement', 'reply', 'escalation']],
    [115, 'channel_key_created', ['keysHash', 'memberId']],
    [116, 'channel_key_granted', ['memberId']],
  ].map(([code, name, fields, kinds = []]) => Object.freeze({ code, name, fields, kinds })),
);

const BY_CODE = new Map(TYPES.map((t) => [t.code, t]));
const BY_NAME = new Map(TYPES.map((t) => [t.name, t]));

// The type of code `code` ({code, name, fields, kinds}), or null.
export function typeOf(code) {
  return BY_CODE.get(code) ?? null;
}

// Whether `ev` (decoded) is a memo or channel event (types 100 to 199).
export function isMemoEvent(ev) {
  return ev.type >= 100 && ev.type <= 199;
}

// The event encoded in `bytes`; throws a RangeError unless the encoding is
// exactly one well-formed event: known version and type, every field
// within its limit and rule, nothing left over, at most 4096 bytes.
export function decode(bytes) {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('an event is bytes');
  if (bytes.length > MAX_BYTES) throw new RangeError('an event is at most 4096 bytes');
  const d = new Decoder(bytes);
  const version = d.u8();
  if (version !== FORMAT_VERSION) throw new RangeError(`unknown event format ${version}`);
  const code = (d.u8() << 8) | d.u8();
  const t = BY_CODE.get(code);
  if (!t) throw new RangeError(`unknown event type ${code}`);
  const time = d.u64();
  if (time > TIME_MAX) throw new RangeError('event time at or beyond 2^63');
  const ev = { version, type: code, name: t.name, time };
  try {
    for (const f of t.fields) ev[f] = FIELDS[f].read(d);
    d.end();
  } catch (e) {
    // TextDecoder reports invalid UTF-8 as a TypeError.
    throw e instanceof RangeError ? e : new RangeError(`${t.name}: ${e.message}`);
  }
  for (const f of t.fields) {
    if (!FIELDS[f].valid(ev[f], t)) throw new RangeError(`${t.name}: ${f} is not valid`);
  }
  return ev;
}

// The encoding of the event `ev` ({type: code or name, time, and its
// type's fields}; version 1 unless given); throws if a field breaks its
// rule.
export function encode(ev) {
  const t = typeof ev.type === 'string' ? BY_NAME.get(ev.type) : BY_CODE.get(ev.type);
  if (!t) throw new RangeError('unknown event type');
  const version = ev.version ?? FORMAT_VERSION;
  if (version !== FORMAT_VERSION) throw new RangeError('unknown event format');
  const time = typeof ev.time === 'bigint' ? ev.time : BigInt(ev.time);
  if (time < 0n || time > TIME_MAX) throw new RangeError('event time out of range');
  const e = new Encoder().u8(version).u8(t.code >> 8).u8(t.code & 0xff).u64(time);
  for (const f of t.fields) {
    if (!FIELDS[f].valid(ev[f], t)) throw new RangeError(`${t.name}: ${f} is not valid`);
    FIELDS[f].write(e, ev[f]);
  }
  const out = e.bytes();
  if (out.length > MAX_BYTES) throw new RangeError('an event is at most 4096 bytes');
  return out;
}

// dhash("dissent/event-keys/v1", sign_pk || box_pk || ring_pk): the keys
// hash of member_enrolled and keys_rotated.
export function keysHash(pub) {
  for (const k of [pub.signPk, pub.boxPk, pub.ringPk]) {
    if (!(k instanceof Uint8Array) || k.length !== 32) throw new RangeError('a public key is 32 bytes');
  }
  return dhash(TAG_EVENT_KEYS, concat(pub.signPk, pub.boxPk, pub.ringPk));
}

// dhash("dissent/channel-key/v1", pk): the keys hash of
// channel_key_created, for the channel's X25519 public key `pk`.
export function channelKeyHash(pk) {
  if (!(pk instanceof Uint8Array) || pk.length !== 32) throw new RangeError('a public key is 32 bytes');
  return dhash(TAG_CHANNEL_KEY, pk);
}

// dhash("dissent/access-commit/v1", nonce || str(member_id)): the access
// commitment of grant and access events, for a member id or "channel".
export function accessCommit(nonce, memberId) {
  if (!(nonce instanceof Uint8Array) || nonce.length !== NONCE_BYTES) throw new RangeError('a nonce is 32 bytes');
  const id = typeof memberId === 'string' ? utf8(memberId) : null;
  if (!id || id.length < 1 || id.length > MEMBER_ID_LEN) throw new RangeError('a member id is 1 to 26 bytes');
  return dhash(TAG_ACCESS_COMMIT, new Encoder().fixed(nonce, NONCE_BYTES).var(id).bytes());
}
