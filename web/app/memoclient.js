// The client side of memos over the API, as the CLI does it
// (src/cli/memowire.c, cmd_memo.c): Memo objects read strictly, one's
// grants opened (directly, or through the channel key for the channel's
// staff), versions decrypted and checked against their hash and the chain
// of versions, new versions sealed, named co-signatures, invitations and
// submission.  Keys live in Uint8Arrays that the caller wipes with
// wipeKeys(); plaintext is returned to the screen and kept nowhere else.
import * as api from './api.js';
import { decode, encode } from './b64.js';
import { equal, wipe } from './bytes.js';
import { grantOpen, grantSeal } from './grant.js';
import { boxPkValid, fingerprint, publicValid } from './keys.js';
import * as memo from './memo.js';
import { instance } from './instance.js';
import * as session from './session.js';
import sodium from './sodium.js';
import * as trust from './trust.js';

export { instance };

export const STATES = Object.freeze([
  'draft', 'open', 'submitted', 'acknowledged', 'redirected', 'assigned', 'replied', 'closed', 'withdrawn',
]);
// States in which the channel holds the memo.
export const CHANNEL_STATES = Object.freeze(['submitted', 'acknowledged', 'redirected', 'assigned', 'replied', 'closed']);

export const GRANT_KEY = 'memo-key';
export const GRANT_ROSTER = 'memo-roster';
export const GRANT_CHANNEL = 'channel-key';

// The largest box of a version the server accepts (memo.h MEMO_BOX_MAX),
// and the largest body of POST /memos and POST /memos/{id}/versions
// (http.h HTTP_BODY_LARGE_MAX): a version at every content limit of
// memo.h (MEMO_BODY_MAX and the others), in base64url, fits in it.
const BOX_MAX = 4 + 300 + 4 + 4000 + 4 + 256 * 1024 + 4 + 64 * 1024 + 4 + 32 + 4 + 16 + 1 + 40;
export const BODY_MAX = 1024 * 1024;
const GRANT_MIN = 80;
const GRANT_MAX = 512;

// An answer of the server that does not have the expected shape.
export function badAnswer(what) {
  return new api.IntegrityError('bad_answer',
    `The server's answer (${what}) is malformed. Reload the page and try again; if it happens again, tell your administrator.`);
}

// The session, or a 401 that sends the screen back to the login.
export function own() {
  const s = session.get();
  if (!s) throw new api.ApiError(401, 'unauthenticated', 'no session', null);
  return s;
}

// The bytes of the base64url field `key` of `o` (`len` bytes exactly, or
// between `min` and `max`); throws badAnswer(`what`).
export function bytesOf(o, key, what, len, min = 1, max = BOX_MAX) {
  try {
    const b = decode(o?.[key], len);
    if (len === undefined && (b.length < min || b.length > max)) throw new RangeError('length');
    return b;
  } catch {
    throw badAnswer(what);
  }
}

// Read a Memo object strictly (memowire_memo_parse()).
export function parseMemo(o) {
  const ok =
    o && typeof o === 'object' && memo.memoIdValid(o.id) && STATES.includes(o.state) &&
    typeof o.topic === 'string' && typeof o.marking === 'string' &&
    Number.isInteger(o.version) && o.version >= 1 && o.version < 0xffffffff;
  if (!ok) throw badAnswer('memos/{id}');
  return {
    ...o,
    versionHash: bytesOf(o, 'version_hash', 'memos/{id}', 32),
    rosterPk: bytesOf(o, 'roster_pk', 'memos/{id}', 32),
    relations: Array.isArray(o.relations) ? o.relations.filter((r) => typeof r === 'string') : [],
    counts: o.counts && typeof o.counts === 'object' ? o.counts : {},
    due: o.due && typeof o.due === 'object' ? o.due : {},
    missed: Array.isArray(o.missed) ? o.missed : [],
  };
}

// GET /memos/{id}.
export async function fetchMemo(id) {
  const r = await api.get(`/memos/${id}`);
  const m = parseMemo(r?.memo);
  if (m.id !== id) throw badAnswer('memos/{id}');
  return m;
}

