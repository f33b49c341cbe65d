import assert from 'node:assert/strict';
import { test } from 'node:test';

import { derive } from '../app/keys.js';
import {
  TYPES,
  accessCommit,
  channelKeyHash,
  decode,
  encode,
  isMemoEvent,
  keysHash,
  roleNames,
  rolesValid,
  typeOf,
} from '../app/event.js';
import { hex, toHex, vectors } from '../testlib/vectors.mjs';

const v = vectors('event');

// The vector's field names and the decoder's.
const NAMES = {
  member_id: 'memberId',
  org_id: 'orgId',
  roles: 'roles',
  eligible: 'eligible',
  epoch: 'epoch',
  keys_hash_hex: 'keysHash',
  memo_id: 'memoId',
  member2_id: 'member2Id',
  memo_version: 'memoVersion',
  named: 'named',
  anonymous: 'anonymous',
  n: 'n',
  kind: 'kind',
  at: 'at',
  hash_hex: 'hash',
  package_hash_hex: 'packageHash',
  commit_hex: 'commit',
};
// Keys of a case that are not event fields.
const NOT_FIELDS = new Set(['type', 'type_code', 'version', 'time', 'encoding_hex', 'commit_nonce_hex', 'commit_member_id', 'channel_pk_hex']);

// The event a vector case describes, from its fields alone.
function eventOf(c) {
  const ev = { version: c.version, type: c.type_code, name: c.type, time: BigInt(c.time) };
  for (const [k, val] of Object.entries(c)) {
    if (NOT_FIELDS.has(k)) continue;
    const name = NAMES[k];
    assert.ok(name, `unknown vector field ${k}`);
    if (k.endsWith('_hex')) ev[name] = hex(val);
    else if (k === 'at') ev[name] = BigInt(val);
    else ev[name] = val;
  }
  return ev;
}

test('every event.json case encodes to its bytes and decodes to its fields', () => {
  const seen = new Set();
  assert.equal(v.cases.length, 11);
  assert.equal(v.memo_cases.length, 23);
  for (const c of [...v.cases, ...v.memo_cases]) {
    const ev = eventOf(c);
    assert.equal(typeOf(c.type_code).name, c.type);
    assert.equal(toHex(encode(ev)), c.encoding_hex, c.type);
    const back = decode(hex(c.encoding_hex));
    assert.deepEqual(back, ev, c.type);
    // Exactly the type's fields, no more.
    assert.deepEqual(Object.keys(back).sort(), ['name', 'time', 'type', 'version', ...typeOf(c.type_code).fields].sort());
    assert.equal(isMemoEvent(back), c.type_code >= 100);
    seen.add(c.type_code);
  }
  // Every event type the protocol defines has a case.
  assert.deepEqual([...seen].sort((a, b) => a - b), TYPES.map((t) => t.code));
  assert.equal(TYPES.length, 25);
});

test('an event can be encoded by its type name', () => {
  const c = v.memo_cases.find((x) => x.type === 'memo_submitted');
  const ev = eventOf(c);
  assert.equal(toHex(encode({ ...ev, type: 'memo_submitted' })), c.encoding_hex);
});

test('every event.json keys hash is recomputed from the seed\'s keys', () => {
  assert.equal(v.keys_hash.length, 3);
  for (const c of v.keys_hash) {
    const { pub } = derive(hex(c.seed_hex));
    assert.equal(toHex(pub.signPk), c.sign_pk_hex);
    assert.equal(toHex(pub.boxPk), c.box_pk_hex);
    assert.equal(toHex(pub.ringPk), c.ring_pk_hex);
    assert.equal(toHex(keysHash(pub)), c.keys_hash_hex);
  }
  // The enrolment case carries the first seed's hash.
  assert.equal(v.cases[2].keys_hash_hex, v.keys_hash[0].keys_hash_hex);
});

