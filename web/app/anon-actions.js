// Signing a memo anonymously in the browser (docs/API.md, "Anonymous
// signatures"; the CLI's `dissent memo sign --anonymous`,
// src/cli/cmd_anon.c): the memo's ring snapshot is checked against the
// channel log (dirreplay.js), the ring chosen, its size shown with a
// warning under the instance's minimum, the ring signature made with a
// progress bar, and posted WITHOUT the session (no cookie, no
// Authorization header), after the network caveat.
//
// The saved signature {memo, version, version_hash, ring, signature,
// tree_size}, needed to re-sign after an edit (over the same ring) or to
// withdraw, stays in this module's memory for the life of the tab, and is
// offered as a file the signer keeps; it is never written to storage.
// The file can be loaded back (parseSaved()) after a reload.
import { actionForm } from './actionform.js';
import * as api from './api.js';
import * as b64 from './b64.js';
import * as dr from './dirreplay.js';
import { instance } from './instance.js';
import * as logsync from './logsync.js';
import * as mc from './memoclient.js';
import { countText } from './names.js';
import * as ring from './ring.js';
import { facts, field, h, setNotice } from './ui.js';

// memo id -> the saved signature, for this tab only.
const saved = new Map();

export const CAVEAT =
  'The server cannot tell which member of the ring signed, but it sees the network address this request comes from and when it comes, ' +
  'right after your session fetched the memo. If that could identify you, open this page through Tor Browser or a trusted proxy, or sign later from elsewhere.';

