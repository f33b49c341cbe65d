// A memo's ring snapshot checked against the channel log, as the CLI does
// it (src/cli/cmd_anon.c, cmd_anon_snapshot_parse(), _note(), _check();
// the directory rules of src/cli/audit.c): the server's GET
// /memos/{id}/ring answer is read strictly, the directory events of the
// first `tree_size` log entries are replayed, and the snapshot must be
// exactly the members that are then active, eligible, enrolled and of one
// of the memo's organisations, each at the key epoch the directory holds
// and with the keys (keys hash) the log published for that epoch.  Then
// the ring is chosen: the whole set up to the server's maximum, else a
// uniformly random subset holding the signer, sorted by key bytes
// (ring.chooseSubset()), or the ring of the signature being replaced.
//
// The replay itself is pure (checkable in node against a synthetic log);
// verifyAgainstLog() fetches the entries through logsync.js and ties them
// to the verified tree head by their Merkle root.
import * as b64 from './b64.js';
import { equal } from './bytes.js';
import * as event from './event.js';
import * as merkle from './merkle.js';
import * as ring from './ring.js';

export class SnapshotError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SnapshotError';
  }
}

const MEMBER_ID = /^m_[0-9a-f]{24}$/;
// The CLI's limits: AUDIT_MEMBERS_MAX members, and rings whose signature
// fits a request (MEMOWIRE_B64_MAX / 32 - 2 keys).
export const ELIGIBLE_MAX = 1 << 20;
export const RING_MAX = 8192;
const PAGE = 1000;

function fail(msg) {
  throw new SnapshotError(msg);
}