test('every event.json commitment and channel key hash is recomputed', () => {
  let commits = 0;
  let channel = 0;
  for (const c of v.memo_cases) {
    if (c.commit_nonce_hex) {
      assert.equal(toHex(accessCommit(hex(c.commit_nonce_hex), c.commit_member_id)), c.commit_hex);
      commits++;
    }
    if (c.channel_pk_hex) {
      assert.equal(toHex(channelKeyHash(hex(c.channel_pk_hex))), c.keys_hash_hex);
      channel++;
    }
  }
  assert.equal(commits, 6);
  assert.equal(channel, 1);
  assert.throws(() => accessCommit(new Uint8Array(31), 'channel'), RangeError);
  assert.throws(() => accessCommit(new Uint8Array(32), 'm_'.padEnd(27, '0')), RangeError);
});

// The bytes an invalid case describes: its source case's encoding cut or
// padded to `length`, with byte `offset` set to `value`.
function rebuilt(c, cases) {
  const base = hex(cases[c.from_case].encoding_hex);
  const buf = new Uint8Array(c.length);
  buf.set(base.subarray(0, Math.min(c.length, base.length)));
  if (c.offset !== undefined) {
    assert.ok(c.offset < c.length);
    buf[c.offset] = c.value;
  }
  return buf;
}

test('every invalid encoding of event.json is refused', () => {
  assert.equal(v.invalid.length, 17);
  for (const c of v.invalid) {
    assert.ok(c.reason.length > 0);
    const buf = rebuilt(c, v.cases);
    assert.equal(toHex(buf), c.encoding_hex, c.reason);
    assert.throws(() => decode(buf), RangeError, c.reason);
  }
});

test('every invalid memo event encoding of event.json is refused', () => {
  assert.equal(v.memo_invalid.length, 16);
  for (const c of v.memo_invalid) {
    assert.ok(c.reason.length > 0);
    const buf = rebuilt(c, v.memo_cases);
    assert.equal(toHex(buf), c.encoding_hex, c.reason);
    assert.throws(() => decode(buf), RangeError, c.reason);
  }
});

test('every truncation and every extension of a valid event is refused', () => {
  for (const c of [...v.cases, ...v.memo_cases]) {
    const b = hex(c.encoding_hex);
    for (let n = 0; n < b.length; n++) assert.throws(() => decode(b.subarray(0, n)), RangeError, `${c.type} cut to ${n}`);
    assert.throws(() => decode(Uint8Array.from([...b, 0])), RangeError);
  }
});

test('an event above 4096 bytes, or of an unknown type, is refused', () => {
  assert.throws(() => decode(new Uint8Array(4097)), RangeError);
  const b = hex(v.memo_cases[0].encoding_hex);
  for (const type of [0, 9, 99, 117, 199, 256, 0xffff]) {
    const x = b.slice();
    x[1] = type >> 8;
    x[2] = type & 0xff;
    assert.throws(() => decode(x), RangeError, `type ${type}`);
  }
});

test('a text field with invalid UTF-8 or a NUL byte is refused', () => {
  const b = hex(v.cases[0].encoding_hex); // org_created "state"
  const bad = b.slice();
  bad[bad.length - 1] = 0xff;
  assert.throws(() => decode(bad), RangeError);
  bad[bad.length - 1] = 0;
  assert.throws(() => decode(bad), RangeError);
});

test('fields that break their rule are refused when encoding too', () => {
  const c = v.memo_cases.find((x) => x.type === 'memo_distributed' && x.member2_id);
  const ev = eventOf(c);
  assert.throws(() => encode({ ...ev, member2Id: 'M_00112233445566778899aabb' }), RangeError);
  assert.throws(() => encode({ ...ev, memoId: 'd_123' }), RangeError);
  assert.throws(() => encode({ ...ev, time: 1n << 63n }), RangeError);
  assert.throws(() => encode({ ...ev, type: 117 }), RangeError);
  assert.throws(() => encode({ ...ev, version: 2 }), RangeError);
  const e = eventOf(v.cases.find((x) => x.type === 'keys_rotated'));
  assert.throws(() => encode({ ...e, epoch: 1 }), RangeError);
});

test('roles follow the directory\'s rule', () => {
  assert.ok(rolesValid(0x01));
  assert.ok(rolesValid(0x11));
  assert.ok(rolesValid(0x1f));
  assert.ok(rolesValid(0x20));
  for (const r of [0, 0x21, 0x10, 0x40, 0x41, -1, 1.5]) assert.equal(rolesValid(r), false, String(r));
  assert.deepEqual(roleNames(0x15), ['member', 'director', 'auditor']);
});
