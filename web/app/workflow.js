// What happens to a memo after it is drafted, on the client side
// (src/cli/cmd_memo.c, cmd_channel.c, cmd_meeting.c, cmd_complaint.c):
// the signer list verified against the signers' logged keys and the
// submission's package hash, replies and notes sealed under the memo key,
// the channel's lifecycle actions with their receipts checked, assignment
// and distribution with keys checked against the log, the access history
// checked against the log, meetings and complaints.
import * as aead from './aead.js';
import * as api from './api.js';
import { encode } from './b64.js';
import { Encoder } from './binenc.js';
import { equal, fromUtf8, utf8, wipe } from './bytes.js';
import { grantOpen } from './grant.js';
import * as memo from './memo.js';
import * as mc from './memoclient.js';
import sodium from './sodium.js';
import * as trust from './trust.js';

export const KIND_NAMES = Object.freeze({ reply: 'Reply', redirect: 'Redirection note', outcome: 'Meeting outcome' });
const EVENT_OF = { ack: 'memo_acknowledged', close: 'memo_closed', redirect: 'memo_redirected', replies: 'memo_replied' };

const COMPLAINT_TAG = 'dissent/complaint/v1';
export const COMPLAINT_MAX = 64 * 1024;

// The signers of `m` as the caller may see them: {counts, signers: null}
// when the names are not shown to the caller, else {counts, signers:
// [{id, name, handle, org, version, current, time, epoch, check}],
// package} with every record opened with the roster key and verified
// against the signer's keys the log publishes; after submission the
// records (with the anonymous signatures) must be the ones the receipt's
// package hash froze.
export async function signers(m, keys) {
  const r = await api.get(`/memos/${m.id}/signatures`);
  const counts = r?.counts ?? {};
  if (r?.records === null || r?.records === undefined) return { counts, signers: null };
  if (!Array.isArray(r.records)) throw mc.badAnswer('memos/{id}/signatures');
  if (!keys.rosterSk) {
    throw new api.IntegrityError('no_key', 'You hold no roster key for this memo, so its signer records cannot be opened.');
  }
  const list = await mc.versions(m.id);
  const sealedAll = [];
  const out = [];
  for (const [i, e] of r.records.entries()) {
    const sealed = mc.bytesOf(e, 'record', 'memos/{id}/signatures', memo.RECORD_SEALED_BYTES);
    if (!Number.isInteger(e.version) || e.version < 1) throw mc.badAnswer('memos/{id}/signatures');
    sealedAll.push(sealed);
    let s;
    try {
      s = memo.recordOpen(sealed, m.rosterPk, keys.rosterSk);
    } catch {
      throw new api.IntegrityError('bad_record', `Signer record ${i + 1} does not open with the memo's roster key. Tell your administrator.`);
    }
    if (out.some((o) => o.id === s.signerId)) {
      throw new api.IntegrityError('bad_record', 'The memo holds two signer records of one member. Tell your administrator.');
    }
    const v = list.find((x) => x.version === e.version);
    if (!v) throw new api.IntegrityError('bad_record', `A signer record is for version ${e.version}, which the memo does not have.`);
    const k = await mc.memberKeys(s.signerId, s.keyEpoch);
    const ok = s.memoId === m.id && s.version === e.version && equal(s.versionHash, v.hash) &&
      memo.namedVerify(s.sig, k.pub.signPk, s);
    if (!ok) throw new api.IntegrityError('bad_record', `The signature of ${s.signerId} does not verify (version ${e.version}).`);
    const who = await mc.member(s.signerId);
    out.push({
      id: s.signerId, name: who.display_name, handle: who.handle, org: who.org,
      version: e.version, current: e.version === m.version, time: Number(s.time), epoch: s.keyEpoch, check: k.check,
    });
  }
  let pkg = null;
  if (mc.CHANNEL_STATES.includes(m.state)) {
    const rc = await trust.receipt(await api.get(`/memos/${m.id}/receipt`), m.id, 'memo_submitted');
    // The package also covers the anonymous signatures, in the server's order.
    const an = await api.get(`/memos/${m.id}/anonymous-signatures`);
    if (!Array.isArray(an?.signatures)) throw mc.badAnswer('memos/{id}/anonymous-signatures');
    const anon = an.signatures.map((x) => mc.bytesOf(x, 'signature', 'memos/{id}/anonymous-signatures', undefined, 1, 1 << 24));
    const ph = memo.packageHash(m.id, rc.event.hash, sealedAll, anon);
    if (!equal(ph, rc.event.packageHash) || sealedAll.length !== rc.event.named) {
      throw new api.IntegrityError('bad_package',
        'The signer records are not the ones frozen at submission (the package hash in the receipt differs). Tell your administrator.');
    }
    pkg = 'matches the submission receipt';
  }
  return { counts, signers: out, package: pkg };
}