// POST `body` to `path` (under /api/v1) without the session: no cookie
// (credentials "omit"), no Authorization header.  Returns the JSON reply;
// throws an ApiError.
async function postAnonymously(path, body) {
  let res;
  try {
    res = await fetch(`/api/v1${path}`, {
      method: 'POST',
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new api.ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.', null);
  }
  let data;
  try {
    data = await res.json();
  } catch {
    throw new api.ApiError(res.status, 'bad_response', 'The server sent an answer this page does not understand. Reload the page and try again.', null);
  }
  if (!res.ok) {
    const err = data && typeof data.error === 'object' ? data.error : {};
    const code = typeof err.code === 'string' ? err.code : 'bad_response';
    if (code === 'already_signed') {
      throw new api.IntegrityError('already_signed_anonymously',
        'You have already signed this version anonymously: the server holds a signature with your linking tag. Nothing was changed.');
    }
    throw new api.ApiError(res.status, code, typeof err.message === 'string' ? err.message : `HTTP ${res.status}`, null);
  }
  return data;
}

// The ring snapshot of memo `m`, checked against the log; throws an
// IntegrityError that says what is wrong.
async function checkedSnapshot(m, onProgress) {
  const answer = await api.get(`/memos/${m.id}/ring`);
  try {
    const s = dr.parseSnapshot(answer);
    await dr.verifyAgainstLog(logsync.forInstance(await instance()), s, m.eligible_orgs, onProgress);
    return s;
  } catch (e) {
    if (e instanceof api.ApiError) throw e;
    throw new api.IntegrityError(typeof e.code === 'string' ? e.code : 'ring_mismatch',
      `The memo's eligible set is not the one the channel log shows (${e.message}). Nothing was signed; tell your auditors.`);
  }
}

// A progress bar (role="progressbar") with a text line.
function progressBar(label) {
  const fill = h('div', { class: 'progress-fill' });
  const bar = h('div', { role: 'progressbar', 'aria-label': label, 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0', class: 'progress' }, fill);
  const text = h('p', { class: 'progress-text' }, '');
  const wrap = h('div', { hidden: true }, bar, text);
  bar.style.border = '1px solid currentColor';
  bar.style.height = '1rem';
  bar.style.maxWidth = '30rem';
  fill.style.height = '100%';
  fill.style.width = '0%';
  fill.style.background = 'currentColor';
  return {
    wrap,
    set(done, total, what) {
      const pct = total > 0 ? Math.floor((100 * done) / total) : 0;
      wrap.hidden = false;
      bar.setAttribute('aria-valuenow', String(pct));
      bar.setAttribute('aria-valuetext', `${what}: ${done} of ${total}`);
      fill.style.width = `${pct}%`;
      text.textContent = `${what}: ${done} of ${total}`;
    },
  };
}

// A link that downloads the saved signature `sv` as a file.
function downloadLink(sv) {
  const blob = new Blob([JSON.stringify(sv, null, 2)], { type: 'application/json' });
  return h('a', { href: URL.createObjectURL(blob), download: `anonymous-${sv.memo}.json`, class: 'button secondary' },
    'Download my anonymous signature (keep it to withdraw it later)');
}

// The largest saved-signature file read (a ring of 8192 keys is about
// 700 KB in this form).
export const SAVED_FILE_MAX = 4 * 1024 * 1024;
const SAVED_KEYS = ['memo', 'version', 'version_hash', 'ring', 'signature', 'tree_size'];

// Read the text `text` of a saved signature file of memo `m` strictly:
// exactly the keys downloadLink() writes, of their types and lengths,
// for this memo and a version it has, a ring sorted strictly, and a
// signature that verifies for them.  Returns the saved signature; throws
// a RangeError that says what is wrong.
export async function parseSaved(text, m) {
  const bad = (why) => new RangeError(`This is not a saved anonymous signature of this memo: ${why}. Choose the file anonymous-${m.id}.json you downloaded when you signed.`);
  let o;
  try {
    o = JSON.parse(text);
  } catch {
    throw bad('it is not JSON');
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw bad('it is not one JSON object');
  const keys = Object.keys(o);
  if (keys.length !== SAVED_KEYS.length || !SAVED_KEYS.every((k) => keys.includes(k))) throw bad('its fields are not the expected ones');
  if (o.memo !== m.id) throw bad(typeof o.memo === 'string' && /^d_[0-9a-f]{24}$/.test(o.memo) ? `it is for memo ${o.memo}` : 'it names no memo');
  if (!Number.isSafeInteger(o.version) || o.version < 1 || o.version > m.version) throw bad('it is on no version the memo has');
  if (!Number.isSafeInteger(o.tree_size) || o.tree_size < 1) throw bad('it has no valid log size');
  if (!Array.isArray(o.ring) || o.ring.length < ring.MIN || o.ring.length > dr.RING_MAX) throw bad('it has no valid ring');
  let vh;
  let sig;
  let keysB;
  try {
    vh = b64.decode(o.version_hash, 32);
    keysB = o.ring.map((k) => b64.decode(k, ring.PK_BYTES));
    sig = b64.decode(o.signature, ring.sigBytes(o.ring.length));
  } catch {
    throw bad('a key, hash or signature in it is malformed');
  }
  if (!(await ring.verifyAsync(sig, keysB, m.id, ring.bindingVersion(vh), BigInt(o.tree_size), { max: dr.RING_MAX }))) {
    throw bad('its signature does not verify');
  }
  return { memo: o.memo, version: o.version, version_hash: o.version_hash, ring: o.ring.slice(), signature: o.signature, tree_size: o.tree_size };
}

// The panel that loads a saved signature file into this tab's memory, so
// that it can be withdrawn or replaced after a reload.
function loadPanel(m, reload, expired) {
  const file = field('Load my saved anonymous signature (anonymous-ID.json)',
    { type: 'file', accept: 'application/json,.json', name: 'saved' },
    `The file this browser offered when you signed (anonymous-${m.id}.json). It is read in this page only and never sent.`);
  return actionForm({
    title: 'Load my saved anonymous signature',
    intro: 'To withdraw your anonymous signature, or to sign a new version over the same ring, after this page was reloaded or closed.',
    fields: [file.wrap],
    button: 'Load the signature',
    busyText: 'Checking…',
    expired,
    run: async () => {
      const f = file.input.files?.[0];
      if (!f) throw new RangeError('Choose the file first.');
      if (f.size > SAVED_FILE_MAX) throw new RangeError('This file is too large to be a saved anonymous signature (over 4 MiB). Choose the file you downloaded when you signed.');
      const sv = await parseSaved(await f.text(), m);
      saved.set(m.id, sv);
      setNotice(`Your anonymous signature of version ${sv.version} is loaded in this tab.`);
      reload();
    },
  }).panel;
}

function savedRing(sv) {
  return { ring: sv.ring.map((k) => b64.decode(k, ring.PK_BYTES)), treeSize: BigInt(sv.tree_size) };
}

// The panels for signing memo `m` (its decrypted `current` version)
// anonymously, and withdrawing the signature saved in this tab.
export function anonActions({ m, current, expired, reload }) {
  const out = [];
  const prev = saved.get(m.id) ?? null;
  const info = h('div', {});
  const bar = progressBar('Progress of the anonymous signature');
  let plan = null;
  const f = actionForm({
    title: 'Sign anonymously',
    intro: `An anonymous signature counts version ${m.version} without naming you: it proves only that one member of a ring of eligible members signed. ` +
      'This browser first checks the memo\'s eligible set against the channel log.',
    fields: [info, bar.wrap],
    button: 'Check the eligible set',
    busyText: 'Working…',
    expired,
    run: async () => {
      const s = mc.own();
      if (!plan) {
        const snap = await checkedSnapshot(m, (d, n) => bar.set(d, n, 'Log entries replayed'));
        let choice;
        try {
          choice = dr.chooseRing(snap, s.member.id, s.keys.pub.ringPk, prev && prev.version !== m.version ? savedRing(prev) : null);
        } catch (e) {
          throw new api.IntegrityError('not_eligible', `${e.message}.`);
        }
        plan = { snap, ...choice };
        const n = plan.ring.length;
        const rows = [
          ['Eligible', `${snap.members.length} members at log size ${snap.treeSize} (checked against the channel log in this browser)`],
          ['Anonymity set', `${n} members: the ring you sign as one of`],
        ];
        if (prev && prev.version !== m.version) rows.push(['Replaces', `your anonymous signature of version ${prev.version}, over the same ring`]);
        info.replaceChildren(facts(rows),
          n < snap.minWarn
            ? h('p', { class: 'warning', role: 'note' }, `Warning: an anonymity set of ${n} is below the instance's minimum of ${snap.minWarn}; anyone who can narrow the ring down (by who was active, or by what they know) may guess who signed.`)
            : null,
          h('p', { class: 'caveat' }, CAVEAT));
        f.button.dataset.next = `Sign version ${m.version} anonymously, as one of ${n} members`;
        return;
      }
      const binding = ring.bindingVersion(current.hash);
      bar.set(0, plan.ring.length, 'Ring members signed');
      const sig = await ring.signAsync(plan.ring, plan.pos, s.keys.ringSk, m.id, binding, plan.snap.treeSize,
        { onProgress: (d, n) => bar.set(d, n, 'Ring members signed') });
      const sv = {
        memo: m.id,
        version: m.version,
        version_hash: b64.encode(current.hash),
        ring: plan.ring.map((k) => b64.encode(k)),
        signature: b64.encode(sig),
        tree_size: Number(plan.snap.treeSize),
      };
      plan = null;
      const r = await postAnonymously(`/memos/${m.id}/anonymous-signatures`,
        { version: sv.version, version_hash: sv.version_hash, ring: sv.ring, signature: sv.signature });
      saved.set(m.id, sv);
      setNotice(`You signed version ${m.version} anonymously. The memo has ${countText(r?.counts ?? {})} signatures.`);
      reload();
    },
  });
  out.push(f.panel);

  if (!prev) out.push(loadPanel(m, reload, expired));

  if (prev) {
    const withdraw = actionForm({
      title: 'Withdraw my anonymous signature',
      intro: `This tab keeps your anonymous signature of version ${prev.version} (until it is closed). Withdrawing it is signed over the same ring and sent without your session.`,
      fields: [h('p', {}, downloadLink(prev))],
      button: 'Withdraw my anonymous signature',
      busyText: 'Withdrawing…',
      expired,
      danger: true,
      run: async () => {
        const s = mc.own();
        const { ring: keys, treeSize } = savedRing(prev);
        const pos = keys.findIndex((k) => k.every((b, i) => b === s.keys.pub.ringPk[i]));
        if (pos < 0) throw new api.IntegrityError('not_eligible', 'Your ring key is not in the ring of your saved signature (were your keys rotated since?).');
        const sig = b64.decode(prev.signature);
        const binding = ring.bindingWithdrawal(b64.decode(prev.version_hash, 32), sig);
        const w = await ring.signAsync(keys, pos, s.keys.ringSk, m.id, binding, treeSize);
        const r = await postAnonymously(`/memos/${m.id}/anonymous-signatures/withdraw`, { ring: prev.ring, signature: b64.encode(w) });
        saved.delete(m.id);
        setNotice(`Your anonymous signature is withdrawn. The memo has ${countText(r?.counts ?? {})} signatures.`);
        reload();
      },
    });
    out.push(withdraw.panel);
  }
  return out;
}
