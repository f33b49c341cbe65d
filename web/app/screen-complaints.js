// Reprisal complaints (docs/API.md, "Complaints"): for auditors, the
// complaints sealed to them, decrypted in this page, and a way to open a
// submitted memo's access history by its id; for every member, filing a
// complaint, encrypted here for the auditors only (each auditor's keys
// checked against the log), with nothing that names the complainant.
import { actionForm } from './actionform.js';
import { memoIdValid } from './memo.js';
import { report } from './names.js';
import { field, h, messageBox, section, setNotice, show, statusLine, takeNotice, textField, when } from './ui.js';
import * as wf from './workflow.js';

// The auditor's screen.
export async function render({ expired, go }) {
  const notice = takeNotice();
  const msg = messageBox();
  const status = statusLine('Decrypting the complaints…');
  const list = h('div', {});
  const idF = field('Memo id', { name: 'memo', autocapitalize: 'none', spellcheck: 'false' }, 'Like d_0123456789abcdef01234567.');
  const lookup = actionForm({
    title: 'Access history of a memo',
    intro: 'Auditors see who accessed a memo once it was submitted.',
    fields: [idF.wrap],
    button: 'Show the access history',
    busyText: 'Opening…',
    expired,
    run: async () => {
      const id = idF.input.value.trim();
      idF.setError(null);
      if (!memoIdValid(id)) {
        idF.setError('A memo id is d_ and 24 digits or letters a to f.');
        idF.input.focus();
        return;
      }
      go(`/memo/${id}/accesses`);
    },
  });
  show('Complaints', h('h1', {}, 'Complaints'), notice, status, msg.el, list, lookup.panel);
  try {
    const items = await wf.complaints();
    status.textContent = items.length === 0 ? 'No complaints.' : `${items.length} ${items.length === 1 ? 'complaint' : 'complaints'}, decrypted in this browser.`;
    list.replaceChildren(...items.map((c) => section(`Complaint ${c.id}, filed ${when(c.created_at)}`, h('div', { class: 'memo-text' }, c.text))));
  } catch (e) {
    status.textContent = '';
    report(e, msg, expired);
  }
}

// Filing a complaint (every member).
export function renderFile({ expired, go }) {
  const text = textField('Your complaint', { name: 'complaint', rows: '10', autocomplete: 'off', required: true },
    'Only the auditors can read it. Your name is not stored with it: write it in the text if you want the auditors to know who you are.');
  const f = actionForm({
    title: 'File it',
    fields: [text.wrap],
    button: 'File the complaint',
    busyText: 'Encrypting for the auditors…',
    expired,
    run: async () => {
      text.setError(null);
      if (text.input.value.trim() === '') {
        text.setError('Write the complaint first.');
        text.input.focus();
        return;
      }
      const n = await wf.fileComplaint(text.input.value);
      text.input.value = '';
      setNotice(`The complaint is filed, readable by the ${n} ${n === 1 ? 'auditor' : 'auditors'} only.`);
      go('/memos');
    },
  });
  show('File a complaint', h('h1', {}, 'File a reprisal complaint'),
    h('p', {}, 'If you suffered reprisal for using the channel, tell the auditors. The complaint is encrypted in this browser for them alone.'),
    f.panel);
}