const REPLY_KINDS = Object.keys(memo.REPLY_KIND);

// The replies and notes of `m`, decrypted with the memo key `key`:
// [{n, kind, author, created_at, text}].  Fetching them is recorded as
// an access.
export async function replies(m, key) {
  const r = await api.get(`/memos/${m.id}/replies`);
  if (!Array.isArray(r?.replies)) throw mc.badAnswer('memos/{id}/replies');
  return r.replies.map((e) => {
    if (!REPLY_KINDS.includes(e?.kind) || !Number.isInteger(e.n) || e.n < 1) throw mc.badAnswer('memos/{id}/replies');
    const box = mc.bytesOf(e, 'box', 'memos/{id}/replies');
    let text;
    try {
      text = memo.replyOpen(key, m.id, memo.REPLY_KIND[e.kind], e.n, box);
    } catch {
      throw new api.IntegrityError('bad_reply', `Note ${e.n} does not decrypt with the memo key. Tell your administrator.`);
    }
    return { n: e.n, kind: e.kind, author: e.author, created_at: e.created_at, text };
  });
}

// The number the memo's next note takes (one more than the highest).
export async function nextN(id) {
  const r = await api.get(`/memos/${id}/replies`);
  if (!Array.isArray(r?.replies)) throw mc.badAnswer('memos/{id}/replies');
  return r.replies.reduce((max, e) => (Number.isInteger(e?.n) && e.n > max ? e.n : max), 0) + 1;
}

// Check the receipt of a lifecycle answer `r` for memo `id` and event
// `type`; returns its check ({checked: false} without a receipt).
async function receiptOf(r, id, type) {
  return trust.receipt(r?.receipt ?? null, id, type);
}

// POST /memos/{id}/ack or /close: {memo, check}.
export async function lifecycle(m, action) {
  const r = await api.post(`/memos/${m.id}/${action}`);
  return { memo: mc.parseMemo(r?.memo), check: await receiptOf(r, m.id, EVENT_OF[action]) };
}

// Seal `text` as the memo's next note of `kind` ("reply" or "redirect")
// and post it; the receipt must log the box's hash (and number).
export async function postNote(m, key, kind, text) {
  const n = await nextN(m.id);
  const box = memo.replySeal(key, m.id, memo.REPLY_KIND[kind], n, text);
  const action = kind === 'reply' ? 'replies' : 'redirect';
  const r = await api.post(`/memos/${m.id}/${action}`, { n, box: encode(box) });
  const check = await receiptOf(r, m.id, EVENT_OF[action]);
  if (check.checked && (!equal(check.event.hash, memo.boxHash(box)) || (kind === 'reply' && check.event.n !== n))) {
    throw new api.IntegrityError('bad_receipt', 'The receipt logs another text than the one sent. Tell your administrator.');
  }
  return { memo: mc.parseMemo(r?.memo), check };
}

// Assign `m` to the member `target` (from memberKeys()): the memo key
// only, never the roster key.
export async function assign(m, keys, target) {
  const r = await api.post(`/memos/${m.id}/assign`, {
    member: target.id,
    grant: mc.sealGrant(keys.key, target.pub.boxPk, mc.GRANT_KEY, m.id),
  });
  const check = await receiptOf(r, m.id, 'memo_assigned');
  if (check.checked && check.event.memberId !== target.id) {
    throw new api.IntegrityError('bad_receipt', 'The receipt logs another assignee. Tell your administrator.');
  }
  return { memo: mc.parseMemo(r?.memo), check };
}

// The memo's standard distribution list: [Member].
export async function standardPrincipals(id) {
  const r = await api.get(`/standard-principals?memo=${id}`);
  if (!Array.isArray(r?.members)) throw mc.badAnswer('standard-principals');
  return r.members;
}

