// One memo: its current version decrypted in this page and checked
// against its hash and the chain of versions, under a watermark with the
// viewer's name and the time; its replies; what the viewer may do with
// it; its signers (names or only counts, by the memo's visibility rule);
// its versions with a comparison; links to its receipt and its access
// history.  The page title carries the memo's id, never its title (the
// browser's history keeps titles).
import { verifyPanel } from './anon-verify.js';
import { channelActions } from './channel-actions.js';
import { memoActions } from './memo-actions.js';
import * as mc from './memoclient.js';
import { hasRole, memoFacts, missedText, report } from './names.js';
import { facts, h, messageBox, section, selectField, show, statusLine, table, takeNotice, when } from './ui.js';
import { watermark } from './watermark.js';
import * as wf from './workflow.js';

// A titled block of memo text, shown as text (Markdown is not rendered).
function textBlock(title, text) {
  if (!text) return null;
  return section(title, h('div', { class: 'memo-text' }, text));
}

// Whether the caller may see the signers' names (docs/API.md,
// "GET /memos/{id}/signatures"): drafters, co-drafters, principals,
// coordinators after submission, and invitees and signers when the memo
// shows signers.
function mayNames(m, me) {
  const r = m.relations;
  if (r.includes('drafter') || r.includes('codrafter') || r.includes('principal')) return true;
  if (hasRole(me, 'coordinator') && mc.CHANNEL_STATES.includes(m.state)) return true;
  return m.show_signers === true && (r.includes('invitee') || r.includes('signer'));
}

function signersPanel(m, keys, me, expired) {
  const msg = messageBox();
  const out = h('div', {});
  const children = [h('p', {}, `This memo has ${m.counts.named ?? 0} named and ${m.counts.anonymous ?? 0} anonymous signatures` +
    (m.counts.named_stale ? `, and ${m.counts.named_stale} over an earlier version that no longer count.` : '.'))];
  if (mayNames(m, me) && keys?.rosterSk) {
    const button = h('button', { type: 'button', class: 'secondary' }, 'Show who signed');
    button.addEventListener('click', async () => {
      button.disabled = true;
      out.replaceChildren(statusLine('Opening and verifying the signatures…'));
      try {
        const r = await wf.signers(m, keys);
        const rows = r.signers.map((x) => [
          x.name, x.handle, x.org, x.current ? `${x.version} (current)` : `${x.version} (earlier: does not count)`,
          when(x.time), `verified; keys in log entry ${x.check.index}`]);
        out.replaceChildren(h('div', {},
          rows.length ? table('Named signers', ['Name', 'Handle', 'Organisation', 'Version', 'Signed', 'Signature'], rows) : h('p', {}, 'No named signatures.'),
          r.package ? h('p', {}, `The list ${r.package}.`) : null));
      } catch (e) {
        out.replaceChildren();
        report(e, msg, expired);
      } finally {
        button.disabled = false;
      }
    });
    children.push(h('p', {}, 'Showing the names is recorded in the memo\'s access history.'), button);
  } else {
    children.push(h('p', {}, 'The names of the signers are not shown to you.'));
  }
  return section('Signatures', ...children, out, msg.el);
}

function versionsPanel(m, list, go) {
  const rows = list.map((v) => [String(v.version), when(v.created_at), v.version === m.version ? 'current' : 'earlier']);
  const children = [table('Versions', ['Version', 'Saved', 'Status'], rows)];
  if (list.length > 1) {
    const opts = list.map((v) => [String(v.version), `version ${v.version}`]);
    const a = selectField('Compare version', opts, { name: 'from' });
    const b = selectField('with version', opts, { name: 'to' });
    a.input.value = String(m.version - 1);
    b.input.value = String(m.version);
    const form = h('form', { class: 'inline' }, a.wrap, b.wrap, h('button', { type: 'submit', class: 'secondary' }, 'Compare'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      go(`/memo/${m.id}/diff/${a.input.value}/${b.input.value}`);
    });
    children.push(form);
  }
  return section('Versions', ...children);
}