// Wipe the keys made by openKeys().
export function wipeKeys(k) {
  if (!k) return;
  wipe(k.key);
  wipe(k.rosterSk);
  k.key = null;
  k.rosterSk = null;
}

function grantBytes(s, what) {
  return bytesOf({ g: s }, 'g', what, undefined, GRANT_MIN, GRANT_MAX);
}

// Open the sealed grant text `s` with (`pk`, `sk`) for `purpose` and
// `context`; a grant that does not open is an integrity failure.
function openGrant(s, pk, sk, purpose, context, what) {
  const sealed = grantBytes(s, what);
  try {
    return grantOpen(sealed, pk, sk, purpose, context);
  } catch {
    throw new api.IntegrityError('bad_grant',
      'A key the server gave you does not open with your keys. Do not trust what this server shows; tell your administrator.');
  }
}

// The base64url text of a public key.
export function encodeKey(pk) {
  return encode(pk);
}

// Seal `key` to `boxPk` for `purpose` and `context`, as base64url.
export function sealGrant(key, boxPk, purpose, context) {
  return encode(grantSeal(boxPk, purpose, context, key));
}

// GET /channel: the channel's public key, checked against the log entry
// that publishes it (trust.channelKey()).  Returns {pk, check, granted}.
export async function channelPk() {
  const r = await api.get('/channel');
  if (r?.pk === null || r?.pk === undefined) {
    throw new api.ApiError(409, 'no_channel_key', 'no channel key', null);
  }
  const pk = bytesOf(r, 'pk', 'channel', 32);
  if (!boxPkValid(pk)) throw badAnswer('channel');
  if (!Number.isSafeInteger(r.log_index) || r.log_index < 0) {
    throw new api.IntegrityError('key_not_logged',
      'The server does not say which log entry publishes the channel key; nothing is sealed to a key the log does not publish.');
  }
  const check = await trust.channelKey(pk, r.log_index);
  return { pk, check, granted: r.granted === true, fingerprint: shortPrint(pk) };
}

// "abcd ef01 …" of a single 32-byte key (its first 10 bytes).
export function shortPrint(pk) {
  return [...pk.subarray(0, 10)].map((x) => x.toString(16).padStart(2, '0')).join('').match(/.{4}/g).join(' ');
}

// The caller's own channel key pair {pk, sk, check}: its grant (purpose
// channel-key, context the instance id) opened with the member's keys,
// and the secret key checked to be the public key's.  Wipe sk.
export async function channelKeys(sealed) {
  const s = own();
  const inst = await instance();
  const ch = await channelPk();
  let text = sealed;
  if (typeof text !== 'string') text = (await api.get('/channel/grant'))?.grant;
  const sk = openGrant(text, s.keys.pub.boxPk, s.keys.boxSk, GRANT_CHANNEL, inst.instance_id, 'channel/grant');
  if (!equal(sodium.crypto_scalarmult_base(sk), ch.pk)) {
    wipe(sk);
    throw new api.IntegrityError('bad_grant',
      'Your grant of the channel key is not the secret key of the channel\'s public key. Tell the other coordinators.');
  }
  return { pk: ch.pk, sk, check: ch.check };
}

