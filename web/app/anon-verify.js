// "Verify every signature" on a memo: the browser's `dissent memo verify`
// (src/cli/cmd_anon.c, verify_anonymous(), cmd_anon_sigs_check(),
// verify_named(), verify_counts()).  The memo's ring snapshot is checked
// against the channel log (dirreplay.js), every page of GET
// /memos/{id}/anonymous-signatures is fetched, and each anonymous
// signature is checked: its ring drawn from the snapshot and sorted
// strictly, its signature of that ring's size carrying its tag, tags
// increasing strictly (nobody signed twice), its version one the memo has
// with that version's hash, and the ring signature verifying for the
// memo, the binding of its version hash and the snapshot's tree size.
// The named records are opened and verified where the caller may see
// them (workflow.signers()), and the counts the server shows must match
// what verified.  The verdict goes to a status region.
import * as api from './api.js';
import * as b64 from './b64.js';
import { equal } from './bytes.js';
import * as dr from './dirreplay.js';
import { instance } from './instance.js';
import * as logsync from './logsync.js';
import * as mc from './memoclient.js';
import { report } from './names.js';
import * as ring from './ring.js';
import { h, messageBox, section, statusLine } from './ui.js';
import * as wf from './workflow.js';

// A memo holds at most 2000 anonymous signatures (docs/API.md); a page
// holds at least one.
const ANON_MAX = 2000;

function compareBytes(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

// Every anonymous signature of memo `id`, all pages: {treeSize (a number
// or null), signatures: [raw objects]}.  Throws an ApiError or badAnswer.
export async function fetchAll(id) {
  const what = 'memos/{id}/anonymous-signatures';
  const all = [];
  let treeSize;
  let after = null;
  for (;;) {
    const r = await api.get(`/memos/${id}/anonymous-signatures${after ? `?after=${after}` : ''}`);
    if (!r || typeof r !== 'object' || !Array.isArray(r.signatures)) throw mc.badAnswer(what);
    const t = r.tree_size === null ? null : r.tree_size;
    if (t !== null && !(Number.isSafeInteger(t) && t >= 1)) throw mc.badAnswer(what);
    if (treeSize !== undefined && t !== treeSize) throw mc.badAnswer(what);
    treeSize = t;
    all.push(...r.signatures);
    if (all.length > ANON_MAX) throw mc.badAnswer(what);
    if (r.next === null || r.next === undefined) break;
    if (typeof r.next !== 'string' || r.signatures.length === 0) throw mc.badAnswer(what);
    try {
      b64.decode(r.next, 32);
    } catch {
      throw mc.badAnswer(what);
    }
    after = r.next;
  }
  return { treeSize: treeSize ?? null, signatures: all };
}

// Check the anonymous signatures `list` (fetchAll()) of memo `m` against
// the checked snapshot `snap` (dr.parseSnapshot(), verified against the
// log) and the memo's versions `versions` ([{version, hash}]).  Returns
// {current, stale, failures: [text]}: every signature is checked, and
// each that fails is named with the reason.
export async function checkAll(m, snap, versions, list, onProgress) {
  const failures = [];
  let current = 0;
  let stale = 0;
  if (list.treeSize !== Number(snap.treeSize)) {
    failures.push(`the signatures are given at log size ${list.treeSize}, but the memo's eligible set is at ${snap.treeSize}`);
    return { current, stale, failures };
  }
  const inSnap = new Set(snap.members.map((x) => b64.encode(x.pub.ringPk)));
  let prevTag = null;
  for (const [i, e] of list.signatures.entries()) {
    const n = i + 1;
    const bad = (why) => failures.push(`anonymous signature ${n}${Number.isInteger(e?.version) ? ` (on version ${e.version})` : ''} ${why}`);
    if (onProgress) onProgress(i, list.signatures.length);
    let vh;
    let tag;
    let sig;
    let keys;
    try {
      if (!Number.isInteger(e?.version) || e.version < 1) throw new RangeError('version');
      vh = b64.decode(e.version_hash, 32);
      tag = b64.decode(e.tag, 32);
      sig = b64.decode(e.signature);
      if (!Array.isArray(e.ring) || e.ring.length < ring.MIN || e.ring.length > dr.RING_MAX) throw new RangeError('ring');
      keys = e.ring.map((k) => b64.decode(k, ring.PK_BYTES));
    } catch {
      bad('is malformed');
      continue;
    }
    if (prevTag && compareBytes(prevTag, tag) >= 0) {
      bad('carries the tag of another one (one member signed twice), or the list is not in the order of the tags');
    }
    prevTag = tag;
    if (e.version > m.version) {
      bad('is on a version the memo does not have');
      continue;
    }
    if (!e.ring.every((k) => inSnap.has(k))) {
      bad('has a ring holding a key that is not in the memo\'s eligible set');
      continue;
    }
    let sorted = true;
    for (let j = 1; j < keys.length; j++) if (compareBytes(keys[j - 1], keys[j]) >= 0) sorted = false;
    if (!sorted) {
      bad('has a ring that is not sorted strictly by key bytes');
      continue;
    }
    let form;
    try {
      form = ring.parse(sig, dr.RING_MAX);
    } catch {
      form = null;
    }
    if (!form || form.n !== keys.length || !equal(form.tag, tag)) {
      bad('is not one for its ring, or does not carry its tag');
      continue;
    }
    const v = versions.find((x) => x.version === e.version);
    if (!v || !equal(v.hash, vh) || (e.version === m.version && !equal(m.versionHash, vh))) {
      bad(`names version ${e.version} with another hash than the memo's list of versions`);
      continue;
    }
    const ok = await ring.verifyAsync(sig, keys, m.id, ring.bindingVersion(vh), snap.treeSize, { max: dr.RING_MAX });
    if (!ok) {
      bad('does not verify');
      continue;
    }
    if (e.version === m.version) current++;
    else stale++;
  }
  if (onProgress) onProgress(list.signatures.length, list.signatures.length);
  return { current, stale, failures };
}

// The memo's snapshot checked against the log, or null when the memo has
// none (a draft).  Throws an IntegrityError saying what is wrong.
async function snapshotOf(m, onProgress) {
  let answer;
  try {
    answer = await api.get(`/memos/${m.id}/ring`);
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 409) return null;
    throw e;
  }
  try {
    const s = dr.parseSnapshot(answer);
    await dr.verifyAgainstLog(logsync.forInstance(await instance()), s, m.eligible_orgs, onProgress);
    return s;
  } catch (e) {
    if (e instanceof api.ApiError) throw e;
    throw new api.IntegrityError(typeof e.code === 'string' ? e.code : 'ring_mismatch',
      `The memo's eligible set is not the one the channel log shows (${e.message}). Tell your auditors.`);
  }
}

