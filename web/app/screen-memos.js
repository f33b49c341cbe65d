// "My memos": the memos the member has a relation to, newest first, with
// state, due dates and counts at a glance, a link to each and to its
// submission receipt (docs/API.md, "GET /api/v1/memos"), and the memos
// awaiting the member's signature ("GET /api/v1/invitations").  Titles
// are inside the encrypted content and are shown once a memo is opened,
// not in these lists: fetching every memo's key would record an access to
// each.
import * as api from './api.js';
import { countText, missedText, relationText, stateName } from './names.js';
import { facts, h, section, show, statusLine, takeNotice, when } from './ui.js';

// One memo as a list item (`invited`: in the invitations list).
export function memoItem(m, invited = false) {
  const headingId = `${invited ? 'inv' : 'memo'}-${m.id}`;
  const missed = missedText(m);
  return h('li', { class: 'memo' },
    h('article', { 'aria-labelledby': headingId },
      h(invited ? 'h3' : 'h2', { id: headingId },
        h('span', { class: 'marking' }, m.marking), ' ',
        h('a', { href: `#/memo/${m.id}` }, `Memo ${m.id}`)),
      missed ? h('p', { class: 'overdue' }, missed) : null,
      facts([
        ['State', stateName(m)],
        ['Topic', m.topic],
        ['Version', String(m.version)],
        ['Signatures', countText(m.counts)],
        ['Your part', relationText(m)],
        ['Submitted', when(m.submitted_at)],
        ['Acknowledgement due', m.state === 'submitted' ? when(m.due?.ack) : ''],
        ['Reply due', ['submitted', 'acknowledged', 'assigned'].includes(m.state) ? when(m.due?.reply) : ''],
      ]),
      m.submitted_at ? h('p', {}, h('a', { href: `#/memo/${m.id}/receipt` }, `Submission receipt of memo ${m.id}`)) : null));
}

// Show the member's memos; `expired` runs if the session has ended.
export async function render({ expired }) {
  const status = statusLine('Loading your memos…');
  const list = h('ul', { class: 'memo-list', 'aria-labelledby': 'memos-title' });
  const invStatus = statusLine('');
  const invList = h('ul', { class: 'memo-list' });
  const refresh = h('button', { type: 'button', class: 'secondary' }, 'Refresh');
  refresh.addEventListener('click', () => load());
  show('My memos',
    h('h1', { id: 'memos-title' }, 'My memos'),
    takeNotice(),
    h('p', {}, h('a', { href: '#/memos/new', class: 'button primary' }, 'Write a new memo')),
    status, list,
    section('Awaiting your signature', invStatus, invList),
    refresh);

  async function load() {
    status.textContent = 'Loading your memos…';
    refresh.disabled = true;
    try {
      const r = await api.get('/memos');
      const memos = Array.isArray(r?.memos) ? r.memos : [];
      list.replaceChildren(...memos.map((m) => memoItem(m)));
      status.textContent =
        memos.length === 0
          ? 'You have no memos yet.'
          : `${memos.length} ${memos.length === 1 ? 'memo' : 'memos'}.`;
      const inv = await api.get('/invitations');
      const items = Array.isArray(inv?.invitations) ? inv.invitations.map((i) => i?.memo).filter(Boolean) : [];
      invList.replaceChildren(...items.map((m) => memoItem(m, true)));
      invStatus.textContent = items.length === 0 ? 'Nothing awaits your signature.' : `${items.length} awaiting your signature.`;
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
