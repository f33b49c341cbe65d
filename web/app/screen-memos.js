// "My memos": the memos the member has a relation to, newest first, with
// state, due dates and counts at a glance (docs/parts/api-memos-contract.md,
// "GET /api/v1/memos").  Titles are inside the encrypted content and are
// shown once a memo is opened, not in this list: fetching every memo's
// key would record an access to each.
import * as api from './api.js';
import { h, show, when } from './ui.js';

const STATE_NAMES = {
  draft: 'Draft',
  open: 'Open for signatures',
  submitted: 'Submitted',
  acknowledged: 'Acknowledged',
  redirected: 'Redirected',
  assigned: 'Assigned',
  replied: 'Replied',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
};

const RELATION_NAMES = {
  drafter: 'drafter',
  codrafter: 'co-drafter',
  invitee: 'invited',
  signer: 'signer',
  assignee: 'assignee',
  principal: 'principal',
};

// One memo as a list item.
function memoItem(m) {
  const named = m.counts?.named ?? 0;
  const anonymous = m.counts?.anonymous ?? 0;
  const missed = Array.isArray(m.missed) ? m.missed : [];
  const facts = [
    ['State', STATE_NAMES[m.state] ?? m.state],
    ['Topic', m.topic],
    ['Marking', m.marking],
    ['Version', String(m.version)],
    ['Signatures', `${named} named, ${anonymous} anonymous`],
    ['Your part', (m.relations ?? []).map((r) => RELATION_NAMES[r] ?? r).join(', ')],
  ];
  if (m.submitted_at) facts.push(['Submitted', when(m.submitted_at)]);
  if (m.due?.ack) facts.push(['Acknowledgement due', when(m.due.ack)]);
  if (m.due?.reply) facts.push(['Reply due', when(m.due.reply)]);
  const headingId = `memo-${m.id}`;
  return h('li', { class: 'memo' },
    h('article', { 'aria-labelledby': headingId },
      h('h2', { id: headingId }, h('span', { class: 'marking' }, m.marking), ' ', `Memo ${m.id}`),
      missed.length ? h('p', { class: 'overdue' }, `Overdue: ${missed.join(', ')}`) : null,
      h('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))));
}

// Show the member's memos; `expired` runs if the session has ended.
export async function render({ expired }) {
  const status = h('p', { role: 'status', id: 'memos-status' }, 'Loading your memos…');
  const list = h('ul', { class: 'memo-list', 'aria-labelledby': 'memos-title' });
  const refresh = h('button', { type: 'button', class: 'secondary' }, 'Refresh');
  refresh.addEventListener('click', () => load());
  show('My memos', h('h1', { id: 'memos-title' }, 'My memos'), status, list, refresh);

  async function load() {
    status.textContent = 'Loading your memos…';
    refresh.disabled = true;
    try {
      const r = await api.get('/memos');
      const memos = Array.isArray(r?.memos) ? r.memos : [];
      list.replaceChildren(...memos.map(memoItem));
      status.textContent =
        memos.length === 0
          ? 'You have no memos yet.'
          : `${memos.length} ${memos.length === 1 ? 'memo' : 'memos'}.`;
    } catch (e) {
      if (e instanceof api.ApiError && e.status === 401) {
        expired();
        return;
      }
      status.textContent = api.advice(e);
    } finally {
      refresh.disabled = false;
    }
  }
  await load();
}