// Verify everything about the signatures of `m` the caller can: returns
// {anon: {current, stale}, named: {current, stale} or null (not shown to
// the caller), failures: [text]}.
export async function verifyMemo(m, keys, namesShown, onProgress) {
  const failures = [];
  const snap = await snapshotOf(m, (d, n) => onProgress?.('Log entries replayed', d, n));
  const list = await fetchAll(m.id);
  let anon = { current: 0, stale: 0 };
  if (snap === null) {
    if (list.signatures.length > 0) failures.push('the memo has no eligible set, but the server lists anonymous signatures');
  } else {
    const versions = await mc.versions(m.id);
    const r = await checkAll(m, snap, versions, list, (d, n) => onProgress?.('Anonymous signatures checked', d, n));
    anon = { current: r.current, stale: r.stale };
    failures.push(...r.failures);
  }
  let named = null;
  if (namesShown && keys?.rosterSk) {
    try {
      const r = await wf.signers(m, keys);
      if (r.signers) {
        const current = r.signers.filter((x) => x.current).length;
        named = { current, stale: r.signers.length - current };
      }
    } catch (e) {
      if (!(e instanceof api.IntegrityError)) throw e;
      failures.push(`the named signatures: ${e.message}`);
    }
  }
  const c = m.counts ?? {};
  if (failures.length === 0) {
    if ((c.anonymous ?? 0) !== anon.current || (c.anonymous_stale ?? 0) !== anon.stale) {
      failures.push(`the memo counts ${c.anonymous ?? 0} anonymous signatures on the current version and ${c.anonymous_stale ?? 0} on earlier ones, ` +
        `but ${anon.current} and ${anon.stale} verify`);
    }
    if (named && ((c.named ?? 0) !== named.current || (c.named_stale ?? 0) !== named.stale)) {
      failures.push(`the memo counts ${c.named ?? 0} named signatures on the current version, but ${named.current} verify`);
    }
  }
  return { anon, named, failures };
}

// The verdict of verifyMemo()'s result `r` as one sentence.
export function verdict(r, counts) {
  if (r.failures.length) return `Verification failed: ${r.failures.join('; ')}.`;
  const a = r.anon.current + r.anon.stale;
  if (r.named) {
    const n = r.named.current + r.named.stale;
    return `${a} anonymous and ${n} named signatures verified` +
      (r.anon.stale + r.named.stale ? ` (${r.anon.stale + r.named.stale} on an earlier version, which no longer count).` : '.');
  }
  return `${a} anonymous signatures verified${r.anon.stale ? ` (${r.anon.stale} on an earlier version, which no longer count)` : ''}; ` +
    `the ${counts?.named ?? 0} named signatures are not shown to you, so this browser cannot verify them.`;
}

// The panel with the "Verify every signature" button for memo `m`
// (`keys` as memoclient.openKeys() gives them, or null; `namesShown`:
// whether the caller may open the signer records).
export function verifyPanel({ m, keys, namesShown, expired }) {
  const msg = messageBox();
  const status = statusLine('');
  status.setAttribute('aria-label', 'Verification of the signatures');
  const button = h('button', { type: 'button', class: 'secondary' }, 'Verify every signature');
  button.addEventListener('click', async () => {
    button.disabled = true;
    msg.clear();
    status.dataset.state = 'busy';
    status.textContent = 'Verifying: checking the eligible set against the channel log…';
    try {
      const r = await verifyMemo(m, keys, namesShown, (what, d, n) => {
        status.textContent = `Verifying: ${what}: ${d} of ${n}`;
      });
      status.textContent = verdict(r, m.counts);
      status.className = r.failures.length ? 'status failed' : 'status verified';
      status.dataset.state = 'done';
    } catch (e) {
      status.textContent = '';
      status.dataset.state = 'done';
      report(e, msg, expired);
    } finally {
      button.disabled = false;
    }
  });
  return section('Verify the signatures',
    h('p', {}, 'This browser re-checks every signature the way `dissent memo verify` does: the eligible set against the channel log, each anonymous ring signature, and the named signatures you may see.' +
      (namesShown && keys?.rosterSk ? ' Opening the named records is recorded in the memo\'s access history.' : '')),
    button, status, msg.el);
}