// Open the caller's keys for memo `id` (GET /memos/{id}/grants):
// {key, rosterSk (or null), viaChannel}.  Wipe with wipeKeys().
export async function openKeys(id) {
  const g = await api.get(`/memos/${id}/grants`);
  const s = own();
  const k = { key: null, rosterSk: null, viaChannel: false };
  try {
    if (g === null || typeof g !== 'object') throw badAnswer('memos/{id}/grants');
    if (typeof g.key === 'string') {
      k.key = openGrant(g.key, s.keys.pub.boxPk, s.keys.boxSk, GRANT_KEY, id, 'memos/{id}/grants');
      if (typeof g.roster === 'string') {
        k.rosterSk = openGrant(g.roster, s.keys.pub.boxPk, s.keys.boxSk, GRANT_ROSTER, id, 'memos/{id}/grants');
      } else if (g.roster !== null && g.roster !== undefined) throw badAnswer('memos/{id}/grants');
      return k;
    }
    if (g.key !== null && g.key !== undefined) throw badAnswer('memos/{id}/grants');
    if (g.channel && typeof g.channel === 'object') {
      if (typeof g.channel_key !== 'string') {
        throw new api.IntegrityError('no_key', 'You hold no grant of the channel key: ask a coordinator who holds it to grant it to you.');
      }
      const ch = await channelKeys(g.channel_key);
      try {
        k.key = openGrant(g.channel.key, ch.pk, ch.sk, GRANT_KEY, id, 'memos/{id}/grants');
        if (typeof g.channel.roster === 'string') {
          k.rosterSk = openGrant(g.channel.roster, ch.pk, ch.sk, GRANT_ROSTER, id, 'memos/{id}/grants');
        }
        k.viaChannel = true;
        return k;
      } finally {
        wipe(ch.sk);
      }
    }
    throw new api.IntegrityError('no_key', 'You hold no key for this memo, so its text cannot be shown to you.');
  } catch (e) {
    wipeKeys(k);
    throw e;
  }
}

// GET /memos/{id}/versions: [{version, hash (bytes), author, created_at}].
export async function versions(id) {
  const r = await api.get(`/memos/${id}/versions`);
  if (!Array.isArray(r?.versions)) throw badAnswer('memos/{id}/versions');
  return r.versions.map((v) => {
    if (!Number.isInteger(v?.version)) throw badAnswer('memos/{id}/versions');
    return { version: v.version, hash: bytesOf(v, 'hash', 'memos/{id}/versions', 32), author: v.author, created_at: v.created_at };
  });
}

const mismatch = (n) => new api.IntegrityError('version_mismatch',
  `Version ${n} does not decrypt, or is not the text its hash names, or is not in the chain of versions the server declares. Do not rely on it; tell your administrator.`);

// Check version `n` (with `hash`, after `prev`) against the memo `m` and
// the list of versions (memowire_chain_check()).
function chainCheck(m, list, n, hash, prev) {
  if (list.length !== m.version) throw mismatch(n);
  let before = new Uint8Array(32);
  list.forEach((v, i) => {
    if (v.version !== i + 1) throw mismatch(n);
    if (v.version === n && (!equal(v.hash, hash) || !equal(before, prev))) throw mismatch(n);
    if (v.version === m.version && !equal(v.hash, m.versionHash)) throw mismatch(n);
    before = v.hash;
  });
}

// Fetch version `n` of memo `m`, decrypt it with `key`, and check its hash
// (with the memo's roster key) and its place in the chain `list` (fetched
// if not given).  Returns {content, hash, prev}.
export async function openVersion(m, key, n, list) {
  const ver = await api.get(`/memos/${m.id}/versions/${n}`);
  const chain = list ?? (await versions(m.id));
  if (ver?.version !== n) throw badAnswer('memos/{id}/versions/{n}');
  const hash = bytesOf(ver, 'hash', 'memos/{id}/versions/{n}', 32);
  const prev = bytesOf(ver, 'prev_hash', 'memos/{id}/versions/{n}', 32);
  const box = bytesOf(ver, 'box', 'memos/{id}/versions/{n}');
  let enc;
  try {
    enc = memo.contentOpen(key, m.id, n, box);
  } catch {
    throw mismatch(n);
  }
  let content;
  try {
    content = memo.contentDecode(enc);
    if (!memo.versionHashMatches(hash, m.id, n, prev, m.rosterPk, enc)) throw mismatch(n);
  } catch (e) {
    throw e instanceof api.IntegrityError ? e : mismatch(n);
  } finally {
    wipe(enc);
  }
  chainCheck(m, chain, n, hash, prev);
  return { content, hash, prev };
}

// Seal `content` as version `version` of `memoId` after `prev`:
// {hash, box}; throws a RangeError if the content breaks a rule.
export function sealVersion(content, memoId, version, prev, rosterPk, key) {
  const enc = memo.contentEncode(content);
  try {
    return { hash: memo.versionHash(memoId, version, prev, rosterPk, enc), box: memo.contentSeal(key, memoId, version, enc) };
  } finally {
    wipe(enc);
  }
}

