// A memo's access history (docs/API.md, "GET /memos/{id}/accesses"):
// every grant made and every fetch of its key, text, signers or replies,
// each checked in this page against the channel log entry that commits to
// the reader (the log itself names nobody).  For the memo's drafters, and
// for auditors once it was submitted (to whom the server withholds who on
// the drafting side read what).
import * as mc from './memoclient.js';
import { ACCESS_NAMES, report } from './names.js';
import { h, messageBox, show, statusLine, table, when } from './ui.js';
import * as wf from './workflow.js';

const CHECK_NAMES = {
  verified: 'matches the log',
  withheld: 'in the log (the reader is withheld)',
  pending: 'not yet in a signed tree head',
};

// Show the access history of memo `id`.
export async function render({ id, expired }) {
  const msg = messageBox();
  const status = statusLine('Fetching the history and checking it against the log…');
  const title = `Who accessed memo ${id}`;
  show(title, h('h1', {}, title), status, msg.el);
  try {
    const items = await wf.accesses(id);
    const rows = [];
    for (const a of items) {
      const who = a.member === null ? 'a drafter or signer (withheld)' : await mc.memberLabel(a.member);
      rows.push([who, ACCESS_NAMES[a.kind] ?? a.kind, when(a.at), String(a.log_index), CHECK_NAMES[a.state]]);
    }
    show(title,
      h('h1', {}, title),
      h('p', {}, `${items.length} ${items.length === 1 ? 'record' : 'records'}, oldest first. Each was checked against the channel log in this browser.`),
      rows.length ? table('Accesses', ['Who', 'What', 'When', 'Log entry', 'Check'], rows) : null,
      h('p', {}, h('a', { href: `#/memo/${id}` }, `Back to memo ${id}`)));
  } catch (e) {
    status.textContent = '';
    if (e.code === 'forbidden' || e.code === 'not_found') {
      msg.show('Only the memo\'s drafters, and auditors once it was submitted, see who accessed it.');
      return;
    }
    report(e, msg, expired);
  }
}
