// The auditor's view of the channel log: the latest signed tree head,
// verified in this browser with the server's key and checked against the
// last head seen in this tab (a consistency proof when the log grew); the
// entries, a page at a time, each decoded strictly; and, for any entry
// chosen, its inclusion proof in the verified head.  The verdict at the
// top says what was verified, or what failed and what to do.
import * as api from './api.js';
import * as b64 from './b64.js';
import { roleNames, typeOf } from './event.js';
import { LogError, forInstance } from './logsync.js';
import { serverFingerprint } from './treehead.js';
import { announce, h, messageBox, show, when } from './ui.js';

const PAGE = 20;

// Labels of event fields, and the exceptions some types make.
const LABELS = {
  memberId: 'Member',
  orgId: 'Organisation',
  roles: 'Roles',
  eligible: 'May co-sign',
  epoch: 'Key epoch',
  keysHash: 'Keys hash',
  memoId: 'Memo',
  member2Id: 'Approved by',
  memoVersion: 'Version',
  named: 'Named signatures',
  anonymous: 'Anonymous signatures',
  n: 'Reply number',
  kind: 'Kind',
  at: 'Time due',
  hash: 'Hash',
  packageHash: 'Package hash',
  commit: 'Access commitment',
};
const TYPE_LABELS = {
  memo_submitted: { hash: 'Version hash' },
  memo_redirected: { hash: 'Note hash' },
  memo_assigned: { memberId: 'Assignee' },
  memo_distributed: { memberId: 'Principal' },
  memo_replied: { hash: 'Reply hash' },
  meeting_requested: { memberId: 'Principal' },
  meeting_scheduled: { memberId: 'Principal', at: 'Meeting time' },
  meeting_held: { memberId: 'Principal', hash: 'Outcome hash' },
  complaint_filed: { hash: 'Complaint hash' },
  channel_key_created: { memberId: 'Coordinator', keysHash: 'Channel key hash' },
  channel_key_granted: { memberId: 'Coordinator' },
};

// The text of field `f` of the decoded event `ev`.
function fieldText(ev, f) {
  const v = ev[f];
  if (v instanceof Uint8Array) return h('code', {}, b64.encode(v));
  switch (f) {
    case 'roles':
      return roleNames(v).join(', ');
    case 'eligible':
      return v ? 'yes' : 'no';
    case 'kind':
      return typeOf(ev.type).kinds[v - 1] ?? String(v);
    case 'at':
      return when(Number(v));
    case 'member2Id':
      return v === '' ? 'nobody (the standard list)' : v;
    default:
      return String(v);
  }
}

// "memo_submitted" -> "Memo submitted".
function typeText(name) {
  const s = name.replaceAll('_', ' ');
  return s[0].toUpperCase() + s.slice(1);
}