async function repliesPanel(m, items) {
  if (items.length === 0) return section('Replies', h('p', {}, 'No reply yet.'));
  const blocks = [];
  for (const r of items) {
    blocks.push(h('article', { class: 'reply', 'aria-label': `${wf.KIND_NAMES[r.kind]} ${r.n}` },
      h('h3', {}, `${wf.KIND_NAMES[r.kind]} ${r.n}, from ${await mc.memberLabel(r.author)}, ${when(r.created_at)}`),
      h('div', { class: 'memo-text' }, r.text)));
  }
  return section('Replies', ...blocks);
}

// Show memo `id`.
export async function render({ id, expired, go }) {
  const me = mc.own().member;
  const notice = takeNotice();
  const msg = messageBox();
  const status = statusLine('Decrypting the memo…');
  show(`Memo ${id}`, h('h1', {}, `Memo ${id}`), notice, status, msg.el);
  let m;
  try {
    m = await mc.fetchMemo(id);
  } catch (e) {
    status.textContent = '';
    if (e.code === 'not_found') {
      msg.show('There is no memo with this id that you may see. Check the link.');
      return;
    }
    report(e, msg, expired);
    return;
  }
  const canRead = m.relations.length > 0 || (hasRole(me, 'coordinator') && mc.CHANNEL_STATES.includes(m.state));
  let keys = null;
  let list = [];
  let current = null;
  let replies = null;
  let problem = null;
  try {
    list = await mc.versions(id);
    if (canRead) {
      keys = await mc.openKeys(id);
      current = await mc.openVersion(m, keys.key, m.version, list);
      if (mc.CHANNEL_STATES.includes(m.state)) replies = await wf.replies(m, keys.key);
    }
  } catch (e) {
    problem = e;
  }
  window.addEventListener('hashchange', () => mc.wipeKeys(keys), { once: true });
  const reload = () => {
    mc.wipeKeys(keys);
    go(`/memo/${id}`);
  };

  const c = current?.content;
  const doc = h('article', { class: 'memo-doc', 'aria-labelledby': 'memo-title' });
  const missed = missedText(m);
  const parts = [
    h('h1', { id: 'memo-title' }, c ? c.title : `Memo ${id}`),
    h('p', {}, h('span', { class: 'marking' }, m.marking)),
    watermark(doc, me),
    notice,
    msg.el,
    missed ? h('p', { class: 'overdue' }, missed) : null,
    facts(memoFacts(m)),
    c ? textBlock('Summary', c.summary) : null,
    c ? textBlock('Body', c.body) : null,
    c ? textBlock('Alternatives considered', c.alternatives) : null,
    !c && !problem ? h('p', {}, 'You may see this memo\'s state, but not its text.') : null,
  ];
  doc.append(...parts.filter(Boolean));
  const panels = [];
  if (replies) panels.push(await repliesPanel(m, replies));
  if (!problem) {
    panels.push(...memoActions({ m, keys, current, expired, reload }));
    panels.push(...channelActions({ m, keys, me, expired, reload }));
  }
  panels.push(signersPanel(m, keys, me, expired));
  if (!problem) panels.push(verifyPanel({ m, keys, namesShown: mayNames(m, me), expired }));
  if (list.length) panels.push(versionsPanel(m, list, go));
  const links = [];
  if (m.submitted_at) links.push(h('li', {}, h('a', { href: `#/memo/${id}/receipt` }, 'The submission receipt')));
  if (m.relations.includes('drafter') || m.relations.includes('codrafter') || (hasRole(me, 'auditor') && mc.CHANNEL_STATES.includes(m.state))) {
    links.push(h('li', {}, h('a', { href: `#/memo/${id}/accesses` }, 'Who accessed this memo')));
  }
  if (links.length) panels.push(section('Records', h('ul', {}, links)));
  show(`Memo ${id}`, doc, ...panels);
  if (problem) report(problem, msg, expired);
}