function tooLarge(body) {
  if (JSON.stringify(body).length > BODY_MAX) {
    throw new api.ApiError(413, 'too_large',
      'The memo is too long to send (over 1 MiB once encrypted): shorten the body or the alternatives.', null);
  }
}

// Create a memo in draft with `content` ({topic, marking, title, summary,
// body, alternatives}), signable by members of `orgs`.
export async function createMemo(content, orgs, signersMayInvite) {
  const s = own();
  const id = memo.newMemoId();
  const key = sodium.randombytes_buf(32);
  const roster = memo.rosterKeypair();
  try {
    const v = sealVersion(content, id, 1, new Uint8Array(32), roster.pk, key);
    const body = {
      id,
      topic: content.topic,
      marking: content.marking,
      eligible_orgs: orgs,
      roster_pk: encode(roster.pk),
      signers_may_invite: signersMayInvite === true,
      version: { hash: encode(v.hash), box: encode(v.box) },
      grants: {
        key: sealGrant(key, s.keys.pub.boxPk, GRANT_KEY, id),
        roster: sealGrant(roster.sk, s.keys.pub.boxPk, GRANT_ROSTER, id),
      },
    };
    tooLarge(body);
    const r = await api.post('/memos', body);
    return parseMemo(r?.memo);
  } finally {
    wipe(key);
    wipe(roster.sk);
  }
}

// Add the next version of `m` with `content`, after the current version
// whose verified hash is `currentHash`.
export async function addVersion(m, key, currentHash, content) {
  const v = sealVersion(content, m.id, m.version + 1, currentHash, m.rosterPk, key);
  const body = {
    version: m.version + 1,
    prev_hash: encode(currentHash),
    hash: encode(v.hash),
    box: encode(v.box),
    topic: content.topic,
    marking: content.marking,
  };
  tooLarge(body);
  const r = await api.post(`/memos/${m.id}/versions`, body);
  return parseMemo(r?.memo);
}

// The keys record of epoch `epoch` in the answer of GET
// /members/{id}/keys, or null.
function keysAt(answer, epoch) {
  const all = [...(Array.isArray(answer?.history) ? answer.history : []), answer?.current].filter(Boolean);
  return all.find((r) => r.epoch === epoch) ?? null;
}

function pubOf(rec, what) {
  const pub = {
    signPk: bytesOf(rec, 'sign_pk', what, 32),
    boxPk: bytesOf(rec, 'box_pk', what, 32),
    ringPk: bytesOf(rec, 'ring_pk', what, 32),
  };
  if (!publicValid(pub)) throw badAnswer(what);
  return pub;
}

// A member's keys at `epoch` (the current ones without it), checked
// against the log: {id, epoch, pub, fingerprint, check}.
export async function memberKeys(ref, epoch) {
  const r = await api.get(`/members/${encodeURIComponent(ref)}/keys`);
  if (!memo.memberIdValid(r?.member_id)) throw badAnswer('members/{id}/keys');
  const rec = epoch === undefined ? r.current : keysAt(r, epoch);
  if (!rec || typeof rec !== 'object') {
    if (epoch === undefined) {
      throw new api.ApiError(400, 'not_enrolled', 'This member has not enrolled yet, so nothing can be sealed to them.', null);
    }
    throw new api.IntegrityError('bad_record', `A signature is made with key epoch ${epoch} of ${r.member_id}, which the directory does not have.`);
  }
  if (!Number.isInteger(rec.epoch) || rec.epoch < 1 || !Number.isSafeInteger(rec.log_index)) throw badAnswer('members/{id}/keys');
  const pub = pubOf(rec, 'members/{id}/keys');
  const check = await trust.memberKeys(r.member_id, rec);
  return { id: r.member_id, epoch: rec.epoch, pub, fingerprint: fingerprint(pub), check };
}

const memberCache = new Map();