function factList(pairs) {
  return h('dl', { class: 'facts' }, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

// Show the log; `instance` is GET /api/v1/instance's answer, `expired`
// runs if the session has ended.
export async function render({ instance, expired }) {
  const verdict = messageBox();
  const headFacts = h('div', { id: 'log-head' });
  const refresh = h('button', { type: 'button', class: 'secondary' }, 'Check for a newer tree head');
  const pageStatus = h('p', { id: 'log-page-status' });
  const list = h('ol', { class: 'memo-list', 'aria-labelledby': 'log-entries-title' });
  const earlier = h('button', { type: 'button', class: 'secondary' }, 'Earlier entries');
  const later = h('button', { type: 'button', class: 'secondary' }, 'Later entries');
  const goInput = h('input', { id: 'log-go', type: 'text', inputmode: 'numeric', autocomplete: 'off', 'aria-describedby': 'log-go-hint' });
  const goForm = h('form', { novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: 'log-go' }, 'Entry number'),
      h('p', { class: 'hint', id: 'log-go-hint' }, 'Entries count from 0. The entry is shown and its inclusion proof checked.'),
      goInput),
    h('button', { type: 'submit', class: 'primary' }, 'Show and check entry'));

  show('Channel log',
    h('h1', {}, 'Channel log'),
    h('p', {}, 'The server\'s public, append-only log of directory and memo events. This page checks, in your browser, '
      + 'every tree head with the server\'s key and against the last one seen in this tab, and the inclusion of any entry you choose.'),
    verdict.el,
    h('section', { class: 'panel', 'aria-labelledby': 'log-head-title' },
      h('h2', { id: 'log-head-title' }, 'Signed tree head'), headFacts, refresh),
    h('section', { class: 'panel', 'aria-labelledby': 'log-entries-title' },
      h('h2', { id: 'log-entries-title' }, 'Entries'), pageStatus, list,
      h('p', {}, earlier, ' ', later), goForm));

  let log;
  try {
    log = forInstance(instance);
  } catch (e) {
    verdict.show(`Not verified: ${e.message}`, 'error');
    return;
  }
  let head = null;
  let start = 0n;

  // Report the failure `e` in the verdict (or end the screen if the
  // session has gone).
  function failed(e) {
    if (e instanceof api.ApiError && e.status === 401) {
      expired();
      return;
    }
    const text = e instanceof LogError ? e.message : api.advice(e);
    verdict.show(`Not verified: ${text}`, 'error');
    announce('The log did not verify.');
  }

  // Fetch and check the latest head; show it and the verdict.
  async function check() {
    verdict.show('Checking the signed tree head…', 'info');
    const prev = log.last();
    head = await log.head();
    const fp = serverFingerprint(log.serverPk);
    let how;
    if (!prev) how = 'This is the first tree head seen in this tab.';
    else if (prev.head.size === head.size) how = `It is the same tree as the head of ${head.size} entries seen at ${when(prev.seenAt)}.`;
    else how = `It extends the head of ${prev.head.size} entries seen at ${when(prev.seenAt)}: the consistency proof verifies.`;
    verdict.show(`Verified: the tree head of ${head.size} entries is signed by the server's key (fingerprint ${fp}). ${how}`, 'success');
    headFacts.replaceChildren(factList([
      ['Entries', String(head.size)],
      ['Signed', when(Number(head.timestamp))],
      ['Root', h('code', {}, b64.encode(head.root))],
      ['Instance', head.instanceId],
      ['Server key', h('code', {}, fp)],
    ]));
  }

  // One entry as a list item, with its inclusion check.
  function entryItem(e) {
    const id = `entry-${e.index}`;
    const result = h('p', { class: 'proof-result', hidden: true });
    const button = h('button', { type: 'button', class: 'secondary' }, `Check inclusion of entry ${e.index}`);
    button.addEventListener('click', () => prove(e, button, result));
    const title = e.event ? `Entry ${e.index}: ${typeText(e.event.name)}` : `Entry ${e.index}: not a well-formed event`;
    const body = e.event
      ? factList([
        ['Time', when(Number(e.event.time))],
        ...typeOf(e.event.type).fields.map((f) => [(TYPE_LABELS[e.event.name] ?? {})[f] ?? LABELS[f], fieldText(e.event, f)]),
      ])
      : h('p', { class: 'overdue' }, `It does not decode: ${e.error}.`);
    return h('li', { class: 'memo', id },
      h('article', { 'aria-labelledby': `${id}-title` }, h('h3', { id: `${id}-title` }, title), body, button, result));
  }

  // Check the inclusion of entry `e` in the latest verified head.
  async function prove(e, button, result) {
    button.disabled = true;
    try {
      await check();
      await log.proveEntry(head, e.index, e.leaf);
      result.className = 'proof-result message success';
      result.textContent = `Entry ${e.index} is in the signed tree of ${head.size} entries: its inclusion proof verifies.`;
      verdict.show(`Verified: entry ${e.index} is in the tree head of ${head.size} entries signed by the server's key, and that head extends every head seen in this tab.`, 'success');
      announce(result.textContent);
    } catch (err) {
      result.className = 'proof-result message error';
      result.textContent = `Entry ${e.index} could not be verified.`;
      failed(err);
    } finally {
      result.hidden = false;
      button.disabled = false;
    }
  }

  // Show the page of entries starting at `from` (null: the last page) of
  // the latest head.
  async function loadPage(from) {
    await check();
    if (from === null) from = head.size > BigInt(PAGE) ? head.size - BigInt(PAGE) : 0n;
    if (head.size === 0n) {
      list.replaceChildren();
      pageStatus.textContent = 'The log is empty.';
      earlier.disabled = true;
      later.disabled = true;
      return [];
    }
    start = from < 0n ? 0n : from >= head.size ? head.size - 1n : from;
    const count = head.size - start < BigInt(PAGE) ? head.size - start : BigInt(PAGE);
    const entries = await log.entries(head, start, count);
    list.replaceChildren(...entries.map(entryItem));
    pageStatus.textContent = `Entries ${start} to ${start + count - 1n} of ${head.size}, oldest first.`;
    earlier.disabled = start === 0n;
    later.disabled = start + count >= head.size;
    const bad = entries.find((e) => !e.event);
    if (bad) {
      verdict.show(`Not verified: entry ${bad.index} of the signed log is not a well-formed event (${bad.error}). Keep this page's findings and report them.`, 'error');
    }
    return entries;
  }

  async function run(work) {
    for (const b of [refresh, earlier, later]) b.disabled = true;
    try {
      await work();
    } catch (e) {
      failed(e);
    } finally {
      refresh.disabled = false;
      if (head) {
        earlier.disabled = start === 0n;
        later.disabled = start + BigInt(PAGE) >= head.size;
      }
    }
  }

  refresh.addEventListener('click', () => run(async () => {
    const before = head?.size;
    await loadPage(null);
    announce(before === head.size ? 'The log has not grown.' : `The log now holds ${head.size} entries; the new head is consistent with the old one.`);
  }));
  earlier.addEventListener('click', () => run(() => loadPage(start - BigInt(PAGE))));
  later.addEventListener('click', () => run(() => loadPage(start + BigInt(PAGE))));
  goForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = goInput.value.trim();
    if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) {
      goInput.setAttribute('aria-invalid', 'true');
      verdict.show('Enter an entry number: digits only, counting from 0.', 'error');
      goInput.focus();
      return;
    }
    goInput.removeAttribute('aria-invalid');
    const index = BigInt(text);
    run(async () => {
      await check();
      if (index >= head.size) {
        verdict.show(`The log holds entries 0 to ${head.size - 1n}: there is no entry ${index} yet.`, 'error');
        return;
      }
      const entries = await loadPage(index - (index % BigInt(PAGE)));
      const e = entries.find((x) => x.index === index);
      const item = document.getElementById(`entry-${index}`);
      await prove(e, item.querySelector('button'), item.querySelector('.proof-result'));
      item.querySelector('h3').setAttribute('tabindex', '-1');
      item.querySelector('h3').focus();
    });
  });

  await run(() => loadPage(null));
}
