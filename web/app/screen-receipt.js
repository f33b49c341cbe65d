// A memo's submission receipt (docs/API.md, "Receipt object"), verified
// in this page with the server key pinned at page load: the signed tree
// head, the inclusion proof of the memo_submitted event and the event
// itself; it can be saved to check it again later, offline.
import * as api from './api.js';
import { encode } from './b64.js';
import * as mc from './memoclient.js';
import { report } from './names.js';
import * as trust from './trust.js';
import { facts, h, messageBox, show, statusLine, when } from './ui.js';

// Show the receipt of memo `id`.
export async function render({ id, expired }) {
  const msg = messageBox();
  const status = statusLine('Fetching and verifying the receipt…');
  const title = `Receipt of memo ${id}`;
  show(title, h('h1', {}, title), status, msg.el);
  try {
    const r = await api.get(`/memos/${id}/receipt`);
    const check = await trust.receipt(r, id, 'memo_submitted');
    const ev = check.event;
    const inst = await mc.instance();
    const file = URL.createObjectURL(new Blob([JSON.stringify(r, null, 2)], { type: 'application/json' }));
    window.addEventListener('hashchange', () => URL.revokeObjectURL(file), { once: true });
    show(title,
      h('h1', {}, title),
      h('p', { class: 'message success', role: 'status' },
        'The receipt verifies: this server\'s key signed a tree head of the channel log that holds this submission.'),
      facts([
        ['Memo', ev.memoId],
        ['Submitted', when(Number(ev.time))],
        ['Version', String(ev.memoVersion)],
        ['Version hash', h('code', {}, encode(ev.hash))],
        ['Signatures', `${ev.named} named, ${ev.anonymous} anonymous`],
        ['Package hash', h('code', {}, encode(ev.packageHash))],
        ['Log entry', `${check.index} of a tree of ${check.head.size} entries`],
        ['Tree head signed', when(Number(check.head.timestamp))],
        ['Instance', inst.instance_id],
      ]),
      h('p', {}, h('a', { href: file, download: `receipt-${id}.json` }, 'Save the receipt (JSON)'),
        ' to check it later with “dissent receipt verify”.'),
      h('p', {}, h('a', { href: `#/memo/${id}` }, `Back to memo ${id}`)));
  } catch (e) {
    status.textContent = '';
    if (e.code === 'not_found') {
      msg.show('This memo has no receipt: it was never submitted, or you may not see it.');
      return;
    }
    report(e, msg, expired);
  }
}