// The directory entry of member `ref` (an id or handle), cached for the page.
export async function member(ref) {
  if (memberCache.has(ref)) return memberCache.get(ref);
  const r = await api.get(`/members/${encodeURIComponent(ref)}`);
  const m = r?.member;
  if (!m || !memo.memberIdValid(m.id)) throw badAnswer('members/{id}');
  memberCache.set(m.id, m);
  memberCache.set(m.handle, m);
  return m;
}

// "Name (handle)" of a member id, or the id itself if it cannot be found.
export async function memberLabel(id) {
  if (id === 'channel') return 'the channel';
  try {
    const m = await member(id);
    return `${m.display_name} (${m.handle})`;
  } catch {
    return id;
  }
}

// The session member's current key epoch; the directory's keys must be
// the session's (else the keys were rotated elsewhere).
async function ownEpoch() {
  const s = own();
  const r = await api.get(`/members/${s.member.id}/keys`);
  const cur = r?.current;
  if (!cur || !Number.isInteger(cur.epoch) || cur.epoch < 1) throw badAnswer('members/{id}/keys');
  const pub = pubOf(cur, 'members/{id}/keys');
  if (!equal(pub.signPk, s.keys.pub.signPk) || !equal(pub.boxPk, s.keys.pub.boxPk) || !equal(pub.ringPk, s.keys.pub.ringPk)) {
    throw new api.IntegrityError('key_mismatch',
      'The directory\'s keys for you are not the keys of this session. If you rotated your keys elsewhere, log out and log in again.');
  }
  return cur.epoch;
}

// Sign the current version of `m` (whose verified hash is `hash`) with
// the member's name: the signature, and its record sealed to the memo's
// roster key.  Returns the new counts.
export async function signNamed(m, hash) {
  const s = own();
  const keyEpoch = await ownEpoch();
  const sig = {
    memoId: m.id,
    version: m.version,
    versionHash: hash,
    signerId: s.member.id,
    keyEpoch,
    time: Math.floor(Date.now() / 1000),
  };
  sig.sig = memo.namedSign(s.keys.signSk, sig);
  const record = memo.recordSeal(sig, m.rosterPk);
  const r = await api.post(`/memos/${m.id}/signatures`, {
    version: m.version,
    version_hash: encode(hash),
    time: sig.time,
    sig: encode(sig.sig),
    record: encode(record),
  });
  return r?.counts ?? {};
}

// Invite the member `target` (from memberKeys()) to `m` as `as`
// ("signer" or "codrafter").
export async function invite(m, keys, target, as) {
  const roster = as === 'codrafter' || m.show_signers === true;
  if (roster && !keys.rosterSk) {
    throw new api.IntegrityError('no_key', 'You hold no roster key for this memo, which this invitation needs.');
  }
  const grants = { key: sealGrant(keys.key, target.pub.boxPk, GRANT_KEY, m.id) };
  if (roster) grants.roster = sealGrant(keys.rosterSk, target.pub.boxPk, GRANT_ROSTER, m.id);
  return api.post(`/memos/${m.id}/invitations`, { member: target.id, as, grants });
}

// Submit `m` at its current version (verified hash `hash`): the keys
// sealed to the channel's key, checked against the log first.  Returns
// {memo, receipt (its check), channel}.
export async function submit(m, keys, hash, channel) {
  if (!keys.rosterSk) {
    throw new api.IntegrityError('no_key', 'You hold no roster key for this memo: only its drafters submit it.');
  }
  const r = await api.post(`/memos/${m.id}/submit`, {
    version_hash: encode(hash),
    grants: {
      key: sealGrant(keys.key, channel.pk, GRANT_KEY, m.id),
      roster: sealGrant(keys.rosterSk, channel.pk, GRANT_ROSTER, m.id),
    },
  });
  const check = await trust.receipt(r?.receipt, m.id, 'memo_submitted');
  if (check.checked && (check.event.memoVersion !== m.version || !equal(check.event.hash, hash))) {
    throw new api.IntegrityError('bad_receipt', 'The receipt is for another version than the one submitted. Tell your administrator.');
  }
  return { memo: parseMemo(r?.memo), receipt: r?.receipt ?? null, check };
}
