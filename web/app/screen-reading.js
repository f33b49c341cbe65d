// A principal's reading list: the memos distributed to them (the memos
// where they hold the relation "principal"), with a link to each.
import * as api from './api.js';
import { report } from './names.js';
import { memoItem } from './screen-memos.js';
import { h, messageBox, show, statusLine } from './ui.js';

// Show the reading list.
export async function render({ expired }) {
  const msg = messageBox();
  const status = statusLine('Loading your reading list…');
  const list = h('ul', { class: 'memo-list', 'aria-labelledby': 'reading-title' });
  show('Reading list', h('h1', { id: 'reading-title' }, 'Reading list'), status, msg.el, list,
    h('p', {}, h('a', { href: '#/meetings' }, 'Your meetings')));
  try {
    const r = await api.get('/memos');
    const memos = (Array.isArray(r?.memos) ? r.memos : []).filter((m) => Array.isArray(m.relations) && m.relations.includes('principal'));
    list.replaceChildren(...memos.map((m) => memoItem(m)));
    status.textContent = memos.length === 0 ? 'No memo has been distributed to you.' : `${memos.length} ${memos.length === 1 ? 'memo' : 'memos'} distributed to you.`;
  } catch (e) {
    status.textContent = '';
    report(e, msg, expired);
  }
}