// Distribute `m` to the principals `targets` (from memberKeys()): the
// memo key and the roster key sealed to each.  Returns the distributions.
export async function distribute(m, keys, targets) {
  if (!keys.rosterSk) throw new api.IntegrityError('no_key', 'The channel holds no roster key for this memo.');
  const recipients = targets.map((t) => ({
    member: t.id,
    key: mc.sealGrant(keys.key, t.pub.boxPk, mc.GRANT_KEY, m.id),
    roster: mc.sealGrant(keys.rosterSk, t.pub.boxPk, mc.GRANT_ROSTER, m.id),
  }));
  const r = await api.post(`/memos/${m.id}/distribute`, { recipients });
  if (!Array.isArray(r?.distributions)) throw mc.badAnswer('memos/{id}/distribute');
  return r.distributions;
}

// The access history of memo `id`, each record checked against the log:
// [{member, kind, at, log_index, state: "verified" | "pending"}].
export async function accesses(id) {
  const r = await api.get(`/memos/${id}/accesses`);
  if (!Array.isArray(r?.accesses)) throw mc.badAnswer('memos/{id}/accesses');
  const check = await trust.accessChecker(id);
  const out = [];
  for (const a of r.accesses) {
    out.push({ ...a, state: await check(a) });
  }
  return out;
}

// The complaint box's associated data: binenc(str "dissent/complaint/v1").
function complaintAd() {
  return new Encoder().str(COMPLAINT_TAG).bytes();
}

// The complaints sealed to the caller, decrypted: [{id, created_at, text}].
export async function complaints() {
  const r = await api.get('/complaints');
  if (!Array.isArray(r?.complaints)) throw mc.badAnswer('complaints');
  const s = mc.own();
  return r.complaints.map((c) => {
    const sealed = mc.bytesOf(c, 'sealed', 'complaints', undefined, 80, 512);
    const box = mc.bytesOf(c, 'box', 'complaints', undefined, aead.OVERHEAD + 1, COMPLAINT_MAX + aead.OVERHEAD);
    let key;
    let plain;
    try {
      key = grantOpen(sealed, s.keys.pub.boxPk, s.keys.boxSk, 'complaint-key', 'complaint');
      plain = aead.open(key, complaintAd(), box);
      if (plain.includes(0)) throw new RangeError('NUL');
      return { id: c.id, created_at: c.created_at, text: fromUtf8(plain) };
    } catch {
      throw new api.IntegrityError('bad_grant', `Complaint ${c.id} does not open with your keys. Tell the other auditors.`);
    } finally {
      wipe(key);
      wipe(plain);
    }
  });
}

// File a complaint with `text`, readable by every active auditor (each
// auditor's keys checked against the log).  Returns the number of
// auditors it is sealed to.
export async function fileComplaint(text) {
  const plain = utf8(text);
  if (plain.length < 1 || plain.length > COMPLAINT_MAX || plain.includes(0)) {
    throw new RangeError('A complaint is 1 to 65,536 bytes of text.');
  }
  const r = await api.get('/auditors');
  if (!Array.isArray(r?.members)) throw mc.badAnswer('auditors');
  const key = sodium.randombytes_buf(32);
  try {
    const grants = [];
    for (const a of r.members) {
      const k = await mc.memberKeys(a.id);
      grants.push({ member: k.id, sealed: mc.sealGrant(key, k.pub.boxPk, 'complaint-key', 'complaint') });
    }
    if (grants.length === 0) throw new api.ApiError(409, 'no_auditors', 'no auditors', null);
    const box = aead.seal(key, complaintAd(), plain);
    await api.post('/complaints', { box: encode(box), grants });
    return grants.length;
  } finally {
    wipe(key);
    wipe(plain);
  }
}

// The meetings the caller sees: [Meeting].
export async function meetings() {
  const r = await api.get('/meetings');
  if (!Array.isArray(r?.meetings)) throw mc.badAnswer('meetings');
  return r.meetings;
}

// Record the outcome of meeting `mt`: held (with the note `text`, sealed
// as an outcome note under the memo key) or declined (note optional).
export async function meetingOutcome(mt, held, text) {
  const body = { held };
  if (text) {
    const m = await mc.fetchMemo(mt.memo);
    const keys = await mc.openKeys(m.id);
    try {
      const n = await nextN(m.id);
      body.n = n;
      body.box = encode(memo.replySeal(keys.key, m.id, memo.REPLY_KIND.outcome, n, text));
    } finally {
      mc.wipeKeys(keys);
    }
  }
  return api.post(`/meetings/${mt.id}/outcome`, body);
}