function compareBytes(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function jsonCount(v) {
  return Number.isSafeInteger(v) && v >= 0 ? v : null;
}

// Read the GET /memos/{id}/ring answer `o` strictly: {treeSize (BigInt,
// from 1), max (ring.MIN to ring.N_LIMIT), minWarn, members: [{id, epoch,
// pub: {signPk, boxPk, ringPk}}]} sorted strictly by ring key, no member
// twice.  Throws a SnapshotError.
export function parseSnapshot(o) {
  if (!o || typeof o !== 'object') fail('the answer is not an object');
  const t = jsonCount(o.tree_size);
  if (t === null || t < 1) fail('no valid tree size');
  const max = jsonCount(o.max);
  if (max === null || max < ring.MIN || max > ring.N_LIMIT) fail('no valid largest ring');
  const minWarn = jsonCount(o.min_warn);
  if (minWarn === null || minWarn > ring.ELIGIBLE_LIMIT) fail('no valid smallest anonymity set');
  if (!Array.isArray(o.members)) fail('no list of members');
  if (o.members.length > ELIGIBLE_MAX) fail(`more than ${ELIGIBLE_MAX} members`);
  const members = o.members.map((e, i) => {
    const id = e?.member;
    if (typeof id !== 'string' || !MEMBER_ID.test(id)) fail(`member ${i + 1} of the eligible set has no valid member id`);
    const epoch = jsonCount(e.epoch);
    if (epoch === null || epoch < 1 || epoch > 0xffffffff) fail(`member ${id} of the eligible set has no valid key epoch`);
    let pub;
    try {
      pub = { signPk: b64.decode(e.sign_pk, 32), boxPk: b64.decode(e.box_pk, 32), ringPk: b64.decode(e.ring_pk, 32) };
    } catch {
      fail(`member ${id} of the eligible set has malformed keys`);
    }
    return { id, epoch, pub };
  });
  for (let i = 1; i < members.length; i++) {
    if (compareBytes(members[i - 1].pub.ringPk, members[i].pub.ringPk) >= 0) {
      fail(`the eligible set is not sorted strictly by ring key (at member ${members[i].id})`);
    }
  }
  const ids = new Set();
  for (const m of members) {
    if (ids.has(m.id)) fail(`member ${m.id} is twice in the eligible set`);
    ids.add(m.id);
  }
  return { treeSize: BigInt(t), max, minWarn, members };
}

// The directory as the log builds it, one decoded event at a time, with
// the rules of audit.c's directory_rule(): an organisation or member is
// created once, in an organisation that exists; every other directory
// event names a known member; enrollment is of a pending member at epoch
// 1; a rotation is of an active member to the next epoch; suspension is
// of a member not suspended, reinstatement of a suspended one.  Memo and
// channel events are counted but do not change the directory.
export class Directory {
  constructor() {
    this.size = 0n;
    this.orgs = new Set();
    this.members = new Map();
  }

  // Apply the decoded event `ev` (event.decode()); throws a SnapshotError
  // naming the entry if it breaks a rule (the directory is then unchanged).
  apply(ev) {
    const at = this.size;
    const why = (s) => fail(`the log does not replay: entry ${at}: ${s}`);
    if (!ev || typeof ev.type !== 'number') why('it is not an event');
    if (ev.type >= 100) {
      this.size++;
      return;
    }
    if (ev.type === 1) {
      if (this.orgs.has(ev.orgId)) why(`organisation ${ev.orgId} is created twice`);
      this.orgs.add(ev.orgId);
      this.size++;
      return;
    }
    if (ev.type === 2) {
      if (this.members.has(ev.memberId)) why(`member ${ev.memberId} is created twice`);
      if (!this.orgs.has(ev.orgId)) why(`member ${ev.memberId} is created in unknown organisation ${ev.orgId}`);
      this.members.set(ev.memberId, { org: ev.orgId, roles: ev.roles, eligible: ev.eligible, status: 'pending', epoch: 0, keys: new Map() });
      this.size++;
      return;
    }
    const m = this.members.get(ev.memberId);
    if (!m) why(`it names unknown member ${ev.memberId}`);
    switch (ev.type) {
      case 3:
        if (m.epoch !== 0) why(`member ${ev.memberId} enrolls again (keys at epoch ${m.epoch})`);
        if (m.status !== 'pending') why(`member ${ev.memberId} enrolls while ${m.status}`);
        if (ev.epoch !== 1) why(`member ${ev.memberId} enrolls at key epoch ${ev.epoch}, not 1`);
        m.status = 'active';
        m.epoch = 1;
        m.keys.set(1, ev.keysHash);
        break;
      case 4:
        if (m.epoch === 0) why(`member ${ev.memberId} rotates keys without having enrolled`);
        if (m.status !== 'active') why(`member ${ev.memberId} rotates keys while ${m.status}`);
        if (ev.epoch !== m.epoch + 1) why(`member ${ev.memberId} rotates keys to epoch ${ev.epoch}, but holds epoch ${m.epoch}`);
        m.epoch = ev.epoch;
        m.keys.set(ev.epoch, ev.keysHash);
        break;
      case 5:
        if (m.status === 'suspended') why(`member ${ev.memberId} is suspended while suspended`);
        m.status = 'suspended';
        break;
      case 6:
        if (m.status !== 'suspended') why(`member ${ev.memberId} is reinstated while ${m.status}`);
        m.status = m.epoch > 0 ? 'active' : 'pending';
        break;
      case 7:
        m.roles = ev.roles;
        break;
      case 8:
        m.eligible = ev.eligible;
        break;
      default:
        why(`unknown event type ${ev.type}`);
    }
    this.size++;
  }

  // May member record `m` sign a memo of the organisations `orgs`?
  static eligible(m, orgs) {
    return m.status === 'active' && m.eligible === true && m.epoch > 0 && orgs.includes(m.org);
  }
}

// Replay the decoded events `events` into a new Directory.
export function replay(events) {
  const d = new Directory();
  for (const ev of events) d.apply(ev);
  return d;
}

// Check the parsed snapshot `s` against `dir`, the directory after
// exactly its first s.treeSize entries, for a memo of the organisations
// `orgs` (cmd_anon_snapshot_check()).  Throws a SnapshotError.
export function checkSnapshot(s, dir, orgs) {
  if (!Array.isArray(orgs) || orgs.length === 0) fail('the memo names no organisation');
  if (!orgs.every((o) => typeof o === 'string')) fail('the memo\'s organisations are malformed');
  const t = s.treeSize;
  if (dir.size !== t) fail(`the replay holds ${dir.size} log entries, not ${t}`);
  for (const sm of s.members) {
    const m = dir.members.get(sm.id);
    if (!m) fail(`${sm.id} is in it, but not in the directory after the first ${t} log entries`);
    if (!Directory.eligible(m, orgs)) {
      fail(`${sm.id} is in it, but was not an active, eligible member of one of the memo's organisations after the first ${t} log entries`);
    }
    if (m.epoch !== sm.epoch) fail(`it gives ${sm.id} keys of epoch ${sm.epoch}, but after the first ${t} log entries the member held epoch ${m.epoch}`);
    const logged = m.keys.get(sm.epoch);
    if (!logged || !equal(logged, event.keysHash(sm.pub))) {
      fail(`it gives ${sm.id} keys that the log does not publish for the member's epoch ${sm.epoch}`);
    }
  }
  let count = 0;
  for (const m of dir.members.values()) if (Directory.eligible(m, orgs)) count++;
  if (count !== s.members.length) {
    fail(`after the first ${t} log entries ${count} members were eligible, but it holds ${s.members.length}: it leaves members out`);
  }
}

// Fetch the first s.treeSize entries of the log through `sync` (a
// logsync.LogSync), replay them, check that their Merkle root is that of
// the verified tree head (equal, or proved a prefix of it) and check the
// snapshot against the directory they build.  `onProgress(done, total)`
// is called after each page.  Throws a SnapshotError, or logsync's
// LogError.
export async function verifyAgainstLog(sync, s, orgs, onProgress) {
  const head = await sync.headCovering(s.treeSize - 1n);
  const dir = new Directory();
  const hashes = [];
  for (let at = 0n; at < s.treeSize; at += BigInt(PAGE)) {
    const n = s.treeSize - at < BigInt(PAGE) ? s.treeSize - at : BigInt(PAGE);
    const entries = await sync.entries(head, at, n);
    for (const e of entries) {
      if (!e.event) fail(`the log does not replay: entry ${e.index} is not a well-formed event`);
      dir.apply(e.event);
      hashes.push(merkle.leafHash(e.leaf));
    }
    if (onProgress) onProgress(Number(at + n), Number(s.treeSize));
  }
  const root = merkle.rootOf(hashes);
  let ok;
  if (head.size === s.treeSize) {
    ok = equal(root, head.root);
  } else {
    const r = await sync.get(`/log/consistency?first=${s.treeSize}&second=${head.size}`);
    let proof = null;
    try {
      if (r.first !== Number(s.treeSize) || r.second !== Number(head.size) || !Array.isArray(r.proof)) throw new TypeError('sizes');
      proof = r.proof.map((p) => b64.decode(p, 32));
    } catch {
      fail('the server\'s consistency proof is malformed');
    }
    ok = merkle.verifyConsistency(s.treeSize, head.size, root, head.root, proof);
  }
  if (!ok) fail(`the first ${s.treeSize} log entries the server sent are not the ones of its signed tree head (size ${head.size})`);
  checkSnapshot(s, dir, orgs);
  return dir;
}

// Choose the ring for the member `memberId` with the ring public key
// `ringPk` from the checked snapshot `s` (cmd_anon.c, choose_ring()):
// `prev` ({ring, treeSize}: the signature this one replaces) gives its
// ring, which must lie in the snapshot; otherwise the whole set up to
// s.max members, else ring.chooseSubset().  Returns {ring, pos} (keys
// sorted by bytes, the signer's place).  Throws a SnapshotError.
export function chooseRing(s, memberId, ringPk, prev = null) {
  const me = s.members.findIndex((m) => equal(m.pub.ringPk, ringPk));
  if (me < 0) {
    fail(`your ring key is not in the memo's eligible set (log size ${s.treeSize}): you were not an eligible member of one of its organisations when it opened, or your keys changed since`);
  }
  if (s.members[me].id !== memberId) fail(`the memo's eligible set gives your ring key to ${s.members[me].id}`);
  if (s.members.length < ring.MIN) fail(`the memo's eligible set has only ${s.members.length} member: nobody can sign it anonymously`);
  if (prev) {
    if (BigInt(prev.treeSize) !== s.treeSize) {
      fail(`your saved signature is over the eligible set at log size ${prev.treeSize}, but the memo's is now at ${s.treeSize}`);
    }
    for (const k of prev.ring) {
      if (!s.members.some((m) => equal(m.pub.ringPk, k))) fail('your saved ring holds a key that is not in the memo\'s eligible set');
    }
    const pos = prev.ring.findIndex((k) => equal(k, ringPk));
    if (pos < 0) fail('your ring key is not in the ring of your saved signature (were your keys rotated since?)');
    return { ring: prev.ring.slice(), pos };
  }
  const max = Math.min(s.max, RING_MAX);
  const { indices, signerPos } = ring.chooseSubset(s.members.map((m) => m.pub.ringPk), me, max);
  return { ring: indices.map((i) => s.members[i].pub.ringPk), pos: signerPos };
}
